/**
 * Lambda's asynchronous invocation: an accepted event is first written to a durable queue, then delivered
 * to the function at least once. A function error is retried (twice by default, after about 1 and 2
 * minutes, as Lambda does); an event older than the maximum event age is dropped. The event keeps its
 * request id across retries so handlers can be idempotent. Leases are extended while an event runs, so a
 * node that dies mid-invocation has its events redelivered once their lease lapses.
 */
import { z } from 'zod';
import { isFlintError, type Clock, type Logger, type Timer } from '../core/index.js';
import type { InvocationResult, Invoker, InvokeTarget } from '../invoker/index.js';
import type { Lease, QueueStore } from '../storage/index.js';

export const ASYNC_QUEUE = 'lambda-async';

const eventSchema = z.object({
  requestId: z.string(),
  functionName: z.string(),
  qualifier: z.string().optional(),
  payload: z.string(),
  clientContext: z.string().optional(),
});

export type AsyncEvent = z.infer<typeof eventSchema>;

export interface AsyncInvocationOptions {
  queues: QueueStore;
  invoker: Invoker;
  clock: Clock;
  logger: Logger;
  /** Resolves the function version an event targets; throws FUNCTION_NOT_FOUND when it is gone. */
  resolve: (functionName: string, qualifier: string | undefined) => Promise<InvokeTarget & { arn: string }>;
  maxRetryAttempts?: number;
  maxEventAgeMs?: number;
  /** Delay before each retry, by retry number. */
  retryDelaysMs?: number[];
  /** Events run at once; the invoker's concurrency limits still apply beneath this. */
  parallel?: number;
  leaseMs?: number;
  /** Told about every final outcome, for tests and (later) destinations and dead-letter queues. */
  onFinal?: (event: AsyncEvent, result: InvocationResult | undefined, reason: 'success' | 'retries-exhausted' | 'too-old' | 'function-gone') => void;
}

export class AsyncInvocations {
  private running = 0;
  private wakeTimer: Timer | undefined;
  private pumping = false;
  private pumpAgain = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: AsyncInvocationOptions) {}

  /** Durably accepts an event; resolves once it is stored. */
  async accept(event: AsyncEvent): Promise<void> {
    await this.options.queues.enqueue(ASYNC_QUEUE, [{ id: event.requestId, body: JSON.stringify(event) }]);
    void this.pump();
  }

  start(): void {
    void this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeTimer?.cancel();
    await Promise.all(this.inFlight);
  }

  /** Claims due events while there is room, and sets a timer for the next one that becomes due. */
  private async pump(): Promise<void> {
    if (this.closed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.pumpAgain = false;
    try {
      const room = (this.options.parallel ?? 64) - this.running;
      if (room <= 0) return;
      const leases = await this.options.queues.claim(ASYNC_QUEUE, { max: room, leaseMs: this.leaseMs });
      for (const lease of leases) this.track(this.deliver(lease));
      if (leases.length === room) queueMicrotask(() => void this.pump());
      else await this.scheduleWake();
    } catch (error) {
      this.options.logger.error('async invocation queue failed', { error: String(error) });
    } finally {
      this.pumping = false;
      if (this.pumpAgain) void this.pump();
    }
  }

  private async scheduleWake(): Promise<void> {
    const due = await this.options.queues.nextDue(ASYNC_QUEUE);
    this.wakeTimer?.cancel();
    if (due === undefined || this.closed) return;
    const wait = due - this.options.clock.now();
    if (wait <= 0) this.pumpAgain = true;
    else this.wakeTimer = this.options.clock.setTimer(wait, () => void this.pump());
  }

  private track(work: Promise<void>): void {
    this.running++;
    this.inFlight.add(work);
    void work.finally(() => {
      this.running--;
      this.inFlight.delete(work);
      void this.pump();
    });
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 30_000;
  }

  private async deliver(lease: Lease): Promise<void> {
    const { queues, clock, logger } = this.options;
    const parsed = eventSchema.safeParse(JSON.parse(lease.item.body));
    if (!parsed.success) {
      logger.error('dropping an unreadable async event', { id: lease.item.id });
      await queues.ack(ASYNC_QUEUE, lease.item.id, lease.token);
      return;
    }
    const event = parsed.data;
    if (clock.now() - lease.item.enqueuedAt > (this.options.maxEventAgeMs ?? 6 * 3600_000)) {
      await queues.ack(ASYNC_QUEUE, lease.item.id, lease.token);
      return this.final(event, undefined, 'too-old');
    }
    const heartbeat = this.keepLease(lease);
    try {
      const target = await this.options.resolve(event.functionName, event.qualifier);
      const result = await this.options.invoker.invoke(
        target,
        { requestId: event.requestId, payload: Buffer.from(event.payload, 'base64'), invokedArn: target.arn, clientContext: event.clientContext },
        'async',
      );
      heartbeat.cancel();
      await this.settle(lease, event, result);
    } catch (error) {
      heartbeat.cancel();
      if (isFlintError(error, 'FUNCTION_NOT_FOUND')) {
        await queues.ack(ASYNC_QUEUE, lease.item.id, lease.token);
        return this.final(event, undefined, 'function-gone');
      }
      if (isFlintError(error, 'SHUTTING_DOWN')) return; // the lease lapses and the event is redelivered
      logger.error('async invocation failed before reaching the function', { requestId: event.requestId, error: String(error) });
      await queues.release(ASYNC_QUEUE, lease.item.id, lease.token, this.retryDelay(lease.item.attempts));
    }
  }

  private async settle(lease: Lease, event: AsyncEvent, result: InvocationResult): Promise<void> {
    const { queues } = this.options;
    const retries = lease.item.attempts - 1;
    if (result.status === 'success') {
      await queues.ack(ASYNC_QUEUE, lease.item.id, lease.token);
      return this.final(event, result, 'success');
    }
    if (retries >= (this.options.maxRetryAttempts ?? 2)) {
      await queues.ack(ASYNC_QUEUE, lease.item.id, lease.token);
      return this.final(event, result, 'retries-exhausted');
    }
    await queues.release(ASYNC_QUEUE, lease.item.id, lease.token, this.retryDelay(lease.item.attempts));
  }

  private retryDelay(attempts: number): number {
    const delays = this.options.retryDelaysMs ?? [60_000, 120_000];
    return delays[Math.min(attempts - 1, delays.length - 1)] ?? 60_000;
  }

  /** Extends the lease while the function runs, so only a dead node's events are redelivered. */
  private keepLease(lease: Lease): { cancel(): void } {
    let timer: Timer | undefined;
    let stopped = false;
    const beat = (): void => {
      if (stopped) return;
      timer = this.options.clock.setTimer(this.leaseMs / 3, () => {
        void this.options.queues.extend(ASYNC_QUEUE, lease.item.id, lease.token, this.leaseMs).then(beat, beat);
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

  private final(event: AsyncEvent, result: InvocationResult | undefined, reason: 'success' | 'retries-exhausted' | 'too-old' | 'function-gone'): void {
    if (reason !== 'success') this.options.logger.warn('async event not delivered', { function: event.functionName, requestId: event.requestId, reason });
    this.options.onFinal?.(event, result, reason);
  }
}
