import type { LogPruning, LogQuery, LogRecord, LogStore, NewLogRecord } from '../ports.js';
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
  prune: 'DELETE FROM logs WHERE id < ?',
  idRange: 'SELECT min(id) AS low, max(id) AS high FROM logs',
  firstFrom: 'SELECT id, time FROM logs WHERE id >= ? ORDER BY id LIMIT 1',
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
    const { rows, newestFirst } = this.connection.run(() => {
      const plan = logQuery(query, query.since === undefined ? undefined : this.firstIdFrom(query.since));
      return { rows: this.connection.statement(plan.sql).all(...plan.params) as LogRow[], newestFirst: plan.newestFirst };
    });
    if (newestFirst) rows.reverse();
    return rows.map(toRecord);
  }

  async prune(pruning: LogPruning): Promise<number> {
    assertCount('keepNewest', pruning.keepNewest);
    assertCount('max', pruning.max);
    return this.connection.run(() => {
      const { low, high } = this.idRange();
      if (low === null || high === null) return 0;
      let below = pruning.before === undefined ? low : this.firstIdFrom(pruning.before);
      if (pruning.keepNewest !== undefined) below = Math.max(below, high + 1 - pruning.keepNewest);
      if (pruning.max !== undefined) below = Math.min(below, low + pruning.max);
      return below > low ? this.connection.statement(SQL.prune).run(below).changes : 0;
    });
  }

  private idRange(): { low: number | null; high: number | null } {
    return this.connection.statement(SQL.idRange).get() as { low: number | null; high: number | null };
  }

  /**
   * The id of the first record at or after `time` (one past the last id when there is none), by bisecting
   * ids: records are appended in time order, so times rise with ids and no index on time is needed. A wall
   * clock stepped backwards can misplace the records written across the step by up to the step.
   */
  private firstIdFrom(time: number): number {
    const { low, high } = this.idRange();
    if (low === null || high === null) return 0;
    const firstFrom = this.connection.statement(SQL.firstFrom);
    let [from, to] = [low, high + 1];
    while (from < to) {
      const probe = Math.floor((from + to) / 2);
      const row = firstFrom.get(probe) as { id: number; time: number } | undefined;
      if (row && row.time < time) from = row.id + 1;
      else to = probe;
    }
    return from;
  }
}

/**
 * Without a cursor (`since`/`afterId`) a limit means "the last N lines", so the query reads newest first and
 * the caller reverses; with a cursor it means "the next N lines" and reads oldest first. `since` arrives as
 * the first id at or after that time (see firstIdFrom); the time filter stays to be exact at the boundary.
 */
function logQuery(query: LogQuery, fromId: number | undefined): { sql: string; params: unknown[]; newestFirst: boolean } {
  const where = ['function_name = ?'];
  const params: unknown[] = [query.functionName];
  if (fromId !== undefined) {
    where.push('id >= ?', 'time >= ?');
    params.push(fromId, query.since);
  }
  if (query.afterId !== undefined) {
    where.push('id > ?');
    params.push(query.afterId);
  }
  if (query.requestId !== undefined) {
    where.push('request_id = ?');
    params.push(query.requestId);
  }
  const newestFirst = query.since === undefined && query.afterId === undefined && query.limit !== undefined;
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
