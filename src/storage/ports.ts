import type { MessageStore } from './ports-messages.js';
import type { ObjectStore } from './ports-objects.js';
import type { TableStore } from './ports-tables.js';

/**
 * The storage ports. Every adapter (sqlite/ by default, postgres/ for clusters) implements these and passes
 * the shared conformance suite in test/storage/conformance.ts. Ports are async because the cluster adapter is.
 * Adapters never read the wall clock themselves: time comes from the injected Clock, so tests own it.
 */

/** A versioned JSON document in a named collection. */
export interface Doc<T = unknown> {
  key: string;
  value: T;
  /** Starts at 1 and increases by one on every write; used for compare-and-set. */
  revision: number;
  /** Clock time (epoch ms) of the last write. */
  updatedAt: number;
}

export interface PutOptions {
  /** Write only if the current revision equals this; 0 means "only if absent". Else PRECONDITION_FAILED. */
  ifRevision?: number;
}

export interface ListOptions {
  /** Only keys starting with this prefix. */
  prefix?: string;
  /** Only keys strictly greater than this (for paging). */
  after?: string;
  limit?: number;
}

/**
 * Function configurations, versions, aliases, apps and other small records. Lists are sorted by key in code
 * point order (byte order of UTF-8); a prefix is matched literally (no wildcards).
 */
export interface MetadataStore {
  get<T>(collection: string, key: string): Promise<Doc<T> | undefined>;
  list<T>(collection: string, options?: ListOptions): Promise<Doc<T>[]>;
  /** Creates or replaces a document; returns its new revision (1 again after a delete). */
  put<T>(collection: string, key: string, value: T, options?: PutOptions): Promise<number>;
  /** Returns false if there was nothing to delete. Honors ifRevision like put. */
  delete(collection: string, key: string, options?: PutOptions): Promise<boolean>;
  /** Atomically increments a named counter and returns the new value; the first call returns 1. */
  nextSequence(name: string): Promise<number>;
}

/** Immutable content-addressed bytes (code packages). The address is the lowercase hex SHA-256. */
export interface BlobStore {
  /** Storing bytes that are already there is a no-op returning the same address. */
  put(data: Uint8Array): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array | undefined>;
  has(sha256: string): Promise<boolean>;
  delete(sha256: string): Promise<void>;
}

export interface LogRecord {
  /** Increasing id, assigned by the store; use it to follow a stream. */
  id: number;
  /** Epoch ms. */
  time: number;
  functionName: string;
  version: string;
  requestId?: string;
  instanceId?: string;
  message: string;
}

export type NewLogRecord = Omit<LogRecord, 'id'>;

export interface LogQuery {
  functionName: string;
  /** Only records with time >= since. */
  since?: number;
  /** Only records with id > afterId (following). */
  afterId?: number;
  requestId?: string;
  /** At most this many, the newest ones when `since`/`afterId` are absent, else the oldest ones after the cursor. */
  limit?: number;
}

export interface LogStore {
  append(records: NewLogRecord[]): Promise<void>;
  /** Records in ascending id order. */
  query(query: LogQuery): Promise<LogRecord[]>;
  /** Deletes the oldest records, as `pruning` says; returns how many went. */
  prune(pruning: LogPruning): Promise<number>;
}

export interface LogPruning {
  /** Records older than this (epoch ms) go. */
  before?: number;
  /** All but about the newest this many go (ids are counted, so a gap left by a failed write counts too). */
  keepNewest?: number;
  /** At most this many go in one call, oldest first, so a large backlog is removed in steps. */
  max?: number;
}

export interface QueueItem {
  id: string;
  queue: string;
  body: string;
  /** Bytes stored beside the body as they are (an invocation's event), so they need no encoding into it. */
  payload?: Buffer;
  /** Epoch ms when it was first accepted. */
  enqueuedAt: number;
  /** How many times it has been claimed, this claim included. */
  attempts: number;
}

export interface Lease {
  item: QueueItem;
  /** Proof of the claim; ack/release/extend need it so a stale worker cannot touch a reclaimed item. */
  token: string;
  leaseUntil: number;
}

export interface EnqueueItem {
  /** Caller-chosen id, kept stable across retries so handlers can be idempotent; generated if absent. */
  id?: string;
  body: string;
  payload?: Uint8Array;
  delayMs?: number;
}

/**
 * Work a write makes necessary, committed in the write's own transaction (an outbox): the items land in the named
 * durable queue exactly when the write does, so a crash cannot keep one and lose the other. `items` is called
 * inside the transaction with the write's result (its sequence number, ETag...); it must not do I/O.
 */
export interface Outbox<R> {
  queue: string;
  items(result: R): EnqueueItem[];
}

export interface QueueCounts {
  available: number;
  leased: number;
  delayed: number;
}

/**
 * Durable work queues for async delivery (at least once). An item is invisible while leased; a lease that
 * expires makes it claimable again, so a dead worker's work is redelivered.
 */
export interface QueueStore {
  /**
   * Durably stores items before resolving; returns their ids, in order. An id that is still in the queue is
   * not stored again (its body is left as it was) and is returned as is, so a retried accept is idempotent.
   */
  enqueue(queue: string, items: EnqueueItem[]): Promise<string[]>;
  /**
   * Claims up to `max` items that are due and not leased (or whose lease expired), oldest first: in the order
   * they became due (enqueue time plus delay, release time plus delay, lease expiry), ties in enqueue order.
   */
  claim(queue: string, options: { max: number; leaseMs: number }): Promise<Lease[]>;
  /**
   * Deletes a claimed item. False if the token no longer holds the lease. A token holds until the item is
   * acked, released or claimed again: a late ack after expiry still succeeds if nobody reclaimed the item.
   */
  ack(queue: string, id: string, token: string): Promise<boolean>;
  /** Ends a lease early; the item becomes due again after `delayMs`. */
  release(queue: string, id: string, token: string, delayMs?: number): Promise<boolean>;
  /** Pushes a held lease's expiry to now + leaseMs. */
  extend(queue: string, id: string, token: string, leaseMs: number): Promise<boolean>;
  /**
   * Epoch ms when the next item becomes claimable (at or before now if one is claimable already; a leased
   * item counts at its lease expiry), or undefined if the queue is empty.
   */
  nextDue(queue: string): Promise<number | undefined>;
  /** available: due and not leased (expired leases included); leased: lease not expired; delayed: not yet due. */
  counts(queue: string): Promise<QueueCounts>;
  /** Deletes every item, leased ones included; returns how many went. */
  purge(queue: string): Promise<number>;
}

export interface Storage {
  readonly metadata: MetadataStore;
  readonly blobs: BlobStore;
  readonly logs: LogStore;
  readonly queues: QueueStore;
  /** DynamoDB-compatible tables (ports-tables.ts). */
  readonly tables: TableStore;
  /** S3-compatible buckets and objects (ports-objects.ts). */
  readonly objects: ObjectStore;
  /** SQS-compatible message queues (ports-messages.ts). */
  readonly messages: MessageStore;
  /** A short description for startup logs, e.g. "sqlite /data/flint.db". */
  readonly description: string;
  /** Closing twice is harmless; any use of a store afterwards fails with STORAGE_FAILED. */
  close(): Promise<void>;
}
