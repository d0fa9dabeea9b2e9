import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/index.js';
import { ASYNC_QUEUE } from '../../src/events/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';

/**
 * One app, as a user writes it: every event source a manifest can declare besides HTTP, and a function's async
 * settings. Each function writes down the event it got (an item in the `seen` table), so the tests read what reached
 * a function the way its author would; outcomes that land elsewhere (destinations, S3 notifications) are read from
 * the queues they land in.
 */
const MANIFEST = `
app: matrix
functions:
  jobs:
    runtime: nodejs20.x
    handler: index.jobs
    events:
      - sqs: { queue: jobs, batchSize: 5, reportBatchItemFailures: true }
  orders:
    runtime: nodejs20.x
    handler: index.record
    events:
      - dynamodb: { table: orders, startingPosition: TRIM_HORIZON }
  tick:
    runtime: nodejs20.x
    handler: index.record
    events:
      - schedule: rate(1 minute)
  worker:
    runtime: nodejs20.x
    handler: index.worker
    async:
      maximumRetryAttempts: 1
      onSuccess: topic:worker-done
      onFailure: queue:worker-failed
  uploads:
    runtime: nodejs20.x
    handler: index.record
    events:
      - s3: { bucket: uploads, events: ["s3:ObjectCreated:*"], prefix: incoming/ }
  alerts:
    runtime: nodejs20.x
    handler: index.record
    events:
      - sns: alerts
resources:
  tables:
    seen: { hashKey: { name: id, type: S } }
    orders: { hashKey: { name: id, type: S } }
  buckets:
    uploads:
    notices:
  queues:
    jobs:
    worker-failed:
    worker-done-copy:
    notices-queue:
    notices-topic-copy:
  topics:
    alerts:
    worker-done:
    notices-topic:
`;

const HANDLERS = `
const { randomUUID } = require('node:crypto');
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});

async function record(event, context) {
  const item = { id: { S: randomUUID() }, fn: { S: context.functionName }, requestId: { S: context.awsRequestId }, event: { S: JSON.stringify(event) } };
  await db.send(new PutItemCommand({ TableName: 'seen', Item: item }));
}

exports.record = record;

// A message whose body starts with "flaky" fails the first time it is received, and only that message.
exports.jobs = async (event, context) => {
  await record(event, context);
  const failed = event.Records.filter((r) => r.body.startsWith('flaky') && r.attributes.ApproximateReceiveCount === '1');
  return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
};

exports.worker = async (event, context) => {
  await record(event, context);
  if (event.fail) throw new Error('order ' + event.order + ' failed on purpose');
  return { done: event.order };
};
`;

const ACCOUNT = '000000000000';
const arn = {
  queue: (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
  topic: (name: string) => `arn:aws:sns:us-east-1:${ACCOUNT}:${name}`,
  function: (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`,
};

/** An event a function wrote down, with the request id it ran under (retries of an Event call keep theirs). */
interface Received<E> {
  requestId: string;
  event: E;
}
interface Records<R> {
  Records: R[];
}
interface SqsRecord {
  messageId: string;
  body: string;
  attributes: { ApproximateReceiveCount: string };
}
interface StreamRecord {
  eventName: string;
  dynamodb: { Keys: { id: { S: string } } };
}
interface ScheduledEvent {
  time: string;
}

/** One object's record in an S3 event, as S3 sends it to functions, queues and topics. */
function s3Record(eventName: string, bucket: string, object: { key: string; size?: number }, configurationId?: string) {
  return expect.objectContaining({
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventName,
    s3: expect.objectContaining({
      ...(configurationId === undefined ? {} : { configurationId }),
      bucket: expect.objectContaining({ name: bucket, arn: `arn:aws:s3:::${bucket}` }),
      object: expect.objectContaining(object),
    }),
  });
}

describe('a manifest’s event sources, schedule and async settings, on the node the product assembles', () => {
  // Pollers, visibility timeouts, retries and schedules run on this clock; it starts at 2026-01-01T00:00:00Z and
  // moves only when a test moves it.
  const clock = new FakeClock(Date.UTC(2026, 0, 1), 5);
  /** Function runs in flight, from the node's observer hook. */
  let running = 0;
  let test: TestNode;
  let appDir: string;
  let s3: S3Client;
  let sqs: SQSClient;
  let sns: SNSClient;
  let dynamodb: DynamoDBClient;
  let lambda: LambdaClient;

  /**
   * expect.poll over an observation, moving the node's clock a second before each look. Time stands still while a
   * function runs: init and run timeouts are on this clock too, and a cold start that is slow on a loaded machine
   * must not read as a timeout.
   */
  const ticking = <T>(observe: () => Promise<T>) =>
    expect.poll(
      async () => {
        if (running === 0) await clock.advance(1_000);
        return observe();
      },
      { timeout: 30_000 },
    );

  /** The events a function wrote to the `seen` table. */
  const received = async <E>(fn: string): Promise<Received<E>[]> => {
    const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: 'seen', ConsistentRead: true }));
    return Items.filter((item) => item.fn?.S === fn).map((item) => ({ requestId: item.requestId!.S!, event: JSON.parse(item.event!.S!) as E }));
  };

  /** Nothing runs and no Event call waits: whatever was handed to functions so far has been dealt with. */
  const quiet = async (): Promise<boolean> => running === 0 && Object.values(await test.node.storage.queues.counts(ASYNC_QUEUE)).every((n) => n === 0);

  /**
   * What a queue has received so far: `read()` takes what it holds now (no long poll), deletes it so each message is
   * read once, keeps it in `messages` and answers how many there are.
   */
  const inbox = (queue: string) => {
    const messages: string[] = [];
    const read = async (): Promise<number> => {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (Messages.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
      messages.push(...Messages.map((m) => m.Body!));
      return messages.length;
    };
    return { messages, read };
  };

  beforeAll(async () => {
    test = await startTestNode({ clock, observer: { started: () => void running++, ended: () => void running-- } });
    const config = { ...test.config, maxAttempts: 1 };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sqs = new SQSClient(config);
    sns = new SNSClient(config);
    dynamodb = new DynamoDBClient(config);
    lambda = new LambdaClient(config);

    // The orders table exists before the app, with its stream on and an order already written: TRIM_HORIZON must
    // hand the function that order too (LATEST would start after it).
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'orders',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    await dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o-1' }, status: { S: 'new' } } }));

    appDir = mkdtempSync(join(tmpdir(), 'flint-matrix-'));
    writeFileSync(join(appDir, 'flint.yaml'), MANIFEST);
    writeFileSync(join(appDir, 'index.js'), HANDLERS);
    await test.node.deployDir(appDir);
  });

  afterAll(async () => {
    for (const client of [s3, sqs, sns, dynamodb, lambda]) client?.destroy();
    await test?.close();
    if (appDir) rmSync(appDir, { recursive: true, force: true });
  });

  it('sqs: batches of at most batchSize reach the function; a reported item failure stays in the queue and is retried', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'jobs' }));
    const bodies = ['job 1', 'job 2', 'flaky job 3', 'job 4', 'job 5', 'job 6', 'job 7'];
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: bodies.map((body, i) => ({ Id: `m${i}`, MessageBody: body })) }));

    const firstReceives = async () => (await received<Records<SqsRecord>>('jobs')).flatMap((r) => r.event.Records).filter((r) => r.attributes.ApproximateReceiveCount === '1');
    await ticking(async () => (await firstReceives()).map((r) => r.body).sort()).toEqual([...bodies].sort());
    for (const { event } of await received<Records<SqsRecord>>('jobs')) expect(event.Records.length).toBeLessThanOrEqual(5);
    const flaky = (await firstReceives()).find((r) => r.body === 'flaky job 3')!;
    expect(flaky).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: arn.queue('jobs'), awsRegion: 'us-east-1', md5OfBody: expect.any(String), receiptHandle: expect.any(String) });

    // The six successes are deleted; the reported failure is left in flight until its visibility timeout lapses...
    const counts = async () =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes;
    await expect.poll(counts).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });

    // ...and then it alone is delivered again, received a second time, and deleted once the function succeeds.
    const retries = async () => (await received<Records<SqsRecord>>('jobs')).filter((r) => r.event.Records.some((m) => m.attributes.ApproximateReceiveCount !== '1'));
    await ticking(retries).toHaveLength(1);
    const [retry] = await retries();
    expect(retry!.event.Records).toEqual([expect.objectContaining({ messageId: flaky.messageId, body: 'flaky job 3', attributes: expect.objectContaining({ ApproximateReceiveCount: '2' }) })]);
    await ticking(counts).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('dynamodb: writes reach the function as stream records, from the start of the stream (TRIM_HORIZON)', async () => {
    await dynamodb.send(new UpdateItemCommand({ TableName: 'orders', Key: { id: { S: 'o-1' } }, UpdateExpression: 'SET #s = :paid', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':paid': { S: 'paid' } } }));
    await dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o-2' }, status: { S: 'new' } } }));

    const records = async () => (await received<Records<StreamRecord>>('orders')).flatMap((r) => r.event.Records);
    await ticking(async () => (await records()).map((r) => `${r.eventName} ${r.dynamodb.Keys.id.S}`).sort()).toEqual(['INSERT o-1', 'INSERT o-2', 'MODIFY o-1']);
    const common = { eventSource: 'aws:dynamodb', eventVersion: '1.1', awsRegion: 'us-east-1', eventSourceARN: expect.stringMatching(/^arn:aws:dynamodb:us-east-1:000000000000:table\/orders\/stream\//) };
    expect(await records()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ...common, eventName: 'INSERT', dynamodb: expect.objectContaining({ Keys: { id: { S: 'o-1' } }, NewImage: { id: { S: 'o-1' }, status: { S: 'new' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' }) }),
        expect.objectContaining({
          ...common,
          eventName: 'MODIFY',
          dynamodb: expect.objectContaining({ Keys: { id: { S: 'o-1' } }, OldImage: { id: { S: 'o-1' }, status: { S: 'new' } }, NewImage: { id: { S: 'o-1' }, status: { S: 'paid' } } }),
        }),
      ]),
    );
  });

  it('schedule: rate(1 minute) runs the function with EventBridge’s Scheduled Event each minute after the deploy', async () => {
    // The app was deployed at 00:00:00 on the node's clock: the first firing is a minute later, then every minute.
    const ticks = async () => (await received<ScheduledEvent>('tick')).map((r) => r.event).sort((a, b) => a.time.localeCompare(b.time));
    await ticking(async () => (await ticks()).length).toBeGreaterThanOrEqual(2);
    const [first, second] = await ticks();
    const rule = `arn:aws:events:us-east-1:${ACCOUNT}:rule/matrix-tick-schedule-1`;
    expect(first).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      time: '2026-01-01T00:01:00Z',
      region: 'us-east-1',
      resources: [rule],
      detail: {},
    });
    expect(second).toMatchObject({ time: '2026-01-01T00:02:00Z', resources: [rule] });
  });

  it('async: a success goes to the onSuccess topic, a failure is retried maximumRetryAttempts times and goes to the onFailure queue', async () => {
    // What a user does to read a topic: subscribe a queue to it (SNS wraps each record in its notification).
    await sns.send(new SubscribeCommand({ TopicArn: arn.topic('worker-done'), Protocol: 'sqs', Endpoint: arn.queue('worker-done-copy') }));
    const invoke = (event: object) => lambda.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
    expect((await invoke({ order: 1 })).StatusCode).toBe(202);
    expect((await invoke({ order: 2, fail: true })).StatusCode).toBe(202);

    const done = inbox('worker-done-copy');
    await ticking(done.read).toBe(1);
    const notification = JSON.parse(done.messages[0]!);
    expect(notification).toMatchObject({ Type: 'Notification', TopicArn: arn.topic('worker-done'), MessageId: expect.any(String) });
    expect(JSON.parse(notification.Message)).toMatchObject({
      version: '1.0',
      timestamp: expect.any(String),
      requestContext: { requestId: expect.any(String), functionArn: `${arn.function('worker')}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { order: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { done: 1 },
    });

    // Lambda retries a failed Event call after about a minute; with one retry allowed, the second failure is final.
    const failed = inbox('worker-failed');
    await ticking(failed.read).toBe(1);
    const record = JSON.parse(failed.messages[0]!);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { functionArn: `${arn.function('worker')}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 2 },
      requestPayload: { order: 2, fail: true },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'order 2 failed on purpose' },
    });
    const runs = (await received<{ order: number }>('worker')).filter((r) => r.event.order === 2);
    expect(runs.map((r) => r.requestId)).toEqual([record.requestContext.requestId, record.requestContext.requestId]);
    expect(await done.read()).toBe(1);
  });

  it('s3 notifications: a bucket the manifest declares sends a test event, then its object events, to a queue and a topic', async () => {
    await sns.send(new SubscribeCommand({ TopicArn: arn.topic('notices-topic'), Protocol: 'sqs', Endpoint: arn.queue('notices-topic-copy') }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'notices',
        NotificationConfiguration: {
          QueueConfigurations: [{ Id: 'created-to-queue', QueueArn: arn.queue('notices-queue'), Events: ['s3:ObjectCreated:*'] }],
          TopicConfigurations: [{ Id: 'removed-to-topic', TopicArn: arn.topic('notices-topic'), Events: ['s3:ObjectRemoved:*'] }],
        },
      }),
    );
    const testEvent = { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'notices', Time: expect.any(String), RequestId: expect.any(String), HostId: expect.any(String) };
    const queued = inbox('notices-queue');
    const published = inbox('notices-topic-copy');
    await ticking(queued.read).toBe(1);
    expect(JSON.parse(queued.messages[0]!)).toEqual(testEvent);
    await ticking(published.read).toBe(1);
    const announcement = JSON.parse(published.messages[0]!);
    expect(announcement).toMatchObject({ Type: 'Notification', TopicArn: arn.topic('notices-topic'), Subject: 'Amazon S3 Notification' });
    expect(JSON.parse(announcement.Message)).toEqual(testEvent);

    await s3.send(new PutObjectCommand({ Bucket: 'notices', Key: 'reports/q1.csv', Body: 'a,b\n' }));
    await ticking(queued.read).toBe(2);
    expect(JSON.parse(queued.messages[1]!)).toEqual({ Records: [s3Record('ObjectCreated:Put', 'notices', { key: 'reports/q1.csv', size: 4 }, 'created-to-queue')] });

    await s3.send(new DeleteObjectCommand({ Bucket: 'notices', Key: 'reports/q1.csv' }));
    await ticking(published.read).toBe(2);
    expect(JSON.parse(JSON.parse(published.messages[1]!).Message)).toEqual({ Records: [s3Record('ObjectRemoved:Delete', 'notices', { key: 'reports/q1.csv' }, 'removed-to-topic')] });
    // Each destination hears only the events it was configured for.
    expect(await queued.read()).toBe(2);
  });

  it('s3 event: an upload under the declared prefix reaches the function as an S3 event; others do not', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'other/b.txt', Body: 'not for the function' }));
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'incoming/a.txt', Body: 'hello' }));

    await ticking(async () => (await received('uploads')).length).toBeGreaterThanOrEqual(1);
    await ticking(quiet).toBe(true);
    const events = await received<Records<unknown>>('uploads');
    expect(events.map((r) => r.event)).toEqual([{ Records: [s3Record('ObjectCreated:Put', 'uploads', { key: 'incoming/a.txt', size: 5 })] }]);
  });

  it('sns: a publish to the topic reaches the function as an SNS event', async () => {
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn: arn.topic('alerts'), Subject: 'disk', Message: 'disk 91% full', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }),
    );
    await ticking(async () => (await received<Records<unknown>>('alerts')).map((r) => r.event)).toEqual([
      {
        Records: [
          expect.objectContaining({
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: expect.stringMatching(new RegExp(`^${arn.topic('alerts')}:`)),
            Sns: expect.objectContaining({
              Type: 'Notification',
              MessageId,
              TopicArn: arn.topic('alerts'),
              Subject: 'disk',
              Message: 'disk 91% full',
              MessageAttributes: { severity: { Type: 'String', Value: 'high' } },
            }),
          }),
        ],
      },
    ]);
  });
});
