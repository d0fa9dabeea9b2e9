import { FlintError, type Clock } from '../../core/index.js';
import {
  FIFO_DEDUPLICATION_WINDOW_MS,
  type ListQueuesOptions,
  type MessageCounts,
  type MessageQueue,
  type MessageStore,
  type NewMessage,
  type NewQueue,
  type PurgeResult,
  type QueueUpdate,
  type ReceiptResult,
  type ReceivedMessage,
  type ReceiveOptions,
  type SentMessage,
  type VisibilityChange,
} from '../ports-messages.js';
import { assertCount, assertDuration, assertNonEmpty } from '../validate.js';
import type { SqliteConnection } from './connection.js';
import { claimFifo, claimStandard, refreshGroup, type ClaimScope } from './messages-claim.js';
import { checkMessage, checkQueue, checkUpdate, queueParams, toQueue } from './messages-rows.js';
import { decodeReceipt } from './messages-receipts.js';
import { MESSAGES_MIGRATIONS } from './messages-schema.js';
import { SQL, type HandleRow, type QueueRow } from './messages-sql.js';
import { migrateModule } from './migrations.js';

interface CountsRow {
  visible: number | null;
  in_flight: number | null;
  delayed: number | null;
}

/**
 * SQLite adapter of the messages store. Every write is one IMMEDIATE transaction, so claims are exact across
 * connections and processes; listeners hear about new work only after the commit. `dir` is unused: messages live
 * in the database.
 */
export class SqliteMessageStore implements MessageStore {
  private readonly listeners = new Set<(queue: string) => void>();

  constructor(
    private readonly connection: SqliteConnection,
    private readonly clock: Clock,
    readonly dir: string,
  ) {
    connection.run((db) => migrateModule(db, 'messages', MESSAGES_MIGRATIONS));
  }

  async createQueue(queue: NewQueue): Promise<{ queue: MessageQueue; created: boolean }> {
    checkQueue(queue);
    const now = this.clock.now();
    return this.connection.transaction(() => {
      const existing = this.findQueue(queue.name);
      if (existing) return { queue: toQueue(existing), created: false };
      this.connection.statement(SQL.insertQueue).run({ ...queueParams(queue), fifo: queue.fifo ? 1 : 0, now });
      return { queue: toQueue(this.requireQueue(queue.name)), created: true };
    });
  }

  async getQueue(name: string): Promise<MessageQueue | undefined> {
    const row = this.connection.run(() => this.findQueue(name));
    return row && toQueue(row);
  }

  async listQueues(options: ListQueuesOptions = {}): Promise<MessageQueue[]> {
    assertCount('limit', options.limit);
    const prefix = options.prefix ?? '';
    const params = { prefix, from: prefix, after: options.after ?? '', limit: options.limit ?? -1 };
    const rows = this.connection.run(() => this.connection.statement(SQL.listQueues).all(params)) as QueueRow[];
    return rows.map(toQueue);
  }

  async updateQueue(name: string, update: QueueUpdate): Promise<MessageQueue | undefined> {
    checkUpdate(update);
    const now = this.clock.now();
    return this.connection.transaction(() => {
      const row = this.findQueue(name);
      if (!row) return undefined;
      const current = toQueue(row);
      const deadLetter = update.deadLetter === null ? undefined : (update.deadLetter ?? current.deadLetter);
      const merged: NewQueue = {
        name,
        fifo: current.fifo,
        retentionMs: update.retentionMs ?? current.retentionMs,
        attributes: update.attributes ?? current.attributes,
        tags: update.tags ?? current.tags,
        ...(deadLetter ? { deadLetter } : {}),
      };
      this.connection.statement(SQL.updateQueue).run({ ...queueParams(merged), id: row.id, now });
      return toQueue(this.requireQueue(name));
    });
  }

  async deleteQueue(name: string): Promise<boolean> {
    return this.connection.transaction(() => {
      const row = this.findQueue(name);
      if (!row) return false;
      for (const sql of [SQL.deleteQueueMessages, SQL.deleteQueueGroups, SQL.deleteQueueDedup, SQL.deleteQueue]) {
        this.connection.statement(sql).run(row.id);
      }
      return true;
    });
  }

  async send(queue: string, messages: NewMessage[]): Promise<SentMessage[]> {
    for (const message of messages) checkMessage(message);
    if (messages.length === 0) return [];
    const now = this.clock.now();
    const sent = this.connection.transaction(() => {
      const row = this.requireQueue(queue);
      if (row.fifo) this.connection.statement(SQL.dedupPrune).run(row.id, now);
      return messages.map((message) => this.insert(row, message, now));
    });
    this.notify(queue);
    return sent;
  }

  async receive(queue: string, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    assertCount('max', options.max);
    assertDuration('visibilityMs', options.visibilityMs);
    if (options.max === 0) return [];
    const now = this.clock.now();
    const { received, scope } = this.connection.transaction(() => {
      const row = this.requireQueue(queue);
      const deadLetter = row.dead_letter_queue === null ? undefined : this.findQueue(row.dead_letter_queue);
      const scope: ClaimScope = { connection: this.connection, now, queue: row, deadLetter, visibilityMs: options.visibilityMs, moved: 0 };
      const received = row.fifo ? claimFifo(scope, options.max) : claimStandard(scope, options.max);
      return { received, scope };
    });
    if (scope.moved > 0 && scope.deadLetter) this.notify(scope.deadLetter.name);
    return received;
  }

  async delete(queue: string, receipts: string[]): Promise<ReceiptResult[]> {
    const now = this.clock.now();
    let fifoDeleted = false;
    const results = this.connection.transaction(() => {
      const row = this.requireQueue(queue);
      return receipts.map((handle): ReceiptResult => {
        const receipt = decodeReceipt(handle);
        if (!receipt || receipt.queueId !== row.id) return 'invalid';
        if (!row.fifo) {
          this.connection.statement(SQL.deleteMessage).run(receipt.seq, row.id);
          return 'ok';
        }
        const held = this.connection.statement(SQL.handleRow).get(receipt.seq, row.id) as HandleRow | undefined;
        if (!held) return 'ok';
        if (held.receive_count !== receipt.receiveCount || held.visible_at <= now) return 'expired';
        this.connection.statement(SQL.deleteMessage).run(receipt.seq, row.id);
        if (held.group_id !== null) refreshGroup(this.connection, row.id, held.group_id);
        fifoDeleted = true;
        return 'ok';
      });
    });
    // Deleting the message in flight of a FIFO group unlocks the group.
    if (fifoDeleted) this.notify(queue);
    return results;
  }

  async changeVisibility(queue: string, changes: VisibilityChange[]): Promise<ReceiptResult[]> {
    for (const change of changes) assertDuration('visibilityMs', change.visibilityMs);
    const now = this.clock.now();
    const results = this.connection.transaction(() => {
      const row = this.requireQueue(queue);
      return changes.map((change) => this.changeOne(row, change, now));
    });
    this.notify(queue);
    return results;
  }

  async purge(queue: string, options: { minIntervalMs?: number } = {}): Promise<PurgeResult> {
    assertDuration('minIntervalMs', options.minIntervalMs);
    const now = this.clock.now();
    return this.connection.transaction((): PurgeResult => {
      const row = this.requireQueue(queue);
      const interval = options.minIntervalMs ?? 0;
      if (row.purged_at !== null && now - row.purged_at < interval) return { purged: false, lastPurgeAt: row.purged_at };
      const count = this.connection.statement(SQL.deleteQueueMessages).run(row.id).changes;
      this.connection.statement(SQL.deleteQueueGroups).run(row.id);
      this.connection.statement(SQL.markPurged).run(now, row.id);
      return { purged: true, count };
    });
  }

  async counts(queue: string): Promise<MessageCounts> {
    const row = this.connection.run(() => {
      const row = this.requireQueue(queue);
      const now = this.clock.now();
      // Messages past retention are dropped lazily, by receives; they no longer count.
      return this.connection.statement(SQL.counts).get({ now, queue: row.id, cutoff: now - row.retention_ms });
    }) as CountsRow;
    return { visible: row.visible ?? 0, inFlight: row.in_flight ?? 0, delayed: row.delayed ?? 0 };
  }

  async nextVisibleAt(queue: string): Promise<number | undefined> {
    const row = this.connection.run(() => {
      const id = this.requireQueue(queue).id;
      return this.connection.statement(SQL.nextVisible).get(id, this.clock.now());
    }) as { at: number | null };
    return row.at ?? undefined;
  }

  onAvailable(listener: (queue: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private insert(row: QueueRow, message: NewMessage, now: number): SentMessage {
    if (row.fifo && message.groupId === undefined) {
      throw new FlintError('INVALID_PARAMETER', `messages sent to the FIFO queue ${row.name} need a group id`, { queue: row.name });
    }
    const key = row.fifo ? (message.deduplicationKey ?? message.deduplicationId) : undefined;
    if (key !== undefined) {
      const seen = this.connection.statement(SQL.dedupLookup).get(row.id, key) as { message_id: string; seq: number; expires_at: number } | undefined;
      if (seen && seen.expires_at > now) return { id: seen.message_id, sequence: seen.seq, duplicate: true };
    }
    const visibleAt = now + (message.delayMs ?? 0);
    const group = message.groupId ?? null;
    const insert = this.connection.statement(SQL.insertMessage);
    const seq = Number(insert.run(row.id, message.id, message.body, message.attributes ?? null, now, visibleAt, group, message.deduplicationId ?? null).lastInsertRowid);
    if (key !== undefined) this.connection.statement(SQL.dedupUpsert).run(row.id, key, message.id, seq, now + FIFO_DEDUPLICATION_WINDOW_MS);
    if (row.fifo && group !== null) this.connection.statement(SQL.addGroup).run(row.id, group, visibleAt);
    return { id: message.id, sequence: seq, duplicate: false };
  }

  private changeOne(row: QueueRow, change: VisibilityChange, now: number): ReceiptResult {
    const receipt = decodeReceipt(change.receipt);
    if (!receipt || receipt.queueId !== row.id) return 'invalid';
    const held = this.connection.statement(SQL.handleRow).get(receipt.seq, row.id) as HandleRow | undefined;
    if (!held) return 'gone';
    const inFlight = held.receive_count > 0 && held.visible_at > now;
    if (row.fifo && (held.receive_count !== receipt.receiveCount || !inFlight)) return 'expired';
    // SQS leaves a standard message that is visible again as it is and reports success.
    if (!inFlight) return 'ok';
    this.connection.statement(SQL.setVisibleAt).run(now + change.visibilityMs, receipt.seq);
    if (row.fifo && held.group_id !== null) refreshGroup(this.connection, row.id, held.group_id);
    return 'ok';
  }

  private findQueue(name: string): QueueRow | undefined {
    assertNonEmpty('queue', name);
    return this.connection.statement(SQL.queueByName).get(name) as QueueRow | undefined;
  }

  private requireQueue(name: string): QueueRow {
    const row = this.findQueue(name);
    if (!row) throw new FlintError('NOT_FOUND', `no queue named ${name}`, { queue: name });
    return row;
  }

  private notify(queue: string): void {
    for (const listener of this.listeners) {
      try {
        listener(queue);
      } catch {
        // A listener's failure is its own; the write it hears about has committed.
      }
    }
  }
}
