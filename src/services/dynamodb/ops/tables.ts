import { isFlintError } from '../../../core/index.js';
import type { TableInfo } from '../../../storage/index.js';
import type {
  DeleteTableInput,
  DeleteTableOutput,
  DescribeTableInput,
  DescribeTableOutput,
  DescribeTimeToLiveInput,
  DescribeTimeToLiveOutput,
  ListTablesInput,
  ListTablesOutput,
  ListTagsOfResourceInput,
  ListTagsOfResourceOutput,
  TableDescription,
  TagResourceInput,
  UntagResourceInput,
  UpdateTimeToLiveInput,
  UpdateTimeToLiveOutput,
} from '../api.js';
import { tableNameOf, type OperationContext } from '../context.js';
import { dynamoError, resourceNotFound, validation } from '../errors.js';
import { settingsOf, type TableSettings } from '../table-model.js';
import { storeCall } from './store-calls.js';
import { describeTable } from './table-description.js';

/** DescribeTable, ListTables and DeleteTable; CreateTable and UpdateTable have files of their own. */

export async function tableOrNotFound(ctx: OperationContext, name: string): Promise<TableInfo> {
  const resolved = tableNameOf(ctx.scope, name);
  const table = resolved === undefined ? undefined : await ctx.tables.getTable(resolved);
  if (!table) throw resourceNotFound(`Requested resource not found: Table: ${name} not found`);
  return table;
}

export async function describedTable(ctx: OperationContext, table: TableInfo, status = 'ACTIVE'): Promise<TableDescription> {
  // A table deleted meanwhile is described as it was, with nothing in it.
  const stats = await ctx.tables.tableStats(table.name).catch((error: unknown) => {
    if (isFlintError(error, 'NOT_FOUND')) return undefined;
    throw error;
  });
  return describeTable(table, stats, ctx.scope, status);
}

export async function describeTableOp(input: DescribeTableInput, ctx: OperationContext): Promise<DescribeTableOutput> {
  const table = await tableOrNotFound(ctx, input.TableName);
  return { Table: await describedTable(ctx, table) };
}

export async function listTables(input: ListTablesInput, ctx: OperationContext): Promise<ListTablesOutput> {
  const limit = input.Limit ?? 100;
  const names = await ctx.tables.listTables({ after: input.ExclusiveStartTableName, limit: limit + 1 });
  const page = names.slice(0, limit);
  const output: ListTablesOutput = { TableNames: page };
  if (names.length > limit) output.LastEvaluatedTableName = page[page.length - 1];
  return output;
}

export async function deleteTable(input: DeleteTableInput, ctx: OperationContext): Promise<DeleteTableOutput> {
  const table = await tableOrNotFound(ctx, input.TableName);
  const name = table.name;
  if (settingsOf(table).deletionProtection) {
    throw validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
  }
  const description = await describedTable(ctx, table, 'DELETING');
  const deleted = await ctx.tables.deleteTable(name);
  if (!deleted) throw resourceNotFound(`Requested resource not found: Table: ${name} not found`);
  return { TableDescription: description };
}

// ---- time to live

export async function updateTimeToLive(input: UpdateTimeToLiveInput, ctx: OperationContext): Promise<UpdateTimeToLiveOutput> {
  const spec = input.TimeToLiveSpecification;
  const table = await tableOrNotFound(ctx, input.TableName);
  const attribute = spec.AttributeName;
  if (spec.Enabled) {
    if (table.ttlAttribute !== undefined && table.ttlAttribute !== attribute) throw validation('TimeToLive is already enabled with a different attribute name');
    if (table.ttlAttribute === undefined) await storeCall(() => ctx.tables.updateTable(table.name, { ttlAttribute: attribute }));
  } else {
    if (table.ttlAttribute === undefined) throw validation('TimeToLive is already disabled');
    await storeCall(() => ctx.tables.updateTable(table.name, { ttlAttribute: null }));
  }
  return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: attribute } };
}

export async function describeTimeToLive(input: DescribeTimeToLiveInput, ctx: OperationContext): Promise<DescribeTimeToLiveOutput> {
  const table = await tableOrNotFound(ctx, input.TableName);
  const description = table.ttlAttribute === undefined ? { TimeToLiveStatus: 'DISABLED' } : { TimeToLiveStatus: 'ENABLED', AttributeName: table.ttlAttribute };
  return { TimeToLiveDescription: description };
}

// ---- tags

export async function tableOfArn(ctx: OperationContext, arn: string): Promise<TableInfo> {
  const match = /^arn:aws[\w-]*:dynamodb:([^:]+):(\d+):table\/([a-zA-Z0-9_.-]+)$/.exec(arn);
  if (!match) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  const table = await ctx.tables.getTable(match[3]!);
  if (!table) throw dynamoError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`);
  return table;
}

/** Stores a change to what the API keeps about a table beyond its keys (tags, resource policy). */
export async function saveSettings(ctx: OperationContext, table: TableInfo, change: Partial<TableSettings>): Promise<void> {
  const settings: TableSettings = { ...settingsOf(table), ...change };
  await storeCall(() => ctx.tables.updateTable(table.name, { settings: settings as unknown as Record<string, unknown> }));
}

/** A resource's most tags, as AWS's tagging rules for DynamoDB say (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html). */
const MAX_TAGS = 50;

/** Keys starting with aws: are AWS's own; a caller may neither set nor remove them. */
export function checkUserTagKeys(keys: string[]): void {
  if (keys.some((key) => key.toLowerCase().startsWith('aws:'))) throw validation(`${INVALID_PARAMETERS}Tag keys starting with "aws:" are reserved for system use`);
}

const INVALID_PARAMETERS = 'One or more parameter values were invalid: ';

export function checkTagCount(count: number): void {
  if (count > MAX_TAGS) throw validation(`${INVALID_PARAMETERS}The number of tags on the resource would exceed the limit of ${MAX_TAGS}`);
}

export async function tagResource(input: TagResourceInput, ctx: OperationContext): Promise<void> {
  checkUserTagKeys(input.Tags.map((tag) => tag.Key));
  const table = await tableOfArn(ctx, input.ResourceArn);
  const tags = new Map(settingsOf(table).tags.map((t) => [t.Key, t.Value]));
  for (const tag of input.Tags) tags.set(tag.Key, tag.Value);
  checkTagCount(tags.size);
  await saveSettings(ctx, table, { tags: [...tags].map(([Key, Value]) => ({ Key, Value })) });
}

export async function untagResource(input: UntagResourceInput, ctx: OperationContext): Promise<void> {
  checkUserTagKeys(input.TagKeys);
  const table = await tableOfArn(ctx, input.ResourceArn);
  const remove = new Set(input.TagKeys);
  await saveSettings(ctx, table, { tags: settingsOf(table).tags.filter((t) => !remove.has(t.Key)) });
}

export async function listTagsOfResource(input: ListTagsOfResourceInput, ctx: OperationContext): Promise<ListTagsOfResourceOutput> {
  const table = await tableOfArn(ctx, input.ResourceArn);
  return { Tags: settingsOf(table).tags };
}
