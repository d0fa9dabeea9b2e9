import { z } from 'zod';
import { isFlintError } from '../../../core/index.js';
import type { TableInfo } from '../../../storage/index.js';
import type { OperationContext } from '../context.js';
import { dynamoError, resourceNotFound, validation } from '../errors.js';
import { settingsOf, type TableSettings } from '../table-model.js';
import { Constraints, parseShape } from '../validate.js';
import { storeCall } from './store-calls.js';
import { describeTable } from './table-description.js';

/** DescribeTable, ListTables and DeleteTable; CreateTable and UpdateTable have files of their own. */

const tableNameInput = z.object({ TableName: z.string().optional() });

export function requireTableName(name: string | undefined): string {
  if (name === undefined) throw validation("The parameter 'TableName' is required but was not present in the request");
  new Constraints().tableName(name, 'tableName', 3).done();
  return name;
}

export async function tableOrNotFound(ctx: OperationContext, name: string): Promise<TableInfo> {
  const table = await ctx.tables.getTable(name);
  if (!table) throw resourceNotFound(`Requested resource not found: Table: ${name} not found`);
  return table;
}

export async function describedTable(ctx: OperationContext, table: TableInfo, status = 'ACTIVE'): Promise<Record<string, unknown>> {
  // A table deleted meanwhile is described as it was, with nothing in it.
  const stats = await ctx.tables.tableStats(table.name).catch((error: unknown) => {
    if (isFlintError(error, 'NOT_FOUND')) return undefined;
    throw error;
  });
  return describeTable(table, stats, ctx.scope, status);
}

export async function describeTableOp(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const name = requireTableName(parseShape(tableNameInput, raw).TableName);
  const table = await tableOrNotFound(ctx, name);
  return { Table: await describedTable(ctx, table) };
}

const listTablesInput = z.object({ ExclusiveStartTableName: z.string().optional(), Limit: z.number().optional() });

export async function listTables(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const input = parseShape(listTablesInput, raw);
  new Constraints().tableName(input.ExclusiveStartTableName, 'exclusiveStartTableName', 3, true).range(input.Limit, 'limit', 1, 100).done();
  const limit = input.Limit ?? 100;
  const names = await ctx.tables.listTables({ after: input.ExclusiveStartTableName, limit: limit + 1 });
  const page = names.slice(0, limit);
  const output: Record<string, unknown> = { TableNames: page };
  if (names.length > limit) output.LastEvaluatedTableName = page[page.length - 1];
  return output;
}

export async function deleteTable(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const name = requireTableName(parseShape(tableNameInput, raw).TableName);
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

const updateTtlInput = z.object({
  TableName: z.string().optional(),
  TimeToLiveSpecification: z.object({ Enabled: z.boolean().optional(), AttributeName: z.string().optional() }).optional(),
});

export async function updateTimeToLive(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const input = parseShape(updateTtlInput, raw);
  const spec = input.TimeToLiveSpecification;
  const constraints = new Constraints().tableName(input.TableName, 'tableName', 3).notNull(spec, 'timeToLiveSpecification');
  if (spec) {
    constraints.notNull(spec.AttributeName, 'timeToLiveSpecification.attributeName').length(spec.AttributeName, 'timeToLiveSpecification.attributeName', 1, 255);
    constraints.notNull(spec.Enabled, 'timeToLiveSpecification.enabled');
  }
  constraints.done();
  const table = await tableOrNotFound(ctx, input.TableName!);
  const attribute = spec!.AttributeName!;
  if (spec!.Enabled) {
    if (table.ttlAttribute !== undefined && table.ttlAttribute !== attribute) throw validation('TimeToLive is already enabled with a different attribute name');
    if (table.ttlAttribute === undefined) await storeCall(() => ctx.tables.updateTable(table.name, { ttlAttribute: attribute }));
  } else {
    if (table.ttlAttribute === undefined) throw validation('TimeToLive is already disabled');
    await storeCall(() => ctx.tables.updateTable(table.name, { ttlAttribute: null }));
  }
  return { TimeToLiveSpecification: { Enabled: spec!.Enabled, AttributeName: attribute } };
}

export async function describeTimeToLive(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const name = requireTableName(parseShape(tableNameInput, raw).TableName);
  const table = await tableOrNotFound(ctx, name);
  const description = table.ttlAttribute === undefined ? { TimeToLiveStatus: 'DISABLED' } : { TimeToLiveStatus: 'ENABLED', AttributeName: table.ttlAttribute };
  return { TimeToLiveDescription: description };
}

// ---- tags

const tagResourceInput = z.object({ ResourceArn: z.string().optional(), Tags: z.array(z.object({ Key: z.string().optional(), Value: z.string().optional() })).optional() });
const untagResourceInput = z.object({ ResourceArn: z.string().optional(), TagKeys: z.array(z.string()).optional() });
const listTagsInput = z.object({ ResourceArn: z.string().optional(), NextToken: z.string().optional() });

async function tableOfArn(ctx: OperationContext, arn: string | undefined): Promise<TableInfo> {
  new Constraints().notNull(arn, 'resourceArn').length(arn, 'resourceArn', 1, 1283).done();
  const match = /^arn:aws[\w-]*:dynamodb:([^:]+):(\d+):table\/([a-zA-Z0-9_.-]+)$/.exec(arn!);
  if (!match) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  const table = await ctx.tables.getTable(match[3]!);
  if (!table) throw dynamoError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`);
  return table;
}

async function saveTags(ctx: OperationContext, table: TableInfo, tags: TableSettings['tags']): Promise<void> {
  const settings: TableSettings = { ...settingsOf(table), tags };
  await storeCall(() => ctx.tables.updateTable(table.name, { settings: settings as unknown as Record<string, unknown> }));
}

export async function tagResource(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const input = parseShape(tagResourceInput, raw);
  new Constraints().notNull(input.Tags, 'tags').done();
  const table = await tableOfArn(ctx, input.ResourceArn);
  const tags = new Map(settingsOf(table).tags.map((t) => [t.Key, t.Value]));
  for (const tag of input.Tags!) tags.set(tag.Key ?? '', tag.Value ?? '');
  await saveTags(ctx, table, [...tags].map(([Key, Value]) => ({ Key, Value })));
  return {};
}

export async function untagResource(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const input = parseShape(untagResourceInput, raw);
  new Constraints().notNull(input.TagKeys, 'tagKeys').done();
  const table = await tableOfArn(ctx, input.ResourceArn);
  const remove = new Set(input.TagKeys);
  await saveTags(ctx, table, settingsOf(table).tags.filter((t) => !remove.has(t.Key)));
  return {};
}

export async function listTagsOfResource(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const input = parseShape(listTagsInput, raw);
  const table = await tableOfArn(ctx, input.ResourceArn);
  return { Tags: settingsOf(table).tags };
}
