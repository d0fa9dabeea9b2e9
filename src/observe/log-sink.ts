import type { Clock, Logger } from '../core/index.js';
import type { LogStore, NewLogRecord } from '../storage/index.js';

/** Where instances send every log line of every invocation (function output and platform lines alike). */
export interface LogSink {
  write(record: NewLogRecord): void;
  /** Resolves when everything written so far is stored. */
  flush(): Promise<void>;
}

export interface LogListener {
  (record: NewLogRecord): void;
}

/**
 * Batches records into the log store: one transaction per batch keeps logging off the invocation path's
 * critical costs. Live listeners (`flint logs --follow` on the same node) see records as they are written.
 */
export class BatchingLogSink implements LogSink {
  private batch: NewLogRecord[] = [];
  private timer: { cancel(): void } | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<LogListener>();

  constructor(
    private readonly store: LogStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: { maxBatch: number; maxDelayMs: number } = { maxBatch: 500, maxDelayMs: 50 },
  ) {}

  write(record: NewLogRecord): void {
    this.batch.push(record);
    for (const listener of this.listeners) listener(record);
    if (this.batch.length >= this.options.maxBatch) void this.flush();
    else this.timer ??= this.clock.setTimer(this.options.maxDelayMs, () => void this.flush());
  }

  listen(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const records = this.batch;
    this.batch = [];
    if (records.length > 0) {
      this.writing = this.writing.then(() =>
        this.store.append(records).catch((error: unknown) => {
          this.logger.error('could not store function logs', { records: records.length, error: String(error) });
        }),
      );
    }
    return this.writing;
  }
}
