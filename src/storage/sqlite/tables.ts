import { FlintError, type Clock } from '../../core/index.js';
import type {
  BackupInfo,
  BackupListing,
  Item,
  ItemPage,
  ItemRef,
  NewBackup,
  NewTable,
  RangeQuery,
  RestoreSource,
  ScanRequest,
  StreamRead,
  StreamRecord,
  TableChanges,
  TableInfo,
  TableStats,
  TableStore,
  TableStream,
  WritePlan,
} from '../ports-tables.js';
import { assertCount, assertNonEmpty } from '../validate.js';
import type { SqliteConnection } from './connection.js';
import { TableBackups } from './tables-backups.js';
import { migrateModule } from './migrations.js';
import { TableCatalog, tableInfo, type StoredIndex, type StoredTable } from './tables-catalog.js';
import { encodeKey, type EncodedKey } from './tables-keys.js';
import { findIndex, ItemReader } from './tables-reads.js';
import { TABLES_MIGRATIONS, type KeyedItemRow } from './tables-schema.js';
import { expiry, ItemWriter, type CurrentItem } from './tables-writes.js';

/** Rows handled per statement when a table change walks every item (index backfill, time-to-live changes). */
const WALK_BATCH = 500;

const SQL = {
  deleteItems: 'DELETE FROM ddb_items WHERE table_id = ?',
  deleteEntries: 'DELETE FROM ddb_index_entries WHERE table_id = ?',
  deleteIndexEntries: 'DELETE FROM ddb_index_entries WHERE table_id = ? AND index_id = ?',
  deleteRecords: 'DELETE FROM ddb_stream_records WHERE table_id = ?',
  walkFirst: 'SELECT phash, pk, sk, body, size FROM ddb_items WHERE table_id = ? ORDER BY phash, pk, sk LIMIT ?',
  walkNext: `SELECT phash, pk, sk, body, size FROM ddb_items WHERE table_id = ? AND (phash, pk, sk) > (?, ?, ?)
             ORDER BY phash, pk, sk LIMIT ?`,
  setExpiry: 'UPDATE ddb_items SET expires = ? WHERE table_id = ? AND phash = ? AND pk = ? AND sk = ?',
  clearExpiry: 'UPDATE ddb_items SET expires = NULL WHERE table_id = ? AND expires IS NOT NULL',
  stats: 'SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM ddb_items WHERE table_id = ?',
  indexStats: `SELECT count(*) AS count, coalesce(sum(i.size), 0) AS bytes FROM ddb_index_entries e
               JOIN ddb_items i ON i.table_id = e.table_id AND i.phash = e.phash AND i.pk = e.pk AND i.sk = e.sk
               WHERE e.table_id = ? AND e.index_id = ?`,
  readStream: `SELECT seq, label, created_at, record FROM ddb_stream_records
               WHERE table_id = ? AND label = ? AND seq > ? ORDER BY seq LIMIT ?`,
  trim: 'DELETE FROM ddb_stream_records WHERE created_at < ?',
  latest: "SELECT seq FROM sqlite_sequence WHERE name = 'ddb_stream_records'",
  expired: `SELECT t.name AS name, i.phash AS phash, i.pk AS pk, i.sk AS sk FROM ddb_items i
            JOIN ddb_tables t ON t.id = i.table_id
            WHERE i.expires IS NOT NULL AND i.expires < ? AND i.expires >= ? LIMIT ?`,
} as const;

interface StreamRow {
  seq: number;
  label: string;
  created_at: number;
  record: string;
}

/** SQLite adapter of the tables store; see ports-tables.ts for the contract and tables-schema.ts for the layout. */
export class SqliteTableStore implements TableStore {
  private readonly catalog: TableCatalog;
  private readonly writer: ItemWriter;
  private readonly reader: ItemReader;
  private readonly backups: TableBackups;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly clock: Clock,
    readonly dir: string,
  ) {
    connection.run((db) => migrateModule(db, 'tables', TABLES_MIGRATIONS));
    this.catalog = new TableCatalog(connection, clock);
    this.writer = new ItemWriter(connection, clock);
    this.reader = new ItemReader(connection);
    this.backups = new TableBackups(connection);
  }

  async createTable(table: NewTable): Promise<TableInfo> {
    assertNonEmpty('table name', table.name);
    const createdAt = this.clock.now();
    return this.mutateCatalog(() => {
      const indexes = table.indexes.map((index, i) => ({ ...index, id: i + 1 }));
      const stored: Omit<StoredTable, 'id'> = { name: table.name, key: table.key, indexes, nextIndexId: indexes.length + 1, settings: table.settings, createdAt };
      if (table.stream) stored.stream = newStream(table.stream.viewType, createdAt, undefined);
      return tableInfo(this.catalog.insert(stored));
    });
  }

  async getTable(name: string): Promise<TableInfo | undefined> {
    return this.connection.run(() => {
      this.catalog.refreshForRead();
      const table = this.catalog.find(name);
      return table && tableInfo(table);
    });
  }

  async listTables(options: { after?: string; limit?: number } = {}): Promise<string[]> {
    assertCount('limit', options.limit);
    return this.connection.run(() => this.catalog.list(options.after ?? '', options.limit ?? -1));
  }

  async updateTable(name: string, changes: TableChanges): Promise<TableInfo> {
    const now = this.clock.now();
    return this.mutateCatalog(() => {
      const current = this.catalog.require(name);
      const table: StoredTable = { ...current, indexes: [...current.indexes] };
      if (changes.removeIndexes?.length) this.removeIndexes(table, changes.removeIndexes);
      if (changes.addIndexes?.length) this.addIndexes(table, changes.addIndexes);
      if (changes.stream !== undefined) this.changeStream(table, changes.stream, now);
      if (changes.settings) table.settings = changes.settings;
      if (changes.ttlAttribute !== undefined) this.changeTtl(table, changes.ttlAttribute ?? undefined);
      if (changes.recovery !== undefined) this.changeRecovery(table, changes.recovery, now);
      this.catalog.save(table);
      return tableInfo(table);
    });
  }

  async deleteTable(name: string): Promise<TableInfo | undefined> {
    return this.mutateCatalog(() => {
      const table = this.catalog.find(name);
      if (!table) return undefined;
      for (const sql of [SQL.deleteItems, SQL.deleteEntries, SQL.deleteRecords]) this.connection.statement(sql).run(table.id);
      this.backups.dropLog(table.id);
      this.catalog.remove(table);
      return tableInfo(table);
    });
  }

  async tableStats(name: string): Promise<TableStats> {
    return this.connection.run(() => {
      this.catalog.refreshForRead();
      return this.statsOf(this.catalog.require(name));
    });
  }

  private statsOf(table: StoredTable): TableStats {
    const total = this.connection.statement(SQL.stats).get(table.id) as { count: number; bytes: number };
    const indexes: TableStats['indexes'] = {};
    for (const index of table.indexes) {
      const row = this.connection.statement(SQL.indexStats).get(table.id, index.id) as { count: number; bytes: number };
      indexes[index.name] = { itemCount: row.count, sizeBytes: row.bytes };
    }
    return { itemCount: total.count, sizeBytes: total.bytes, indexes };
  }

  async getItem(table: string, key: Item): Promise<Item | undefined> {
    return this.connection.run(() => {
      this.catalog.refreshForRead();
      const stored = this.catalog.require(table);
      return this.writer.read(stored, this.encode(stored, key));
    });
  }

  async getItems(refs: ItemRef[]): Promise<(Item | undefined)[]> {
    if (refs.length === 0) return [];
    // A read transaction, so every item comes from the same snapshot.
    return this.connection.run((db) =>
      db.transaction(() => {
        this.catalog.refreshForRead();
        return refs.map((ref) => {
          const stored = this.catalog.require(ref.table);
          return this.writer.read(stored, this.encode(stored, ref.key));
        });
      }).deferred(),
    );
  }

  async write<T>(targets: ItemRef[], plan: (current: (Item | undefined)[]) => WritePlan<T>): Promise<T> {
    let failure: { error: unknown } | undefined;
    const result = this.connection.transaction(() => {
      this.catalog.refresh();
      const tables = targets.map((target) => this.catalog.require(target.table));
      const current: CurrentItem[] = targets.map((target, i) => {
        const table = tables[i]!;
        const key = this.encode(table, target.key);
        // Index entries and stream records need the old item even when the plan does not.
        const known = !target.blind || table.indexes.length > 0 || table.stream?.enabled === true;
        return { key, item: known ? this.writer.read(table, key) : undefined, known };
      });
      let decided: WritePlan<T>;
      try {
        decided = plan(current.map((c) => c.item));
      } catch (error) {
        failure = { error };
        return undefined;
      }
      decided.changes.forEach((change, i) => {
        if (i < targets.length) this.writer.apply(tables[i]!, current[i]!, change);
      });
      return decided.result;
    });
    if (failure) throw failure.error;
    return result as T;
  }

  async query(query: RangeQuery): Promise<ItemPage> {
    assertCount('limit', query.limit);
    return this.connection.run(() => {
      this.catalog.refreshForRead();
      return this.reader.query(this.catalog.require(query.table), query);
    });
  }

  async scan(request: ScanRequest): Promise<ItemPage> {
    assertCount('limit', request.limit);
    checkSegments(request);
    return this.connection.run(() => {
      this.catalog.refreshForRead();
      return this.reader.scan(this.catalog.require(request.table), request);
    });
  }

  async readStream(table: string, read: StreamRead): Promise<StreamRecord[]> {
    assertCount('limit', read.limit);
    return this.connection.run(() => {
      this.catalog.refreshForRead();
      const stored = this.catalog.require(table);
      const label = read.label ?? stored.stream?.label;
      if (label === undefined) return [];
      const rows = this.connection.statement(SQL.readStream).all(stored.id, label, read.after ?? 0, read.limit) as StreamRow[];
      return rows.map(toStreamRecord);
    });
  }

  async latestSequence(): Promise<number> {
    return this.connection.run(() => (this.connection.statement(SQL.latest).pluck().get() as number | undefined) ?? 0);
  }

  async trimStreams(olderThan: number): Promise<number> {
    return this.connection.run(() => this.connection.statement(SQL.trim).run(olderThan).changes);
  }

  async sweepExpired(nowSeconds: number, options: { limit: number; notBeforeSeconds?: number }): Promise<number> {
    assertCount('limit', options.limit);
    return this.connection.transaction(() => {
      this.catalog.refresh();
      const rows = this.connection.statement(SQL.expired).all(nowSeconds, options.notBeforeSeconds ?? -Number.MAX_VALUE, options.limit) as (EncodedKeyRow & { name: string })[];
      for (const row of rows) {
        const table = this.catalog.require(row.name);
        const key: EncodedKey = { hash: row.phash, pk: row.pk, sk: row.sk };
        this.writer.apply(table, { key, item: this.writer.read(table, key), known: true }, { delete: true }, true);
      }
      return rows.length;
    });
  }

  async createBackup(backup: NewBackup): Promise<BackupInfo> {
    assertNonEmpty('backup id', backup.id);
    const now = this.clock.now();
    return this.connection.transaction(() => {
      this.catalog.refresh();
      const table = this.catalog.require(backup.table);
      return this.backups.create(backup, tableInfo(table), this.statsOf(table), table.id, now);
    });
  }

  async getBackup(id: string): Promise<BackupInfo | undefined> {
    return this.connection.run(() => this.backups.get(id));
  }

  async listBackups(listing: BackupListing = {}): Promise<BackupInfo[]> {
    assertCount('limit', listing.limit);
    return this.connection.run(() => this.backups.list(listing));
  }

  async deleteBackup(id: string): Promise<BackupInfo | undefined> {
    return this.connection.transaction(() => this.backups.delete(id));
  }

  async restoreTable(table: NewTable, source: RestoreSource): Promise<TableInfo> {
    assertNonEmpty('table name', table.name);
    const createdAt = this.clock.now();
    return this.mutateCatalog(() => {
      const items = this.sourceItems(source);
      const indexes = table.indexes.map((index, i) => ({ ...index, id: i + 1 }));
      const stored = this.catalog.insert({ name: table.name, key: table.key, indexes, nextIndexId: indexes.length + 1, settings: table.settings, createdAt });
      for (const { item, size } of items) {
        this.writer.apply(stored, { key: this.encode(stored, item), item: undefined, known: true }, { put: item, size });
      }
      return tableInfo(stored);
    });
  }

  async trimRecovery(table: string, before: number): Promise<number> {
    return this.connection.transaction(() => {
      this.catalog.refresh();
      const stored = this.catalog.find(table);
      return stored?.recovery ? this.backups.trimLog(stored.id, before) : 0;
    });
  }

  private sourceItems(source: RestoreSource): { item: Item; size: number }[] {
    if ('backup' in source) {
      if (!this.backups.get(source.backup)) throw new FlintError('NOT_FOUND', `backup ${source.backup} does not exist`, { backup: source.backup });
      return this.backups.backupItems(source.backup);
    }
    const table = this.catalog.require(source.table);
    if (!table.recovery) throw new FlintError('INVALID_PARAMETER', `table ${table.name} keeps no change history`, { table: table.name });
    return this.backups.itemsAt(table.id, source.at);
  }

  private changeRecovery(table: StoredTable, enable: boolean, now: number): void {
    if (enable === Boolean(table.recovery)) return;
    if (enable) {
      table.recovery = { since: now };
      this.backups.startLog(table, now);
    } else {
      delete table.recovery;
      this.backups.dropLog(table.id);
    }
  }

  private encode(table: StoredTable, key: Item): EncodedKey {
    const encoded = encodeKey(key, table.key);
    if (!encoded) throw new FlintError('INVALID_PARAMETER', `the key does not hold the key attributes of ${table.name}`, { table: table.name });
    return encoded;
  }

  /** Catalog changes run in a write transaction; a failure may leave the cache ahead of the database, so drop it. */
  private mutateCatalog<T>(fn: () => T): T {
    try {
      return this.connection.transaction(() => {
        this.catalog.refresh();
        return fn();
      });
    } catch (error) {
      this.catalog.clear();
      throw error;
    }
  }

  private removeIndexes(table: StoredTable, names: string[]): void {
    for (const name of names) {
      const index = findIndex(table, name);
      this.connection.statement(SQL.deleteIndexEntries).run(table.id, index.id);
      table.indexes = table.indexes.filter((i) => i !== index);
    }
  }

  private addIndexes(table: StoredTable, definitions: TableChanges['addIndexes'] & object): void {
    const added: StoredIndex[] = definitions.map((definition) => {
      if (table.indexes.some((i) => i.name === definition.name)) {
        throw new FlintError('RESOURCE_CONFLICT', `table ${table.name} already has an index ${definition.name}`, { table: table.name, index: definition.name });
      }
      return { ...definition, id: table.nextIndexId++ };
    });
    this.walk(table, (key, item) => {
      for (const index of added) this.writer.addEntries(table, index, key, item);
    });
    table.indexes.push(...added);
  }

  private changeStream(table: StoredTable, stream: TableChanges['stream'], now: number): void {
    if (stream === null || stream === undefined) {
      if (table.stream) table.stream = { ...table.stream, enabled: false };
      return;
    }
    table.stream = newStream(stream.viewType, now, table.stream);
  }

  private changeTtl(table: StoredTable, attribute: string | undefined): void {
    if (attribute === undefined) delete table.ttlAttribute;
    else table.ttlAttribute = attribute;
    this.connection.statement(SQL.clearExpiry).run(table.id);
    if (attribute === undefined) return;
    const update = this.connection.statement(SQL.setExpiry);
    this.walk(table, (key, item) => {
      const seconds = expiry(table, item);
      if (seconds !== null) update.run(seconds, table.id, key.hash, key.pk, key.sk);
    });
  }

  /** Visits every item of a table in batches (an open iterator would keep other statements from running). */
  private walk(table: StoredTable, visit: (key: EncodedKey, item: Item) => void): void {
    let rows = this.connection.statement(SQL.walkFirst).all(table.id, WALK_BATCH) as KeyedItemRow[];
    while (rows.length > 0) {
      for (const row of rows) visit({ hash: row.phash, pk: row.pk, sk: row.sk }, JSON.parse(row.body) as Item);
      const last = rows[rows.length - 1]!;
      rows = this.connection.statement(SQL.walkNext).all(table.id, last.phash, last.pk, last.sk, WALK_BATCH) as KeyedItemRow[];
    }
  }
}

interface EncodedKeyRow {
  phash: number;
  pk: Buffer;
  sk: Buffer;
}

/** Stream labels are creation times; a re-enabled stream in the same millisecond still gets a label of its own. */
function newStream(viewType: TableStream['viewType'], now: number, previous: TableStream | undefined): TableStream {
  let createdAt = now;
  if (previous && createdAt <= previous.createdAt) createdAt = previous.createdAt + 1;
  return { label: new Date(createdAt).toISOString().slice(0, 23), viewType, enabled: true, createdAt };
}

function toStreamRecord(row: StreamRow): StreamRecord {
  const stored = JSON.parse(row.record) as Omit<StreamRecord, 'sequence' | 'streamLabel' | 'createdAt'>;
  return { sequence: row.seq, streamLabel: row.label, createdAt: row.created_at, ...stored };
}

function checkSegments(request: ScanRequest): void {
  const { segment, totalSegments } = request;
  if (segment === undefined && totalSegments === undefined) return;
  if (segment === undefined || totalSegments === undefined || !Number.isSafeInteger(segment) || !Number.isSafeInteger(totalSegments) || segment < 0 || segment >= totalSegments) {
    throw new FlintError('INVALID_PARAMETER', `segment ${segment} of ${totalSegments} is out of range`, { segment, totalSegments });
  }
}

