import type { Caller, SnsContext } from './context.js';
import { checkEntry, publishBatch, publishOne, targetTopicArn } from './publish.js';
import type { Action, Input } from './schemas.js';
import { confirmSubscription, getSubscription, listSubscriptions, setSubscriptionAttribute, subscribe, subscriptionAttributes, unsubscribe, type SubscriptionSummary } from './subscriptions.js';
import { createTopic, deleteTopic, getTopic, listTags, listTopics, setTopicAttribute, tagResource, topicAttributes, untagResource } from './topics.js';
import { element, entries, members } from './xml.js';

/**
 * Each action's handler: typed input in, the XML inside `<ActionResult>` out (undefined for actions whose
 * response has no result element).
 */
type Handler<A extends Action> = (ctx: SnsContext, input: Input<A>, caller: Caller) => Promise<string | undefined>;

export const OPERATIONS: { [A in Action]: Handler<A> } = {
  CreateTopic: async (ctx, input) => element('TopicArn', (await createTopic(ctx, input.Name, input.Attributes, input.Tags)).arn),
  DeleteTopic: async (ctx, input) => {
    await deleteTopic(ctx, input.TopicArn);
    return undefined;
  },
  ListTopics: async (ctx, input) => {
    const page = await listTopics(ctx, input.NextToken);
    return `<Topics>${members(page.arns.map((arn) => element('TopicArn', arn)))}</Topics>${element('NextToken', page.nextToken)}`;
  },
  GetTopicAttributes: async (ctx, input) => `<Attributes>${entries(await topicAttributes(ctx, await getTopic(ctx, input.TopicArn)))}</Attributes>`,
  SetTopicAttributes: async (ctx, input) => {
    await setTopicAttribute(ctx, input.TopicArn, input.AttributeName, input.AttributeValue);
    return undefined;
  },
  Subscribe: async (ctx, input, caller) => {
    const subscription = await subscribe(ctx, { topicArn: input.TopicArn, protocol: input.Protocol, endpoint: input.Endpoint, attributes: input.Attributes }, caller);
    return element('SubscriptionArn', subscription.pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : subscription.arn);
  },
  ConfirmSubscription: async (ctx, input, caller) => element('SubscriptionArn', await confirmSubscription(ctx, input.TopicArn, input.Token, caller)),
  Unsubscribe: async (ctx, input, caller) => {
    await unsubscribe(ctx, input.SubscriptionArn, caller);
    return undefined;
  },
  ListSubscriptions: async (ctx, input) => subscriptionPage(await listSubscriptions(ctx, undefined, input.NextToken)),
  ListSubscriptionsByTopic: async (ctx, input) => subscriptionPage(await listSubscriptions(ctx, input.TopicArn, input.NextToken)),
  GetSubscriptionAttributes: async (ctx, input) => `<Attributes>${entries(await subscriptionAttributes(ctx, await getSubscription(ctx, input.SubscriptionArn)))}</Attributes>`,
  SetSubscriptionAttributes: async (ctx, input) => {
    await setSubscriptionAttribute(ctx, input.SubscriptionArn, input.AttributeName, input.AttributeValue);
    return undefined;
  },
  Publish: async (ctx, input) => {
    const draft = checkEntry(input, undefined);
    const result = await publishOne(ctx, targetTopicArn(input.TopicArn, input.TargetArn, input.PhoneNumber), draft);
    return element('MessageId', result.messageId) + element('SequenceNumber', result.sequenceNumber);
  },
  PublishBatch: async (ctx, input) => {
    const result = await publishBatch(ctx, input.TopicArn, input.PublishBatchRequestEntries);
    const successful = result.successful.map((entry) => element('Id', entry.id) + element('MessageId', entry.messageId) + element('SequenceNumber', entry.sequenceNumber));
    const failed = result.failed.map((entry) => element('Id', entry.id) + element('Code', entry.code) + element('Message', entry.message) + element('SenderFault', String(entry.senderFault)));
    return `<Successful>${members(successful)}</Successful><Failed>${members(failed)}</Failed>`;
  },
  TagResource: async (ctx, input) => {
    await tagResource(ctx, input.ResourceArn, input.Tags);
    return '';
  },
  UntagResource: async (ctx, input) => {
    await untagResource(ctx, input.ResourceArn, input.TagKeys);
    return '';
  },
  ListTagsForResource: async (ctx, input) => {
    const tags = Object.entries(await listTags(ctx, input.ResourceArn)).map(([key, value]) => element('Key', key) + element('Value', value));
    return `<Tags>${members(tags)}</Tags>`;
  },
};

function subscriptionPage(page: { subscriptions: SubscriptionSummary[]; nextToken?: string }): string {
  const items = page.subscriptions.map((s) => element('Owner', s.Owner) + element('Endpoint', s.Endpoint) + element('Protocol', s.Protocol) + element('SubscriptionArn', s.SubscriptionArn) + element('TopicArn', s.TopicArn));
  return `<Subscriptions>${members(items)}</Subscriptions>${element('NextToken', page.nextToken)}`;
}
