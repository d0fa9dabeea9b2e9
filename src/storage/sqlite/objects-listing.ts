import { prefixUpperBound } from '../keys.js';
import type { ChecksumAlgorithm, ChecksumType, ObjectPage, ObjectQuery, ObjectSummary } from '../ports-objects.js';
import type { SqliteConnection } from './connection.js';

export interface SummaryRow {
  key: string;
  size: number;
  etag: string;
  last_modified: number;
  checksum_algorithm: string | null;
  checksum_type: string | null;
  storage_class: string | null;
}

interface Cursor {
  value: string;
  inclusive: boolean;
}

export const SUMMARY_COLUMNS = 'key, size, etag, last_modified, checksum_algorithm, checksum_type, storage_class';

/**
 * One page of keys and common prefixes in UTF-8 byte order. A key that rolls up into a common prefix makes the
 * scan jump past every key under that prefix with one index seek, so a folder of a million keys costs one row.
 */
export function listEntries(connection: SqliteConnection, bucket: string, query: ObjectQuery): ObjectPage {
  const page: ObjectPage = { objects: [], commonPrefixes: [], truncated: false };
  if (query.limit === 0) return page;
  const prefix = query.prefix ?? '';
  const upper = prefix === '' ? undefined : prefixUpperBound(prefix);
  const after = query.after;
  let cursor: Cursor = after !== undefined && compareUtf8(after, prefix) >= 0 ? { value: after, inclusive: false } : { value: prefix, inclusive: true };
  let count = 0;
  scan: for (;;) {
    const wanted = query.limit - count + 1;
    const rows = selectRows(connection, bucket, cursor, upper, wanted);
    for (const row of rows) {
      const rolled = query.delimiter ? commonPrefixOf(row.key, prefix, query.delimiter) : undefined;
      if (rolled === undefined) {
        if (count === query.limit) {
          page.truncated = true;
          break scan;
        }
        page.objects.push(toSummary(row));
        count++;
        cursor = { value: row.key, inclusive: false };
        continue;
      }
      // A common prefix at or before `after` was returned by an earlier page (or skipped by StartAfter).
      if (after === undefined || compareUtf8(rolled, after) > 0) {
        if (count === query.limit) {
          page.truncated = true;
          break scan;
        }
        page.commonPrefixes.push(rolled);
        count++;
      }
      const beyond = prefixUpperBound(rolled);
      if (beyond === undefined) break scan;
      cursor = { value: beyond, inclusive: true };
      continue scan;
    }
    if (rows.length < wanted) break;
  }
  return page;
}

export function toSummary(row: SummaryRow): ObjectSummary {
  const summary: ObjectSummary = { key: row.key, size: row.size, etag: row.etag, lastModified: row.last_modified };
  if (row.checksum_algorithm) summary.checksumAlgorithm = row.checksum_algorithm as ChecksumAlgorithm;
  if (row.checksum_type) summary.checksumType = row.checksum_type as ChecksumType;
  if (row.storage_class) summary.storageClass = row.storage_class;
  return summary;
}

/** Compares strings by the bytes of their UTF-8 encoding, the order SQLite keeps TEXT keys in. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

function selectRows(connection: SqliteConnection, bucket: string, cursor: Cursor, upper: string | undefined, limit: number): SummaryRow[] {
  const sql = `SELECT ${SUMMARY_COLUMNS} FROM object_entries WHERE bucket = ? AND key ${cursor.inclusive ? '>=' : '>'} ?${
    upper === undefined ? '' : ' AND key < ?'
  } ORDER BY key LIMIT ?`;
  const params: unknown[] = upper === undefined ? [bucket, cursor.value, limit] : [bucket, cursor.value, upper, limit];
  return connection.run(() => connection.statement(sql).all(...params)) as SummaryRow[];
}
