import { z } from 'zod';
import { invalidValue, missingParameter } from './errors.js';

/**
 * Request shapes, checked once for presence and type. The query protocol sends every scalar as text, so numbers
 * and booleans accept their decimal/`true` spelling too; ranges and SQS's wording live in the operations.
 */

const int = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);
const queueUrl = z.string().min(1);
const names = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

const attributeValue = z.object({
  DataType: z.string(),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
  StringListValues: z.array(z.string()).optional(),
  BinaryListValues: z.array(z.string()).optional(),
});
const attributeMap = z.record(z.string(), attributeValue);

const messageFields = {
  MessageBody: z.string(),
  DelaySeconds: int.optional(),
  MessageAttributes: attributeMap.optional(),
  MessageSystemAttributes: attributeMap.optional(),
  MessageDeduplicationId: z.string().optional(),
  MessageGroupId: z.string().optional(),
};

const onQueue = { QueueUrl: queueUrl };

export const SCHEMAS = {
  CreateQueue: z.object({ QueueName: z.string(), Attributes: stringMap.optional(), tags: stringMap.optional() }),
  GetQueueUrl: z.object({ QueueName: z.string(), QueueOwnerAWSAccountId: z.string().optional() }),
  ListQueues: z.object({ QueueNamePrefix: z.string().optional(), NextToken: z.string().optional(), MaxResults: int.optional() }),
  DeleteQueue: z.object(onQueue),
  PurgeQueue: z.object(onQueue),
  GetQueueAttributes: z.object({ ...onQueue, AttributeNames: names.optional() }),
  SetQueueAttributes: z.object({ ...onQueue, Attributes: stringMap }),
  ListQueueTags: z.object(onQueue),
  TagQueue: z.object({ ...onQueue, Tags: stringMap }),
  UntagQueue: z.object({ ...onQueue, TagKeys: names }),
  ListDeadLetterSourceQueues: z.object({ ...onQueue, NextToken: z.string().optional(), MaxResults: int.optional() }),
  SendMessage: z.object({ ...onQueue, ...messageFields }),
  SendMessageBatch: z.object({ ...onQueue, Entries: z.array(z.object({ Id: z.string(), ...messageFields })) }),
  ReceiveMessage: z.object({
    ...onQueue,
    AttributeNames: names.optional(),
    MessageSystemAttributeNames: names.optional(),
    MessageAttributeNames: names.optional(),
    MaxNumberOfMessages: int.optional(),
    VisibilityTimeout: int.optional(),
    WaitTimeSeconds: int.optional(),
    ReceiveRequestAttemptId: z.string().optional(),
  }),
  DeleteMessage: z.object({ ...onQueue, ReceiptHandle: z.string() }),
  DeleteMessageBatch: z.object({ ...onQueue, Entries: z.array(z.object({ Id: z.string(), ReceiptHandle: z.string() })) }),
  ChangeMessageVisibility: z.object({ ...onQueue, ReceiptHandle: z.string(), VisibilityTimeout: int }),
  ChangeMessageVisibilityBatch: z.object({
    ...onQueue,
    Entries: z.array(z.object({ Id: z.string(), ReceiptHandle: z.string(), VisibilityTimeout: int.optional() })),
  }),
} as const;

export type OperationName = keyof typeof SCHEMAS;
export type Input<N extends OperationName> = z.output<(typeof SCHEMAS)[N]>;

export function isOperation(name: string): name is OperationName {
  return Object.hasOwn(SCHEMAS, name);
}

/** Parses an operation's input; a missing member is MissingParameter, a mistyped one InvalidParameterValue. */
export function parseInput<N extends OperationName>(operation: N, input: unknown): Input<N> {
  const result = SCHEMAS[operation].safeParse(input);
  if (result.success) return result.data as Input<N>;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const parameter = path.filter((part) => typeof part === 'string').join('.') || 'request';
  if (valueAt(input, path) === undefined) throw missingParameter(parameter);
  throw invalidValue(`Value ${JSON.stringify(valueAt(input, path))} for parameter ${parameter} is invalid.`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}
