import type { Clock, Logger, Timer } from '../core/index.js';
import type { Lease, QueueStore } from '../storage/index.js';

export interface LeaseWorkerOptions {
  queues: QueueStore;
  queue: string;
  clock: Clock;
  logger: Logger;
  /** Names the work in log lines: "<label> queue failed", "<label> failed unexpectedly". */
  label: string;
  /** Items handled at once. */
  parallel: number;
  /** How long a claimed item stays invisible to other claimers. */
  leaseMs: number;
  /** Settles one claimed item: acks it, releases it for later, or leaves its lease to lapse. */
  handle(lease: Lease): Promise<void>;
}

/**
 * Works one durable queue of the QueueStore: claims due items with leases while there is room, hands each to
 * `handle` on its own, and sleeps on the injected clock until the next item becomes due. What `handle` throws
 * is logged and the item's lease lapses, so it is claimed again: nothing acknowledged is lost, and one bad
 * item cannot take the node down. The async invocation queue and SNS deliveries both run on it.
 */
export class LeaseWorker {
  private running = 0;
  private wakeTimer: Timer | undefined;
  private pumping = false;
  private pumpAgain = false;
  private started = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: LeaseWorkerOptions) {}

  start(): void {
    this.started = true;
    void this.pump();
  }

  /** Called after new items are stored, so they go out without waiting for a timer. */
  wake(): void {
    if (this.started) void this.pump();
  }

  /** Stops claiming and waits for every item being handled, including any handled while waiting. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeTimer?.cancel();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Extends a lease while its item is being worked on, so only a dead node's items are claimed again. */
  hold(lease: Lease): { cancel(): void } {
    const { queues, queue, clock, leaseMs } = this.options;
    let timer: Timer | undefined;
    let stopped = false;
    const beat = (): void => {
      if (stopped) return;
      timer = clock.setTimer(leaseMs / 3, () => {
        void queues.extend(queue, lease.item.id, lease.token, leaseMs).then(beat, beat);
      });
    };
    beat();
    return {
      cancel: () => {
        stopped = true;
        timer?.cancel();
      },
    };
  }

  private async pump(): Promise<void> {
    if (this.closed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.pumpAgain = false;
    const { queues, queue, parallel, leaseMs, logger, label } = this.options;
    try {
      const room = parallel - this.running;
      if (room <= 0) return;
      const leases = await queues.claim(queue, { max: room, leaseMs });
      for (const lease of leases) this.track(lease);
      if (leases.length === room) this.pumpAgain = true;
      else await this.scheduleWake();
    } catch (error) {
      if (!this.closed) logger.error(`${label} queue failed`, { error: String(error) });
    } finally {
      this.pumping = false;
      if (this.pumpAgain) void this.pump();
    }
  }

  private async scheduleWake(): Promise<void> {
    const { queues, queue, clock } = this.options;
    const due = await queues.nextDue(queue);
    this.wakeTimer?.cancel();
    if (due === undefined || this.closed) return;
    const wait = due - clock.now();
    if (wait <= 0) this.pumpAgain = true;
    else this.wakeTimer = clock.setTimer(wait, () => void this.pump());
  }

  private track(lease: Lease): void {
    const work = this.options.handle(lease).catch((error: unknown) => {
      if (!this.closed) this.options.logger.error(`${this.options.label} failed unexpectedly`, { id: lease.item.id, error: String(error) });
    });
    this.running++;
    this.inFlight.add(work);
    void work.finally(() => {
      this.running--;
      this.inFlight.delete(work);
      void this.pump();
    });
  }
}
