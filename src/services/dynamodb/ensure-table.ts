import { randomUUID } from 'node:crypto';
import { FlintError, type Clock } from '../../core/index.js';
import type { KeySchema, KeyType, TableInfo, TableStore } from '../../storage/index.js';
import type { TableSettings } from './table-model.js';

/** A table as flint.yaml declares it (manifest TableSpec). */
export interface TableDeclaration {
  name: string;
  hashKey: { name: string; type: KeyType };
  rangeKey?: { name: string; type: KeyType };
}

/**
 * Creates a declared table (on-demand billing, no indexes) unless it exists. An existing table keeps its data and
 * settings; one whose key schema differs from the declaration is refused with RESOURCE_CONFLICT, since keys
 * cannot change without recreating the table.
 */
export async function ensureTable(tables: TableStore, declaration: TableDeclaration, clock: Clock): Promise<{ created: boolean; table: TableInfo }> {
  const key: KeySchema = { hash: { ...declaration.hashKey } };
  if (declaration.rangeKey) key.range = { ...declaration.rangeKey };
  const existing = await tables.getTable(declaration.name);
  if (existing) {
    if (!sameKey(existing.key, key)) {
      throw new FlintError('RESOURCE_CONFLICT', `table ${declaration.name} exists with a different key schema; delete it to change its keys`, { table: declaration.name });
    }
    return { created: false, table: existing };
  }
  const settings: TableSettings = {
    tableId: randomUUID(),
    attributeDefinitions: [key.hash, key.range].filter((k) => k !== undefined).map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    billingMode: 'PAY_PER_REQUEST',
    throughput: { read: 0, write: 0 },
    payPerRequestSince: clock.now(),
    indexes: {},
    deletionProtection: false,
    tags: [],
  };
  try {
    const table = await tables.createTable({ name: declaration.name, key, indexes: [], settings: settings as unknown as Record<string, unknown> });
    return { created: true, table };
  } catch (error) {
    // Created concurrently by another node: fine if it has the declared keys.
    const raced = await tables.getTable(declaration.name);
    if (raced && sameKey(raced.key, key)) return { created: false, table: raced };
    throw error;
  }
}

function sameKey(a: KeySchema, b: KeySchema): boolean {
  return a.hash.name === b.hash.name && a.hash.type === b.hash.type && a.range?.name === b.range?.name && a.range?.type === b.range?.type;
}
