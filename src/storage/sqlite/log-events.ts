import type { LogEventQuery, LogEventStream, NewStoredLogEvent, StoredLogEvent } from '../ports-logs.js';
import { assertCount, assertNonEmpty } from '../validate.js';
import type { SqliteConnection } from './connection.js';

interface EventRow {
  id: number;
  log_group: string;
  log_stream: string;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

const SQL = {
  insert: 'INSERT INTO log_events (log_group, log_stream, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)',
  streams: `SELECT log_stream AS stream, min(timestamp) AS firstTimestamp, max(timestamp) AS lastTimestamp,
              max(ingestion_time) AS lastIngestionTime, count(*) AS events, sum(length(CAST(message AS BLOB))) AS bytes
            FROM log_events WHERE log_group = ? GROUP BY log_stream ORDER BY log_stream`,
  deleteGroup: 'DELETE FROM log_events WHERE log_group = ?',
  deleteStream: 'DELETE FROM log_events WHERE log_group = ? AND log_stream = ?',
  prune: 'DELETE FROM log_events WHERE log_group = ? AND timestamp < ?',
} as const;

/** The events of custom log groups (PutLogEvents), in the `log_events` table (logs-schema.ts). */
export class SqliteLogEvents {
  constructor(private readonly connection: SqliteConnection) {}

  append(events: NewStoredLogEvent[]): void {
    if (events.length === 0) return;
    this.connection.transaction(() => {
      const insert = this.connection.statement(SQL.insert);
      for (const e of events) insert.run(e.group, e.stream, e.timestamp, e.ingestionTime, e.message);
    });
  }

  query(query: LogEventQuery): StoredLogEvent[] {
    assertNonEmpty('group', query.group);
    assertCount('limit', query.limit);
    if (query.streams?.length === 0) return [];
    const { sql, params, reverse } = eventQuery(query);
    const rows = this.connection.run(() => this.connection.statement(sql).all(...params) as EventRow[]);
    if (reverse) rows.reverse();
    return rows.map((r) => ({ id: r.id, group: r.log_group, stream: r.log_stream, timestamp: r.timestamp, ingestionTime: r.ingestion_time, message: r.message }));
  }

  streams(group: string): LogEventStream[] {
    return this.connection.run(() => this.connection.statement(SQL.streams).all(group) as LogEventStream[]);
  }

  delete(group: string, stream?: string): number {
    return this.connection.run(() => (stream === undefined ? this.connection.statement(SQL.deleteGroup).run(group) : this.connection.statement(SQL.deleteStream).run(group, stream)).changes);
  }

  prune(group: string, before: number): number {
    return this.connection.run(() => this.connection.statement(SQL.prune).run(group, before).changes);
  }
}

/** The latest `limit` events are read in descending order and reversed by the caller. */
function eventQuery(query: LogEventQuery): { sql: string; params: unknown[]; reverse: boolean } {
  const where = ['log_group = ?'];
  const params: unknown[] = [query.group];
  if (query.streams) {
    where.push('log_stream IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(query.streams));
  }
  if (query.streamPrefix !== undefined && query.streamPrefix !== '') {
    // substr rather than LIKE: stream names may hold % and _, and LIKE ignores case.
    where.push('substr(log_stream, 1, length(?)) = ?');
    params.push(query.streamPrefix, query.streamPrefix);
  }
  const add = (condition: string, ...values: unknown[]): void => {
    where.push(condition);
    params.push(...values);
  };
  if (query.from !== undefined) add('timestamp >= ?', query.from);
  if (query.to !== undefined) add('timestamp < ?', query.to);
  if (query.after) add('(timestamp, id) > (?, ?)', query.after.timestamp, query.after.id);
  if (query.before) add('(timestamp, id) < (?, ?)', query.before.timestamp, query.before.id);
  const reverse = query.newest === true && query.limit !== undefined;
  const direction = reverse ? 'DESC' : 'ASC';
  params.push(query.limit ?? -1);
  const sql = `SELECT id, log_group, log_stream, timestamp, ingestion_time, message FROM log_events WHERE ${where.join(' AND ')}
               ORDER BY timestamp ${direction}, id ${direction} LIMIT ?`;
  return { sql, params, reverse };
}
