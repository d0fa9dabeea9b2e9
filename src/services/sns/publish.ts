import { createHash, randomUUID } from 'node:crypto';
import type { EnqueueItem } from '../../storage/index.js';
import { arnParts } from './arns.js';
import type { SnsContext } from './context.js';
import { DELIVERY_QUEUE, type DeliveryItem } from './delivery-items.js';
import { invalidParameter, snsError } from './errors.js';
import { notificationItems } from './fanout.js';
import { checkMessageAttributes, publishSize } from './message-attributes.js';
import { getTopic } from './topics.js';
import type { MessageAttributes, PublishedMessage, PublishResult, TopicRecord } from './types.js';

/**
 * Publish and PublishBatch. A publish is acknowledged only once one delivery item per matching subscription is
 * stored; FIFO topics also deduplicate (5 minutes) and number their messages.
 */
export const MAX_MESSAGE_BYTES = 262_144;
const MAX_BATCH = 10;
const DEDUP_WINDOW_MS = 5 * 60_000;
const BATCH_ID = /^[A-Za-z0-9_-]+$/;

/** One message as the caller gave it, before validation (binary attribute values in base64). */
export interface EntryInput {
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: MessageAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/** A validated message, not yet accepted. */
export interface Draft {
  message: string | Record<string, string>;
  subject?: string;
  attributes: MessageAttributes;
  size: number;
  groupId?: string;
  dedupId?: string;
  /** What content-based deduplication hashes. */
  body: string;
}

export function checkEntry(entry: EntryInput): Draft {
  if (entry.Subject !== undefined && !validSubject(entry.Subject)) throw invalidParameter('Subject');
  if (entry.Message === '') throw invalidParameter('Empty message');
  const checked = checkMessageAttributes(entry.MessageAttributes ?? {});
  return {
    message: structured(entry.Message, entry.MessageStructure),
    subject: entry.Subject,
    attributes: checked,
    size: publishSize(entry.Message, checked),
    groupId: entry.MessageGroupId,
    dedupId: entry.MessageDeduplicationId,
    body: entry.Message,
  };
}

/** SNS subjects: printable ASCII, no line breaks, at most 100 characters, not starting with a space. */
function validSubject(subject: string): boolean {
  return subject.length > 0 && subject.length <= 100 && /^[\x21-\x7e][\x20-\x7e]*$/.test(subject);
}

function structured(message: string, structure: string | undefined): string | Record<string, string> {
  if (structure === undefined) return message;
  if (structure !== 'json') throw invalidParameter('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParameter('Message Structure - JSON message body failed to parse');
  // Entries whose values are not strings are ignored, as SNS ignores them.
  const texts = Object.fromEntries(Object.entries(parsed).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
  if (texts.default === undefined) throw invalidParameter('Message Structure - No default entry in JSON message body');
  return texts;
}

/** Where a Publish goes: a topic (by TopicArn or TargetArn), a phone number, or a mobile endpoint. */
export type PublishTarget = { kind: 'topic'; arn: string } | { kind: 'phone'; number: string } | { kind: 'endpoint'; arn: string };

export function publishTarget(topicArn: string | undefined, targetArn: string | undefined, phoneNumber: string | undefined): PublishTarget {
  if (phoneNumber !== undefined && topicArn === undefined && targetArn === undefined) return { kind: 'phone', number: phoneNumber };
  const arn = topicArn ?? targetArn;
  if (arn === undefined) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  const parameter = topicArn !== undefined ? 'TopicArn' : 'TargetArn';
  arnParts(arn, parameter);
  if (arn.includes(':endpoint/')) return { kind: 'endpoint', arn };
  return { kind: 'topic', arn };
}

/** The text one protocol (or mobile platform) receives of a validated message. */
export function draftText(draft: Draft, protocol: string): string {
  return typeof draft.message === 'string' ? draft.message : (draft.message[protocol] ?? draft.message.default ?? '');
}

function checkFifo(topic: TopicRecord, drafts: Draft[]): void {
  const fifo = topic.attributes.FifoTopic === 'true';
  for (const draft of drafts) {
    if (!fifo) {
      if (draft.dedupId !== undefined) throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
      continue;
    }
    if (!draft.groupId) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
    if (!draft.dedupId && topic.attributes.ContentBasedDeduplication !== 'true') {
      throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
  }
}

export async function publishOne(ctx: SnsContext, arn: string, draft: Draft): Promise<PublishResult> {
  const topic = await getTopic(ctx, arn, 'TopicArn');
  checkFifo(topic, [draft]);
  if (draft.size > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  const [result] = await accept(ctx, topic, [draft]);
  return result!;
}

export interface BatchEntry extends EntryInput {
  Id: string;
}

export interface BatchResult {
  successful: (PublishResult & { id: string })[];
  failed: { id: string; code: string; message: string; senderFault: boolean }[];
}

/** Any invalid entry fails the whole request, as SNS does; entries fail one by one only when storage fails. */
export async function publishBatch(ctx: SnsContext, arn: string, entries: BatchEntry[]): Promise<BatchResult> {
  if (entries.length === 0) throw snsError('EmptyBatchRequestException', "The batch request doesn't contain any entries.");
  if (entries.length > MAX_BATCH) throw snsError('TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.');
  const topic = await getTopic(ctx, arn);
  checkBatchIds(entries);
  const drafts = entries.map((entry) => checkEntry(entry));
  checkFifo(topic, drafts);
  if (drafts.reduce((total, draft) => total + draft.size, 0) > MAX_MESSAGE_BYTES) {
    throw snsError('BatchRequestTooLongException', 'The length of all the messages put together is more than the limit.');
  }
  try {
    const results = await accept(ctx, topic, drafts);
    return { successful: results.map((result, index) => ({ id: entries[index]!.Id, ...result })), failed: [] };
  } catch (error) {
    ctx.logger.error('SNS could not store a batch', { topic: arn, error: String(error) });
    return { successful: [], failed: entries.map((entry) => ({ id: entry.Id, code: 'InternalError', message: 'Internal error', senderFault: false })) };
  }
}

function checkBatchIds(entries: BatchEntry[]): void {
  if (new Set(entries.map((entry) => entry.Id)).size !== entries.length) throw snsError('BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.');
  for (const { Id: id } of entries) {
    if (id.length > 80) throw snsError('InvalidBatchEntryIdException', `The Id of a batch entry in the batch request is too long: ${id}`);
    if (!BATCH_ID.test(id)) throw snsError('InvalidBatchEntryIdException', `The Id of a batch entry in the batch request contains an impermissible character: ${id}`);
  }
}

/**
 * Deduplicates, numbers and fans out the drafts. A standard topic stores every delivery item in one write; a FIFO
 * message's items commit with its deduplication record, so a crash can neither lose a message whose id was claimed
 * (a retry would be taken for a duplicate) nor keep items whose claim was lost.
 */
async function accept(ctx: SnsContext, topic: TopicRecord, drafts: Draft[]): Promise<PublishResult[]> {
  const subscriptions = await ctx.state.subscriptions({ topicArn: topic.arn });
  const tools = { filters: ctx.filters, logger: ctx.logger, signer: await ctx.signer() };
  const now = ctx.clock.now();
  const fanOut = (message: PublishedMessage): EnqueueItem[] => notificationItems(topic, message, subscriptions, tools);
  const newMessage = (draft: Draft): PublishedMessage => ({ messageId: randomUUID(), topicArn: topic.arn, message: draft.message, subject: draft.subject, attributes: draft.attributes, timestamp: now });
  if (topic.attributes.FifoTopic === 'true') {
    const results: PublishResult[] = [];
    for (const draft of drafts) results.push(await acceptFifo(ctx, topic, draft, newMessage(draft), now, fanOut));
    ctx.delivered();
    return results;
  }
  const items: EnqueueItem[] = [];
  const results: PublishResult[] = [];
  for (const draft of drafts) {
    const message = newMessage(draft);
    if (draft.groupId) message.messageGroupId = draft.groupId;
    items.push(...fanOut(message));
    results.push({ messageId: message.messageId });
  }
  await ctx.enqueue(items);
  return results;
}

/**
 * Within five minutes a FIFO topic accepts a deduplication id once; a repeat is acknowledged with the first
 * message's id and delivered to no one. A new id is claimed in the same write that stores the message's delivery
 * items and the item that forgets the id when the window ends.
 */
async function acceptFifo(ctx: SnsContext, topic: TopicRecord, draft: Draft, message: PublishedMessage, now: number, fanOut: (message: PublishedMessage) => EnqueueItem[]): Promise<PublishResult> {
  const dedupId = draft.dedupId ?? createHash('sha256').update(draft.body).digest('hex');
  const key = `${topic.arn}|${dedupId}`;
  const sequence = await ctx.metadata.nextSequence(`sns-sequence:${topic.arn}`);
  const sequenceNumber = (10n ** 19n + BigInt(sequence)).toString();
  const expiresAt = now + DEDUP_WINDOW_MS;
  Object.assign(message, { messageGroupId: draft.groupId, messageDeduplicationId: dedupId, sequenceNumber });
  const forget: DeliveryItem = { kind: 'forget-dedup', key, expiresAt };
  const items = [...fanOut(message), { body: JSON.stringify(forget), delayMs: DEDUP_WINDOW_MS }];
  const earlier = await ctx.state.claimDedup(key, { messageId: message.messageId, sequenceNumber, expiresAt }, now, { queue: DELIVERY_QUEUE, items: () => items });
  if (earlier) return { messageId: earlier.messageId, sequenceNumber: earlier.sequenceNumber };
  return { messageId: message.messageId, sequenceNumber };
}
