/**
 * The messages store port: durable SQS-style queues. It keeps queues, messages, visibility, receive counts,
 * moves to dead-letter queues and FIFO state (message groups, deduplication, sequence numbers); the SQS API and
 * its wire protocols live in services/sqs and only call these methods.
 *
 * Every time comes from the injected Clock. Queues are named; a queue's `attributes` and `tags` are opaque to the
 * store (the service's configuration, kept verbatim), while `retentionMs` and `deadLetter` are applied by it.
 * Queue-level methods throw FlintError NOT_FOUND (details.queue) when the queue does not exist.
 */

/** How long a FIFO queue remembers a deduplication key: SQS's five-minute deduplication interval. */
export const FIFO_DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

export interface DeadLetterTarget {
  /** Name of the dead-letter queue. */
  queue: string;
  /** A message received this many times is moved there on its next receive. */
  maxReceiveCount: number;
}

export interface NewQueue {
  name: string;
  fifo: boolean;
  /** Messages older than this (from their first send) are dropped. */
  retentionMs: number;
  deadLetter?: DeadLetterTarget;
  attributes: Readonly<Record<string, string>>;
  tags: Readonly<Record<string, string>>;
}

export interface MessageQueue extends NewQueue {
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last updateQueue. */
  updatedAt: number;
}

/** Fields given replace the stored ones; `deadLetter: null` removes the redrive target. */
export interface QueueUpdate {
  retentionMs?: number;
  deadLetter?: DeadLetterTarget | null;
  attributes?: Readonly<Record<string, string>>;
  tags?: Readonly<Record<string, string>>;
}

export interface ListQueuesOptions {
  /** Only names starting with this (literally). */
  prefix?: string;
  /** Only names strictly greater than this (paging). */
  after?: string;
  limit?: number;
}

export interface NewMessage {
  /** The message id (SQS MessageId), chosen by the caller. */
  id: string;
  body: string;
  /** Opaque to the store (the caller's encoding of message attributes); returned as given. */
  attributes?: string;
  /** Invisible until now + delayMs. */
  delayMs?: number;
  /** Required on FIFO queues; optional (and without ordering effect) on standard queues. */
  groupId?: string;
  /** FIFO only: returned to receivers as given. */
  deduplicationId?: string;
  /**
   * FIFO only: within FIFO_DEDUPLICATION_WINDOW_MS of a send with the same key, a send is accepted but not
   * stored. Defaults to deduplicationId; callers with per-group scope fold the group into it.
   */
  deduplicationKey?: string;
}

export interface SentMessage {
  /** The id stored; for a deduplicated send, the id of the message sent first with that key. */
  id: string;
  /** Increases with every stored message of the store: a FIFO sequence number. */
  sequence: number;
  /** True when the send was deduplicated and nothing new was stored. */
  duplicate: boolean;
}

export interface StoredMessage {
  id: string;
  body: string;
  attributes?: string;
  /** Epoch ms of the send (kept across a move to a dead-letter queue). */
  sentAt: number;
  sequence: number;
  groupId?: string;
  deduplicationId?: string;
  /** Receives so far, this one included (kept across a move to a dead-letter queue). */
  receiveCount: number;
  /** Epoch ms of the first receive. */
  firstReceivedAt: number;
  /** Name of the queue the message was moved from, when it sits in a dead-letter queue. */
  deadLetterSource?: string;
}

export interface ReceivedMessage extends StoredMessage {
  /** Opaque handle of this receive; changes on every receive of the message. */
  receipt: string;
}

export interface ReceiveOptions {
  /** At most this many messages (1 or more). */
  max: number;
  /** The received messages stay invisible for this long. */
  visibilityMs: number;
}

/**
 * - ok: done (deleting a message that is already gone is ok);
 * - invalid: not a receipt handle of this queue;
 * - expired: FIFO queues only: the handle's receive is over (its visibility ran out or a later receive
 *   superseded it);
 * - gone (changeVisibility only): the message no longer exists in this queue.
 */
export type ReceiptResult = 'ok' | 'invalid' | 'expired' | 'gone';

export interface VisibilityChange {
  receipt: string;
  /** The message becomes visible again at now + visibilityMs. */
  visibilityMs: number;
}

export interface MessageCounts {
  /** Receivable now (including messages of locked FIFO groups). */
  visible: number;
  /** Received and not yet visible again. */
  inFlight: number;
  /** Sent with a delay that has not passed. */
  delayed: number;
}

export type PurgeResult = { purged: true; count: number } | { purged: false; lastPurgeAt: number };

export interface MessageStore {
  /** Creates the queue if no queue has that name; otherwise returns the existing one untouched. */
  createQueue(queue: NewQueue): Promise<{ queue: MessageQueue; created: boolean }>;
  getQueue(name: string): Promise<MessageQueue | undefined>;
  /** In name order (code point order). */
  listQueues(options?: ListQueuesOptions): Promise<MessageQueue[]>;
  /** Returns the updated queue, or undefined if there is none. */
  updateQueue(name: string, update: QueueUpdate): Promise<MessageQueue | undefined>;
  /** Deletes the queue and its messages; false if there was no such queue. */
  deleteQueue(name: string): Promise<boolean>;

  /** Durably stores the messages (all or none) before resolving; results in input order. */
  send(queue: string, messages: NewMessage[]): Promise<SentMessage[]>;
  /**
   * Claims up to `max` visible messages atomically: concurrent receivers never get the same message. A message
   * whose receive count has reached its queue's maxReceiveCount is moved to the dead-letter queue instead of
   * being returned; messages past retention are dropped. Standard queues return the longest-visible messages
   * first. FIFO queues return messages in send order within a group, skip groups with a message in flight, and
   * fill the answer from as few groups as possible.
   */
  receive(queue: string, options: ReceiveOptions): Promise<ReceivedMessage[]>;
  /** Deletes by receipt handle. On standard queues any handle ever issued for the message deletes it. */
  delete(queue: string, receipts: string[]): Promise<ReceiptResult[]>;
  /** On standard queues a message that is already visible again keeps its state and the change is ok. */
  changeVisibility(queue: string, changes: VisibilityChange[]): Promise<ReceiptResult[]>;
  /** Deletes every message, unless the previous purge was less than `minIntervalMs` ago. */
  purge(queue: string, options?: { minIntervalMs?: number }): Promise<PurgeResult>;
  counts(queue: string): Promise<MessageCounts>;
  /** The earliest time after now when a message of the queue becomes visible, or undefined. */
  nextVisibleAt(queue: string): Promise<number | undefined>;
  /**
   * Calls `listener(queueName)` after a commit that may have made messages receivable: a send, a visibility
   * change, a move into a dead-letter queue, a delete on a FIFO queue. In-process only; returns an unsubscribe.
   */
  onAvailable(listener: (queue: string) => void): () => void;
}
