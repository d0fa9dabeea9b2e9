import { shortId, type Clock } from '../../core/index.js';
import type { AttributeValue, Item, ItemChange, StreamEventName } from '../ports-tables.js';
import type { StoredIndex, StoredTable } from './tables-catalog.js';
import type { SqliteConnection } from './connection.js';
import { encodeKey, type EncodedKey } from './tables-keys.js';
import type { ItemRow } from './tables-schema.js';

const SQL = {
  select: 'SELECT body, size FROM ddb_items WHERE table_id = ? AND phash = ? AND pk = ? AND sk = ?',
  upsert: `INSERT INTO ddb_items (table_id, phash, pk, sk, body, size, expires) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (table_id, phash, pk, sk) DO UPDATE
           SET body = excluded.body, size = excluded.size, expires = excluded.expires`,
  delete: 'DELETE FROM ddb_items WHERE table_id = ? AND phash = ? AND pk = ? AND sk = ?',
  insertEntry: `INSERT OR REPLACE INTO ddb_index_entries (table_id, index_id, ihash, ipk, isk, pk, sk, phash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  deleteEntry: `DELETE FROM ddb_index_entries
                WHERE table_id = ? AND index_id = ? AND ihash = ? AND ipk = ? AND isk = ? AND pk = ? AND sk = ?`,
  appendRecord: 'INSERT INTO ddb_stream_records (table_id, label, created_at, record) VALUES (?, ?, ?, ?)',
  appendChange: 'INSERT INTO ddb_recovery_log (table_id, at, phash, pk, sk, body, size) VALUES (?, ?, ?, ?, ?, ?, ?)',
} as const;

/** One item as read inside a write transaction; `known` false when it was not read (a blind write). */
export interface CurrentItem {
  key: EncodedKey;
  item: Item | undefined;
  known?: boolean;
}

/**
 * Item changes inside an open transaction: the item row, its secondary index entries and its stream record move
 * together, so a reader never sees one without the others.
 */
export class ItemWriter {
  constructor(
    private readonly connection: SqliteConnection,
    private readonly clock: Clock,
  ) {}

  read(table: StoredTable, key: EncodedKey): Item | undefined {
    const row = this.connection.statement(SQL.select).get(table.id, key.hash, key.pk, key.sk) as ItemRow | undefined;
    return row ? (JSON.parse(row.body) as Item) : undefined;
  }

  apply(table: StoredTable, current: CurrentItem, change: ItemChange, expired = false): void {
    if (!change) return;
    const { key, item: old } = current;
    if ('put' in change) {
      const next = change.put;
      const body = JSON.stringify(next);
      this.connection.statement(SQL.upsert).run(table.id, key.hash, key.pk, key.sk, body, change.size, expiry(table, next));
      if (table.recovery) this.logChange(table, key, body, change.size);
      for (const index of table.indexes) this.moveEntry(table, index, key, old, next);
      if (!table.stream?.enabled) return;
      if (!old) this.record(table, 'INSERT', undefined, next, expired);
      else if (!sameItem(old, next)) this.record(table, 'MODIFY', old, next, expired);
      return;
    }
    if (!old && current.known !== false) return;
    this.connection.statement(SQL.delete).run(table.id, key.hash, key.pk, key.sk);
    if (table.recovery) this.logChange(table, key, null, 0);
    if (!old) return;
    for (const index of table.indexes) this.moveEntry(table, index, key, old, undefined);
    this.record(table, 'REMOVE', old, undefined, expired);
  }

  /** Adds the entries of one index for existing items (a new index is filled before it is used). */
  addEntries(table: StoredTable, index: StoredIndex, key: EncodedKey, item: Item): void {
    this.moveEntry(table, index, key, undefined, item);
  }

  /** Point-in-time recovery's history; tables without it pay only the check of the cached definition. */
  private logChange(table: StoredTable, key: EncodedKey, body: string | null, size: number): void {
    this.connection.statement(SQL.appendChange).run(table.id, this.clock.now(), key.hash, key.pk, key.sk, body, size);
  }

  private moveEntry(table: StoredTable, index: StoredIndex, key: EncodedKey, old: Item | undefined, next: Item | undefined): void {
    const before = old && encodeKey(old, index.key);
    const after = next && encodeKey(next, index.key);
    if (before && after && before.pk.equals(after.pk) && before.sk.equals(after.sk)) return;
    if (before) this.connection.statement(SQL.deleteEntry).run(table.id, index.id, before.hash, before.pk, before.sk, key.pk, key.sk);
    if (after) this.connection.statement(SQL.insertEntry).run(table.id, index.id, after.hash, after.pk, after.sk, key.pk, key.sk, key.hash);
  }

  private record(table: StoredTable, eventName: StreamEventName, old: Item | undefined, next: Item | undefined, expired: boolean): void {
    const stream = table.stream;
    if (!stream?.enabled) return;
    const source = (next ?? old)!;
    const record: Record<string, unknown> = { eventId: shortId(16), eventName, keys: keyOf(source, table) };
    if (next && (stream.viewType === 'NEW_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES')) record.newImage = next;
    if (old && (stream.viewType === 'OLD_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES')) record.oldImage = old;
    if (expired) record.expired = true;
    this.connection.statement(SQL.appendRecord).run(table.id, stream.label, this.clock.now(), JSON.stringify(record));
  }
}

/** The item's expiry in epoch seconds, if the table has time to live and the item a Number in that attribute. */
export function expiry(table: StoredTable, item: Item): number | null {
  if (table.ttlAttribute === undefined) return null;
  const value = Object.hasOwn(item, table.ttlAttribute) ? item[table.ttlAttribute] : undefined;
  if (!value || !('N' in value)) return null;
  const seconds = Number(value.N);
  return Number.isFinite(seconds) ? seconds : null;
}

export function keyOf(item: Item, table: StoredTable): Item {
  const hashName = table.key.hash.name;
  const rangeName = table.key.range?.name;
  const key: Item = { [hashName]: item[hashName]! };
  return rangeName === undefined ? key : { ...key, [rangeName]: item[rangeName]! };
}

/** Structural equality; map attributes in any order. A write that changes nothing leaves no stream record. */
export function sameItem(a: Item, b: Item): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  for (const name of names) {
    if (!Object.hasOwn(b, name) || !sameValue(a[name]!, b[name]!)) return false;
  }
  return true;
}

function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if ('M' in a) return 'M' in b && sameItem(a.M, b.M);
  if ('L' in a) return 'L' in b && a.L.length === b.L.length && a.L.every((v, i) => sameValue(v, b.L[i]!));
  return JSON.stringify(a) === JSON.stringify(b);
}
