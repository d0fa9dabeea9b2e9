import type { Clock } from '../../core/index.js';
import { prefixUpperBound } from '../keys.js';
import type { Doc, ListOptions, MetadataStore, PutOptions } from '../ports.js';
import { assertCount, assertNonEmpty, assertRevision, toJson } from '../validate.js';
import type { SqliteConnection } from './connection.js';
import { insertOutbox } from './queues.js';

interface DocRow {
  key: string;
  value: string;
  revision: number;
  updated_at: number;
}

const COLUMNS = 'key, value, revision, updated_at';

const SQL = {
  get: `SELECT ${COLUMNS} FROM documents WHERE collection = ? AND key = ?`,
  revision: 'SELECT revision FROM documents WHERE collection = ? AND key = ?',
  upsert: `INSERT INTO documents (collection, key, value, revision, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (collection, key) DO UPDATE
           SET value = excluded.value, revision = excluded.revision, updated_at = excluded.updated_at`,
  delete: 'DELETE FROM documents WHERE collection = ? AND key = ?',
  nextSequence: `INSERT INTO sequences (name, value) VALUES (?, 1)
                 ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
} as const;

export class SqliteMetadataStore implements MetadataStore {
  constructor(
    private readonly connection: SqliteConnection,
    private readonly clock: Clock,
  ) {}

  async get<T>(collection: string, key: string): Promise<Doc<T> | undefined> {
    const row = this.connection.run(() => this.connection.statement(SQL.get).get(collection, key)) as DocRow | undefined;
    return row && toDoc<T>(row);
  }

  async list<T>(collection: string, options: ListOptions = {}): Promise<Doc<T>[]> {
    assertCount('limit', options.limit);
    const { sql, params } = listQuery(collection, options);
    const rows = this.connection.run(() => this.connection.statement(sql).all(...params)) as DocRow[];
    return rows.map((row) => toDoc<T>(row));
  }

  async put<T>(collection: string, key: string, value: T, options: PutOptions = {}): Promise<number> {
    assertNonEmpty('collection', collection);
    assertCount('ifRevision', options.ifRevision);
    const json = toJson(collection, key, value);
    return this.connection.transaction(() => {
      const revision = this.currentRevision(collection, key);
      assertRevision(collection, key, options.ifRevision, revision);
      this.connection.statement(SQL.upsert).run(collection, key, json, revision + 1, this.clock.now());
      insertOutbox(this.connection, this.clock.now(), options.outbox, revision + 1);
      return revision + 1;
    });
  }

  async delete(collection: string, key: string, options: PutOptions = {}): Promise<boolean> {
    assertCount('ifRevision', options.ifRevision);
    return this.connection.transaction(() => {
      assertRevision(collection, key, options.ifRevision, this.currentRevision(collection, key));
      return this.connection.statement(SQL.delete).run(collection, key).changes > 0;
    });
  }

  async nextSequence(name: string): Promise<number> {
    assertNonEmpty('sequence name', name);
    return this.connection.run(() => this.connection.statement(SQL.nextSequence).get(name) as { value: number }).value;
  }

  private currentRevision(collection: string, key: string): number {
    const row = this.connection.statement(SQL.revision).get(collection, key) as { revision: number } | undefined;
    return row?.revision ?? 0;
  }
}

/** Builds one of a handful of query shapes; each is prepared once and cached by its text. */
function listQuery(collection: string, options: ListOptions): { sql: string; params: unknown[] } {
  const where = ['collection = ?'];
  const params: unknown[] = [collection];
  if (options.prefix) {
    where.push('key >= ?');
    params.push(options.prefix);
    const bound = prefixUpperBound(options.prefix);
    if (bound !== undefined) {
      where.push('key < ?');
      params.push(bound);
    }
  }
  if (options.after !== undefined) {
    where.push('key > ?');
    params.push(options.after);
  }
  params.push(options.limit ?? -1);
  return { sql: `SELECT ${COLUMNS} FROM documents WHERE ${where.join(' AND ')} ORDER BY key LIMIT ?`, params };
}

function toDoc<T>(row: DocRow): Doc<T> {
  return { key: row.key, value: JSON.parse(row.value) as T, revision: row.revision, updatedAt: row.updated_at };
}
