import type Database from 'better-sqlite3';
import { FlintError } from '../../core/index.js';

/**
 * Schema changes, applied in order and exactly once per database. The applied version lives in SQLite's
 * `PRAGMA user_version`. To change the schema, append a migration with the next version; never edit one that
 * has shipped.
 */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'metadata, logs and queues',
    up: `
      CREATE TABLE documents (
        collection TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        revision INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (collection, key)
      ) WITHOUT ROWID;

      CREATE TABLE sequences (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- AUTOINCREMENT so ids are never reused after a prune: followers keep their afterId cursor.
      CREATE TABLE logs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time INTEGER NOT NULL,
        function_name TEXT NOT NULL,
        version TEXT NOT NULL,
        request_id TEXT,
        instance_id TEXT,
        message TEXT NOT NULL
      );
      CREATE INDEX logs_by_function ON logs (function_name, id);
      CREATE INDEX logs_by_time ON logs (time);
      CREATE INDEX logs_by_request ON logs (request_id) WHERE request_id IS NOT NULL;

      -- due_at is when the item can next be claimed: its enqueue or release time plus delay while free, its
      -- lease expiry while leased. One (queue, due_at) index thus serves claim, nextDue and counts.
      -- The implicit rowid keeps enqueue order for ties.
      CREATE TABLE queue_items (
        queue TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        enqueued_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_token TEXT,
        PRIMARY KEY (queue, id)
      );
      CREATE INDEX queue_items_by_due ON queue_items (queue, due_at);
    `,
  },
  {
    version: 2,
    name: 'per-module schema versions',
    up: `
      -- Stores added by later subsystems (tables, objects, messages) version their own schema here, so
      -- they can evolve independently of the core schema above.
      CREATE TABLE schema_modules (
        module TEXT PRIMARY KEY,
        version INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'logs without time and request-id indexes',
    up: `
      -- Every log record wrote a page of each index, and request ids are random, so logs_by_request touched a
      -- different page per record: under load the log batches were a sixth of the node's CPU. Times rise with
      -- ids, so time bounds are found by bisecting ids instead (see SqliteLogStore.firstIdFrom).
      DROP INDEX IF EXISTS logs_by_time;
      DROP INDEX IF EXISTS logs_by_request;
    `,
  },
  {
    version: 4,
    name: 'queue item payloads',
    up: `
      -- An invocation's event travels as bytes beside its JSON envelope, instead of base64 inside it.
      ALTER TABLE queue_items ADD COLUMN payload BLOB;
    `,
  },
];

/**
 * Brings one module's own tables up to date (see schema_modules). Same rules as the core list: versions
 * start at 1, each runs once in its own IMMEDIATE transaction, shipped migrations are never edited.
 */
export function migrateModule(db: Database.Database, module: string, migrations: readonly Migration[]): number {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const read = (): number => (db.prepare('SELECT version FROM schema_modules WHERE module = ?').get(module) as { version: number } | undefined)?.version ?? 0;
  const latest = latestVersion(ordered);
  if (read() > latest) {
    throw new FlintError('STORAGE_FAILED', `the ${module} store is at schema version ${read()}, newer than this Flint (${latest})`, { module });
  }
  for (const migration of ordered) {
    db.transaction(() => {
      if (read() >= migration.version) return;
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.prepare('INSERT INTO schema_modules (module, version) VALUES (?, ?) ON CONFLICT (module) DO UPDATE SET version = excluded.version').run(module, migration.version);
    }).immediate();
  }
  return read();
}

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
}

/**
 * Brings the database up to the latest version; returns the version it is at afterwards. Each migration runs
 * in its own IMMEDIATE transaction and re-reads the version inside it, so two processes opening the same
 * database at once apply every migration once.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const latest = latestVersion(ordered);
  const current = versionOf(db);
  if (current > latest) {
    throw new FlintError('STORAGE_FAILED', `the database is at schema version ${current}, newer than this Flint (${latest})`, {
      version: current,
      supported: latest,
    });
  }
  for (const migration of ordered) {
    if (!Number.isSafeInteger(migration.version) || migration.version < 1) {
      throw new FlintError('INTERNAL', `migration "${migration.name}" has an invalid version ${migration.version}`);
    }
    db.transaction(() => {
      if (versionOf(db) >= migration.version) return;
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return versionOf(db);
}

export function versionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
