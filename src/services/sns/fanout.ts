import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '../../core/index.js';
import type { EnqueueItem } from '../../storage/index.js';
import { lastElement } from './arns.js';
import type { DeadLetter, DeliveryItem, RecordedDelivery } from './delivery-items.js';
import { httpDelivery } from './delivery-policy.js';
import type { FilterCache } from './filter-cache.js';
import { matchesPolicy, type FilterPolicyScope } from './filter/index.js';
import { confirmationEnvelope, emailBody, subscribeUrl, httpHeaders, isoTime, lambdaEvent, messageFor, notificationEnvelope, platformOf } from './formats.js';
import type { MessageSigner } from './signing.js';
import type { PublishedMessage, SubscriptionRecord, TopicRecord } from './types.js';

/** What fanning out needs besides the message: compiled filter policies, a logger and the node's signer. */
export interface FanoutTools {
  filters: FilterCache;
  logger: Logger;
  signer: MessageSigner;
}

/** Turns one accepted message into one delivery item per confirmed subscription whose filter policy matches. */
export function notificationItems(topic: TopicRecord, message: PublishedMessage, subscriptions: SubscriptionRecord[], tools: FanoutTools): EnqueueItem[] {
  const items: EnqueueItem[] = [];
  for (const subscription of subscriptions) {
    if (subscription.pending || !passesFilter(subscription, message, tools.filters, tools.logger)) continue;
    const item = deliveryFor(topic, message, subscription, tools.signer);
    items.push({ id: `${message.messageId}:${lastElement(subscription.arn)}`, body: JSON.stringify(item) });
  }
  return items;
}

function passesFilter(subscription: SubscriptionRecord, message: PublishedMessage, filters: FilterCache, logger: Logger): boolean {
  const policy = subscription.attributes.FilterPolicy;
  if (!policy) return true;
  try {
    const scope = (subscription.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
    return matchesPolicy(filters.get(policy, scope), message.attributes, messageFor(message, subscription.protocol));
  } catch (error) {
    logger.warn('skipping a subscription whose filter policy no longer compiles', { subscription: subscription.arn, error: String(error) });
    return false;
  }
}

function isFifo(topic: TopicRecord): boolean {
  return topic.attributes.FifoTopic === 'true';
}

function signatureVersion(topic: TopicRecord): string {
  return topic.attributes.SignatureVersion ?? '1';
}

function deliveryFor(topic: TopicRecord, message: PublishedMessage, subscription: SubscriptionRecord, signer: MessageSigner): DeliveryItem {
  const fifo = isFifo(topic);
  const raw = subscription.attributes.RawMessageDelivery === 'true';
  const text = messageFor(message, subscription.protocol === 'application' ? platformOf(subscription.endpoint) : subscription.protocol);
  let built: string | undefined;
  const envelope = (): string => (built ??= notificationEnvelope(message, subscription, { fifo, signatureVersion: signatureVersion(topic), signer }));
  const common = {
    subscriptionArn: subscription.arn,
    requireSubscription: true,
    deadLetter: deadLetterFor(subscription, raw ? text : envelope(), raw ? message : undefined),
    orderingKey: fifo && message.messageGroupId ? `${subscription.arn}|${message.messageGroupId}` : undefined,
  };
  switch (subscription.protocol) {
    case 'sqs':
      return {
        kind: 'sqs',
        ...common,
        queueArn: subscription.endpoint,
        body: raw ? text : envelope(),
        attributes: raw && Object.keys(message.attributes).length > 0 ? message.attributes : undefined,
        fifo: fifo && subscription.endpoint.endsWith('.fifo') && message.messageGroupId ? { messageGroupId: message.messageGroupId, messageDeduplicationId: message.messageDeduplicationId ?? sha256(text) } : undefined,
      };
    case 'lambda':
      return { kind: 'lambda', ...common, functionArn: subscription.endpoint, event: lambdaEvent(message, subscription, signer, signatureVersion(topic)) as unknown as Record<string, unknown> };
    case 'http':
    case 'https': {
      const policy = httpDelivery(subscription.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy);
      const headers = httpHeaders({ type: 'Notification', messageId: message.messageId, topicArn: topic.arn, subscriptionArn: subscription.arn, raw, contentType: policy.contentType });
      return { kind: 'http', ...common, url: subscription.endpoint, headers, body: raw ? text : envelope(), retry: policy.retry };
    }
    case 'sms':
    case 'application':
      return { kind: 'record', ...common, delivery: recorded(message, subscription, text) };
    case 'email':
      return { kind: 'record', ...common, delivery: { ...recorded(message, subscription, emailBody(text, subscription)), subject: message.subject ?? emailSubject(topic) } };
    case 'email-json':
      return { kind: 'record', ...common, delivery: { ...recorded(message, subscription, envelope()), subject: message.subject ?? emailSubject(topic) } };
  }
}

function recorded(message: PublishedMessage, subscription: SubscriptionRecord, text: string): RecordedDelivery {
  const delivery: RecordedDelivery = {
    id: `${message.messageId}:${lastElement(subscription.arn)}`,
    protocol: subscription.protocol,
    endpoint: subscription.endpoint,
    type: 'Notification',
    messageId: message.messageId,
    topicArn: message.topicArn,
    subscriptionArn: subscription.arn,
    message: text,
    timestamp: isoTime(message.timestamp),
  };
  const attributes = Object.entries(message.attributes).filter(([, value]) => value.StringValue !== undefined);
  if (attributes.length > 0) delivery.attributes = Object.fromEntries(attributes.map(([name, value]) => [name, value.StringValue!]));
  return delivery;
}

/** An email's subject when the message has none: the topic's DisplayName, else SNS's default. */
function emailSubject(topic: TopicRecord): string {
  return topic.attributes.DisplayName || 'AWS Notification Message';
}

function deadLetterFor(subscription: SubscriptionRecord, body: string, rawMessage: PublishedMessage | undefined): DeadLetter | undefined {
  const policy = subscription.attributes.RedrivePolicy;
  if (!policy) return undefined;
  try {
    const target = (JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    if (typeof target !== 'string') return undefined;
    const attributes = rawMessage && Object.keys(rawMessage.attributes).length > 0 ? rawMessage.attributes : undefined;
    return { queueArn: target, body, attributes };
  } catch {
    return undefined;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const CONFIRM_SUBJECT = (topic: TopicRecord) => `${topic.attributes.DisplayName || 'AWS Notification'} - Subscription Confirmation`;

/** The confirmation email SNS sends an email subscriber (its text, abridged). */
function confirmationEmail(topic: TopicRecord, url: string): string {
  return `You have chosen to subscribe to the topic: \n${topic.arn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \nConfirm subscription: ${url}\n`;
}

const CONFIRM_TEXT = (topicArn: string) => `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
const UNSUBSCRIBE_TEXT = (subscriptionArn: string) =>
  `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;

/**
 * The SubscriptionConfirmation (or UnsubscribeConfirmation) POST to an HTTP(S) endpoint, or the confirmation email
 * recorded for an email or email-json subscription, as a delivery item.
 */
export function confirmationItem(topic: TopicRecord, subscription: SubscriptionRecord, type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation', token: string, now: number, signer: MessageSigner): EnqueueItem {
  const messageId = randomUUID();
  const policy = httpDelivery(subscription.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy);
  const text = type === 'SubscriptionConfirmation' ? CONFIRM_TEXT(topic.arn) : UNSUBSCRIBE_TEXT(subscription.arn);
  const body = confirmationEnvelope({
    type,
    messageId,
    token,
    topicArn: topic.arn,
    text,
    timestamp: now,
    baseUrl: subscription.baseUrl,
    signatureVersion: signatureVersion(topic),
    signer,
  });
  if (subscription.protocol === 'email' || subscription.protocol === 'email-json') {
    const delivery: RecordedDelivery = {
      id: messageId,
      protocol: subscription.protocol,
      endpoint: subscription.endpoint,
      type,
      messageId,
      topicArn: topic.arn,
      subscriptionArn: subscription.arn,
      subject: CONFIRM_SUBJECT(topic),
      message: subscription.protocol === 'email' ? confirmationEmail(topic, subscribeUrl(subscription.baseUrl, topic.arn, token)) : body,
      timestamp: isoTime(now),
    };
    const item: DeliveryItem = { kind: 'record', subscriptionArn: subscription.arn, requireSubscription: false, delivery };
    return { id: messageId, body: JSON.stringify(item) };
  }
  const headers = httpHeaders({ type, messageId, topicArn: topic.arn, subscriptionArn: type === 'UnsubscribeConfirmation' ? subscription.arn : undefined, raw: false, contentType: policy.contentType });
  const item: DeliveryItem = { kind: 'http', subscriptionArn: subscription.arn, requireSubscription: false, url: subscription.endpoint, headers, body, retry: policy.retry };
  return { id: messageId, body: JSON.stringify(item) };
}
