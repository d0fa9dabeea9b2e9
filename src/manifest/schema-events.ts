/**
 * The event sources a function subscribes to besides HTTP routes and schedules (queues, topics, buckets, table
 * streams), and its asynchronous invocation settings: retries, maximum event age, destinations, dead-letter target.
 */
import { z } from 'zod';
import { intIn, namePattern, strictObject } from './fields.js';
import { BUCKET_NAME, QUEUE_NAME, TABLE_NAME, TOPIC_NAME } from './schema-resources.js';
import { dynamodbEventOptions, sqsEventOptions } from './schema-streams.js';

export const SQS_DEFAULTS = { batchSize: 10, batchingWindow: 0 } as const;
export const DYNAMODB_DEFAULTS = { batchSize: 100, startingPosition: 'LATEST' } as const;
/** Lambda invokes a function with at most this many SQS messages unless it may wait to gather more. */
const SQS_UNBATCHED_MAX = 10;

/** The S3 event types that fire in Flint (object creation and removal). */
export const S3_EVENT_TYPES = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
] as const;

const queueName = namePattern(QUEUE_NAME, 'a queue name');

export const sqsEvent = z.union(
  [
    queueName,
    strictObject({
      queue: queueName.meta({ description: 'A queue under resources.queues.' }),
      batchSize: intIn(1, 10_000).optional().meta({ default: SQS_DEFAULTS.batchSize, description: 'Messages per invocation; above 10 needs a batchingWindow.' }),
      batchingWindow: intIn(0, 300).optional().meta({ default: SQS_DEFAULTS.batchingWindow, description: 'Seconds to gather a batch before invoking.' }),
      reportBatchItemFailures: z.boolean({ error: 'expected true or false' }).optional()
        .meta({ description: 'The function answers {"batchItemFailures": [...]} and only those messages are retried.' }),
      ...sqsEventOptions,
    }).superRefine((sqs, ctx) => {
      if ((sqs.batchSize ?? 0) > SQS_UNBATCHED_MAX && (sqs.batchingWindow ?? 0) === 0) {
        ctx.addIssue({ code: 'custom', path: ['batchingWindow'], message: `a batchSize above ${SQS_UNBATCHED_MAX} needs a batchingWindow of at least 1 second` });
      }
    }),
  ],
  { error: 'expected a queue name or a map with queue, batchSize, batchingWindow, reportBatchItemFailures, maximumConcurrency and filters' },
);

export const snsEvent = namePattern(TOPIC_NAME, 'a topic name').meta({ description: 'A topic under resources.topics; the function is subscribed to it.' });

export const s3Event = strictObject({
  bucket: namePattern(BUCKET_NAME, 'a bucket name').meta({ description: 'A bucket under resources.buckets.' }),
  events: z.array(z.enum(S3_EVENT_TYPES, { error: `expected an S3 event type, one of ${S3_EVENT_TYPES.join(', ')}` }), { error: 'expected a list of S3 event types' })
    .min(1, { error: 'expected at least one event type' })
    .optional()
    .meta({ default: ['s3:ObjectCreated:*'] }),
  prefix: z.string({ error: 'expected a key prefix' }).optional(),
  suffix: z.string({ error: 'expected a key suffix' }).optional(),
});

export const dynamodbEvent = strictObject({
  table: namePattern(TABLE_NAME, 'a table name').meta({ description: 'A table under resources.tables; its stream is enabled at deploy.' }),
  startingPosition: z.enum(['TRIM_HORIZON', 'LATEST'], { error: 'expected TRIM_HORIZON or LATEST' }).optional().meta({ default: DYNAMODB_DEFAULTS.startingPosition }),
  batchSize: intIn(1, 10_000).optional().meta({ default: DYNAMODB_DEFAULTS.batchSize }),
  ...dynamodbEventOptions,
});

/** `queue:name`, `topic:name`, `function:name` (resources of this app), or an SQS, SNS or Lambda ARN. */
export const DESTINATION = /^((queue|topic|function):[A-Za-z0-9_.-]+|arn:aws[a-zA-Z-]*:(sqs|sns|lambda):[a-z0-9-]+:\d{12}:.+)$/;
const DESTINATION_EXPECTED = 'expected queue:<name>, topic:<name>, function:<name> or an SQS, SNS or Lambda ARN';
const destination = z.string({ error: DESTINATION_EXPECTED }).regex(DESTINATION, { error: DESTINATION_EXPECTED });

export const asyncSettings = strictObject({
  maximumRetryAttempts: intIn(0, 2).optional().meta({ default: 2, description: 'Retries of a failed asynchronous invocation.' }),
  maximumEventAge: intIn(60, 21_600).optional().meta({ default: 21_600, description: 'Seconds an event may wait before it is given up on.' }),
  onSuccess: destination.optional().meta({ description: 'Gets the invocation record of each success.' }),
  onFailure: destination.optional().meta({ description: 'Gets the invocation record of each event given up on.' }),
  deadLetter: destination.optional().meta({ description: 'A queue or topic that gets each event given up on (when there is no onFailure).' }),
});
