import type { Migration } from './migrations.js';

/**
 * The Logs API's own schema (module "logs-api" in schema_modules), beside the core `logs` table of function records.
 *
 * logs_by_instance lists a function's log streams (one per instance) and reads one stream without scanning the
 * function's other records. Unlike the request-id index that migration 3 dropped, its key repeats for every
 * record an instance writes, so appends land on the same few index pages.
 *
 * log_events holds the events clients write with PutLogEvents. Reads go by stream or by group, in timestamp order
 * (clients may send batches with older timestamps than earlier ones), so both indexes end in (timestamp, id).
 */
export const LOGS_API_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'log streams of function records, and events of custom log groups',
    up: `
      CREATE INDEX IF NOT EXISTS logs_by_instance ON logs (function_name, instance_id, id);

      CREATE TABLE log_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        log_group TEXT NOT NULL,
        log_stream TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        ingestion_time INTEGER NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX log_events_by_stream ON log_events (log_group, log_stream, timestamp, id);
      CREATE INDEX log_events_by_group ON log_events (log_group, timestamp, id);
    `,
  },
];
