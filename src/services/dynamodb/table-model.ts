import { keyAttributes, type IndexDefinition, type Item, type KeySchema, type KeyType, type TableInfo } from '../../storage/index.js';
import { tableNameOf, type OperationContext } from './context.js';
import { resourceNotFound, validation } from './errors.js';
import { attributeOf, setAttribute } from './values/attributes.js';

/**
 * What the API keeps about a table beyond its keys and indexes (TableInfo.settings in the store), and views of a
 * table the operations share: its key schema, an index's key schema and projection.
 */

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

export interface Projection {
  ProjectionType: ProjectionType;
  NonKeyAttributes?: string[];
}

export interface Throughput {
  read: number;
  write: number;
}

export interface IndexSettings {
  projection: Projection;
  /** Provisioned tables give each global index its own throughput. */
  throughput?: Throughput;
}

export interface TableSettings {
  tableId: string;
  attributeDefinitions: { AttributeName: string; AttributeType: KeyType }[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  throughput: Throughput;
  /** Epoch ms of the last switch to on-demand, for BillingModeSummary. */
  payPerRequestSince?: number;
  indexes: Record<string, IndexSettings>;
  deletionProtection: boolean;
  tableClass?: string;
  tags: { Key: string; Value: string }[];
  /** Point-in-time recovery's window, while it is enabled (RecoveryPeriodInDays). */
  recoveryPeriodDays?: number;
  /** How a restored table came to be (RestoreSummary); RestoreDateTime in epoch ms. */
  restore?: { SourceBackupArn?: string; SourceTableArn: string; RestoreDateTime: number };
  /** Encryption with a KMS key, when SSESpecification asked for it (otherwise AWS's own key, not described). */
  sse?: { kmsKeyArn: string };
  /** WarmThroughput as CreateTable gave it; otherwise the table's capacity is described. */
  warm?: { read: number; write: number };
  /** The resource-based policy, as PutResourcePolicy stored it. */
  policy?: { document: string; revisionId: string };
}

export function settingsOf(table: TableInfo): TableSettings {
  return table.settings as unknown as TableSettings;
}

export async function findTable(ctx: OperationContext, name: string | undefined): Promise<TableInfo> {
  const resolved = name === undefined ? undefined : tableNameOf(ctx.scope, name);
  const table = resolved === undefined ? undefined : await ctx.tables.getTable(resolved);
  if (!table) throw resourceNotFound();
  return table;
}

/** The key attribute names of a schema, hash first. */
export function keyNames(key: KeySchema): string[] {
  if (key.moreHash || key.moreRange) return keyAttributes(key).map((attribute) => attribute.name);
  return key.range ? [key.hash.name, key.range.name] : [key.hash.name];
}

/** An index as queries see it: its key schema, the global flag and what it projects. */
export interface IndexView extends IndexDefinition {
  projection: Projection;
}

export function findIndex(table: TableInfo, name: string): IndexView {
  const index = table.indexes.find((i) => i.name === name);
  if (!index) throw validation(`The table does not have the specified index: ${name}`);
  const projection = settingsOf(table).indexes[name]?.projection ?? { ProjectionType: 'ALL' };
  return { ...index, projection };
}

/** The attributes an index holds for an item: keys of table and index, and the projected non-key attributes. */
export function projectToIndex(table: TableInfo, index: IndexView, item: Item): Item {
  if (index.projection.ProjectionType === 'ALL') return item;
  const keep = new Set([...keyNames(table.key), ...keyNames(index.key), ...(index.projection.NonKeyAttributes ?? [])]);
  const out: Item = {};
  for (const name of keep) {
    const value = attributeOf(item, name);
    if (value !== undefined) setAttribute(out, name, value);
  }
  return out;
}

/** Every key attribute of the table and its indexes, with the index that needs it (for type checks on writes). */
export function indexKeyAttributes(table: TableInfo): { name: string; type: KeyType; index: string }[] {
  const out: { name: string; type: KeyType; index: string }[] = [];
  for (const index of table.indexes) {
    for (const part of keyAttributes(index.key)) {
      if (part.name !== table.key.hash.name && part.name !== table.key.range?.name) out.push({ ...part, index: index.name });
    }
  }
  return out;
}
