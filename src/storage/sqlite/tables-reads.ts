import { FlintError } from '../../core/index.js';
import type { Item, ItemPage, KeySchema, RangeQuery, ScanRequest } from '../ports-tables.js';
import type { StoredIndex, StoredTable } from './tables-catalog.js';
import type { SqliteConnection } from './connection.js';
import { encodeKey, encodeKeyValue, encodePartValues, partitionHash, segmentBounds, sortRange, tupleSortRange, type Bound } from './tables-keys.js';
import type { ItemRow } from './tables-schema.js';

const JOIN = `FROM ddb_index_entries e
  JOIN ddb_items i ON i.table_id = e.table_id AND i.phash = e.phash AND i.pk = e.pk AND i.sk = e.sk`;

interface Sql {
  text: string;
  params: unknown[];
}

/**
 * Query and Scan as primary key range scans. Statements are assembled from a handful of fixed shapes (bounds
 * present or not, direction), so the connection's statement cache holds each shape once.
 */
export class ItemReader {
  constructor(private readonly connection: SqliteConnection) {}

  query(table: StoredTable, query: RangeQuery): ItemPage {
    const index = query.index === undefined ? undefined : findIndex(table, query.index);
    const key = index ? index.key : table.key;
    const multi = key.moreHash !== undefined || key.moreRange !== undefined;
    const pk = multi ? encodeMultiPartition(query, key) : encodeKeyValue(query.hash, key.hash.type);
    const range = !key.range ? {} : multi && key.moreRange ? tupleSortRange(query.sortPrefix ?? [], query.range, [key.range, ...key.moreRange]) : sortRange(query.range, key.range.type);
    const descending = query.descending === true;
    const where: string[] = [];
    const params: unknown[] = [];
    const column = index ? 'e.isk' : 'sk';
    if (range.lower) addBound(where, params, column, range.lower, '>');
    if (range.upper) addBound(where, params, column, range.upper, '<');
    if (index) {
      where.unshift('e.table_id = ? AND e.index_id = ? AND e.ihash = ? AND e.ipk = ?');
      params.unshift(table.id, index.id, partitionHash(pk), pk);
      if (query.startAfter) {
        const start = startPosition(table, index, query.startAfter);
        where.push(`(e.isk, e.pk, e.sk) ${descending ? '<' : '>'} (?, ?, ?)`);
        params.push(start.isk, start.pk, start.sk);
      }
      const order = ['e.isk', 'e.pk', 'e.sk'].map((c) => (descending ? `${c} DESC` : c)).join(', ');
      return this.page({ text: `SELECT i.body, i.size ${JOIN} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`, params }, query);
    }
    where.unshift('table_id = ? AND phash = ? AND pk = ?');
    params.unshift(table.id, partitionHash(pk), pk);
    if (query.startAfter) {
      const start = tableKey(table, query.startAfter);
      where.push(`sk ${descending ? '<' : '>'} ?`);
      params.push(start.sk);
    }
    const text = `SELECT body, size FROM ddb_items WHERE ${where.join(' AND ')} ORDER BY sk${descending ? ' DESC' : ''} LIMIT ?`;
    return this.page({ text, params }, query);
  }

  scan(table: StoredTable, request: ScanRequest): ItemPage {
    const index = request.index === undefined ? undefined : findIndex(table, request.index);
    const segment = request.totalSegments !== undefined && request.segment !== undefined ? segmentBounds(request.segment, request.totalSegments) : undefined;
    const columns = index ? ['e.ihash', 'e.ipk', 'e.isk', 'e.pk', 'e.sk'] : ['phash', 'pk', 'sk'];
    const where = [index ? 'e.table_id = ? AND e.index_id = ?' : 'table_id = ?'];
    const params: unknown[] = index ? [table.id, index.id] : [table.id];
    let start: unknown[] | undefined;
    if (request.startAfter) {
      const base = tableKey(table, request.startAfter);
      const position = index ? startPosition(table, index, request.startAfter) : undefined;
      start = position ? [position.ihash, position.ipk, position.isk, position.pk, position.sk] : [base.hash, base.pk, base.sk];
    }
    // A start position inside the segment replaces its lower bound, so the primary key seeks straight to it.
    if (start && (!segment || (start[0] as number) >= segment.low)) {
      where.push(`(${columns.join(', ')}) > (${columns.map(() => '?').join(', ')})`);
      params.push(...start);
    } else if (segment) {
      where.push(`${columns[0]} >= ?`);
      params.push(segment.low);
    }
    if (segment) {
      where.push(`${columns[0]} < ?`);
      params.push(segment.high);
    }
    const select = index ? `SELECT i.body, i.size ${JOIN}` : 'SELECT body, size FROM ddb_items';
    return this.page({ text: `${select} WHERE ${where.join(' AND ')} ORDER BY ${columns.join(', ')} LIMIT ?`, params }, request);
  }

  private page(sql: Sql, options: { limit: number; maxBytes?: number }): ItemPage {
    const items: Item[] = [];
    if (options.limit <= 0) return { items, truncated: true };
    let bytes = 0;
    let full = false;
    for (const row of this.connection.statement(sql.text).iterate(...sql.params, options.limit) as IterableIterator<ItemRow>) {
      items.push(JSON.parse(row.body) as Item);
      bytes += row.size;
      if (options.maxBytes !== undefined && bytes >= options.maxBytes) {
        full = true;
        break;
      }
    }
    return { items, truncated: full || items.length >= options.limit };
  }
}

/** The partition key of a Query on an index whose partition key has several attributes. */
function encodeMultiPartition(query: RangeQuery, key: KeySchema): Buffer {
  if (!key.moreHash) return encodeKeyValue(query.hash, key.hash.type);
  return encodePartValues([query.hash, ...(query.moreHash ?? [])], [key.hash, ...key.moreHash]);
}

function addBound(where: string[], params: unknown[], column: string, bound: Bound, direction: '<' | '>'): void {
  where.push(`${column} ${direction}${bound.inclusive ? '=' : ''} ?`);
  params.push(bound.value);
}

export function findIndex(table: StoredTable, name: string): StoredIndex {
  const index = table.indexes.find((i) => i.name === name);
  if (!index) throw new FlintError('NOT_FOUND', `table ${table.name} has no index ${name}`, { table: table.name, index: name });
  return index;
}

function tableKey(table: StoredTable, start: Item) {
  const key = encodeKey(start, table.key);
  if (!key) throw badStart(table);
  return key;
}

function startPosition(table: StoredTable, index: StoredIndex, start: Item) {
  const base = tableKey(table, start);
  const entry = encodeKey(start, index.key);
  if (!entry) throw badStart(table);
  return { ihash: entry.hash, ipk: entry.pk, isk: entry.sk, pk: base.pk, sk: base.sk };
}

function badStart(table: StoredTable): FlintError {
  return new FlintError('INVALID_PARAMETER', `the start key does not hold the key attributes of ${table.name}`, { table: table.name });
}
