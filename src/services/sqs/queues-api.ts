import { isFlintError } from '../../core/index.js';
import type { ReceivedMessage } from '../../storage/index.js';
import { invalidParameter, queueDoesNotExist, sqsError } from './errors.js';
import type { SqsEngine } from './engine.js';
import { decodeExtras } from './extras.js';
import { md5Hex, type MessageAttributes } from './message-attributes.js';
import { nameFromReference, queueArn } from './names.js';
import { SECONDS } from './queue-attributes.js';
import type { QueueConfig } from './queue-config.js';
import { systemAttributes } from './render.js';
import { prepareMessage, type MessageInput } from './send-rules.js';

/** A message attribute as Lambda's SQS event spells it. */
export interface QueueMessageAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64. */
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
}

/** A received message shaped as a record of Lambda's SQS event, ready for an event source mapping. */
export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, QueueMessageAttribute>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface QueueInfo {
  name: string;
  arn: string;
  fifo: boolean;
  /** Seconds. */
  visibilityTimeout: number;
  /** The queue's access policy (its Policy attribute), when it has one. */
  policy?: string;
}

export interface SendOptions {
  /** Message attributes in the wire form: { DataType, StringValue | BinaryValue (base64) }. */
  messageAttributes?: MessageAttributes;
  delaySeconds?: number;
  /** Required for FIFO queues. */
  groupId?: string;
  deduplicationId?: string;
}

export interface ReceiveOptions {
  /** 1 to 10. */
  max: number;
  /** Seconds; the queue's VisibilityTimeout when absent. */
  visibilityTimeout?: number;
  /** Wait up to this long for a first message (long polling); 0 when absent. */
  waitMs?: number;
}

/**
 * Queues for Flint's own subsystems, in process: S3 and SNS notifications send through it, Lambda's event source
 * mapping receives, deletes and extends visibility. Queues are named by ARN (this node's region and account) or
 * by name. Failures are FlintErrors: NOT_FOUND for a missing queue, INVALID_PARAMETER for a refused message or
 * receipt handle.
 */
export class SqsQueues {
  /** Obtained as `SqsService.queues`, which shares the service's queue settings and long polls. */
  constructor(private readonly engine: SqsEngine) {}

  /** The queue's settings, or undefined if there is no such queue. */
  async describe(queue: string): Promise<QueueInfo | undefined> {
    try {
      const config = await this.config(queue);
      const policy = config.record.attributes.Policy;
      return { name: config.name, arn: queueArn(this.engine.scope, config.name), fifo: config.fifo, visibilityTimeout: config.visibilityTimeout, ...(policy ? { policy } : {}) };
    } catch (error) {
      if (isFlintError(error, 'NOT_FOUND')) return undefined;
      throw error;
    }
  }

  async send(queue: string, body: string, options: SendOptions = {}): Promise<{ messageId: string; sequenceNumber?: string }> {
    const config = await this.config(queue);
    const input: MessageInput = { body };
    if (options.messageAttributes) input.messageAttributes = options.messageAttributes;
    if (options.delaySeconds !== undefined) input.delaySeconds = options.delaySeconds;
    if (options.groupId !== undefined) input.groupId = options.groupId;
    if (options.deduplicationId !== undefined) input.deduplicationId = options.deduplicationId;
    const [result] = await this.engine.send(config, [prepareMessage(config, input)]);
    if (!result) throw new Error('the store answered no send');
    return result.sequenceNumber === undefined ? { messageId: result.messageId } : { messageId: result.messageId, sequenceNumber: result.sequenceNumber };
  }

  async receive(queue: string, options: ReceiveOptions): Promise<QueueMessage[]> {
    const config = await this.config(queue);
    if (!Number.isInteger(options.max) || options.max < 1 || options.max > 10) {
      throw invalidParameter('MaxNumberOfMessages', options.max, 'Must be between 1 and 10, if provided.');
    }
    const visibility = options.visibilityTimeout ?? config.visibilityTimeout;
    const received = await this.engine.receive(config, { max: options.max, visibilityMs: visibility * SECONDS, waitMs: options.waitMs ?? 0 });
    return received.map((message) => this.record(config, message));
  }

  async delete(queue: string, receiptHandle: string): Promise<void> {
    const failed = await this.deleteBatch(queue, [receiptHandle]);
    if (failed.length > 0) throw receiptRefused(receiptHandle);
  }

  /** Deletes many at once; returns the handles that were refused (invalid, or expired on a FIFO queue). */
  async deleteBatch(queue: string, receiptHandles: string[]): Promise<string[]> {
    const config = await this.config(queue);
    const results = await this.engine.delete(config, receiptHandles);
    return receiptHandles.filter((_, i) => results[i] !== 'ok');
  }

  /** Seconds, from now. */
  async changeVisibility(queue: string, receiptHandle: string, visibilityTimeout: number): Promise<void> {
    const config = await this.config(queue);
    const [result] = await this.engine.changeVisibility(config, [{ receipt: receiptHandle, visibilityMs: visibilityTimeout * SECONDS }]);
    if (result !== 'ok') throw receiptRefused(receiptHandle);
  }

  private async config(queue: string): Promise<QueueConfig> {
    const name = nameFromReference(this.engine.scope, queue);
    if (!name) throw queueDoesNotExist();
    return this.engine.settings.get(name);
  }

  private record(config: QueueConfig, message: ReceivedMessage): QueueMessage {
    const scope = this.engine.scope;
    const extras = decodeExtras(message.attributes);
    const record: QueueMessage = {
      messageId: message.id,
      receiptHandle: message.receipt,
      body: message.body,
      attributes: systemAttributes(message, config.fifo, scope, extras.traceHeader, 'all') ?? {},
      messageAttributes: lambdaAttributes(extras.attributes),
      md5OfBody: md5Hex(message.body),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn(scope, config.name),
      awsRegion: scope.region,
    };
    if (extras.md5) record.md5OfMessageAttributes = extras.md5;
    return record;
  }
}

function lambdaAttributes(attributes: MessageAttributes | undefined): Record<string, QueueMessageAttribute> {
  const out: Record<string, QueueMessageAttribute> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const attribute: QueueMessageAttribute = { dataType: value.DataType, stringListValues: [], binaryListValues: [] };
    if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
    if (value.BinaryValue !== undefined) attribute.binaryValue = value.BinaryValue;
    out[name] = attribute;
  }
  return out;
}

function receiptRefused(handle: string): Error {
  return sqsError('ReceiptHandleIsInvalid', `The receipt handle "${handle}" is not valid for this queue or has expired.`);
}
