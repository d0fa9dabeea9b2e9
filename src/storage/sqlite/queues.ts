import { FlintError, requestId, shortId, type Clock } from '../../core/index.js';
import type { EnqueueItem, Lease, Outbox, QueueCounts, QueueStore } from '../ports-queues.js';
import { assertCount, assertDuration, assertNonEmpty } from '../validate.js';
import type { SqliteConnection } from './connection.js';

interface ClaimRow {
  rowid: number;
  id: string;
  body: string;
  payload: Buffer | null;
  enqueued_at: number;
  attempts: number;
}

interface CountsRow {
  available: number | null;
  leased: number | null;
  delayed: number | null;
}

/** See the queue_items comment in migrations.ts: due_at doubles as the lease expiry while leased. */
const SQL = {
  insert: `INSERT INTO queue_items (queue, id, body, payload, enqueued_at, due_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (queue, id) DO NOTHING`,
  due: `SELECT rowid, id, body, payload, enqueued_at, attempts FROM queue_items
        WHERE queue = ? AND due_at <= ? ORDER BY due_at, rowid LIMIT ?`,
  lease: 'UPDATE queue_items SET lease_token = ?, due_at = ?, attempts = attempts + 1 WHERE rowid = ?',
  ack: 'DELETE FROM queue_items WHERE queue = ? AND id = ? AND lease_token = ?',
  release: 'UPDATE queue_items SET lease_token = NULL, due_at = ? WHERE queue = ? AND id = ? AND lease_token = ?',
  extend: 'UPDATE queue_items SET due_at = ? WHERE queue = ? AND id = ? AND lease_token = ?',
  nextDue: 'SELECT MIN(due_at) AS due FROM queue_items WHERE queue = ?',
  counts: `SELECT SUM(due_at <= @now) AS available,
                  SUM(due_at > @now AND lease_token IS NOT NULL) AS leased,
                  SUM(due_at > @now AND lease_token IS NULL) AS delayed
           FROM queue_items WHERE queue = @queue`,
  purge: 'DELETE FROM queue_items WHERE queue = ?',
} as const;

export class SqliteQueueStore implements QueueStore {
  constructor(
    private readonly connection: SqliteConnection,
    private readonly clock: Clock,
  ) {}

  async enqueue(queue: string, items: EnqueueItem[]): Promise<string[]> {
    if (items.length === 0) return [];
    return this.connection.transaction(() => insertItems(this.connection, this.clock.now(), queue, items));
  }

  async claim(queue: string, options: { max: number; leaseMs: number }): Promise<Lease[]> {
    assertCount('max', options.max);
    assertDuration('leaseMs', options.leaseMs);
    if (options.max === 0) return [];
    const now = this.clock.now();
    const leaseUntil = now + options.leaseMs;
    // One token per claim is enough: a token only has to differ from the one of any later claim of the item.
    const token = shortId(12);
    return this.connection.transaction(() => {
      const rows = this.connection.statement(SQL.due).all(queue, now, options.max) as ClaimRow[];
      const lease = this.connection.statement(SQL.lease);
      for (const row of rows) lease.run(token, leaseUntil, row.rowid);
      return rows.map((row) => ({
        item: { id: row.id, queue, body: row.body, ...(row.payload ? { payload: row.payload } : {}), enqueuedAt: row.enqueued_at, attempts: row.attempts + 1 },
        token,
        leaseUntil,
      }));
    });
  }

  async ack(queue: string, id: string, token: string): Promise<boolean> {
    return this.connection.run(() => this.connection.statement(SQL.ack).run(queue, id, token).changes > 0);
  }

  async release(queue: string, id: string, token: string, delayMs = 0): Promise<boolean> {
    assertDuration('delayMs', delayMs);
    const dueAt = this.clock.now() + delayMs;
    return this.connection.run(() => this.connection.statement(SQL.release).run(dueAt, queue, id, token).changes > 0);
  }

  async extend(queue: string, id: string, token: string, leaseMs: number): Promise<boolean> {
    assertDuration('leaseMs', leaseMs);
    const leaseUntil = this.clock.now() + leaseMs;
    return this.connection.run(() => this.connection.statement(SQL.extend).run(leaseUntil, queue, id, token).changes > 0);
  }

  async nextDue(queue: string): Promise<number | undefined> {
    const row = this.connection.run(() => this.connection.statement(SQL.nextDue).get(queue)) as { due: number | null };
    return row.due ?? undefined;
  }

  async counts(queue: string): Promise<QueueCounts> {
    const row = this.connection.run(() => this.connection.statement(SQL.counts).get({ now: this.clock.now(), queue })) as CountsRow;
    return { available: row.available ?? 0, leased: row.leased ?? 0, delayed: row.delayed ?? 0 };
  }

  async purge(queue: string): Promise<number> {
    return this.connection.run(() => this.connection.statement(SQL.purge).run(queue).changes);
  }
}

/**
 * Inside a transaction: stores items in a queue; returns their ids. The objects store calls it too, so a write and
 * the work it makes necessary commit together (ports.ts Outbox).
 */
export function insertItems(connection: SqliteConnection, now: number, queue: string, items: EnqueueItem[]): string[] {
  assertNonEmpty('queue', queue);
  for (const item of items) checkItem(item);
  const insert = connection.statement(SQL.insert);
  return items.map((item) => {
    const id = item.id ?? requestId();
    insert.run(queue, id, item.body, item.payload ?? null, now, now + (item.delayMs ?? 0));
    return id;
  });
}

/** Inside a transaction: the items an outbox names for a write's result, stored in its queue. */
export function insertOutbox<R>(connection: SqliteConnection, now: number, outbox: Outbox<R> | undefined, result: R): void {
  if (!outbox) return;
  const items = outbox.items(result);
  if (items.length > 0) insertItems(connection, now, outbox.queue, items);
}

function checkItem(item: EnqueueItem): void {
  if (item.id !== undefined) assertNonEmpty('item id', item.id);
  if (typeof item.body !== 'string') throw new FlintError('INVALID_PARAMETER', 'item body must be a string');
  assertDuration('delayMs', item.delayMs);
}
