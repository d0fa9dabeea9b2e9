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
