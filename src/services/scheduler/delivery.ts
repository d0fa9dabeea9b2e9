import { isFlintError, type Clock, type Logger } from '../../core/index.js';
import { cappedBackoff, LeaseWorker } from '../../events/index.js';
import type { Lease, QueueStore } from '../../storage/index.js';
import { INVOCATION_QUEUE, invocationSchema, renderInput, type Invocation } from './invocations.js';
import type { SchedulerTargets, StringAttribute } from './types.js';

/**
 * Works the `scheduler-invocations` queue: claims invocations with leases and delivers each to its target (a
 * function asynchronously, a queue, a topic). A failed attempt is released with a backoff and tried again until the
 * target's RetryPolicy runs out (attempts or age); a client-side failure (the target is gone, refuses the message,
 * or is of a kind Flint does not deliver to) is not retried. A delivery that fails for good goes to the schedule's
 * dead-letter queue when it has one, and is logged.
 */
export interface DeliveryOptions {
  queues: QueueStore;
  targets: SchedulerTargets;
  clock: Clock;
  logger: Logger;
  parallel?: number;
  leaseMs?: number;
}

/** Backoff between attempts: 1 s doubling to at most 5 minutes (AWS's curve has jitter and is not documented). */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 300_000;

/** Why a delivery was given up, as the dead-letter message's EXHAUSTED_RETRY_CONDITION says. */
type Exhausted = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | undefined;

export class InvocationDelivery {
  private readonly worker: LeaseWorker;

  constructor(private readonly options: DeliveryOptions) {
    this.worker = new LeaseWorker({
      queues: options.queues,
      queue: INVOCATION_QUEUE,
      clock: options.clock,
      logger: options.logger,
      label: 'Scheduler invocation',
      parallel: options.parallel ?? 16,
      leaseMs: options.leaseMs ?? 60_000,
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
    const { queues, logger } = this.options;
    const parsed = invocationSchema.safeParse(JSON.parse(lease.item.body));
    if (!parsed.success) {
      logger.error('dropping an unreadable Scheduler invocation', { id: lease.item.id });
      await queues.ack(INVOCATION_QUEUE, lease.item.id, lease.token);
      return;
    }
    const invocation = parsed.data;
    const attempt = lease.item.attempts;
    const input = renderInput(invocation, attempt);
    try {
      await this.send(invocation, input);
      await queues.ack(INVOCATION_QUEUE, lease.item.id, lease.token);
    } catch (error) {
      await this.failed(lease, invocation, input, error);
    }
  }

  private send(invocation: Invocation, input: string): Promise<void> {
    const { targets } = this.options;
    const arn = invocation.targetArn;
    switch (serviceOf(arn)) {
      case 'lambda':
        return targets.invokeFunction(arn, input, invocation.executionId);
      case 'sqs':
        return targets.sendToQueue(arn, input, { messageGroupId: invocation.messageGroupId, deduplicationId: invocation.messageGroupId && invocation.executionId });
      case 'sns':
        return targets.publish(arn, input);
      default:
        return Promise.reject(new UnsupportedTarget(arn));
    }
  }

  private async failed(lease: Lease, invocation: Invocation, input: string, error: unknown): Promise<void> {
    const { queues, logger, clock } = this.options;
    if (this.worker.isClosed) {
      await queues.release(INVOCATION_QUEUE, lease.item.id, lease.token, 0).catch(() => false);
      return;
    }
    const retries = lease.item.attempts - 1;
    const delay = cappedBackoff(retries + 1, FIRST_RETRY_MS, MAX_RETRY_MS);
    const exhausted: Exhausted =
      retries >= invocation.maxRetries ? 'MaximumRetryAttempts' : clock.now() + delay - invocation.scheduledAt > invocation.maxAgeMs ? 'MaximumEventAgeInSeconds' : undefined;
    if (!clientSide(error) && !exhausted) {
      logger.debug('Scheduler invocation failed; will retry', { schedule: invocation.scheduleArn, retries, retryInMs: delay, error: String(error) });
      await queues.release(INVOCATION_QUEUE, lease.item.id, lease.token, delay);
      return;
    }
    logger.warn('Scheduler could not invoke a target', { schedule: invocation.scheduleArn, target: invocation.targetArn, retries, error: messageOf(error), deadLetterQueue: invocation.deadLetterArn });
    await this.deadLetter(invocation, input, error, retries, clientSide(error) ? undefined : exhausted);
    await queues.ack(INVOCATION_QUEUE, lease.item.id, lease.token);
  }

  /**
   * The dead-letter message: the input the target was sent, with message attributes naming the schedule, the target
   * and the error. The attribute names follow EventBridge's dead-letter messages (RULE_ARN becomes SCHEDULE_ARN);
   * AWS's documentation of Scheduler's dead-letter event was not at hand, so this layout is Flint's reading.
   */
  private async deadLetter(invocation: Invocation, input: string, error: unknown, retries: number, exhausted: Exhausted): Promise<void> {
    if (!invocation.deadLetterArn) return;
    const text = (value: string): StringAttribute => ({ DataType: 'String', StringValue: value });
    const attributes: Record<string, StringAttribute> = {
      ERROR_CODE: text(errorCodeOf(error)),
      ERROR_MESSAGE: text(messageOf(error).slice(0, 1024) || 'unknown error'),
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(retries) },
      SCHEDULE_ARN: text(invocation.scheduleArn),
      TARGET_ARN: text(invocation.targetArn),
    };
    if (exhausted) attributes.EXHAUSTED_RETRY_CONDITION = text(exhausted);
    try {
      await this.options.targets.sendToQueue(invocation.deadLetterArn, input, { attributes });
    } catch (failure) {
      this.options.logger.error('Scheduler could not send to the dead-letter queue', { queue: invocation.deadLetterArn, error: String(failure) });
    }
  }
}

/** A target ARN of a service Flint does not deliver to (universal targets, EventBridge buses, Step Functions...). */
class UnsupportedTarget extends Error {
  constructor(arn: string) {
    super(`Flint's Scheduler does not deliver to ${arn}: only Lambda functions, SQS queues and SNS topics are targets`);
  }
}

function serviceOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' ? parts[2] : undefined;
}

function clientSide(error: unknown): boolean {
  return error instanceof UnsupportedTarget || isFlintError(error, 'NOT_FOUND') || isFlintError(error, 'FUNCTION_NOT_FOUND') || isFlintError(error, 'INVALID_PARAMETER');
}

function errorCodeOf(error: unknown): string {
  if (error instanceof UnsupportedTarget) return 'UnsupportedTarget';
  if (isFlintError(error)) return error.details.awsType !== undefined ? String(error.details.awsType) : error.code;
  return 'InternalError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
