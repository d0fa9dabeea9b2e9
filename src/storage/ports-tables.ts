/**
 * The tables store: DynamoDB-compatible tables as a data layer. It keeps table definitions, items by primary key,
 * ordered key ranges, secondary index entries, atomic multi-item writes and change streams. Everything a
 * DynamoDB *API* adds on top (expressions, validation, number arithmetic, item sizes, error texts) lives in
 * services/dynamodb; the store trusts its caller to hand it valid, normalised values.
 *
 * Key order is DynamoDB's: numbers by value, strings by their UTF-8 bytes, binary by bytes. Items that share a
 * partition key are kept in sort key order; partitions themselves come in the order of a hash of their key (as
 * DynamoDB's Scan does), which also splits a table into parallel scan segments.
 */

/** A DynamoDB attribute value as it travels on the wire: numbers as decimal strings, binary as base64. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Item }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

/** An item (or a key, or a map value): attribute name → value. */
export type Item = Record<string, AttributeValue>;

/** The types a key attribute may have. */
export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

/**
 * A primary key: partition (hash) attribute and optional sort (range) attribute. A global index's key may combine
 * up to four attributes of each kind: `hash` then `moreHash` form its partition key (all must be present), `range`
 * then `moreRange` its sort key, ordered by each attribute in turn. Tables and local indexes have neither.
 */
export interface KeySchema {
  hash: KeyAttribute;
  range?: KeyAttribute;
  moreHash?: KeyAttribute[];
  moreRange?: KeyAttribute[];
}

/** Every attribute of a key schema in order: partition attributes, then sort attributes. */
export function keyAttributes(key: KeySchema): KeyAttribute[] {
  const out = [key.hash];
  if (key.moreHash) out.push(...key.moreHash);
  if (key.range) out.push(key.range);
  if (key.moreRange) out.push(...key.moreRange);
  return out;
}

export interface IndexDefinition {
  name: string;
  /** Global indexes have their own partition key; local ones share the table's. */
  global: boolean;
  key: KeySchema;
}

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface TableStream {
  /** Unique per table: the creation time as DynamoDB formats a stream label (2026-01-01T00:00:00.000). */
  label: string;
  viewType: StreamViewType;
  /** A disabled stream stays readable until its records are trimmed. */
  enabled: boolean;
  /** Epoch ms. */
  createdAt: number;
}

export interface NewTable {
  name: string;
  key: KeySchema;
  indexes: IndexDefinition[];
  /** Enables a change stream from the start. */
  stream?: { viewType: StreamViewType };
  /** The API layer's own description of the table (billing, throughput, projections...), kept verbatim as JSON. */
  settings: Record<string, unknown>;
}

/** What the store knows about a table. Treat it as read-only: adapters may share it between callers. */
export interface TableInfo {
  name: string;
  key: KeySchema;
  indexes: IndexDefinition[];
  settings: Record<string, unknown>;
  /** Epoch ms. */
  createdAt: number;
  /** The newest stream, enabled or not; absent if streams were never enabled. */
  stream?: TableStream;
  /** The Number attribute holding each item's expiry in epoch seconds, when time to live is enabled. */
  ttlAttribute?: string;
  /** Point-in-time recovery: the store keeps every change since `since` (epoch ms) until trimmed. */
  recovery?: { since: number };
}

export interface TableChanges {
  /** New secondary indexes, filled from the existing items before the change commits. */
  addIndexes?: IndexDefinition[];
  removeIndexes?: string[];
  /** Enables a new stream (with a new label) or, with null, disables the current one. */
  stream?: { viewType: StreamViewType } | null;
  /** Enables time to live on this attribute or, with null, disables it. */
  ttlAttribute?: string | null;
  /** Replaces the stored settings. */
  settings?: Record<string, unknown>;
  /**
   * true starts keeping a change history (with a snapshot of the items as they are now) unless one is kept
   * already; false stops and drops it.
   */
  recovery?: boolean;
}

export interface TableStats {
  itemCount: number;
  /** Sum of the item sizes given when the items were written. */
  sizeBytes: number;
  indexes: Record<string, { itemCount: number; sizeBytes: number }>;
}

export interface ItemRef {
  table: string;
  /** The key attributes (and only those) of the item. */
  key: Item;
  /**
   * For write(): the plan does not look at this item as it is (an unconditional put or delete), so the store may
   * skip reading it and hand the plan undefined.
   */
  blind?: boolean;
}

/**
 * What to do with one item of a write: replace it, delete it, or leave it (undefined). `size` is the item's
 * DynamoDB size as the caller computed it; the store keeps it for page budgets and table statistics.
 */
export type ItemChange = { put: Item; size: number } | { delete: true } | undefined;

export interface WritePlan<T> {
  /** One entry per target, in the same order. */
  changes: ItemChange[];
  result: T;
}

export type RangeCondition =
  | { op: 'eq' | 'lt' | 'le' | 'gt' | 'ge'; value: AttributeValue }
  | { op: 'between'; low: AttributeValue; high: AttributeValue }
  | { op: 'begins_with'; prefix: AttributeValue };

export interface RangeQuery {
  table: string;
  /** Reads a secondary index instead of the table; items come back whole, the caller projects them. */
  index?: string;
  /** The partition key value (of the index when one is named). */
  hash: AttributeValue;
  /** An index with a multi-attribute partition key: the values of its `moreHash` attributes, in order. */
  moreHash?: AttributeValue[];
  /**
   * An index with a multi-attribute sort key: values the leading sort attributes equal, in order; `range` then
   * applies to the sort attribute after them.
   */
  sortPrefix?: AttributeValue[];
  range?: RangeCondition;
  descending?: boolean;
  /** Continue after this position: the table key attributes, plus the index key attributes when reading an index. */
  startAfter?: Item;
  /** At most this many items. */
  limit: number;
  /** Stop after the item that brings the summed item sizes to this many bytes or more (DynamoDB's 1 MB page). */
  maxBytes?: number;
}

export interface ScanRequest {
  table: string;
  index?: string;
  /** Parallel scan: this segment of totalSegments; every item belongs to exactly one segment. */
  segment?: number;
  totalSegments?: number;
  startAfter?: Item;
  limit: number;
  maxBytes?: number;
}

export interface ItemPage {
  items: Item[];
  /** The limit or the byte budget ended the page: there may be more items after the last one. */
  truncated: boolean;
}

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

export interface StreamRecord {
  /** Increases with every record the store appends (across tables). */
  sequence: number;
  eventId: string;
  eventName: StreamEventName;
  /** Label of the stream the record belongs to. */
  streamLabel: string;
  /** Epoch ms. */
  createdAt: number;
  keys: Item;
  newImage?: Item;
  oldImage?: Item;
  /** The item was deleted by the time-to-live sweep, not by a caller. */
  expired?: boolean;
}

export interface StreamRead {
  /** Only records of this stream (default: the newest one). */
  label?: string;
  /** Only records with a greater sequence. */
  after?: number;
  limit: number;
}

/** A backup to take of a table: its id (unique, chosen by the caller) and name. */
export interface NewBackup {
  id: string;
  table: string;
  name: string;
}

/** A stored backup: a consistent copy of a table's items and its definition at `createdAt`, kept until deleted. */
export interface BackupInfo {
  id: string;
  name: string;
  /** The table as it was (its name is the source table's). */
  table: TableInfo;
  /** Epoch ms. */
  createdAt: number;
  itemCount: number;
  sizeBytes: number;
}

export interface BackupListing {
  /** Only backups of this table. */
  table?: string;
  /** Created at or after this time (epoch ms). */
  from?: number;
  /** Created before this time (epoch ms). */
  to?: number;
  /** Continue after this position in listing order (creation time, then id); the backup need not exist any more. */
  after?: { id: string; createdAt: number };
  limit?: number;
}

/** Where a restored table's items come from: a backup, or a table's change history as it stood at `at`. */
export type RestoreSource = { backup: string } | { table: string; at: number };

/**
 * Errors: a table that does not exist gives FlintError NOT_FOUND (details.table), creating an existing table
 * RESOURCE_CONFLICT. Ports are async because the cluster adapter is; every write is atomic.
 */
export interface TableStore {
  createTable(table: NewTable): Promise<TableInfo>;
  getTable(name: string): Promise<TableInfo | undefined>;
  /** Table names in code point order, after `after`. */
  listTables(options?: { after?: string; limit?: number }): Promise<string[]>;
  updateTable(name: string, changes: TableChanges): Promise<TableInfo>;
  /** Deletes the table, its items, index entries and stream records; returns what it was. */
  deleteTable(name: string): Promise<TableInfo | undefined>;
  tableStats(name: string): Promise<TableStats>;

  getItem(table: string, key: Item): Promise<Item | undefined>;
  /** Several items read in one consistent snapshot. */
  getItems(refs: ItemRef[]): Promise<(Item | undefined)[]>;
  /**
   * An atomic read-check-write: reads the targets, calls `plan` with their current items (synchronously, with the
   * write lock held), applies its changes together with index entries and stream records, and resolves to its
   * result. When `plan` throws, nothing changes and the error comes out as thrown. Targets name distinct items.
   */
  write<T>(targets: ItemRef[], plan: (current: (Item | undefined)[]) => WritePlan<T>): Promise<T>;
  /** Items of one partition in sort key order (index order when reading an index). */
  query(query: RangeQuery): Promise<ItemPage>;
  /** Every item of the table or index, partition by partition. */
  scan(request: ScanRequest): Promise<ItemPage>;

  /** Change records of a table's stream in sequence order. */
  readStream(table: string, read: StreamRead): Promise<StreamRecord[]>;
  /** The sequence of the newest record appended so far (to any table), 0 if none: a reader's "from now on". */
  latestSequence(): Promise<number>;
  /** Deletes stream records created before `olderThan` (epoch ms); returns how many went. */
  trimStreams(olderThan: number): Promise<number>;
  /**
   * Deletes up to `limit` items whose time-to-live attribute (a Number, epoch seconds) is before `nowSeconds` and
   * not before `notBeforeSeconds` (DynamoDB leaves timestamps more than five years old alone), appending REMOVE
   * stream records marked expired. Returns how many went.
   */
  sweepExpired(nowSeconds: number, options: { limit: number; notBeforeSeconds?: number }): Promise<number>;

  /** Copies the table's items and definition in one snapshot (NOT_FOUND for a missing table). */
  createBackup(backup: NewBackup): Promise<BackupInfo>;
  getBackup(id: string): Promise<BackupInfo | undefined>;
  /** Backups in creation order (ties by id). */
  listBackups(listing?: BackupListing): Promise<BackupInfo[]>;
  deleteBackup(id: string): Promise<BackupInfo | undefined>;
  /**
   * Creates a table (RESOURCE_CONFLICT if the name is taken) holding the source's items: a backup's (NOT_FOUND if it
   * is gone), or a table's as they were at `at` by its change history (INVALID_PARAMETER if it keeps none).
   */
  restoreTable(table: NewTable, source: RestoreSource): Promise<TableInfo>;
  /**
   * Forgets a table's change history before `before` (epoch ms), keeping what a restore at or after `before` needs.
   * Returns how many changes went.
   */
  trimRecovery(table: string, before: number): Promise<number>;
}
