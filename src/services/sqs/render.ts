import type { ReceivedMessage } from '../../storage/index.js';
import type { Message } from './api.js';
import { decodeExtras } from './extras.js';
import { md5Hex, md5OfAttributes, selectAttributes, toWire } from './message-attributes.js';
import { queueArn, type Scope } from './names.js';

export const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;

export type SystemAttributeName = (typeof SYSTEM_ATTRIBUTE_NAMES)[number];

/** What a receiver asked for: system attributes (or all of them) and message attribute names/patterns. */
export interface Selection {
  system: ReadonlySet<string> | 'all';
  messageAttributes: readonly string[];
}

const SEQUENCE_BASE = 10n ** 19n;

/** SQS sequence numbers are large decimal strings; Flint's are 20 digits that grow with every stored message. */
export function sequenceNumber(sequence: number): string {
  return (SEQUENCE_BASE + BigInt(sequence)).toString();
}

/** A received message as ReceiveMessage returns it. */
export function renderMessage(message: ReceivedMessage, fifo: boolean, scope: Scope, selection: Selection): Message {
  const extras = decodeExtras(message.attributes);
  const wire: Message = { MessageId: message.id, ReceiptHandle: message.receipt, MD5OfBody: md5Hex(message.body), Body: message.body };
  const system = systemAttributes(message, fifo, scope, extras.traceHeader, selection.system);
  if (system) wire.Attributes = system;
  if (extras.attributes) {
    const selected = selectAttributes(extras.attributes, selection.messageAttributes);
    if (selected) {
      wire.MD5OfMessageAttributes = selected === extras.attributes && extras.md5 ? extras.md5 : md5OfAttributes(selected);
      wire.MessageAttributes = toWire(selected);
    }
  }
  return wire;
}

export function systemAttributes(
  message: ReceivedMessage,
  fifo: boolean,
  scope: Scope,
  traceHeader: string | undefined,
  wanted: ReadonlySet<string> | 'all',
): Record<string, string> | undefined {
  const all = wanted === 'all';
  if (!all && wanted.size === 0) return undefined;
  const out: Record<string, string> = {};
  const add = (name: SystemAttributeName, value: string | undefined) => {
    if (value !== undefined && (all || wanted.has(name))) out[name] = value;
  };
  add('SenderId', scope.accountId);
  add('SentTimestamp', String(message.sentAt));
  add('ApproximateReceiveCount', String(message.receiveCount));
  add('ApproximateFirstReceiveTimestamp', String(message.firstReceivedAt));
  add('AWSTraceHeader', traceHeader);
  if (fifo) {
    add('SequenceNumber', sequenceNumber(message.sequence));
    add('MessageDeduplicationId', message.deduplicationId);
  }
  add('MessageGroupId', message.groupId);
  add('DeadLetterQueueSourceArn', message.deadLetterSource && queueArn(scope, message.deadLetterSource));
  return Object.keys(out).length > 0 ? out : undefined;
}
