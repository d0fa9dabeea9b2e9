import { createHash, randomUUID } from 'node:crypto';
import type { NewMessage } from '../../storage/index.js';
import { invalidParameter, invalidValue, missingParameter, sqsError } from './errors.js';
import { encodeExtras } from './extras.js';
import {
  attributesSize,
  checkMessageAttributes,
  INVALID_CHARACTER,
  INVALID_CHARACTER_MESSAGE,
  md5Hex,
  md5OfAttributes,
  normaliseAttributes,
  type MessageAttributes,
} from './message-attributes.js';
import { SECONDS } from './queue-attributes.js';
import type { QueueConfig } from './queue-config.js';

/** SendMessage's rules: what a message may contain, on which queue, and the digests SQS answers with. */

export interface MessageInput {
  body: string;
  delaySeconds?: number;
  messageAttributes?: MessageAttributes;
  systemAttributes?: MessageAttributes;
  groupId?: string;
  deduplicationId?: string;
}

export interface PreparedMessage {
  message: NewMessage;
  md5OfBody: string;
  md5OfAttributes?: string;
  md5OfSystemAttributes?: string;
}

const FIFO_ID = /^[0-9A-Za-z!"#$%&'()*+,./:;<=>?@[\\\]^_`{|}~-]{1,128}$/;
const MAX_DELAY_SECONDS = 900;
const TRACE_HEADER = 'AWSTraceHeader';
const WRONG_QUEUE_TYPE = 'The request include parameter that is not valid for this queue type.';

/** Validates one message for `config`'s queue; `batch` picks the wording SendMessageBatch uses. Throws SQS errors. */
export function prepareMessage(config: QueueConfig, input: MessageInput, batch = false): PreparedMessage {
  const body = input.body;
  if (body.length === 0) throw missingParameter('MessageBody');
  if (INVALID_CHARACTER.test(body)) throw sqsError('InvalidMessageContents', INVALID_CHARACTER_MESSAGE);
  const attributes = userAttributes(input.messageAttributes);
  const traceHeader = traceHeaderOf(input.systemAttributes);
  if (Buffer.byteLength(body) + attributesSize(attributes) > config.maximumMessageSize) {
    const wording = batch ? 'cannot be validated' : 'are invalid';
    throw invalidValue(`One or more parameters ${wording}. Reason: Message must be shorter than ${config.maximumMessageSize} bytes.`);
  }
  const attributesMd5 = attributes && md5OfAttributes(attributes);
  const message: NewMessage = { id: randomUUID(), body, delayMs: delaySecondsOf(config, input.delaySeconds) * SECONDS };
  const extras = encodeExtras({ attributes, md5: attributesMd5, traceHeader });
  if (extras !== undefined) message.attributes = extras;
  Object.assign(message, groupingOf(config, input, batch));
  const prepared: PreparedMessage = { message, md5OfBody: md5Hex(body) };
  if (attributesMd5) prepared.md5OfAttributes = attributesMd5;
  if (traceHeader !== undefined) prepared.md5OfSystemAttributes = md5OfAttributes({ [TRACE_HEADER]: { DataType: 'String', StringValue: traceHeader } });
  return prepared;
}

function userAttributes(given: MessageAttributes | undefined): MessageAttributes | undefined {
  if (!given || Object.keys(given).length === 0) return undefined;
  checkMessageAttributes(given);
  return normaliseAttributes(given);
}

function traceHeaderOf(system: MessageAttributes | undefined): string | undefined {
  if (!system) return undefined;
  let header: string | undefined;
  for (const [name, value] of Object.entries(system)) {
    if (name !== TRACE_HEADER) throw invalidValue(`Message system attribute name '${name}' is invalid.`);
    if (value.DataType !== 'String' || !value.StringValue) {
      throw invalidValue(`Message system attribute '${name}' must contain a non-empty value of type 'String'.`);
    }
    header = value.StringValue;
  }
  return header;
}

function delaySecondsOf(config: QueueConfig, given: number | undefined): number {
  // FIFO queues take the queue's delay; a per-message delay other than 0 is refused.
  if (config.fifo) {
    if (given !== undefined && given !== 0) throw invalidParameter('DelaySeconds', given, WRONG_QUEUE_TYPE);
    return config.delaySeconds;
  }
  if (given === undefined) return config.delaySeconds;
  if (!Number.isInteger(given) || given < 0 || given > MAX_DELAY_SECONDS) {
    throw invalidParameter('DelaySeconds', given, `DelaySeconds must be >= 0 and <= ${MAX_DELAY_SECONDS}.`);
  }
  return given;
}

function groupingOf(config: QueueConfig, input: MessageInput, batch: boolean): Partial<NewMessage> {
  const { groupId, deduplicationId } = input;
  if (groupId !== undefined) checkFifoId('MessageGroupId', groupId);
  if (!config.fifo) {
    // Standard queues take a group id (fair queues) but no deduplication id.
    if (deduplicationId !== undefined) throw invalidParameter('MessageDeduplicationId', deduplicationId, WRONG_QUEUE_TYPE);
    return groupId === undefined ? {} : { groupId };
  }
  if (groupId === undefined) {
    if (batch) throw invalidValue('The request must contain the parameter MessageGroupId.');
    throw missingParameter('MessageGroupId');
  }
  if (deduplicationId !== undefined) checkFifoId('MessageDeduplicationId', deduplicationId);
  const dedup = deduplicationId ?? (config.contentBasedDeduplication ? sha256Hex(input.body) : undefined);
  if (dedup === undefined) {
    throw invalidValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
  const deduplicationKey = config.perGroupDeduplication ? `${groupId}\u0000${dedup}` : dedup;
  return { groupId, deduplicationId: dedup, deduplicationKey };
}

function checkFifoId(parameter: string, value: string): void {
  if (!FIFO_ID.test(value)) {
    throw invalidParameter(parameter, value, `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
