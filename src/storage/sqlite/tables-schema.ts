import type { Migration } from './migrations.js';

/**
 * The tables store's own schema (module "tables" in schema_modules).
 *
 * Items are keyed by (table, partition hash, partition key bytes, sort key bytes), so a point read, a Query (one
 * partition, a sort key range) and a Scan (hash order, split into segments by hash range) are all primary key
 * range scans. Index entries point back at items by their table key; a Query on an index joins them to the items.
 */
export const TABLES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tables, items, index entries and stream records',
    up: `
      CREATE TABLE ddb_tables (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        definition TEXT NOT NULL
      );

      -- size is the item's DynamoDB size as the writer computed it (page budgets, table statistics);
      -- expires is the time-to-live attribute in epoch seconds when the table has time to live enabled.
      CREATE TABLE ddb_items (
        table_id INTEGER NOT NULL,
        phash INTEGER NOT NULL,
        pk BLOB NOT NULL,
        sk BLOB NOT NULL,
        body TEXT NOT NULL,
        size INTEGER NOT NULL,
        expires REAL,
        PRIMARY KEY (table_id, phash, pk, sk)
      ) WITHOUT ROWID;
      CREATE INDEX ddb_items_by_expiry ON ddb_items (expires) WHERE expires IS NOT NULL;

      CREATE TABLE ddb_index_entries (
        table_id INTEGER NOT NULL,
        index_id INTEGER NOT NULL,
        ihash INTEGER NOT NULL,
        ipk BLOB NOT NULL,
        isk BLOB NOT NULL,
        pk BLOB NOT NULL,
        sk BLOB NOT NULL,
        phash INTEGER NOT NULL,
        PRIMARY KEY (table_id, index_id, ihash, ipk, isk, pk, sk)
      ) WITHOUT ROWID;

      -- AUTOINCREMENT so sequence numbers are never reused after a trim: readers keep their position.
      CREATE TABLE ddb_stream_records (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        table_id INTEGER NOT NULL,
        label TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        record TEXT NOT NULL
      );
      CREATE INDEX ddb_stream_records_by_stream ON ddb_stream_records (table_id, label, seq);
      CREATE INDEX ddb_stream_records_by_time ON ddb_stream_records (created_at);
    `,
  },
  {
    version: 2,
    name: 'backups and point-in-time recovery history',
    up: `
      -- A backup's definition is the source table's TableInfo as JSON, with its item count and size; its items are
      -- copies of the table's rows, so a backup outlives its table and any later write.
      CREATE TABLE ddb_backups (
        id TEXT PRIMARY KEY,
        table_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        definition TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX ddb_backups_by_time ON ddb_backups (created_at, id);

      CREATE TABLE ddb_backup_items (
        backup_id TEXT NOT NULL,
        phash INTEGER NOT NULL,
        pk BLOB NOT NULL,
        sk BLOB NOT NULL,
        body TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (backup_id, phash, pk, sk)
      ) WITHOUT ROWID;

      -- Point-in-time recovery: every write of a table that has it on (the new item, or NULL for a delete) at the
      -- node's time, starting with a copy of every item when it was enabled. The state at T is the newest row per
      -- key with at <= T; trimming folds rows older than the window into one per key.
      CREATE TABLE ddb_recovery_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        table_id INTEGER NOT NULL,
        at INTEGER NOT NULL,
        phash INTEGER NOT NULL,
        pk BLOB NOT NULL,
        sk BLOB NOT NULL,
        body TEXT,
        size INTEGER NOT NULL
      );
      CREATE INDEX ddb_recovery_log_by_key ON ddb_recovery_log (table_id, phash, pk, sk, seq);
    `,
  },
];

export interface ItemRow {
  body: string;
  size: number;
}

export interface KeyedItemRow extends ItemRow {
  phash: number;
  pk: Buffer;
  sk: Buffer;
}
