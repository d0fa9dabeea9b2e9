import { randomBytes } from 'node:crypto';
import type { Subscription } from './api.js';
import { arnParts, checkTopicArn, newSubscriptionArn, partitionOf } from './arns.js';
import { decodeToken, encodeToken, type Caller, type SnsContext } from './context.js';
import { httpDelivery } from './delivery-policy.js';
import { invalidParameter, snsError, subscriptionNotFound } from './errors.js';
import { confirmationItem } from './fanout.js';
import { applySubscriptionAttributes } from './subscription-attributes.js';
import { isPhoneNumber } from './sms.js';
import { getTopic } from './topics.js';
import { AWS_PROTOCOLS, PROTOCOLS, type Protocol, type SubscriptionRecord, type TopicRecord } from './types.js';

/**
 * Subscriptions. SQS, Lambda, SMS and mobile (application) subscriptions are confirmed at once (same account, as
 * SNS does); HTTP(S) ones get a SubscriptionConfirmation POST, email and email-json ones a confirmation email
 * (recorded, see node-pages.ts), and stay pending until ConfirmSubscription is called with its token.
 */

const PAGE_SIZE = 100;
/** Protocols whose endpoint must confirm the subscription with its token. */
const CONFIRMED_BY_TOKEN: ReadonlySet<Protocol> = new Set(['http', 'https', 'email', 'email-json']);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const TOKEN_BYTES = 144;
const TOKEN_FORMAT = /^[0-9a-f]{288}$/i;

export interface SubscribeInput {
  topicArn: string;
  protocol: string;
  endpoint?: string;
  attributes?: Record<string, string>;
  /** Declared subscriptions (flint.yaml) need no confirmation even over HTTP(S). */
  preconfirmed?: boolean;
}

export async function subscribe(ctx: SnsContext, input: SubscribeInput, caller: Caller): Promise<SubscriptionRecord> {
  const topic = await getTopic(ctx, input.topicArn);
  const protocol = checkProtocol(input.protocol);
  const endpoint = checkEndpoint(protocol, input.endpoint, topic);
  const attributes = applySubscriptionAttributes({}, input.attributes ?? {}, { protocol, fifoTopic: isFifo(topic), errorPrefix: 'Invalid parameter: Attributes Reason: ' });
  const existing = (await ctx.state.subscriptions({ topicArn: topic.arn })).find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (existing) {
    for (const [name, value] of Object.entries(attributes)) {
      if (existing.attributes[name] !== value && !(name === 'RawMessageDelivery' && value === 'false' && existing.attributes[name] === undefined)) {
        throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
      }
    }
    return existing;
  }
  const pending = CONFIRMED_BY_TOKEN.has(protocol) && !input.preconfirmed;
  const subscription: SubscriptionRecord = {
    arn: newSubscriptionArn(topic.arn),
    topicArn: topic.arn,
    protocol,
    endpoint,
    owner: ctx.scope.accountId,
    attributes,
    pending,
    confirmationWasAuthenticated: !pending,
    token: pending ? randomBytes(TOKEN_BYTES).toString('hex') : undefined,
    baseUrl: caller.baseUrl,
  };
  await ctx.state.putSubscription(subscription);
  if (subscription.token) await ctx.enqueue([confirmationItem(topic, subscription, 'SubscriptionConfirmation', subscription.token, ctx.clock.now(), await ctx.signer())]);
  return subscription;
}

function checkProtocol(protocol: string): Protocol {
  if (!(AWS_PROTOCOLS as readonly string[]).includes(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw invalidParameter(`Protocol Reason: Flint does not deliver to ${protocol} endpoints; it supports ${PROTOCOLS.join(', ')}`);
  }
  return protocol as Protocol;
}

function checkEndpoint(protocol: Protocol, endpoint: string | undefined, topic: TopicRecord): string {
  if (endpoint === undefined || endpoint === '') throw invalidParameter('Endpoint');
  switch (protocol) {
    case 'http':
    case 'https':
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw invalidParameter('Endpoint must match the specified protocol');
      return endpoint;
    case 'sqs':
      if (!isArnOf(endpoint, 'sqs')) throw invalidParameter('SQS endpoint ARN');
      if (endpoint.endsWith('.fifo') && !isFifo(topic)) throw invalidParameter('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
      return endpoint;
    case 'lambda':
      if (!isArnOf(endpoint, 'lambda')) throw invalidParameter('Lambda endpoint ARN');
      return endpoint;
    case 'sms':
      // Worded without "Invalid parameter:" (LocalStack's test_subscribe_invalid_sms, recorded from AWS).
      if (!isPhoneNumber(endpoint)) throw snsError('InvalidParameterException', `Invalid SMS endpoint: ${endpoint}`);
      return endpoint;
    case 'email':
    case 'email-json':
      if (!EMAIL.test(endpoint)) throw invalidParameter('Email address');
      return endpoint;
    case 'application':
      if (!isArnOf(endpoint, 'sns') || !endpoint.includes(':endpoint/')) throw invalidParameter('Endpoint Reason: An application endpoint ARN is required');
      return endpoint;
  }
}

function isArnOf(value: string, service: string): boolean {
  const parts = value.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[2] === service;
}

function isFifo(topic: TopicRecord): boolean {
  return topic.attributes.FifoTopic === 'true';
}

export async function confirmSubscription(ctx: SnsContext, topicArn: string, token: string, caller: Caller): Promise<string> {
  try {
    checkTopicArn(ctx.scope, topicArn);
  } catch {
    throw invalidParameter('Topic');
  }
  if (!TOKEN_FORMAT.test(token)) throw snsError('InvalidParameterException', 'Invalid token');
  const subscription = await ctx.state.subscriptionByToken(token.toLowerCase());
  if (!subscription) throw invalidParameter('Token');
  if (subscription.topicArn !== topicArn) throw invalidParameter('Topic');
  if (subscription.pending) {
    await ctx.state.updateSubscription(subscription.arn, (current) => ({ ...current, pending: false, confirmationWasAuthenticated: caller.signed }));
  }
  return subscription.arn;
}

/**
 * Unsubscribing something already gone succeeds. An HTTP(S) endpoint is sent an UnsubscribeConfirmation when
 * the request was not signed (someone visited the UnsubscribeURL), as SNS does.
 */
export async function unsubscribe(ctx: SnsContext, arn: string, caller: Caller): Promise<void> {
  const parts = arnParts(arn, 'SubscriptionArn');
  if (parts.length === 6) throw invalidParameter('SubscriptionId');
  const subscription = await ctx.state.subscription(arn);
  if (!subscription) return;
  await ctx.state.deleteSubscription(subscription);
  const topic = await ctx.state.updateTopic(subscription.topicArn, (current) => ({ ...current, subscriptionsDeleted: current.subscriptionsDeleted + 1 }));
  const http = subscription.protocol === 'http' || subscription.protocol === 'https';
  if (topic && http && !subscription.pending && !caller.signed) {
    const token = randomBytes(TOKEN_BYTES).toString('hex');
    await ctx.enqueue([confirmationItem(topic, subscription, 'UnsubscribeConfirmation', token, ctx.clock.now(), await ctx.signer())]);
  }
}

export async function listSubscriptions(ctx: SnsContext, topicArn: string | undefined, nextToken: string | undefined): Promise<{ subscriptions: Subscription[]; nextToken?: string }> {
  if (topicArn !== undefined) await getTopic(ctx, topicArn);
  const page = await ctx.state.subscriptions({ topicArn, after: decodeToken(nextToken), limit: PAGE_SIZE + 1 });
  const shown = page.slice(0, PAGE_SIZE);
  const subscriptions = shown.map((s) => ({ SubscriptionArn: s.pending ? 'PendingConfirmation' : s.arn, Owner: s.owner, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn }));
  return page.length > PAGE_SIZE ? { subscriptions, nextToken: encodeToken(shown[shown.length - 1]!.arn) } : { subscriptions };
}

export async function getSubscription(ctx: SnsContext, arn: string): Promise<SubscriptionRecord> {
  arnParts(arn, 'SubscriptionArn');
  const subscription = await ctx.state.subscription(arn);
  if (!subscription) throw subscriptionNotFound();
  return subscription;
}

export async function subscriptionAttributes(ctx: SnsContext, subscription: SubscriptionRecord): Promise<Record<string, string>> {
  const { FilterPolicy, FilterPolicyScope, RawMessageDelivery, ...rest } = subscription.attributes;
  const attributes: Record<string, string> = {
    ConfirmationWasAuthenticated: String(subscription.confirmationWasAuthenticated),
    Endpoint: subscription.endpoint,
    Owner: subscription.owner,
    PendingConfirmation: String(subscription.pending),
    Protocol: subscription.protocol,
    RawMessageDelivery: RawMessageDelivery ?? 'false',
    SubscriptionArn: subscription.arn,
    SubscriptionPrincipal: `arn:${partitionOf(ctx.scope.region)}:iam::${subscription.owner}:user/flint`,
    TopicArn: subscription.topicArn,
    ...rest,
  };
  if (FilterPolicy) {
    attributes.FilterPolicy = FilterPolicy;
    attributes.FilterPolicyScope = FilterPolicyScope ?? 'MessageAttributes';
  }
  if (subscription.protocol === 'http' || subscription.protocol === 'https') {
    const topic = await ctx.state.topic(subscription.topicArn);
    const policy = httpDelivery(subscription.attributes.DeliveryPolicy, topic?.attributes.DeliveryPolicy);
    attributes.EffectiveDeliveryPolicy = JSON.stringify({
      healthyRetryPolicy: policy.retry,
      sicklyRetryPolicy: null,
      throttlePolicy: null,
      requestPolicy: { headerContentType: policy.contentType },
      guaranteed: false,
    });
  }
  return attributes;
}

export async function setSubscriptionAttribute(ctx: SnsContext, arn: string, name: string, value: string | undefined): Promise<void> {
  await setSubscriptionAttributes(ctx, arn, { [name]: value ?? '' });
}

/** Several attributes at once, checked together (a filter policy against the scope set with it). */
export async function setSubscriptionAttributes(ctx: SnsContext, arn: string, changes: Record<string, string>): Promise<void> {
  const subscription = await getSubscription(ctx, arn);
  const topic = await ctx.state.topic(subscription.topicArn);
  const context = { protocol: subscription.protocol, fifoTopic: topic?.attributes.FifoTopic === 'true', errorPrefix: 'Invalid parameter: ' };
  const attributes = applySubscriptionAttributes(subscription.attributes, changes, context);
  const updated = await ctx.state.updateSubscription(arn, (current) => ({ ...current, attributes }));
  if (!updated) throw subscriptionNotFound();
}
