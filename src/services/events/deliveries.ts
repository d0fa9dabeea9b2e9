import { z } from 'zod';
import { isFlintError, type Clock, type Logger } from '../../core/index.js';
import { cappedBackoff, LeaseWorker } from '../../events/index.js';
import type { Lease, QueueStore } from '../../storage/index.js';
import { serviceOfArn } from './arns.js';
import type { EventTargets } from './types.js';

/**
 * Durable deliveries: PutEvents and scheduled firings store one item per (matched rule, target) in the
 * `events-deliveries` work queue before they answer, and this dispatcher makes each delivery on its own, at least
 * once, across restarts. A failed attempt is retried with exponential backoff (1 s doubling to 5 minutes; EventBridge
 * adds jitter, Flint does not) until the target's RetryPolicy is spent (185 attempts and 24 hours by default);
 * a target that does not exist (or refuses the event as it is, e.g. a message too large for SQS) is not retried, as
 * EventBridge documents for missing resources. Given-up events go to the target's
 * dead-letter queue with EventBridge's attributes (RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE,
 * EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 */
export const DELIVERY_QUEUE = 'events-deliveries';
const MAX_BACKOFF_MS = 300_000;

export const deliverySchema = z.object({
  ruleArn: z.string(),
  targetId: z.string(),
  targetArn: z.string(),
  /** The exact bytes the target gets (the event, or its Input/InputPath/InputTransformer rendering). */
  body: z.string(),
  /** The event itself, for the dead-letter queue and for another bus. */
  event: z.string(),
  eventId: z.string(),
  messageGroupId: z.string().optional(),
  deadLetterArn: z.string().optional(),
  maxRetries: z.number(),
  /** Epoch ms after which the event is too old to deliver. */
  expiresAt: z.number(),
  /** How many buses the event has passed through before this one, to stop routing loops. */
  hops: z.number(),
});

export type Delivery = z.infer<typeof deliverySchema>;

export interface DispatcherOptions {
  queues: QueueStore;
  targets: EventTargets;
  /** Puts an event on another bus of this node (a target whose ARN is a bus). */
  forward(busArn: string, event: string, hops: number): Promise<void>;
  clock: Clock;
  logger: Logger;
  parallel?: number;
}

export class DeliveryDispatcher {
  private readonly worker: LeaseWorker;

  constructor(private readonly options: DispatcherOptions) {
    this.worker = new LeaseWorker({
      queues: options.queues,
      queue: DELIVERY_QUEUE,
      clock: options.clock,
      logger: options.logger,
      label: 'EventBridge delivery',
      parallel: options.parallel ?? 16,
      leaseMs: 60_000,
      handle: (lease) => this.deliver(lease),
    });
  }

  start(): void {
    this.worker.start();
  }

  wake(): void {
    this.worker.wake();
  }

  close(): Promise<void> {
    return this.worker.close();
  }

  private async deliver(lease: Lease): Promise<void> {
    const delivery = readDelivery(lease.item.body);
    const ack = () => this.options.queues.ack(DELIVERY_QUEUE, lease.item.id, lease.token);
    if (!delivery) {
      // Nothing can make an unreadable item deliverable: retrying it would only fill the log.
      this.options.logger.error('dropping an unreadable EventBridge delivery', { id: lease.item.id });
      await ack();
      return;
    }
    await this.send(delivery).then(ack, (error: unknown) => this.failed(lease, delivery, error));
  }

  private async send(delivery: Delivery): Promise<void> {
    const { targets } = this.options;
    const arn = delivery.targetArn;
    switch (serviceOfArn(arn)) {
      case 'lambda':
        return targets.invokeFunction(arn, delivery.body);
      case 'sqs':
        return targets.sendToQueue(arn, delivery.body, { messageGroupId: delivery.messageGroupId, deduplicationId: delivery.messageGroupId === undefined ? undefined : delivery.eventId });
      case 'sns':
        return targets.publishToTopic(arn, delivery.body);
      case 'events':
        return this.options.forward(arn, delivery.event, delivery.hops + 1);
      default:
        throw new Error(`Flint does not deliver to ${arn}`);
    }
  }

  private async failed(lease: Lease, delivery: Delivery, error: unknown): Promise<void> {
    const { queues, clock, logger } = this.options;
    if (this.worker.isClosed) {
      await queues.release(DELIVERY_QUEUE, lease.item.id, lease.token, 0).catch(() => false);
      return;
    }
    const attempts = lease.item.attempts;
    // A target that is gone, or that refuses the event as it is, fails the same way every time.
    const missing = isFlintError(error, 'FUNCTION_NOT_FOUND') || isFlintError(error, 'NOT_FOUND') || isFlintError(error, 'INVALID_PARAMETER');
    const tooOld = clock.now() >= delivery.expiresAt;
    if (!missing && !tooOld && attempts <= delivery.maxRetries) {
      const delay = cappedBackoff(attempts, 1000, MAX_BACKOFF_MS);
      logger.debug('EventBridge delivery failed; will retry', { rule: delivery.ruleArn, target: delivery.targetArn, attempts, retryInMs: delay, error: String(error) });
      await queues.release(DELIVERY_QUEUE, lease.item.id, lease.token, delay);
      return;
    }
    logger.warn('EventBridge gave up delivering an event', { rule: delivery.ruleArn, target: delivery.targetArn, attempts, error: messageOf(error), deadLetterQueue: delivery.deadLetterArn });
    if (delivery.deadLetterArn) await this.deadLetter(delivery, error, attempts, tooOld ? 'MaximumEventAgeInSeconds' : 'MaximumRetryAttempts');
    await queues.ack(DELIVERY_QUEUE, lease.item.id, lease.token);
  }

  private async deadLetter(delivery: Delivery, error: unknown, attempts: number, condition: string): Promise<void> {
    const text = (value: string) => ({ DataType: 'String', StringValue: value });
    const attributes = {
      RULE_ARN: text(delivery.ruleArn),
      TARGET_ARN: text(delivery.targetArn),
      ERROR_CODE: text(codeOf(error)),
      ERROR_MESSAGE: text(messageOf(error)),
      EXHAUSTED_RETRY_CONDITION: text(condition),
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(Math.max(0, attempts - 1)) },
    };
    try {
      await this.options.targets.sendToQueue(delivery.deadLetterArn!, delivery.event, { attributes });
    } catch (failure) {
      this.options.logger.error('EventBridge could not move an event to the dead-letter queue', { queue: delivery.deadLetterArn, error: String(failure) });
    }
  }
}

function readDelivery(text: string): Delivery | undefined {
  try {
    const parsed = deliverySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string {
  if (isFlintError(error)) return typeof error.details.awsType === 'string' ? error.details.awsType : error.code === 'FUNCTION_NOT_FOUND' || error.code === 'NOT_FOUND' ? 'ResourceNotFoundException' : 'InternalException';
  return 'InternalException';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
