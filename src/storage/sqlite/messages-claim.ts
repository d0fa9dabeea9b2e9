import type { ReceivedMessage } from '../ports-messages.js';
import type { SqliteConnection } from './connection.js';
import { encodeReceipt } from './messages-receipts.js';
import { SQL, type MessageRow, type QueueRow } from './messages-sql.js';

/**
 * The receive path, run inside one IMMEDIATE transaction: pick visible messages, drop those past retention, move
 * those over maxReceiveCount to the dead-letter queue, claim the rest.
 */

/** Bounds the work one receive does on drops and moves; what is left is handled by the next receive. */
const MAX_ROUNDS = 100;

export interface ClaimScope {
  connection: SqliteConnection;
  now: number;
  queue: QueueRow;
  /** The dead-letter queue, when the queue has a redrive target that exists. */
  deadLetter: QueueRow | undefined;
  visibilityMs: number;
  /** Counts moves to the dead-letter queue, so its receivers can be woken after the commit. */
  moved: number;
}

type Settled = { kind: 'claimed'; message: ReceivedMessage } | { kind: 'dropped' } | { kind: 'moved' };

export function claimStandard(scope: ClaimScope, max: number): ReceivedMessage[] {
  const claimed: ReceivedMessage[] = [];
  const seen = new Set<number>();
  const visible = scope.connection.statement(SQL.visibleMessages);
  for (let round = 0; claimed.length < max && round < MAX_ROUNDS; round++) {
    // With a zero visibility timeout a claimed message is visible again at once: skip what this receive took.
    const rows = visible.all(scope.queue.id, scope.now, max - claimed.length + seen.size) as MessageRow[];
    const fresh = rows.filter((row) => !seen.has(row.seq));
    if (fresh.length === 0) break;
    let progressed = false;
    for (const row of fresh) {
      if (claimed.length >= max) break;
      const settled = settle(scope, row);
      if (settled.kind === 'claimed') {
        claimed.push(settled.message);
        seen.add(row.seq);
      } else {
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  return claimed;
}

export function claimFifo(scope: ClaimScope, max: number): ReceivedMessage[] {
  const claimed: ReceivedMessage[] = [];
  const served = new Set<string>();
  const groupMessages = scope.connection.statement(SQL.groupMessages);
  for (let round = 0; claimed.length < max && round < MAX_ROUNDS; round++) {
    const group = nextReadyGroup(scope, served);
    if (group === undefined) break;
    const rows = groupMessages.all(scope.queue.id, group, max - claimed.length) as MessageRow[];
    for (const row of rows) {
      // Strict order: nothing after a message that is not visible yet.
      if (row.visible_at > scope.now) break;
      const settled = settle(scope, row);
      if (settled.kind !== 'claimed') continue;
      claimed.push(settled.message);
      // A group gives one run of messages per receive, even when a zero visibility timeout leaves it ready.
      served.add(group);
    }
    refreshGroup(scope.connection, scope.queue.id, group);
  }
  return claimed;
}

function nextReadyGroup(scope: ClaimScope, served: Set<string>): string | undefined {
  const rows = scope.connection.statement(SQL.readyGroups).all(scope.queue.id, scope.now, served.size + 1) as { group_id: string }[];
  return rows.find((row) => !served.has(row.group_id))?.group_id;
}

function settle(scope: ClaimScope, row: MessageRow): Settled {
  const { connection, queue, now } = scope;
  if (row.sent_at + queue.retention_ms <= now) {
    connection.statement(SQL.deleteMessage).run(row.seq, queue.id);
    return { kind: 'dropped' };
  }
  const dlq = scope.deadLetter;
  if (dlq && queue.max_receive_count !== null && row.receive_count >= queue.max_receive_count) {
    connection.statement(SQL.moveToQueue).run(dlq.id, now, queue.name, row.seq);
    if (dlq.fifo && row.group_id !== null) refreshGroup(connection, dlq.id, row.group_id);
    scope.moved++;
    return { kind: 'moved' };
  }
  const receiveCount = row.receive_count + 1;
  const firstReceivedAt = row.first_received_at ?? now;
  connection.statement(SQL.claim).run(now + scope.visibilityMs, receiveCount, firstReceivedAt, row.seq);
  return { kind: 'claimed', message: toReceived(row, queue.id, receiveCount, firstReceivedAt) };
}

function toReceived(row: MessageRow, queueId: number, receiveCount: number, firstReceivedAt: number): ReceivedMessage {
  const message: ReceivedMessage = {
    id: row.id,
    body: row.body,
    sentAt: row.sent_at,
    sequence: row.seq,
    receiveCount,
    firstReceivedAt,
    receipt: encodeReceipt({ queueId, seq: row.seq, receiveCount }),
  };
  if (row.attributes !== null) message.attributes = row.attributes;
  if (row.group_id !== null) message.groupId = row.group_id;
  if (row.dedup_id !== null) message.deduplicationId = row.dedup_id;
  if (row.dead_letter_source !== null) message.deadLetterSource = row.dead_letter_source;
  return message;
}

/**
 * Recomputes when a FIFO group can next deliver: the later of its head's visible_at and the visibility expiry of
 * its received messages (a message in flight locks the group). An empty group loses its row.
 */
export function refreshGroup(connection: SqliteConnection, queueId: number, group: string): void {
  const head = connection.statement(SQL.groupHead).get(queueId, group) as { visible_at: number } | undefined;
  if (!head) {
    connection.statement(SQL.deleteGroup).run(queueId, group);
    return;
  }
  const busy = connection.statement(SQL.groupBusyUntil).get(queueId, group) as { until: number | null };
  connection.statement(SQL.setGroupReady).run(queueId, group, Math.max(head.visible_at, busy.until ?? 0));
}
