import { isFlintError, type Clock, type Logger } from '../../core/index.js';
import { LeaseWorker } from '../../events/index.js';
import type { Lease, QueueStore } from '../../storage/index.js';
import { DELIVERY_QUEUE, deliveryItemSchema, type EndpointDelivery } from './delivery-items.js';
import { AWS_MANAGED_POLICY, retryDelayMs } from './delivery-policy.js';
import { postToEndpoint } from './http-delivery.js';
import { queueAttributes } from './formats.js';
import type { SnsState } from './state.js';
import type { MessageAttributes, QueueMessageAttribute, SnsLambdaEvent, SnsTargets } from './types.js';

/**
 * Works the `sns-deliveries` queue: claims items with leases and makes each delivery on its own, so a slow or
 * failing subscriber never holds back the others. A failed attempt is released with the delay its retry
 * policy gives (timers on the injected clock); a client-side error (function or queue gone) or an exhausted
 * policy ends the delivery, into the subscription's dead-letter queue when it has one, and is logged.
 */
export interface DispatcherOptions {
  queues: QueueStore;
  state: SnsState;
  targets: SnsTargets;
  clock: Clock;
  logger: Logger;
  /** Deliveries in flight at once. */
  parallel?: number;
  /** How long a claimed item stays invisible; an attempt takes at most 15 s (the HTTP timeout) plus target time. */
  leaseMs?: number;
}

export class DeliveryDispatcher {
  private readonly worker: LeaseWorker;
  private readonly stop = new AbortController();
  /** FIFO ordering: the last delivery of each (subscription, message group), which the next one waits for. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly options: DispatcherOptions) {
    this.worker = new LeaseWorker({
      queues: options.queues,
      queue: DELIVERY_QUEUE,
      clock: options.clock,
      logger: options.logger,
      label: 'SNS delivery',
      parallel: options.parallel ?? 32,
      leaseMs: options.leaseMs ?? 60_000,
      handle: (lease) => this.deliver(lease),
    });
  }

  start(): void {
    this.worker.start();
  }

  /** Called after new items are stored, so they go out without waiting for a timer. */
  wake(): void {
    this.worker.wake();
  }

  async close(): Promise<void> {
    const closing = this.worker.close();
    this.stop.abort();
    await closing;
  }

  private get closed(): boolean {
    return this.worker.isClosed;
  }

  private async deliver(lease: Lease): Promise<void> {
    const { queues, logger } = this.options;
    try {
      const parsed = deliveryItemSchema.safeParse(JSON.parse(lease.item.body));
      if (!parsed.success) {
        logger.error('dropping an unreadable SNS delivery', { id: lease.item.id });
        await queues.ack(DELIVERY_QUEUE, lease.item.id, lease.token);
        return;
      }
      const item = parsed.data;
      if (item.kind === 'forget-dedup') {
        await this.options.state.forgetDedup(item.key, item.expiresAt);
        await queues.ack(DELIVERY_QUEUE, lease.item.id, lease.token);
        return;
      }
      await this.inOrder(item.orderingKey, () => this.attempt(lease, item));
    } catch (error) {
      // Storage trouble: the lease lapses and the item is claimed again.
      if (!this.closed) logger.error('SNS delivery failed unexpectedly', { id: lease.item.id, error: String(error) });
    }
  }

  private inOrder(key: string | undefined, work: () => Promise<void>): Promise<void> {
    if (key === undefined) return work();
    const next = (this.chains.get(key) ?? Promise.resolve()).then(work, work);
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  private async attempt(lease: Lease, item: EndpointDelivery): Promise<void> {
    const { queues, state } = this.options;
    if (item.requireSubscription && !(await state.subscription(item.subscriptionArn))) {
      await queues.ack(DELIVERY_QUEUE, lease.item.id, lease.token);
      return;
    }
    try {
      await this.send(item);
      await queues.ack(DELIVERY_QUEUE, lease.item.id, lease.token);
    } catch (error) {
      await this.failed(lease, item, error);
    }
  }

  private send(item: EndpointDelivery): Promise<void> {
    const { targets, clock } = this.options;
    switch (item.kind) {
      case 'sqs':
        return targets.sendToQueue(item.queueArn, item.body, toQueueAttributes(item.attributes), item.fifo);
      case 'lambda':
        return targets.invokeFunction(item.functionArn, item.event as unknown as SnsLambdaEvent);
      case 'http':
        return postToEndpoint(item.url, item.headers, item.body, clock, this.stop.signal);
      case 'record':
        return this.options.state.recordDelivery(item.delivery);
    }
  }

  private async failed(lease: Lease, item: EndpointDelivery, error: unknown): Promise<void> {
    const { queues, logger } = this.options;
    if (this.closed) {
      // Shutting down mid-attempt: hand the item back so the next start delivers it at once.
      await queues.release(DELIVERY_QUEUE, lease.item.id, lease.token, 0).catch(() => false);
      return;
    }
    const attempts = lease.item.attempts;
    const clientSide = isFlintError(error, 'FUNCTION_NOT_FOUND') || isFlintError(error, 'NOT_FOUND');
    const delay = clientSide ? undefined : retryDelayMs(item.kind === 'http' ? item.retry : AWS_MANAGED_POLICY, attempts);
    if (delay !== undefined) {
      logger.debug('SNS delivery failed; will retry', { subscription: item.subscriptionArn, attempts, retryInMs: delay, error: String(error) });
      await queues.release(DELIVERY_QUEUE, lease.item.id, lease.token, delay);
      return;
    }
    logger.warn(clientSide ? 'SNS delivery failed with a client-side error; not retrying' : 'SNS gave up delivering a message after its retry policy', {
      subscription: item.subscriptionArn,
      endpoint: endpointOf(item),
      attempts,
      error: error instanceof Error ? error.message : String(error),
      deadLetterQueue: item.deadLetter?.queueArn,
    });
    await this.deadLetter(item);
    await queues.ack(DELIVERY_QUEUE, lease.item.id, lease.token);
  }

  private async deadLetter(item: EndpointDelivery): Promise<void> {
    const target = item.deadLetter;
    if (!target) return;
    try {
      await this.options.targets.sendToQueue(target.queueArn, target.body, toQueueAttributes(target.attributes));
    } catch (error) {
      this.options.logger.error('SNS could not move a message to the dead-letter queue', { queue: target.queueArn, error: String(error) });
    }
  }
}

function toQueueAttributes(attributes: MessageAttributes | undefined): Record<string, QueueMessageAttribute> | undefined {
  return attributes && queueAttributes(attributes);
}

function endpointOf(item: EndpointDelivery): string {
  switch (item.kind) {
    case 'sqs':
      return item.queueArn;
    case 'lambda':
      return item.functionArn;
    case 'http':
      return item.url;
    case 'record':
      return item.delivery.endpoint;
  }
}
