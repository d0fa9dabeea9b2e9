import { AwsError } from '../../protocol/index.js';
import type { ReceiptResult } from '../../storage/index.js';
import type { BatchResultErrorEntry, SendMessageBatchRequestEntry, SendMessageBatchResultEntry } from './api.js';
import type { Input, Output, SqsContext } from './context.js';
import type { SendResult } from './engine.js';
import { invalidParameter, invalidValue, sqsError } from './errors.js';
import { attributesSize, fromWire } from './message-attributes.js';
import { nameFromUrl } from './names.js';
import { SECONDS } from './queue-attributes.js';
import type { QueueConfig } from './queue-config.js';
import { renderMessage, type Selection } from './render.js';
import { prepareMessage, type MessageInput, type PreparedMessage } from './send-rules.js';

/** Message operations: send, receive (with long polling), delete and change visibility, single and batched. */

const MAX_BATCH = 10;
const MAX_BATCH_BYTES = 1_048_576;
const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_WAIT_SECONDS = 20;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

type MessageFields = Omit<Input<'SendMessage'>, 'QueueUrl'>;

function messageInput(fields: MessageFields): MessageInput {
  const input: MessageInput = { body: fields.MessageBody };
  if (fields.DelaySeconds !== undefined) input.delaySeconds = fields.DelaySeconds;
  const attributes = fromWire(fields.MessageAttributes);
  if (attributes) input.messageAttributes = attributes;
  const system = fromWire(fields.MessageSystemAttributes);
  if (system) input.systemAttributes = system;
  if (fields.MessageGroupId !== undefined) input.groupId = fields.MessageGroupId;
  if (fields.MessageDeduplicationId !== undefined) input.deduplicationId = fields.MessageDeduplicationId;
  return input;
}

/** What a send answers, in the model's member order. */
function sendOutput(result: SendResult): Omit<SendMessageBatchResultEntry, 'Id'> {
  return {
    MD5OfMessageBody: result.md5OfBody,
    ...(result.md5OfAttributes ? { MD5OfMessageAttributes: result.md5OfAttributes } : {}),
    ...(result.md5OfSystemAttributes ? { MD5OfMessageSystemAttributes: result.md5OfSystemAttributes } : {}),
    MessageId: result.messageId,
    ...(result.sequenceNumber ? { SequenceNumber: result.sequenceNumber } : {}),
  };
}

async function queueOf(ctx: SqsContext, url: string): Promise<QueueConfig> {
  return ctx.engine.settings.get(nameFromUrl(url));
}

export async function sendMessage(input: Input<'SendMessage'>, ctx: SqsContext): Promise<Output<'SendMessage'>> {
  const config = await queueOf(ctx, input.QueueUrl);
  const [result] = await ctx.engine.send(config, [prepareMessage(config, messageInput(input))]);
  if (!result) throw new Error('the store answered no send');
  return sendOutput(result);
}

export async function sendMessageBatch(input: Input<'SendMessageBatch'>, ctx: SqsContext): Promise<Output<'SendMessageBatch'>> {
  const entries = input.Entries;
  checkBatch(entries, 'SendMessageBatchRequestEntry');
  const config = await queueOf(ctx, input.QueueUrl);
  const messages = entries.map(messageInput);
  const size = messages.reduce((sum, message) => sum + Buffer.byteLength(message.body) + attributesSize(message.messageAttributes), 0);
  if (size > MAX_BATCH_BYTES) {
    throw sqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${size} bytes.`);
  }
  if (config.fifo) checkFifoBatch(config, entries);
  const failed: BatchResultErrorEntry[] = [];
  const accepted: { id: string; prepared: PreparedMessage }[] = [];
  entries.forEach((entry, i) => {
    try {
      accepted.push({ id: entry.Id, prepared: prepareMessage(config, messages[i] as MessageInput, true) });
    } catch (error) {
      failed.push(failure(entry.Id, error));
    }
  });
  const results = accepted.length > 0 ? await ctx.engine.send(config, accepted.map((a) => a.prepared)) : [];
  const successful = results.map((result, i) => ({ Id: accepted[i]?.id ?? '', ...sendOutput(result) }));
  return { Successful: successful, Failed: failed };
}

/** A FIFO batch missing group or deduplication ids fails as a whole, as SQS answers it. */
function checkFifoBatch(config: QueueConfig, entries: readonly SendMessageBatchRequestEntry[]): void {
  if (entries.some((entry) => entry.MessageGroupId === undefined)) throw invalidValue('The request must contain the parameter MessageGroupId.');
  if (!config.contentBasedDeduplication && entries.some((entry) => entry.MessageDeduplicationId === undefined)) {
    throw invalidValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
}

export async function receiveMessage(input: Input<'ReceiveMessage'>, ctx: SqsContext): Promise<Output<'ReceiveMessage'>> {
  const config = await queueOf(ctx, input.QueueUrl);
  const max = input.MaxNumberOfMessages ?? 1;
  if (max < 1 || max > MAX_BATCH) throw invalidParameter('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
  const visibility = input.VisibilityTimeout ?? config.visibilityTimeout;
  checkVisibility(visibility);
  const wait = input.WaitTimeSeconds ?? config.receiveWaitTimeSeconds;
  if (wait < 0 || wait > MAX_WAIT_SECONDS) throw invalidParameter('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
  const received = await ctx.engine.receive(config, { max, visibilityMs: visibility * SECONDS, waitMs: wait * SECONDS });
  if (received.length === 0) return {};
  const selection = selectionOf(input);
  return { Messages: received.map((message) => renderMessage(message, config.fifo, ctx.engine.scope, selection)) };
}

function selectionOf(input: Input<'ReceiveMessage'>): Selection {
  const names = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
  return { system: names.includes('All') ? 'all' : new Set(names), messageAttributes: input.MessageAttributeNames ?? [] };
}

export async function deleteMessage(input: Input<'DeleteMessage'>, ctx: SqsContext): Promise<void> {
  const config = await queueOf(ctx, input.QueueUrl);
  const [result] = await ctx.engine.delete(config, [input.ReceiptHandle]);
  const error = receiptError(result ?? 'ok', input.ReceiptHandle);
  if (error) throw error;
}

export async function deleteMessageBatch(input: Input<'DeleteMessageBatch'>, ctx: SqsContext): Promise<Output<'DeleteMessageBatch'>> {
  checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
  const config = await queueOf(ctx, input.QueueUrl);
  const results = await ctx.engine.delete(config, input.Entries.map((entry) => entry.ReceiptHandle));
  return batchOutput(input.Entries, results);
}

export async function changeMessageVisibility(input: Input<'ChangeMessageVisibility'>, ctx: SqsContext): Promise<void> {
  checkVisibility(input.VisibilityTimeout);
  const config = await queueOf(ctx, input.QueueUrl);
  const [result] = await ctx.engine.changeVisibility(config, [{ receipt: input.ReceiptHandle, visibilityMs: input.VisibilityTimeout * SECONDS }]);
  const error = receiptError(result ?? 'ok', input.ReceiptHandle);
  if (error) throw error;
}

export async function changeMessageVisibilityBatch(input: Input<'ChangeMessageVisibilityBatch'>, ctx: SqsContext): Promise<Output<'ChangeMessageVisibilityBatch'>> {
  const entries = input.Entries;
  checkBatch(entries, 'ChangeMessageVisibilityBatchRequestEntry');
  const config = await queueOf(ctx, input.QueueUrl);
  const failed: BatchResultErrorEntry[] = [];
  const valid: typeof entries = [];
  for (const entry of entries) {
    try {
      checkVisibility(entry.VisibilityTimeout ?? 0);
      valid.push(entry);
    } catch (error) {
      failed.push(failure(entry.Id, error));
    }
  }
  const changes = valid.map((entry) => ({ receipt: entry.ReceiptHandle, visibilityMs: (entry.VisibilityTimeout ?? 0) * SECONDS }));
  const results = changes.length > 0 ? await ctx.engine.changeVisibility(config, changes) : [];
  const out = batchOutput(valid, results);
  return { Successful: out.Successful, Failed: [...failed, ...out.Failed] };
}

function checkVisibility(seconds: number): void {
  if (seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
    throw invalidParameter('VisibilityTimeout', seconds, `Must be between 0 and ${MAX_VISIBILITY_SECONDS}, if provided.`);
  }
}

function checkBatch(entries: readonly { Id: string }[], entryName: string): void {
  if (entries.length === 0) throw sqsError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`);
  if (entries.length > MAX_BATCH) {
    throw sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH}. You have sent ${entries.length}.`);
  }
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (!BATCH_ID.test(Id)) {
      throw sqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(Id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${Id} repeated.`);
    seen.add(Id);
  }
}

function batchOutput(entries: readonly { Id: string; ReceiptHandle: string }[], results: ReceiptResult[]): { Successful: { Id: string }[]; Failed: BatchResultErrorEntry[] } {
  const Successful: { Id: string }[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  entries.forEach((entry, i) => {
    const error = receiptError(results[i] ?? 'ok', entry.ReceiptHandle);
    if (error) Failed.push(failure(entry.Id, error));
    else Successful.push({ Id: entry.Id });
  });
  return { Successful, Failed };
}

function receiptError(result: ReceiptResult, handle: string): AwsError | undefined {
  switch (result) {
    case 'ok':
      return undefined;
    case 'invalid':
      return sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
    case 'expired':
      return invalidParameter('ReceiptHandle', handle, 'The receipt handle has expired.');
    case 'gone':
      return invalidParameter('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');
  }
}

/** A batch entry's failure; anything but an SQS error fails the whole request. */
function failure(id: string, error: unknown): BatchResultErrorEntry {
  if (!(error instanceof AwsError)) throw error;
  return { Id: id, SenderFault: error.fault === 'Sender', Code: error.awsCode, Message: error.message };
}
