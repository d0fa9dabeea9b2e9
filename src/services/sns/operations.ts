import type { Handlers } from '../../protocol/index.js';
import type { Operations, Subscription } from './api.js';
import type { SnsCall } from './context.js';
import { platformOf } from './formats.js';
import { fromWire } from './message-attributes.js';
import { addPermission, removePermission } from './permissions.js';
import * as platform from './platform.js';
import { checkEntry, draftText, publishBatch, publishOne, publishTarget } from './publish.js';
import { getSmsAttributes, isOptedOut, listOptedOut, optIn, publishSms, setSmsAttributes } from './sms.js';
import { confirmSubscription, getSubscription, listSubscriptions, setSubscriptionAttribute, subscribe, subscriptionAttributes, unsubscribe } from './subscriptions.js';
import {
  createTopic,
  deleteTopic,
  getDataProtectionPolicy,
  getTopic,
  listTags,
  listTopics,
  putDataProtectionPolicy,
  setTopicAttribute,
  tagResource,
  topicAttributes,
  untagResource,
} from './topics.js';

/**
 * The operations Flint implements, typed by SNS's model: the kit reads each request into the input and writes the
 * output (or the AwsError thrown) back as SNS does. The others answer InvalidAction, as unknown actions do.
 */
export const HANDLERS: Handlers<Operations, SnsCall> = {
  CreateTopic: async (input, { sns }) => ({ TopicArn: (await createTopic(sns, input.Name, input.Attributes, input.Tags, input.DataProtectionPolicy)).arn }),
  DeleteTopic: async (input, { sns }) => deleteTopic(sns, input.TopicArn),
  ListTopics: async (input, { sns }) => {
    const page = await listTopics(sns, input.NextToken);
    return { Topics: page.arns.map((TopicArn) => ({ TopicArn })), NextToken: page.nextToken };
  },
  GetTopicAttributes: async (input, { sns }) => ({ Attributes: await topicAttributes(sns, await getTopic(sns, input.TopicArn)) }),
  SetTopicAttributes: async (input, { sns }) => setTopicAttribute(sns, input.TopicArn, input.AttributeName, input.AttributeValue),
  Subscribe: async (input, { sns, caller }) => {
    const subscription = await subscribe(sns, { topicArn: input.TopicArn, protocol: input.Protocol, endpoint: input.Endpoint, attributes: input.Attributes }, caller);
    return { SubscriptionArn: subscription.pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : subscription.arn };
  },
  ConfirmSubscription: async (input, { sns, caller }) => ({ SubscriptionArn: await confirmSubscription(sns, input.TopicArn, input.Token, caller) }),
  Unsubscribe: async (input, { sns, caller }) => unsubscribe(sns, input.SubscriptionArn, caller),
  ListSubscriptions: async (input, { sns }) => subscriptionPage(await listSubscriptions(sns, undefined, input.NextToken)),
  ListSubscriptionsByTopic: async (input, { sns }) => subscriptionPage(await listSubscriptions(sns, input.TopicArn, input.NextToken)),
  GetSubscriptionAttributes: async (input, { sns }) => ({ Attributes: await subscriptionAttributes(sns, await getSubscription(sns, input.SubscriptionArn)) }),
  SetSubscriptionAttributes: async (input, { sns }) => setSubscriptionAttribute(sns, input.SubscriptionArn, input.AttributeName, input.AttributeValue),
  Publish: async (input, { sns }) => {
    const draft = checkEntry({ ...input, MessageAttributes: fromWire(input.MessageAttributes) });
    const target = publishTarget(input.TopicArn, input.TargetArn, input.PhoneNumber);
    if (target.kind === 'phone') return { MessageId: await publishSms(sns, target.number, { text: draftText(draft, 'sms'), attributes: draft.attributes }) };
    if (target.kind === 'endpoint') return { MessageId: await platform.publishToEndpoint(sns, target.arn, draftText(draft, platformOf(target.arn))) };
    const result = await publishOne(sns, target.arn, draft);
    return { MessageId: result.messageId, SequenceNumber: result.sequenceNumber };
  },
  PublishBatch: async (input, { sns }) => {
    const entries = input.PublishBatchRequestEntries.map((entry) => ({ ...entry, MessageAttributes: fromWire(entry.MessageAttributes) }));
    const result = await publishBatch(sns, input.TopicArn, entries);
    return {
      Successful: result.successful.map((entry) => ({ Id: entry.id, MessageId: entry.messageId, SequenceNumber: entry.sequenceNumber })),
      Failed: result.failed.map((entry) => ({ Id: entry.id, Code: entry.code, Message: entry.message, SenderFault: entry.senderFault })),
    };
  },
  TagResource: async (input, { sns }) => tagResource(sns, input.ResourceArn, input.Tags),
  UntagResource: async (input, { sns }) => untagResource(sns, input.ResourceArn, input.TagKeys),
  ListTagsForResource: async (input, { sns }) => ({ Tags: Object.entries(await listTags(sns, input.ResourceArn)).map(([Key, Value]) => ({ Key, Value })) }),
  AddPermission: async (input, { sns }) => addPermission(sns, input.TopicArn, input.Label, input.AWSAccountId, input.ActionName),
  RemovePermission: async (input, { sns }) => removePermission(sns, input.TopicArn, input.Label),
  PutDataProtectionPolicy: async (input, { sns }) => putDataProtectionPolicy(sns, input.ResourceArn, input.DataProtectionPolicy),
  GetDataProtectionPolicy: async (input, { sns }) => ({ DataProtectionPolicy: await getDataProtectionPolicy(sns, input.ResourceArn) }),
  // SMS
  SetSMSAttributes: async (input, { sns }) => setSmsAttributes(sns, input.attributes),
  GetSMSAttributes: async (input, { sns }) => ({ attributes: await getSmsAttributes(sns, input.attributes) }),
  CheckIfPhoneNumberIsOptedOut: async (input, { sns }) => ({ isOptedOut: await isOptedOut(sns, input.phoneNumber) }),
  ListPhoneNumbersOptedOut: async (input, { sns }) => listOptedOut(sns, input.nextToken),
  OptInPhoneNumber: async (input, { sns }) => optIn(sns, input.phoneNumber),
  // mobile push
  CreatePlatformApplication: async (input, { sns }) => ({ PlatformApplicationArn: await platform.createPlatformApplication(sns, input.Name, input.Platform, input.Attributes) }),
  GetPlatformApplicationAttributes: async (input, { sns }) => ({ Attributes: await platform.platformApplicationAttributes(sns, input.PlatformApplicationArn) }),
  SetPlatformApplicationAttributes: async (input, { sns }) => platform.setPlatformApplicationAttributes(sns, input.PlatformApplicationArn, input.Attributes),
  ListPlatformApplications: async (input, { sns }) => {
    const page = await platform.listPlatformApplications(sns, input.NextToken);
    return { PlatformApplications: page.applications, NextToken: page.nextToken };
  },
  DeletePlatformApplication: async (input, { sns }) => platform.deletePlatformApplication(sns, input.PlatformApplicationArn),
  CreatePlatformEndpoint: async (input, { sns }) => ({ EndpointArn: await platform.createPlatformEndpoint(sns, input.PlatformApplicationArn, input.Token, input.CustomUserData, input.Attributes) }),
  GetEndpointAttributes: async (input, { sns }) => ({ Attributes: await platform.endpointAttributes(sns, input.EndpointArn) }),
  SetEndpointAttributes: async (input, { sns }) => platform.setEndpointAttributes(sns, input.EndpointArn, input.Attributes),
  DeleteEndpoint: async (input, { sns }) => platform.deleteEndpoint(sns, input.EndpointArn),
  ListEndpointsByPlatformApplication: async (input, { sns }) => {
    const page = await platform.listEndpoints(sns, input.PlatformApplicationArn, input.NextToken);
    return { Endpoints: page.endpoints, NextToken: page.nextToken };
  },
};

function subscriptionPage(page: { subscriptions: Subscription[]; nextToken?: string }): { Subscriptions: Subscription[]; NextToken?: string } {
  return { Subscriptions: page.subscriptions, NextToken: page.nextToken };
}
