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
import type { OperationContext } from '../context.js';
import { dynamoError, resourceNotFound, validation } from '../errors.js';
import { settingsOf, type TableSettings } from '../table-model.js';
import { storeCall } from './store-calls.js';
import { describeTable } from './table-description.js';

/** DescribeTable, ListTables and DeleteTable; CreateTable and UpdateTable have files of their own. */

export async function tableOrNotFound(ctx: OperationContext, name: string): Promise<TableInfo> {
  const table = await ctx.tables.getTable(name);
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
  const name = input.TableName;
  const table = await tableOrNotFound(ctx, name);
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

async function tableOfArn(ctx: OperationContext, arn: string): Promise<TableInfo> {
  const match = /^arn:aws[\w-]*:dynamodb:([^:]+):(\d+):table\/([a-zA-Z0-9_.-]+)$/.exec(arn);
  if (!match) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  const table = await ctx.tables.getTable(match[3]!);
  if (!table) throw dynamoError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`);
  return table;
}

async function saveTags(ctx: OperationContext, table: TableInfo, tags: TableSettings['tags']): Promise<void> {
  const settings: TableSettings = { ...settingsOf(table), tags };
  await storeCall(() => ctx.tables.updateTable(table.name, { settings: settings as unknown as Record<string, unknown> }));
}

export async function tagResource(input: TagResourceInput, ctx: OperationContext): Promise<void> {
  const table = await tableOfArn(ctx, input.ResourceArn);
  const tags = new Map(settingsOf(table).tags.map((t) => [t.Key, t.Value]));
  for (const tag of input.Tags) tags.set(tag.Key, tag.Value);
  await saveTags(ctx, table, [...tags].map(([Key, Value]) => ({ Key, Value })));
}

export async function untagResource(input: UntagResourceInput, ctx: OperationContext): Promise<void> {
  const table = await tableOfArn(ctx, input.ResourceArn);
  const remove = new Set(input.TagKeys);
  await saveTags(ctx, table, settingsOf(table).tags.filter((t) => !remove.has(t.Key)));
}

export async function listTagsOfResource(input: ListTagsOfResourceInput, ctx: OperationContext): Promise<ListTagsOfResourceOutput> {
  const table = await tableOfArn(ctx, input.ResourceArn);
  return { Tags: settingsOf(table).tags };
}
