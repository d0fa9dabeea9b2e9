import { randomBytes } from 'node:crypto';
import type { Clock, Logger, Timer } from '../../../core/index.js';
import type { MetadataStore, ObjectStore, TableStore } from '../../../storage/index.js';

/** What exports and imports reach besides the tables: S3's objects (the node's store) and a place for job records. */
export interface TransferStores {
  objects: ObjectStore;
  metadata: MetadataStore;
}

export const EXPORTS = 'dynamodb.exports';
export const IMPORTS = 'dynamodb.imports';

/** DynamoDB keeps a ClientToken for eight hours (ExportTableToPointInTime and ImportTable references). */
export const TOKEN_WINDOW_MS = 8 * 3600 * 1000;

/** The export or import a ClientToken started within the last eight hours, if any. */
export async function jobByToken<T extends { clientToken: string; startTime: number }>(metadata: MetadataStore, collection: string, token: string, now: number): Promise<T | undefined> {
  const docs = await metadata.list<T>(collection);
  return docs.map((doc) => doc.value).find((record) => record.clientToken === token && record.startTime > now - TOKEN_WINDOW_MS);
}

/**
 * DynamoDB's export and import ids: 14 digits of the start time in ms and 8 hex digits, as in AWS's
 * "AWSDynamoDB/01234567890123-a1b2c3d4" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html).
 */
export function jobId(now: number): string {
  return `${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Runs export and import work after the call that asked for it has answered, so the caller sees IN_PROGRESS first
 * and then COMPLETED or FAILED in DescribeExport/DescribeImport. Work is scheduled on the node's clock; a job left
 * IN_PROGRESS by a stopped node is run again when the service starts (see resume()).
 */
export class Transfers {
  private readonly timers = new Set<Timer>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    readonly stores: TransferStores,
    readonly tables: TableStore,
    readonly clock: Clock,
    readonly scope: { region: string; accountId: string },
    private readonly logger: Logger,
  ) {}

  get metadata(): MetadataStore {
    return this.stores.metadata;
  }

  get objects(): ObjectStore {
    return this.stores.objects;
  }

  /** Runs `work` once the current call has answered. */
  schedule(name: string, work: () => Promise<void>): void {
    if (this.closed) return;
    const timer = this.clock.setTimer(0, () => {
      this.timers.delete(timer);
      const run = work()
        .catch((error: unknown) => this.logger.error(`dynamodb ${name} failed`, { error: String(error) }))
        .finally(() => this.running.delete(run));
      this.running.add(run);
    });
    this.timers.add(timer);
  }

  /** Runs again what a stopped node left IN_PROGRESS, via `restart` for each record. */
  async resume<T extends { status: string }>(collection: string, restart: (record: T) => Promise<void>): Promise<void> {
    for (const doc of await this.metadata.list<T>(collection)) {
      if (doc.value.status === 'IN_PROGRESS') this.schedule(`${collection} ${doc.key}`, () => restart(doc.value));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
