import { FlintError } from '../../core/index.js';
import type { DeadLetterTarget, MessageQueue, NewMessage, NewQueue, QueueUpdate } from '../ports-messages.js';
import { assertDuration, assertNonEmpty } from '../validate.js';
import type { QueueRow } from './messages-sql.js';

/** Argument checks and row mapping of the messages store. */

export function checkQueue(queue: NewQueue): void {
  assertNonEmpty('queue name', queue.name);
  checkUpdate(queue);
}

export function checkUpdate(update: QueueUpdate): void {
  assertDuration('retentionMs', update.retentionMs);
  if (update.deadLetter) checkDeadLetter(update.deadLetter);
  if (update.attributes !== undefined) checkStrings('attributes', update.attributes);
  if (update.tags !== undefined) checkStrings('tags', update.tags);
}

export function checkMessage(message: NewMessage): void {
  assertNonEmpty('message id', message.id);
  if (typeof message.body !== 'string') throw new FlintError('INVALID_PARAMETER', 'a message body must be a string');
  assertDuration('delayMs', message.delayMs);
}

function checkDeadLetter(target: DeadLetterTarget): void {
  assertNonEmpty('dead-letter queue', target.queue);
  if (!Number.isSafeInteger(target.maxReceiveCount) || target.maxReceiveCount < 1) {
    throw new FlintError('INVALID_PARAMETER', `maxReceiveCount must be a positive integer, got ${target.maxReceiveCount}`);
  }
}

function checkStrings(name: string, record: Readonly<Record<string, string>>): void {
  for (const value of Object.values(record)) {
    if (typeof value !== 'string') throw new FlintError('INVALID_PARAMETER', `queue ${name} must map names to strings`);
  }
}

/** Named parameters of insertQueue/updateQueue for a queue's stored fields. */
export function queueParams(queue: NewQueue): Record<string, string | number | null> {
  return {
    name: queue.name,
    retention_ms: queue.retentionMs,
    dead_letter_queue: queue.deadLetter?.queue ?? null,
    max_receive_count: queue.deadLetter?.maxReceiveCount ?? null,
    attributes: JSON.stringify(queue.attributes),
    tags: JSON.stringify(queue.tags),
  };
}

export function toQueue(row: QueueRow): MessageQueue {
  const queue: MessageQueue = {
    name: row.name,
    fifo: row.fifo === 1,
    retentionMs: row.retention_ms,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    tags: JSON.parse(row.tags) as Record<string, string>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.dead_letter_queue !== null && row.max_receive_count !== null) {
    queue.deadLetter = { queue: row.dead_letter_queue, maxReceiveCount: row.max_receive_count };
  }
  return queue;
}
