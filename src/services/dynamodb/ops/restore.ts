import { randomUUID } from 'node:crypto';
import { isFlintError } from '../../../core/index.js';
import type { IndexDefinition, KeyType, NewTable, RestoreSource, TableInfo } from '../../../storage/index.js';
import type { GlobalSecondaryIndex, LocalSecondaryIndex, ProvisionedThroughput, RestoreTableFromBackupInput, TableDescription } from '../api.js';
import type { OperationContext } from '../context.js';
import { dynamoError, validation } from '../errors.js';
import { settingsOf, type IndexSettings, type TableSettings } from '../table-model.js';
import { checkKeySchema, checkProjection, indexSettings, keySchemaOf } from './create-table.js';
import { describeTable } from './table-description.js';

/**
 * What RestoreTableFromBackup and RestoreTableToPointInTime share: the new table's definition (the source's, with
 * the overrides applied) and the restore itself. As AWS documents, a restored table gets the source's keys,
 * indexes, billing and items, but not its tags, stream, time to live, point-in-time recovery or deletion protection
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CreateBackup.html, "restore").
 */

export type RestoreOverrides = Pick<
  RestoreTableFromBackupInput,
  'BillingModeOverride' | 'GlobalSecondaryIndexOverride' | 'LocalSecondaryIndexOverride' | 'ProvisionedThroughputOverride'
>;

const INVALID = 'One or more parameter values were invalid: ';

/** TableName members typed TableArn take a table's ARN as well as its name. */
export function tableNameOf(nameOrArn: string): string {
  const marker = nameOrArn.startsWith('arn:') ? nameOrArn.indexOf(':table/') : -1;
  return marker < 0 ? nameOrArn : nameOrArn.slice(marker + ':table/'.length).split('/')[0]!;
}

export function tableNotFound(name: string): Error {
  return dynamoError('TableNotFoundException', `Table not found: ${name}`);
}

/** A restore onto a name in use fails before anything else about the target is looked at. */
export async function checkTarget(ctx: OperationContext, name: string): Promise<void> {
  if (await ctx.tables.getTable(name)) throw tableAlreadyExists(name);
}

function tableAlreadyExists(name: string): Error {
  return dynamoError('TableAlreadyExistsException', `Table already exists: ${name}`);
}

/** The definition of a table restored from `source` (a table as a backup or the live table holds it). */
export function restoredTable(source: TableInfo, target: string, overrides: RestoreOverrides, restore: TableSettings['restore'], now: number): NewTable {
  const from = settingsOf(source);
  const billingMode = (overrides.BillingModeOverride ?? from.billingMode) as TableSettings['billingMode'];
  const types = new Map(from.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  let indexes: IndexDefinition[] = source.indexes.map((index) => ({ ...index }));
  const indexSettingsByName: Record<string, IndexSettings> = {};
  for (const index of indexes) indexSettingsByName[index.name] = { ...from.indexes[index.name]! };
  for (const [given, global] of [[overrides.LocalSecondaryIndexOverride, false], [overrides.GlobalSecondaryIndexOverride, true]] as const) {
    if (given === undefined) continue;
    indexes = indexes.filter((index) => index.global !== global);
    for (const name of Object.keys(indexSettingsByName)) if (!indexes.some((i) => i.name === name)) delete indexSettingsByName[name];
    for (const index of given) {
      const definition = overrideIndex(index, global, types);
      if (!global) checkLocalIndex(definition, source);
      indexes.push(definition);
      indexSettingsByName[index.IndexName] = indexSettings(index, billingMode);
    }
  }
  const settings: TableSettings = {
    ...from,
    tableId: randomUUID(),
    attributeDefinitions: usedDefinitions(source, indexes, types),
    billingMode,
    throughput: throughputOf(billingMode, overrides.ProvisionedThroughputOverride, from),
    indexes: billingMode === 'PAY_PER_REQUEST' ? withoutThroughput(indexSettingsByName) : indexSettingsByName,
    deletionProtection: false,
    tags: [],
    restore,
  };
  delete settings.recoveryPeriodDays;
  if (billingMode === 'PAY_PER_REQUEST') settings.payPerRequestSince = now;
  else delete settings.payPerRequestSince;
  return { name: target, key: source.key, indexes, settings: settings as unknown as Record<string, unknown> };
}

function overrideIndex(index: GlobalSecondaryIndex | LocalSecondaryIndex, global: boolean, types: Map<string, KeyType>): IndexDefinition {
  checkKeySchema(index.KeySchema, [...types.keys()], global);
  checkProjection(index.Projection as IndexSettings['projection']);
  return { name: index.IndexName, global, key: keySchemaOf(index.KeySchema, types) };
}

/** CreateTable's rules for a local index (create-table.ts), in its words. */
function checkLocalIndex(index: IndexDefinition, source: TableInfo): void {
  if (!source.key.range) throw validation(`${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
  if (!index.key.range) throw validation(`${INVALID}Index KeySchema does not have a range key for index: ${index.name}`);
  if (index.key.hash.name !== source.key.hash.name) {
    throw validation(`${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.name}. index hash key: ${index.key.hash.name}, table hash key: ${source.key.hash.name}`);
  }
}

function usedDefinitions(source: TableInfo, indexes: IndexDefinition[], types: Map<string, KeyType>): TableSettings['attributeDefinitions'] {
  const used = new Set<string>();
  for (const key of [source.key, ...indexes.map((i) => i.key)]) {
    used.add(key.hash.name);
    if (key.range) used.add(key.range.name);
  }
  return [...types].filter(([name]) => used.has(name)).map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function throughputOf(billingMode: string, override: ProvisionedThroughput | undefined, from: TableSettings): TableSettings['throughput'] {
  if (billingMode === 'PAY_PER_REQUEST') {
    if (override) throw validation(`${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
    return { read: 0, write: 0 };
  }
  if (override) return { read: override.ReadCapacityUnits ?? 0, write: override.WriteCapacityUnits ?? 0 };
  if (from.billingMode === 'PAY_PER_REQUEST') {
    throw validation(`${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`);
  }
  return from.throughput;
}

function withoutThroughput(indexes: Record<string, IndexSettings>): Record<string, IndexSettings> {
  return Object.fromEntries(Object.entries(indexes).map(([name, index]) => [name, { projection: index.projection }]));
}

/**
 * Creates the restored table. AWS answers CREATING with RestoreInProgress true while it copies; Flint copies before
 * it answers, so the table is ACTIVE (and the summary done) from the next DescribeTable on.
 */
export async function restoreInto(ctx: OperationContext, table: NewTable, source: RestoreSource): Promise<TableDescription> {
  try {
    const restored = await ctx.tables.restoreTable(table, source);
    const description = describeTable(restored, undefined, ctx.scope, 'CREATING');
    if (description.RestoreSummary) description.RestoreSummary.RestoreInProgress = true;
    return description;
  } catch (error) {
    if (isFlintError(error, 'RESOURCE_CONFLICT')) throw tableAlreadyExists(table.name);
    throw error;
  }
}
