import type { LogEventQuery, LogEventStream, LogInstance, NewStoredLogEvent, StoredLogEvent } from './ports-logs.js';
import type { MessageStore } from './ports-messages.js';
import type { ObjectStore } from './ports-objects.js';
import type { Outbox, QueueStore } from './ports-queues.js';
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
  /** Work committed with the write, given its new revision (ports-queues.ts Outbox); nothing if the write fails. */
  outbox?: Outbox<number>;
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
  /** Only records with time < until. */
  until?: number;
  /** Only records with id > afterId (following). */
  afterId?: number;
  /** Only records with id < beforeId (paging backwards). */
  beforeId?: number;
  requestId?: string;
  /** Only records of these instances ('' for records without one); an empty list matches none. */
  instanceIds?: readonly string[];
  /** At most this many, the newest ones when `since`/`afterId` are absent, else the oldest ones after the cursor. */
  limit?: number;
  /** Overrides which end `limit` keeps: true for the newest matches, false for the oldest. */
  newest?: boolean;
}

export interface LogStore {
  append(records: NewLogRecord[]): Promise<void>;
  /** Records in ascending id order. */
  query(query: LogQuery): Promise<LogRecord[]>;
  /** Deletes the oldest records, as `pruning` says; returns how many went. */
  prune(pruning: LogPruning): Promise<number>;
  /** The names of the functions that have records, in code point order. */
  functions(): Promise<string[]>;
  /** One summary per instance that wrote records of the function, oldest first. */
  instances(functionName: string): Promise<LogInstance[]>;
  /** Deletes every record of the function (of one of its instances, when given); returns how many went. */
  deleteFunction(functionName: string, instanceId?: string): Promise<number>;

  /** Events clients write to log groups of their own (ports-logs.ts). */
  appendEvents(events: NewStoredLogEvent[]): Promise<void>;
  /** Events in (timestamp, id) order. */
  queryEvents(query: LogEventQuery): Promise<StoredLogEvent[]>;
  /** The streams of a group that have events, by name. */
  eventStreams(group: string): Promise<LogEventStream[]>;
  /** Deletes a group's events (one stream's when given); returns how many went. */
  deleteEvents(group: string, stream?: string): Promise<number>;
  /** Deletes a group's events with timestamps before `before`; returns how many went. */
  pruneEvents(group: string, before: number): Promise<number>;
}

export interface LogPruning {
  /** Records older than this (epoch ms) go. */
  before?: number;
  /** All but about the newest this many go (ids are counted, so a gap left by a failed write counts too). */
  keepNewest?: number;
  /** At most this many go in one call, oldest first, so a large backlog is removed in steps. */
  max?: number;
  /** Only this function's records (its own retention policy). */
  functionName?: string;
  /** Not these functions' records (they have policies of their own). */
  except?: readonly string[];
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
