/**
 * Lambda's asynchronous invocation: an accepted event is first written to a durable queue, then delivered
 * to the function at least once. A function error is retried (twice by default, after about 1 and 2
 * minutes, as Lambda does); an event older than the maximum event age is dropped. The event keeps its
 * request id across retries so handlers can be idempotent. Leases are extended while an event runs, so a
 * node that dies mid-invocation has its events redelivered once their lease lapses.
 *
 * The function's event invoke configuration (per qualifier) overrides the retry count and the maximum age, and
 * names where outcomes go: a success to OnSuccess, a final failure to OnFailure (Lambda's invocation record) or,
 * without one, the original event to the function's dead-letter queue or topic. An event whose next retry would
 * come after its maximum age ends at once with EventAgeExceeded.
 */
import { z } from 'zod';
import { isFlintError, type Clock, type Logger } from '../core/index.js';
import type { InvocationResult, Invoker, InvokeTarget } from '../invoker/index.js';
import type { Lease, QueueStore } from '../storage/index.js';
import { deadLetterAttributes, invocationRecord, type AsyncCondition } from './async-outcomes.js';
import type { AsyncSettings } from './invoke-configs.js';
import { LeaseWorker } from './lease-worker.js';
import type { DestinationSender } from './ports.js';

export const ASYNC_QUEUE = 'lambda-async';

/**
 * What the queue keeps of an event: its envelope as JSON in the item's body, its payload as bytes beside it. Items
 * queued by earlier releases carried the payload base64-encoded in the envelope; they are still read.
 */
const envelopeSchema = z.object({
  requestId: z.string(),
  functionName: z.string(),
  qualifier: z.string().optional(),
  clientContext: z.string().optional(),
  payload: z.string().optional(),
});

export interface AsyncEvent {
  requestId: string;
  /** Name, or partial or full ARN, as the caller gave it. */
  functionName: string;
  qualifier?: string;
  payload: Buffer;
  clientContext?: string;
}

export type AsyncOutcome = 'success' | 'retries-exhausted' | 'too-old' | 'function-gone';

/** What an event's target resolves to; `version` is what runs (the invoke target's config names it too). */
export type AsyncTarget = InvokeTarget & { arn: string; version?: string };

const DEFAULT_MAX_AGE_MS = 6 * 3600_000;

export interface AsyncInvocationOptions {
  queues: QueueStore;
  /** Runs a resolved target (the FunctionCaller, which observes each run). */
  invoker: Pick<Invoker, 'invoke'>;
  clock: Clock;
  logger: Logger;
  /** Resolves the function version an event targets; throws FUNCTION_NOT_FOUND when it is gone. */
  resolve: (functionName: string, qualifier: string | undefined) => Promise<AsyncTarget>;
  /** Per-function settings (EventInvokeConfigs): retries, maximum age, destinations, dead-letter target. */
  settings?: { settings(functionName: string, qualifier: string | undefined): Promise<AsyncSettings> };
  /** Delivers to destinations and dead-letter targets; without it outcomes are only logged. */
  destinations?: DestinationSender;
  maxRetryAttempts?: number;
  maxEventAgeMs?: number;
  /** Delay before each retry, by retry number. */
  retryDelaysMs?: number[];
  /** Events run at once; the invoker's concurrency limits still apply beneath this. */
  parallel?: number;
  leaseMs?: number;
  /** Told about every final outcome, after its destination has been sent (for tests and metrics). */
  onFinal?: (event: AsyncEvent, result: InvocationResult | undefined, reason: AsyncOutcome) => void;
}

export class AsyncInvocations {
  private readonly worker: LeaseWorker;

  constructor(private readonly options: AsyncInvocationOptions) {
    this.worker = new LeaseWorker({
      queues: options.queues,
      queue: ASYNC_QUEUE,
      clock: options.clock,
      logger: options.logger,
      label: 'async invocation',
      parallel: options.parallel ?? 64,
      leaseMs: options.leaseMs ?? 30_000,
      handle: (lease) => this.deliver(lease),
    });
  }

  /** Durably accepts an event; resolves once it is stored. */
  async accept(event: AsyncEvent): Promise<void> {
    const { payload, ...envelope } = event;
    await this.options.queues.enqueue(ASYNC_QUEUE, [{ id: event.requestId, body: JSON.stringify(envelope), payload }]);
    this.worker.wake();
  }

  start(): void {
    this.worker.start();
  }

  async close(): Promise<void> {
    await this.worker.close();
  }

  private async deliver(lease: Lease): Promise<void> {
    const { queues, logger } = this.options;
    const event = readEvent(lease);
    if (!event) {
      logger.error('dropping an unreadable async event', { id: lease.item.id });
      await queues.ack(ASYNC_QUEUE, lease.item.id, lease.token);
      return;
    }
    const settings = await this.settingsOf(event);
    if (this.options.clock.now() - lease.item.enqueuedAt > this.maxAge(settings)) {
      return this.finish(lease, event, settings, { outcome: 'too-old', invokeCount: lease.item.attempts - 1 });
    }
    const heartbeat = this.worker.hold(lease);
    try {
      const target = await this.options.resolve(event.functionName, event.qualifier);
      const result = await this.options.invoker.invoke(
        target,
        { requestId: event.requestId, payload: event.payload, invokedArn: target.arn, clientContext: event.clientContext },
        'async',
      );
      heartbeat.cancel();
      await this.settle(lease, event, settings, { target, result });
    } catch (error) {
      heartbeat.cancel();
      if (isFlintError(error, 'FUNCTION_NOT_FOUND')) return this.finish(lease, event, settings, { outcome: 'function-gone', invokeCount: lease.item.attempts - 1 });
      if (isFlintError(error, 'SHUTTING_DOWN')) return; // the lease lapses and the event is redelivered
      logger.error('async invocation failed before reaching the function', { requestId: event.requestId, error: String(error) });
      await queues.release(ASYNC_QUEUE, lease.item.id, lease.token, this.retryDelay(lease.item.attempts));
    }
  }

  private async settle(lease: Lease, event: AsyncEvent, settings: AsyncSettings, run: { target: AsyncTarget; result: InvocationResult }): Promise<void> {
    const invokeCount = lease.item.attempts;
    if (run.result.status === 'success') return this.finish(lease, event, settings, { outcome: 'success', invokeCount, ...run });
    const retries = invokeCount - 1;
    if (retries >= (settings.maximumRetryAttempts ?? this.options.maxRetryAttempts ?? 2)) {
      return this.finish(lease, event, settings, { outcome: 'retries-exhausted', invokeCount, ...run });
    }
    const delay = this.retryDelay(invokeCount);
    if (this.options.clock.now() + delay - lease.item.enqueuedAt >= this.maxAge(settings)) {
      return this.finish(lease, event, settings, { outcome: 'too-old', invokeCount, ...run });
    }
    await this.options.queues.release(ASYNC_QUEUE, lease.item.id, lease.token, delay);
  }

  private async settingsOf(event: AsyncEvent): Promise<AsyncSettings> {
    try {
      return (await this.options.settings?.settings(event.functionName, event.qualifier)) ?? {};
    } catch (error) {
      // A malformed name fails at invoke time with its own error; defaults apply until then.
      if (!isFlintError(error, 'INVALID_PARAMETER')) this.options.logger.warn('async settings unavailable, using defaults', { requestId: event.requestId, error: String(error) });
      return {};
    }
  }

  private maxAge(settings: AsyncSettings): number {
    return settings.maximumEventAgeMs ?? this.options.maxEventAgeMs ?? DEFAULT_MAX_AGE_MS;
  }

  private retryDelay(attempts: number): number {
    const delays = this.options.retryDelaysMs ?? [60_000, 120_000];
    return delays[Math.min(attempts - 1, delays.length - 1)] ?? 60_000;
  }

  /** Sends the outcome where the configuration says, then removes the event from the queue. */
  private async finish(lease: Lease, event: AsyncEvent, settings: AsyncSettings, end: Ending): Promise<void> {
    if (end.outcome !== 'success') {
      this.options.logger.warn('async event not delivered', { function: event.functionName, requestId: event.requestId, reason: end.outcome });
    }
    try {
      await this.sendOutcome(event, settings, end);
    } catch (error) {
      this.options.logger.error('async invocation destination failed', { function: event.functionName, requestId: event.requestId, error: String(error) });
    }
    await this.options.queues.ack(ASYNC_QUEUE, lease.item.id, lease.token);
    this.options.onFinal?.(event, end.result, end.outcome);
  }

  private async sendOutcome(event: AsyncEvent, settings: AsyncSettings, end: Ending): Promise<void> {
    const sender = this.options.destinations;
    if (!sender || end.outcome === 'function-gone') return;
    const { payload } = event;
    const destination = end.outcome === 'success' ? settings.onSuccess : settings.onFailure;
    if (destination) {
      const condition: AsyncCondition = end.outcome === 'success' ? 'Success' : end.outcome === 'too-old' ? 'EventAgeExceeded' : 'RetriesExhausted';
      const target = end.target ?? (await this.options.resolve(event.functionName, event.qualifier).catch(() => undefined));
      const record = invocationRecord({
        requestId: event.requestId,
        functionArn: qualifiedArn(target?.arn ?? event.functionName, event.qualifier),
        condition,
        approximateInvokeCount: end.invokeCount,
        payload,
        result: end.result,
        executedVersion: target?.version ?? target?.config.version,
        now: this.options.clock.now(),
      });
      return sender.send(destination, JSON.stringify(record));
    }
    if (end.outcome !== 'success' && settings.deadLetterTargetArn) {
      await sender.send(settings.deadLetterTargetArn, payload.toString('utf8'), deadLetterAttributes(event.requestId, end.result));
    }
  }
}

interface Ending {
  outcome: AsyncOutcome;
  /** Attempts that reached the function. */
  invokeCount: number;
  target?: AsyncTarget;
  result?: InvocationResult;
}

/** Invocation records name the function with what was invoked: the qualifier given, or $LATEST. */
function qualifiedArn(arn: string, qualifier: string | undefined): string {
  if (/:function:[^:]+:[^:]+$/.test(arn)) return arn;
  return `${arn}:${qualifier ?? '$LATEST'}`;
}

function readEvent(lease: Lease): AsyncEvent | undefined {
  const parsed = envelopeSchema.safeParse(parseJson(lease.item.body));
  if (!parsed.success) return undefined;
  const { payload: legacy, ...envelope } = parsed.data;
  const payload = lease.item.payload ?? (legacy !== undefined ? Buffer.from(legacy, 'base64') : undefined);
  return payload ? { ...envelope, payload } : undefined;
}

/** Undefined for text that is not JSON, which the schema then refuses like any other unreadable event. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
