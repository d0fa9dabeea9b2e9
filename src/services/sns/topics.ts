import type { Tag } from './api.js';
import { FIFO_TOPIC_NAME, TOPIC_NAME, arnParts, checkTopicArn, topicArn } from './arns.js';
import { encodeToken, decodeToken, type SnsContext } from './context.js';
import { DEFAULT_EFFECTIVE_DELIVERY_POLICY } from './delivery-policy.js';
import { invalidParameter, snsError, topicNotFound } from './errors.js';
import type { TopicRecord } from './types.js';

/** Topic operations: create (idempotent), attributes, listing, deletion and tags. */

const PAGE_SIZE = 100;
const MAX_TAGS = 50;

const FEEDBACK_ATTRIBUTES = ['Application', 'HTTP', 'Lambda', 'Firehose', 'SQS'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]);

/** Attributes SetTopicAttributes accepts; CreateTopic also takes FifoTopic. */
const SETTABLE = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'TracingConfig',
  'KmsMasterKeyId',
  'SignatureVersion',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  'DataProtectionPolicy',
  ...FEEDBACK_ATTRIBUTES,
]);

/** Boolean attributes SNS stores lower-cased. */
const BOOLEANS = new Set(['FifoTopic', 'ContentBasedDeduplication']);

export async function createTopic(ctx: SnsContext, name: string, attributes: Record<string, string> = {}, tags: Tag[] = [], dataProtectionPolicy?: string): Promise<TopicRecord> {
  const wanted = normaliseAttributes(attributes, true);
  const fifo = wanted.FifoTopic === 'true';
  // SNS does not keep an explicit FifoTopic=false.
  if (!fifo) delete wanted.FifoTopic;
  if (!(fifo ? FIFO_TOPIC_NAME : TOPIC_NAME).test(name)) throw invalidParameter('Topic Name');
  const tagMap = checkTags(tags);
  if (fifo && wanted.ContentBasedDeduplication === undefined) wanted.ContentBasedDeduplication = 'false';
  const record: TopicRecord = { arn: topicArn(ctx.scope, name), name, attributes: wanted, tags: tagMap, subscriptionsDeleted: 0 };
  if (dataProtectionPolicy !== undefined && dataProtectionPolicy !== '') record.dataProtectionPolicy = checkDataProtectionPolicy(dataProtectionPolicy);
  const { topic, created } = await ctx.state.createTopic(record);
  if (!created) checkSameTopic(topic, attributes, tagMap);
  return topic;
}

function checkSameTopic(existing: TopicRecord, asked: Record<string, string>, tags: Record<string, string>): void {
  for (const [name, value] of Object.entries(normaliseAttributes(asked, true))) {
    if (name === 'FifoTopic' && value === 'false' && existing.attributes.FifoTopic === undefined) continue;
    // An attribute never set reads as empty (DisplayName is "" until set).
    if ((existing.attributes[name] ?? '') !== value) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
  }
  for (const [key, value] of Object.entries(tags)) {
    if (existing.tags[key] !== value) throw invalidParameter('Tags Reason: Topic already exists with different tags');
  }
}

function normaliseAttributes(attributes: Record<string, string>, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!SETTABLE.has(name) && !(creating && name === 'FifoTopic')) throw invalidParameter('AttributeName');
    checkAttributeValue(name, value);
    out[name] = BOOLEANS.has(name) ? value.toLowerCase() : value;
  }
  return out;
}

function checkAttributeValue(name: string, value: string): void {
  if (name === 'DeliveryPolicy' && value !== '' && !isJsonObject(value)) throw invalidParameter('DeliveryPolicy: failed to parse JSON.');
  if (name === 'Policy' && !isJsonObject(value)) throw invalidParameter('Policy: failed to parse JSON.');
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function checkTags(tags: Tag[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of tags) {
    if (Object.hasOwn(map, tag.Key)) throw invalidParameter('Duplicated keys are not allowed.');
    map[tag.Key] = tag.Value;
  }
  if (tags.length > MAX_TAGS) throw snsError('TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded');
  return map;
}

export async function getTopic(ctx: SnsContext, arn: string, parameter = 'TopicArn'): Promise<TopicRecord> {
  const topic = await ctx.state.topic(checkTopicArn(ctx.scope, arn, parameter));
  if (!topic) throw topicNotFound();
  return topic;
}

/** Deleting a topic deletes its subscriptions; deleting a topic that does not exist succeeds. */
export async function deleteTopic(ctx: SnsContext, arn: string): Promise<void> {
  checkTopicArn(ctx.scope, arn);
  for (const subscription of await ctx.state.subscriptions({ topicArn: arn })) await ctx.state.deleteSubscription(subscription);
  await ctx.state.deleteTopic(arn);
}

export async function listTopics(ctx: SnsContext, nextToken: string | undefined): Promise<{ arns: string[]; nextToken?: string }> {
  const page = await ctx.state.topics(decodeToken(nextToken), PAGE_SIZE + 1);
  const shown = page.slice(0, PAGE_SIZE).map((topic) => topic.arn);
  return page.length > PAGE_SIZE ? { arns: shown, nextToken: encodeToken(shown[shown.length - 1]!) } : { arns: shown };
}

/** Stored attributes plus what SNS computes: owner, ARN, default policies and subscription counts. */
export async function topicAttributes(ctx: SnsContext, topic: TopicRecord): Promise<Record<string, string>> {
  const subscriptions = await ctx.state.subscriptions({ topicArn: topic.arn });
  const pending = subscriptions.filter((subscription) => subscription.pending).length;
  const { Policy, DeliveryPolicy, DisplayName, ...rest } = topic.attributes;
  return {
    Policy: Policy ?? defaultPolicy(ctx.scope.accountId, topic.arn),
    Owner: ctx.scope.accountId,
    SubscriptionsPending: String(pending),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: DeliveryPolicy || DEFAULT_EFFECTIVE_DELIVERY_POLICY,
    SubscriptionsConfirmed: String(subscriptions.length - pending),
    DisplayName: DisplayName ?? '',
    SubscriptionsDeleted: String(topic.subscriptionsDeleted),
    ...(DeliveryPolicy ? { DeliveryPolicy } : {}),
    ...rest,
  };
}

/** The policy a topic has until one is set (AddPermission starts from it). */
export function defaultPolicy(accountId: string, arn: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

export async function setTopicAttribute(ctx: SnsContext, arn: string, name: string, value: string | undefined): Promise<void> {
  await getTopic(ctx, arn);
  if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
  const text = value ?? '';
  checkAttributeValue(name, text);
  const updated = await ctx.state.updateTopic(arn, (topic) => ({ ...topic, attributes: { ...topic.attributes, [name]: BOOLEANS.has(name) ? text.toLowerCase() : text } }));
  if (!updated) throw topicNotFound();
}

// ---- tags ------------------------------------------------------------------------------------------------------

async function taggedTopic(ctx: SnsContext, resourceArn: string): Promise<TopicRecord> {
  arnParts(resourceArn, 'ResourceArn');
  const topic = await ctx.state.topic(resourceArn);
  if (!topic) throw snsError('ResourceNotFoundException', 'Resource does not exist');
  return topic;
}

export async function tagResource(ctx: SnsContext, resourceArn: string, tags: Tag[]): Promise<void> {
  await taggedTopic(ctx, resourceArn);
  const added = checkTags(tags);
  await ctx.state.updateTopic(resourceArn, (topic) => {
    const merged = { ...topic.tags, ...added };
    if (Object.keys(merged).length > MAX_TAGS) throw snsError('TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded');
    return { ...topic, tags: merged };
  });
}

export async function untagResource(ctx: SnsContext, resourceArn: string, keys: string[]): Promise<void> {
  await taggedTopic(ctx, resourceArn);
  await ctx.state.updateTopic(resourceArn, (topic) => ({ ...topic, tags: Object.fromEntries(Object.entries(topic.tags).filter(([key]) => !keys.includes(key))) }));
}

export async function listTags(ctx: SnsContext, resourceArn: string): Promise<Record<string, string>> {
  return (await taggedTopic(ctx, resourceArn)).tags;
}

// ---- data protection ---------------------------------------------------------------------------------------------

/**
 * A data protection policy is stored as given once it parses as SNS's policy document (a JSON object with a
 * Statement list); it is not applied to messages. GetTopicAttributes does not show it (LocalStack's
 * test_data_protection_policy_crud, recorded from AWS).
 */
function checkDataProtectionPolicy(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter('DataProtectionPolicy Reason: failed to parse JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParameter('DataProtectionPolicy Reason: the policy must be a JSON object.');
  const statements = (parsed as { Statement?: unknown }).Statement;
  if (!Array.isArray(statements) || statements.length === 0) throw invalidParameter('DataProtectionPolicy Reason: the policy must have a Statement list.');
  return text;
}

export async function putDataProtectionPolicy(ctx: SnsContext, resourceArn: string, policy: string): Promise<void> {
  await getTopic(ctx, resourceArn, 'ResourceArn');
  const checked = policy === '' ? undefined : checkDataProtectionPolicy(policy);
  const updated = await ctx.state.updateTopic(resourceArn, (topic) => {
    const { dataProtectionPolicy: _previous, ...rest } = topic;
    return checked === undefined ? rest : { ...rest, dataProtectionPolicy: checked };
  });
  if (!updated) throw topicNotFound();
}

export async function getDataProtectionPolicy(ctx: SnsContext, resourceArn: string): Promise<string | undefined> {
  return (await getTopic(ctx, resourceArn, 'ResourceArn')).dataProtectionPolicy;
}
