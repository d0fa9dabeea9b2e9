import type { LogQuery, LogRecord, LogStore, NewLogRecord } from '../ports.js';
import { assertCount, assertNonEmpty } from '../validate.js';
import type { SqliteConnection } from './connection.js';

interface LogRow {
  id: number;
  time: number;
  function_name: string;
  version: string;
  request_id: string | null;
  instance_id: string | null;
  message: string;
}

const COLUMNS = 'id, time, function_name, version, request_id, instance_id, message';

const SQL = {
  insert: `INSERT INTO logs (time, function_name, version, request_id, instance_id, message)
           VALUES (?, ?, ?, ?, ?, ?)`,
  prune: 'DELETE FROM logs WHERE time < ?',
} as const;

export class SqliteLogStore implements LogStore {
  constructor(private readonly connection: SqliteConnection) {}

  async append(records: NewLogRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.connection.transaction(() => {
      const insert = this.connection.statement(SQL.insert);
      for (const r of records) insert.run(r.time, r.functionName, r.version, r.requestId ?? null, r.instanceId ?? null, r.message);
    });
  }

  async query(query: LogQuery): Promise<LogRecord[]> {
    assertNonEmpty('functionName', query.functionName);
    assertCount('limit', query.limit);
    const { sql, params, newestFirst } = logQuery(query);
    const rows = this.connection.run(() => this.connection.statement(sql).all(...params)) as LogRow[];
    if (newestFirst) rows.reverse();
    return rows.map(toRecord);
  }

  async prune(olderThan: number): Promise<number> {
    return this.connection.run(() => this.connection.statement(SQL.prune).run(olderThan).changes);
  }
}

/**
 * Without a cursor (`since`/`afterId`) a limit means "the last N lines", so the query reads newest first and
 * the caller reverses; with a cursor it means "the next N lines" and reads oldest first.
 */
function logQuery(query: LogQuery): { sql: string; params: unknown[]; newestFirst: boolean } {
  const where = ['function_name = ?'];
  const params: unknown[] = [query.functionName];
  if (query.since !== undefined) {
    where.push('time >= ?');
    params.push(query.since);
  }
  if (query.afterId !== undefined) {
    where.push('id > ?');
    params.push(query.afterId);
  }
  if (query.requestId !== undefined) {
    where.push('request_id = ?');
    params.push(query.requestId);
  }
  const hasCursor = query.since !== undefined || query.afterId !== undefined;
  const newestFirst = !hasCursor && query.limit !== undefined;
  params.push(query.limit ?? -1);
  const sql = `SELECT ${COLUMNS} FROM logs WHERE ${where.join(' AND ')} ORDER BY id ${newestFirst ? 'DESC' : 'ASC'} LIMIT ?`;
  return { sql, params, newestFirst };
}

function toRecord(row: LogRow): LogRecord {
  const record: LogRecord = { id: row.id, time: row.time, functionName: row.function_name, version: row.version, message: row.message };
  if (row.request_id !== null) record.requestId = row.request_id;
  if (row.instance_id !== null) record.instanceId = row.instance_id;
  return record;
}
