import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '../../core/index.js';
import type { EnqueueItem } from '../../storage/index.js';
import { lastElement } from './arns.js';
import type { DeadLetter, DeliveryItem } from './delivery-items.js';
import { httpDelivery } from './delivery-policy.js';
import type { FilterCache } from './filter-cache.js';
import { matchesPolicy, type FilterPolicyScope } from './filter/index.js';
import { confirmationEnvelope, httpHeaders, lambdaEvent, messageFor, notificationEnvelope } from './formats.js';
import type { PublishedMessage, SubscriptionRecord, TopicRecord } from './types.js';

/** Turns one accepted message into one delivery item per confirmed subscription whose filter policy matches. */
export function notificationItems(topic: TopicRecord, message: PublishedMessage, subscriptions: SubscriptionRecord[], filters: FilterCache, logger: Logger): EnqueueItem[] {
  const items: EnqueueItem[] = [];
  for (const subscription of subscriptions) {
    if (subscription.pending || !passesFilter(subscription, message, filters, logger)) continue;
    const item = deliveryFor(topic, message, subscription);
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

function deliveryFor(topic: TopicRecord, message: PublishedMessage, subscription: SubscriptionRecord): DeliveryItem {
  const fifo = isFifo(topic);
  const raw = subscription.attributes.RawMessageDelivery === 'true';
  const text = messageFor(message, subscription.protocol);
  let built: string | undefined;
  const envelope = (): string => (built ??= notificationEnvelope(message, subscription, { fifo, signatureVersion: topic.attributes.SignatureVersion ?? '1' }));
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
      return { kind: 'lambda', ...common, functionArn: subscription.endpoint, event: lambdaEvent(message, subscription) as unknown as Record<string, unknown> };
    case 'http':
    case 'https': {
      const policy = httpDelivery(subscription.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy);
      const headers = httpHeaders({ type: 'Notification', messageId: message.messageId, topicArn: topic.arn, subscriptionArn: subscription.arn, raw, contentType: policy.contentType });
      return { kind: 'http', ...common, url: subscription.endpoint, headers, body: raw ? text : envelope(), retry: policy.retry };
    }
  }
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

const CONFIRM_TEXT = (topicArn: string) => `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
const UNSUBSCRIBE_TEXT = (subscriptionArn: string) =>
  `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;

/** The SubscriptionConfirmation (or UnsubscribeConfirmation) POST to an HTTP(S) endpoint, as a delivery item. */
export function confirmationItem(topic: TopicRecord, subscription: SubscriptionRecord, type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation', token: string, now: number): EnqueueItem {
  const messageId = randomUUID();
  const policy = httpDelivery(subscription.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy);
  const body = confirmationEnvelope({
    type,
    messageId,
    token,
    topicArn: topic.arn,
    text: type === 'SubscriptionConfirmation' ? CONFIRM_TEXT(topic.arn) : UNSUBSCRIBE_TEXT(subscription.arn),
    timestamp: now,
    baseUrl: subscription.baseUrl,
    signatureVersion: topic.attributes.SignatureVersion ?? '1',
  });
  const headers = httpHeaders({ type, messageId, topicArn: topic.arn, subscriptionArn: type === 'UnsubscribeConfirmation' ? subscription.arn : undefined, raw: false, contentType: policy.contentType });
  const item: DeliveryItem = { kind: 'http', subscriptionArn: subscription.arn, requireSubscription: false, url: subscription.endpoint, headers, body, retry: policy.retry };
  return { id: messageId, body: JSON.stringify(item) };
}
