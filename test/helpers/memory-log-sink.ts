import type { LogSink } from '../../src/observe/index.js';
import type { NewLogRecord } from '../../src/storage/index.js';

/** Collects log records in memory so tests can read what an instance wrote. */
export class MemoryLogSink implements LogSink {
  readonly records: NewLogRecord[] = [];

  write(record: NewLogRecord): void {
    this.records.push(record);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Every line written (records may hold several lines), in order. */
  messages(requestId?: string): string[] {
    return this.records.filter((r) => requestId === undefined || r.requestId === requestId).flatMap((r) => r.message.split('\n'));
  }
}
