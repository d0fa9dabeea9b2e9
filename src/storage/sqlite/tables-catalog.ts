import { FlintError, type Clock } from '../../core/index.js';
import type { IndexDefinition, KeySchema, TableInfo, TableStream } from '../ports-tables.js';
import type { SqliteConnection } from './connection.js';

export interface StoredIndex extends IndexDefinition {
  /** Numbers the index's entries; never reused within a table, so a re-created index starts empty. */
  id: number;
}

/** A table as its definition row keeps it. */
export interface StoredTable {
  id: number;
  name: string;
  key: KeySchema;
  indexes: StoredIndex[];
  nextIndexId: number;
  settings: Record<string, unknown>;
  createdAt: number;
  stream?: TableStream;
  ttlAttribute?: string;
  recovery?: { since: number };
}

type Definition = Omit<StoredTable, 'id' | 'name'>;

const SQL = {
  get: 'SELECT id, definition FROM ddb_tables WHERE name = ?',
  insert: 'INSERT INTO ddb_tables (name, definition) VALUES (?, ?) RETURNING id',
  update: 'UPDATE ddb_tables SET definition = ? WHERE id = ?',
  delete: 'DELETE FROM ddb_tables WHERE id = ?',
  list: 'SELECT name FROM ddb_tables WHERE name > ? ORDER BY name LIMIT ?',
  dataVersion: 'PRAGMA data_version',
} as const;

/** How stale, at most, a reader's view of table definitions changed by another process may be. */
const READ_RECHECK_MS = 1000;

/**
 * Table definitions, cached in memory because every item operation needs its table's key schema. Another process
 * may change the database, so the cache is dropped whenever SQLite's data_version says someone else committed:
 * checked in every write transaction, and by readers at most once a second (the check costs as much as a read).
 */
export class TableCatalog {
  private readonly cache = new Map<string, StoredTable>();
  private dataVersion = -1;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly clock: Clock,
  ) {}

  /** For readers: refresh() unless one ran within the last second. */
  refreshForRead(): void {
    if (this.clock.monotonic() - this.checkedAt < READ_RECHECK_MS) return;
    this.refresh();
  }

  /** Drops cached definitions if another connection committed since the last look. */
  refresh(): void {
    this.checkedAt = this.clock.monotonic();
    const version = this.connection.statement(SQL.dataVersion).pluck().get() as number;
    if (version !== this.dataVersion) {
      this.cache.clear();
      this.dataVersion = version;
    }
  }

  find(name: string): StoredTable | undefined {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const row = this.connection.statement(SQL.get).get(name) as { id: number; definition: string } | undefined;
    if (!row) return undefined;
    const table: StoredTable = { id: row.id, name, ...(JSON.parse(row.definition) as Definition) };
    this.cache.set(name, frozen(table));
    return table;
  }

  require(name: string): StoredTable {
    const table = this.find(name);
    if (!table) throw tableNotFound(name);
    return table;
  }

  insert(table: Omit<StoredTable, 'id'>): StoredTable {
    if (this.find(table.name)) {
      throw new FlintError('RESOURCE_CONFLICT', `table ${table.name} already exists`, { table: table.name });
    }
    const { name, ...definition } = table;
    const id = this.connection.statement(SQL.insert).pluck().get(name, JSON.stringify(definition)) as number;
    const stored = { id, ...table };
    this.cache.set(name, frozen(stored));
    return stored;
  }

  save(table: StoredTable): void {
    const { id, name, ...definition } = table;
    this.connection.statement(SQL.update).run(JSON.stringify(definition), id);
    this.cache.set(name, frozen(table));
  }

  remove(table: StoredTable): void {
    this.connection.statement(SQL.delete).run(table.id);
    this.cache.delete(table.name);
  }

  list(after: string, limit: number): string[] {
    return this.connection.statement(SQL.list).pluck().all(after, limit) as string[];
  }

  /** Forgets everything, for rollbacks that may have left the cache ahead of the database. */
  clear(): void {
    this.cache.clear();
  }
}

/**
 * Cached definitions are shared with every caller (TableInfo hands out the same settings object), so they are
 * frozen: a caller that changed one in place would otherwise change the cache behind the database's back.
 */
function frozen<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) frozen(child);
  return Object.freeze(value);
}

export function tableInfo(table: StoredTable): TableInfo {
  const info: TableInfo = {
    name: table.name,
    key: table.key,
    indexes: table.indexes.map(({ name, global, key }) => ({ name, global, key })),
    settings: table.settings,
    createdAt: table.createdAt,
  };
  if (table.stream) info.stream = { ...table.stream };
  if (table.ttlAttribute !== undefined) info.ttlAttribute = table.ttlAttribute;
  if (table.recovery) info.recovery = { ...table.recovery };
  return info;
}

export function tableNotFound(name: string): FlintError {
  return new FlintError('NOT_FOUND', `table ${name} does not exist`, { table: name });
}
