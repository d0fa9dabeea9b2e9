import type { Clock, Logger } from '../../core/index.js';
import type { TableStore } from '../../storage/index.js';
import { trimRecoveryHistory } from './ops/recovery.js';

/** Items deleted per store transaction, and transactions per sweep (the next sweep takes the rest). */
const BATCH = 500;
const MAX_BATCHES = 20;
/** DynamoDB leaves items whose expiry is more than five years in the past alone. */
const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 60 * 60;
/** Stream records are readable for 24 hours. */
const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Time to live as DynamoDB runs it: in the background, some time after expiry. Until a sweep deletes an expired
 * item it stays readable, queryable and writable like any other.
 */
export class TtlSweeper {
  private running: Promise<number> | undefined;

  constructor(
    private readonly tables: TableStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  sweep(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<number> {
    let deleted = 0;
    try {
      const now = this.clock.now();
      const seconds = now / 1000;
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const count = await this.tables.sweepExpired(seconds, { limit: BATCH, notBeforeSeconds: seconds - FIVE_YEARS_SECONDS });
        deleted += count;
        if (count < BATCH) break;
      }
      await this.tables.trimStreams(now - STREAM_RETENTION_MS);
      await trimRecoveryHistory(this.tables, this.clock);
    } catch (error) {
      this.logger.warn('time-to-live sweep failed', { error: error instanceof Error ? error.message : String(error) });
    }
    return deleted;
  }
}
