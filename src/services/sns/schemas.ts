import { z } from 'zod';
import { invalidParameter, memberMissing } from './errors.js';
import type { ParamTree, ParamValue } from './params.js';

/** Request shapes per action, checked once at the boundary; see params.ts for how the tree is built. */

/** An empty list or map arrives as `Name=` (an empty string) from some clients. */
const list = <T extends z.ZodType>(item: T) => z.preprocess((value) => (value === '' ? [] : value), z.array(item));

const attributeMap = list(z.object({ key: z.string(), value: z.string().optional() })).transform((pairs) => {
  const map: Record<string, string> = {};
  for (const pair of pairs) map[pair.key] = pair.value ?? '';
  return map;
});

const bool = z
  .string()
  .regex(/^(true|false)$/i)
  .transform((value) => value.toLowerCase() === 'true');

const tags = list(z.object({ Key: z.string(), Value: z.string().optional() }));

/** Kept as a list so validation can name the first bad attribute, as SNS does. */
const messageAttributes = list(
  z.object({
    Name: z.string(),
    Value: z.object({ DataType: z.string().optional(), StringValue: z.string().optional(), BinaryValue: z.string().optional() }).optional(),
  }),
);

export type MessageAttributeInput = z.infer<typeof messageAttributes>[number];

const publishFields = {
  Message: z.string(),
  Subject: z.string().optional(),
  MessageStructure: z.string().optional(),
  MessageAttributes: messageAttributes.optional(),
  MessageDeduplicationId: z.string().optional(),
  MessageGroupId: z.string().optional(),
};

export const SCHEMAS = {
  CreateTopic: z.object({ Name: z.string(), Attributes: attributeMap.optional(), Tags: tags.optional(), DataProtectionPolicy: z.string().optional() }),
  DeleteTopic: z.object({ TopicArn: z.string() }),
  ListTopics: z.object({ NextToken: z.string().optional() }),
  GetTopicAttributes: z.object({ TopicArn: z.string() }),
  SetTopicAttributes: z.object({ TopicArn: z.string(), AttributeName: z.string(), AttributeValue: z.string().optional() }),
  Subscribe: z.object({
    TopicArn: z.string(),
    Protocol: z.string(),
    Endpoint: z.string().optional(),
    Attributes: attributeMap.optional(),
    ReturnSubscriptionArn: bool.optional(),
  }),
  ConfirmSubscription: z.object({ TopicArn: z.string(), Token: z.string(), AuthenticateOnUnsubscribe: z.string().optional() }),
  Unsubscribe: z.object({ SubscriptionArn: z.string() }),
  ListSubscriptions: z.object({ NextToken: z.string().optional() }),
  ListSubscriptionsByTopic: z.object({ TopicArn: z.string(), NextToken: z.string().optional() }),
  GetSubscriptionAttributes: z.object({ SubscriptionArn: z.string() }),
  SetSubscriptionAttributes: z.object({ SubscriptionArn: z.string(), AttributeName: z.string(), AttributeValue: z.string().optional() }),
  Publish: z.object({ TopicArn: z.string().optional(), TargetArn: z.string().optional(), PhoneNumber: z.string().optional(), ...publishFields }),
  PublishBatch: z.object({ TopicArn: z.string(), PublishBatchRequestEntries: list(z.object({ Id: z.string(), ...publishFields })) }),
  TagResource: z.object({ ResourceArn: z.string(), Tags: tags }),
  UntagResource: z.object({ ResourceArn: z.string(), TagKeys: list(z.string()) }),
  ListTagsForResource: z.object({ ResourceArn: z.string() }),
} as const;

export type Action = keyof typeof SCHEMAS;
export type Input<A extends Action> = z.infer<(typeof SCHEMAS)[A]>;

export function isAction(name: string): name is Action {
  return Object.hasOwn(SCHEMAS, name);
}

export function parseInput<A extends Action>(action: A, tree: ParamTree): Input<A> {
  const parsed = SCHEMAS[action].safeParse(tree);
  if (parsed.success) return parsed.data as Input<A>;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String);
  if (valueAt(tree, path) === undefined) throw memberMissing(memberName(path));
  throw invalidParameter(path.join('.'));
}

function valueAt(tree: ParamTree, path: string[]): ParamValue | undefined {
  let node: ParamValue | undefined = tree;
  for (const step of path) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = Array.isArray(node) ? node[Number(step)] : node[step];
  }
  return node;
}

/** AWS names members in camelCase in validation messages ("topicArn"), lists with 1-based ".N.member.". */
function memberName(path: string[]): string {
  return path
    .map((step) => (/^\d+$/.test(step) ? `${Number(step) + 1}.member` : step.charAt(0).toLowerCase() + step.slice(1)))
    .join('.');
}
