import { isFlintError, type Clock, type Logger, type Timer } from '../../../core/index.js';
import { LeaseWorker } from '../../../events/index.js';
import type { Lease, QueueStore } from '../../../storage/index.js';
import type { S3NotificationEvent, S3NotificationSink, S3NotificationTarget } from './sink.js';

/**
 * The outbox of S3's event notifications. A write commits its events in the same transaction as the object
 * (storage's Outbox), into this queue; the relay then hands each to the sink (the async invocation queue, SQS,
 * SNS) and forgets it once the sink has durably taken it. A crash between the two leaves the events here, and they
 * are handed over after the restart: at least once, as S3 delivers them. The writer waits, briefly, for the first
 * attempt, so in the usual case an event is with its destination before the write is acknowledged.
 */
export const S3_EVENTS_QUEUE = 's3-notifications';

/** One event for one destination, as stored in the outbox. */
export interface Handover {
  target: S3NotificationTarget;
  event: S3NotificationEvent;
}

export interface RelayOptions {
  queues: QueueStore;
  sink: S3NotificationSink;
  clock: Clock;
  logger: Logger;
  /** How long a writer waits for its events' first attempt before answering anyway (they stay in the outbox). */
  patienceMs?: number;
}

const RETRY_MS = [1_000, 5_000, 30_000, 120_000, 300_000];

export class NotificationRelay {
  private readonly worker: LeaseWorker;
  /** Writers waiting for the first attempt at their events, by outbox item id. */
  private readonly waiting = new Map<string, () => void>();

  constructor(private readonly options: RelayOptions) {
    this.worker = new LeaseWorker({
      queues: options.queues,
      queue: S3_EVENTS_QUEUE,
      clock: options.clock,
      logger: options.logger,
      label: 'S3 notification',
      parallel: 16,
      leaseMs: 60_000,
      handle: (lease) => this.deliver(lease),
    });
  }

  start(): void {
    this.worker.start();
  }

  async close(): Promise<void> {
    await this.worker.close();
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
  }

  /** Resolves once each committed item had its first delivery attempt, or after the patience runs out. */
  handOver(ids: readonly string[]): Promise<void> {
    if (ids.length === 0 || this.worker.isClosed) return Promise.resolve();
    const attempts = ids.map((id) => new Promise<void>((resolve) => this.waiting.set(id, resolve)));
    this.worker.wake();
    let timer: Timer | undefined;
    const patience = new Promise<void>((resolve) => {
      timer = this.options.clock.setTimer(this.options.patienceMs ?? 2_000, resolve);
    });
    return Promise.race([Promise.all(attempts).then(() => undefined), patience]).finally(() => {
      timer?.cancel();
      for (const id of ids) this.waiting.delete(id);
    });
  }

  private async deliver(lease: Lease): Promise<void> {
    const { queues, sink, logger } = this.options;
    const { id } = lease.item;
    try {
      const handover = readHandover(lease.item.body);
      if (!handover) {
        logger.error('S3 notification dropped: unreadable outbox item', { id });
        await queues.ack(S3_EVENTS_QUEUE, id, lease.token);
        return;
      }
      try {
        await sink.deliver(handover.target, handover.event);
        await queues.ack(S3_EVENTS_QUEUE, id, lease.token);
      } catch (error) {
        if (isFlintError(error, 'FUNCTION_NOT_FOUND') || isFlintError(error, 'NOT_FOUND')) {
          // S3 cannot deliver to a destination that was deleted after the configuration was put; it drops the event.
          logger.warn('S3 notification dropped: its destination is gone', { target: handover.target.arn, error: String(error) });
          await queues.ack(S3_EVENTS_QUEUE, id, lease.token);
          return;
        }
        const delay = RETRY_MS[Math.min(lease.item.attempts - 1, RETRY_MS.length - 1)]!;
        logger.warn('S3 notification not handed over; retrying', { target: handover.target.arn, attempt: lease.item.attempts, inMs: delay, error: String(error) });
        await queues.release(S3_EVENTS_QUEUE, id, lease.token, delay);
      }
    } finally {
      this.waiting.get(id)?.();
    }
  }
}

function readHandover(body: string): Handover | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<Handover>;
    return parsed.target && parsed.event ? (parsed as Handover) : undefined;
  } catch {
    return undefined;
  }
}
