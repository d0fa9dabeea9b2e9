import type { LogEventQuery, LogEventStream, LogInstance, NewStoredLogEvent, StoredLogEvent } from '../ports-logs.js';
import type { LogPruning, LogQuery, LogRecord, LogStore, NewLogRecord } from '../ports.js';
import { assertCount, assertNonEmpty } from '../validate.js';
import type { SqliteConnection } from './connection.js';
import { SqliteLogEvents } from './log-events.js';
import { LOGS_API_MIGRATIONS } from './logs-schema.js';
import { migrateModule } from './migrations.js';

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
  // A loose index scan: one probe of logs_by_function per function, however many records each has.
  functions: `WITH RECURSIVE names(name) AS (
                SELECT min(function_name) FROM logs
                UNION ALL SELECT (SELECT min(function_name) FROM logs WHERE function_name > names.name) FROM names WHERE names.name IS NOT NULL)
              SELECT name FROM names WHERE name IS NOT NULL`,
  instances: `SELECT coalesce(instance_id, '') AS instanceId, min(id) AS firstId, max(id) AS lastId, count(*) AS records,
                sum(length(CAST(message AS BLOB))) AS bytes
              FROM logs WHERE function_name = ? GROUP BY instance_id ORDER BY firstId`,
  byId: 'SELECT time, version FROM logs WHERE id = ?',
  deleteFunction: 'DELETE FROM logs WHERE function_name = ?',
  deleteInstance: "DELETE FROM logs WHERE function_name = ? AND coalesce(instance_id, '') = ?",
  pruneFunction: 'DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE function_name = ? AND id < ? ORDER BY id LIMIT ?)',
  firstExcept: 'SELECT id FROM logs WHERE function_name NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT 1',
  pruneExcept: 'DELETE FROM logs WHERE id >= ? AND id < ? AND function_name NOT IN (SELECT value FROM json_each(?))',
} as const;

export class SqliteLogStore implements LogStore {
  private readonly events: SqliteLogEvents;

  constructor(private readonly connection: SqliteConnection) {
    connection.run((db) => migrateModule(db, 'logs-api', LOGS_API_MIGRATIONS));
    this.events = new SqliteLogEvents(connection);
  }

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
      if (query.instanceIds?.length === 0) return { rows: [], newestFirst: false };
      const plan = logQuery(query, query.since === undefined ? undefined : this.firstIdFrom(query.since), query.until === undefined ? undefined : this.firstIdFrom(query.until));
      return { rows: this.connection.statement(plan.sql).all(...plan.params) as LogRow[], newestFirst: plan.newestFirst };
    });
    if (newestFirst) rows.reverse();
    return rows.map(toRecord);
  }

  async prune(pruning: LogPruning): Promise<number> {
    assertCount('keepNewest', pruning.keepNewest);
    assertCount('max', pruning.max);
    if (pruning.functionName !== undefined) return this.pruneFunction(pruning.functionName, pruning);
    return this.connection.run(() => {
      const { low: first, high } = this.idRange();
      if (first === null || high === null) return 0;
      // Functions with policies of their own may hold the oldest ids; the steps start past them.
      const low = pruning.except?.length ? this.firstIdExcept(pruning.except) : first;
      if (low === undefined) return 0;
      let below = pruning.before === undefined ? low : this.firstIdFrom(pruning.before);
      if (pruning.keepNewest !== undefined) below = Math.max(below, high + 1 - pruning.keepNewest);
      if (pruning.max !== undefined) below = Math.min(below, low + pruning.max);
      if (below <= low) return 0;
      if (!pruning.except?.length) return this.connection.statement(SQL.prune).run(below).changes;
      return this.connection.statement(SQL.pruneExcept).run(low, below, JSON.stringify(pruning.except)).changes;
    });
  }

  async functions(): Promise<string[]> {
    return this.connection.run(() => (this.connection.statement(SQL.functions).all() as Array<{ name: string }>).map((r) => r.name));
  }

  async instances(functionName: string): Promise<LogInstance[]> {
    assertNonEmpty('functionName', functionName);
    return this.connection.run(() => {
      const rows = this.connection.statement(SQL.instances).all(functionName) as Array<Omit<LogInstance, 'version' | 'firstTime' | 'lastTime'>>;
      const byId = this.connection.statement(SQL.byId);
      return rows.map((row) => {
        const first = byId.get(row.firstId) as { time: number; version: string };
        const last = byId.get(row.lastId) as { time: number; version: string };
        return { ...row, version: first.version, firstTime: first.time, lastTime: last.time };
      });
    });
  }

  async deleteFunction(functionName: string, instanceId?: string): Promise<number> {
    assertNonEmpty('functionName', functionName);
    return this.connection.run(() =>
      instanceId === undefined ? this.connection.statement(SQL.deleteFunction).run(functionName).changes : this.connection.statement(SQL.deleteInstance).run(functionName, instanceId).changes,
    );
  }

  async appendEvents(events: NewStoredLogEvent[]): Promise<void> {
    this.events.append(events);
  }

  async queryEvents(query: LogEventQuery): Promise<StoredLogEvent[]> {
    return this.events.query(query);
  }

  async eventStreams(group: string): Promise<LogEventStream[]> {
    return this.events.streams(group);
  }

  async deleteEvents(group: string, stream?: string): Promise<number> {
    return this.events.delete(group, stream);
  }

  async pruneEvents(group: string, before: number): Promise<number> {
    return this.events.prune(group, before);
  }

  private pruneFunction(functionName: string, pruning: LogPruning): number {
    return this.connection.run(() => {
      const below = pruning.before === undefined ? Number.MAX_SAFE_INTEGER : this.firstIdFrom(pruning.before);
      return this.connection.statement(SQL.pruneFunction).run(functionName, below, pruning.max ?? -1).changes;
    });
  }

  private firstIdExcept(except: readonly string[]): number | undefined {
    return (this.connection.statement(SQL.firstExcept).get(JSON.stringify(except)) as { id: number } | undefined)?.id;
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
function logQuery(query: LogQuery, fromId: number | undefined, untilId: number | undefined): { sql: string; params: unknown[]; newestFirst: boolean } {
  const where = ['function_name = ?'];
  const params: unknown[] = [query.functionName];
  const add = (condition: string, ...values: unknown[]): void => {
    where.push(condition);
    params.push(...values);
  };
  if (fromId !== undefined) add('id >= ? AND time >= ?', fromId, query.since);
  if (untilId !== undefined) add('id < ? AND time < ?', untilId, query.until);
  if (query.afterId !== undefined) add('id > ?', query.afterId);
  if (query.beforeId !== undefined) add('id < ?', query.beforeId);
  if (query.requestId !== undefined) add('request_id = ?', query.requestId);
  if (query.instanceIds !== undefined) {
    add("(instance_id IN (SELECT value FROM json_each(?)) OR (? AND instance_id IS NULL))", JSON.stringify(query.instanceIds), query.instanceIds.includes('') ? 1 : 0);
  }
  const cursor = query.since !== undefined || query.afterId !== undefined;
  const newestFirst = query.limit !== undefined && (query.newest ?? !cursor);
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
