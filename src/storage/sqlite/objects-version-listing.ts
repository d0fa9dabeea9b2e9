import { prefixUpperBound } from '../keys.js';
import type { VersionPage, VersionQuery, VersionSummary } from '../ports-objects.js';
import type { SqliteConnection } from './connection.js';
import { compareUtf8, SUMMARY_COLUMNS, toSummary, type SummaryRow } from './objects-listing.js';
import { notFound } from './objects-rows.js';

/** Where an entry (a key's latest object) sorts among its key's versions: before all of them, newest first. */
const ENTRY_ORDER = Number.MAX_SAFE_INTEGER;

interface ListedRow extends SummaryRow {
  ord: number;
  version_id: string | null;
  marker: number;
}

/** Rows strictly after (key, ord) in (key, ord descending) order, or from `key` on when `ord` is undefined. */
interface Cursor {
  key: string;
  ord?: number;
}

/**
 * One page of ListObjectVersions: the entries and the noncurrent versions merged in (key, newest first) order, with
 * common prefixes rolled up as listEntries does. A row is its key's latest exactly when it is the first of its key in
 * that order, so a page that starts within a key (after a version-id marker) knows its rows are not.
 */
export function listVersionRows(connection: SqliteConnection, bucket: string, query: VersionQuery): VersionPage {
  const page: VersionPage = { versions: [], commonPrefixes: [], truncated: false };
  if (query.limit === 0) return page;
  const prefix = query.prefix ?? '';
  const upper = prefix === '' ? undefined : prefixUpperBound(prefix);
  let cursor = startOf(connection, bucket, query, prefix);
  let previousKey = cursor.ord === undefined ? undefined : cursor.key;
  let count = 0;
  const full = (): boolean => {
    page.truncated = count === query.limit;
    return page.truncated;
  };
  scan: for (;;) {
    const wanted = query.limit - count + 1;
    const rows = selectRows(connection, bucket, cursor, upper, wanted);
    for (const row of rows) {
      const rolled = query.delimiter ? rollUp(row.key, prefix, query.delimiter) : undefined;
      if (rolled === undefined) {
        if (full()) break scan;
        page.versions.push(toVersion(row, row.key !== previousKey));
        previousKey = row.key;
        count++;
        cursor = { key: row.key, ord: row.ord };
        continue;
      }
      // A common prefix at or before the key marker was on an earlier page.
      if (query.keyMarker === undefined || compareUtf8(rolled, query.keyMarker) > 0) {
        if (full()) break scan;
        page.commonPrefixes.push(rolled);
        count++;
      }
      const beyond = prefixUpperBound(rolled);
      if (beyond === undefined) break scan;
      cursor = { key: beyond };
      previousKey = undefined;
      continue scan;
    }
    if (rows.length < wanted) break;
  }
  return page;
}

function startOf(connection: SqliteConnection, bucket: string, query: VersionQuery, prefix: string): Cursor {
  const marker = query.keyMarker;
  if (marker === undefined || compareUtf8(marker, prefix) < 0) return { key: prefix };
  if (query.versionIdMarker === undefined) return { key: marker, ord: -1 };
  const id = query.versionIdMarker === 'null' ? null : query.versionIdMarker;
  const entry = connection.statement('SELECT 1 FROM object_entries WHERE bucket = ? AND key = ? AND version_id IS ?').get(bucket, marker, id);
  if (entry) return { key: marker, ord: ENTRY_ORDER };
  const version = connection.statement('SELECT seq FROM object_versions WHERE bucket = ? AND key = ? AND version_id IS ?').get(bucket, marker, id) as { seq: number } | undefined;
  if (!version) throw notFound('version', query.versionIdMarker);
  return { key: marker, ord: version.seq };
}

function toVersion(row: ListedRow, isLatest: boolean): VersionSummary {
  const version: VersionSummary = { ...toSummary(row), isLatest, deleteMarker: row.marker === 1 };
  if (row.version_id !== null) version.versionId = row.version_id;
  return version;
}

function rollUp(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/**
 * Both tables in one ordered scan: a compound SELECT with ORDER BY, which SQLite merges from the two primary keys'
 * order and stops at the limit. An entry sorts first within its key (ENTRY_ORDER); `ord: -1` means after every
 * version of the cursor's key, as a key marker without a version-id marker does.
 */
function selectRows(connection: SqliteConnection, bucket: string, cursor: Cursor, upper: string | undefined, limit: number): ListedRow[] {
  const within = cursor.ord === undefined ? { entries: 'key >= ?', versions: 'key >= ?' } : { entries: 'key > ?', versions: 'key >= ? AND (key > ? OR seq < ?)' };
  const bound = upper === undefined ? '' : ' AND key < ?';
  const entryParams = [bucket, cursor.key, ...(upper === undefined ? [] : [upper])];
  const versionParams = [bucket, cursor.key, ...(cursor.ord === undefined ? [] : [cursor.key, cursor.ord]), ...(upper === undefined ? [] : [upper])];
  const sql =
    `SELECT ${SUMMARY_COLUMNS}, ${ENTRY_ORDER} AS ord, version_id, 0 AS marker FROM object_entries WHERE bucket = ? AND ${within.entries}${bound} ` +
    `UNION ALL SELECT ${SUMMARY_COLUMNS}, seq AS ord, version_id, marker FROM object_versions WHERE bucket = ? AND ${within.versions}${bound} ` +
    'ORDER BY key, ord DESC LIMIT ?';
  return connection.run(() => connection.statement(sql).all(...entryParams, ...versionParams, limit)) as ListedRow[];
}
