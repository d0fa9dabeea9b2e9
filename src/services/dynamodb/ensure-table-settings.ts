/**
 * A declared table's settings beyond its keys (flint.yaml `ttl`, `stream`, `indexes`), brought in line through the
 * API's own UpdateTimeToLive and UpdateTable, so a manifest change is checked and recorded as an API call would be.
 * TTL and global secondary indexes follow the declaration (absent: none); a stream is enabled (or its view type
 * changed) when declared and left as it is when not, since a dynamodb event enables one of its own.
 */
import type { KeyType, StreamViewType, TableInfo } from '../../storage/index.js';
import type { OperationContext } from './context.js';
import { updateTimeToLive } from './ops/tables.js';
import { updateTable } from './ops/update-table.js';
import { settingsOf, type Projection } from './table-model.js';

export interface DeclaredIndex {
  name: string;
  hashKey: { name: string; type: KeyType };
  rangeKey?: { name: string; type: KeyType };
  /** ALL, KEYS_ONLY, or the attributes of an INCLUDE projection. */
  projection: 'ALL' | 'KEYS_ONLY' | string[];
}

export interface TableSettingsDeclaration {
  name: string;
  ttl?: string;
  stream?: StreamViewType;
  indexes?: DeclaredIndex[];
}

export async function applyTableSettings(ctx: OperationContext, declared: TableSettingsDeclaration): Promise<void> {
  await applyTtl(ctx, declared);
  await applyStream(ctx, declared);
  await applyIndexes(ctx, declared);
}

async function current(ctx: OperationContext, name: string): Promise<TableInfo> {
  const table = await ctx.tables.getTable(name);
  if (!table) throw new Error(`table ${name} vanished while its settings were applied`);
  return table;
}

async function applyTtl(ctx: OperationContext, declared: TableSettingsDeclaration): Promise<void> {
  const { ttlAttribute } = await current(ctx, declared.name);
  if (ttlAttribute === declared.ttl) return;
  const TableName = declared.name;
  if (ttlAttribute !== undefined) await updateTimeToLive({ TableName, TimeToLiveSpecification: { Enabled: false, AttributeName: ttlAttribute } }, ctx);
  if (declared.ttl !== undefined) await updateTimeToLive({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: declared.ttl } }, ctx);
}

async function applyStream(ctx: OperationContext, declared: TableSettingsDeclaration): Promise<void> {
  if (declared.stream === undefined) return;
  const { stream } = await current(ctx, declared.name);
  if (stream?.enabled && stream.viewType === declared.stream) return;
  // DynamoDB changes a view type only by disabling the stream and enabling a new one.
  if (stream?.enabled) await updateTable({ TableName: declared.name, StreamSpecification: { StreamEnabled: false } }, ctx);
  await updateTable({ TableName: declared.name, StreamSpecification: { StreamEnabled: true, StreamViewType: declared.stream } }, ctx);
}

/** One index per UpdateTable, as DynamoDB allows; a changed index is deleted and created again. */
async function applyIndexes(ctx: OperationContext, declared: TableSettingsDeclaration): Promise<void> {
  const wanted = new Map((declared.indexes ?? []).map((index) => [index.name, index]));
  const table = await current(ctx, declared.name);
  const TableName = declared.name;
  for (const index of table.indexes.filter((i) => i.global)) {
    const want = wanted.get(index.name);
    if (want && signature(want) === existingSignature(table, index.name)) {
      wanted.delete(index.name);
      continue;
    }
    await updateTable({ TableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.name } }] }, ctx);
  }
  for (const index of wanted.values()) {
    const keys = [index.hashKey, index.rangeKey].filter((k) => k !== undefined);
    await updateTable({
      TableName,
      AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
      GlobalSecondaryIndexUpdates: [{
        Create: {
          IndexName: index.name,
          KeySchema: [{ AttributeName: index.hashKey.name, KeyType: 'HASH' }, ...(index.rangeKey ? [{ AttributeName: index.rangeKey.name, KeyType: 'RANGE' as const }] : [])],
          Projection: projectionOf(index.projection),
        },
      }],
    }, ctx);
  }
}

function projectionOf(projection: DeclaredIndex['projection']): Projection {
  return Array.isArray(projection) ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection] } : { ProjectionType: projection };
}

function signature(index: DeclaredIndex): string {
  const projection = projectionOf(index.projection);
  return JSON.stringify([index.hashKey.name, index.hashKey.type, index.rangeKey?.name, index.rangeKey?.type, projection.ProjectionType, [...(projection.NonKeyAttributes ?? [])].sort()]);
}

function existingSignature(table: TableInfo, name: string): string {
  const index = table.indexes.find((i) => i.name === name)!;
  const projection = settingsOf(table).indexes[name]?.projection ?? { ProjectionType: 'ALL' };
  return JSON.stringify([index.key.hash.name, index.key.hash.type, index.key.range?.name, index.key.range?.type, projection.ProjectionType, [...(projection.NonKeyAttributes ?? [])].sort()]);
}
