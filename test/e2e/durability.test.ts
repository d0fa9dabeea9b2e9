import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const MANIFEST = `app: durable
functions:
  record:
    runtime: nodejs20.x
    handler: index.handler
resources:
  buckets: { durable-bucket: {} }
  queues: { durable-queue: {} }
  tables: { Seen: { hashKey: { name: id, type: S } } }
`;

const CODE = `
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) => {
  await db.send(new PutItemCommand({ TableName: 'Seen', Item: { id: { S: event.id } } }));
};
`;

interface Node {
  url: string;
  child: ChildProcess;
}

function start(appDir: string, dataDir: string, env: Record<string, string> = {}): Promise<Node> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/flint.js'), 'up', appDir, '--port', '0', '--data', dataDir, '--no-watch'], { env: { ...process.env, NO_COLOR: '1', ...env } });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes('stop: Ctrl-C')) resolve({ url, child });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => reject(new Error(`flint up exited:\n${output}`)));
  });
}

function clients(url: string) {
  const config = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  return { s3: new S3Client({ ...config, forcePathStyle: true }), sqs: new SQSClient(config), lambda: new LambdaClient(config), db: new DynamoDBClient(config), events: new EventBridgeClient(config) };
}

/** Runs `write` in a loop until stopped, collecting what each acknowledged write returned into `acknowledged`. */
async function hammer<T>(until: { stopped: boolean }, acknowledged: T[], write: (i: number) => Promise<T>): Promise<T[]> {
  for (let i = 0; !until.stopped; i++) {
    try {
      acknowledged.push(await write(i));
    } catch {
      return acknowledged; // the node died mid-request: that write was never acknowledged
    }
  }
  return acknowledged;
}

describe('durability: kill -9 under load, then restart', () => {
  const appDir = mkdtempSync(join(tmpdir(), 'flint-durable-app-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'flint-durable-data-'));
  let restarted: Node | undefined;
  afterAll(async () => {
    restarted?.child.kill('SIGINT');
    if (restarted) await new Promise((resolve) => restarted!.child.once('exit', resolve));
    rmSync(appDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged object, message and accepted event, and delivers the events', async () => {
    writeFileSync(join(appDir, 'flint.yaml'), MANIFEST);
    writeFileSync(join(appDir, 'index.js'), CODE);
    writeFileSync(join(appDir, 'package.json'), '{"type":"commonjs"}');
    const first = await start(appDir, dataDir);
    const c = clients(first.url);
    const { QueueUrl } = await c.sqs.send(new GetQueueUrlCommand({ QueueName: 'durable-queue' }));
    const until = { stopped: false };
    const acked: [string[], string[], string[]] = [[], [], []];
    const load = Promise.all([
      hammer(until, acked[0], async (i) => {
        const key = `object-${i}`;
        await c.s3.send(new PutObjectCommand({ Bucket: 'durable-bucket', Key: key, Body: `body of ${key}` }));
        return key;
      }),
      hammer(until, acked[1], async (i) => (await c.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `message-${i}` }))).MessageId!),
      hammer(until, acked[2], async (i) => {
        const id = `event-${i}`;
        const res = await c.lambda.send(new InvokeCommand({ FunctionName: 'record', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ id })) }));
        if (res.StatusCode !== 202) throw new Error(`not accepted: ${res.StatusCode}`);
        return id;
      }),
    ]);
    // Kill it under load: once every kind of write has been acknowledged a few times, with more in flight.
    await expect.poll(() => Math.min(...acked.map((list) => list.length)), { timeout: 30_000, interval: 50 }).toBeGreaterThan(10);
    first.child.kill('SIGKILL');
    until.stopped = true;
    const [objects, messages, events] = await load;
    expect(objects.length).toBeGreaterThan(5);
    expect(messages.length).toBeGreaterThan(5);
    expect(events.length).toBeGreaterThan(5);

    restarted = await start(appDir, dataDir);
    const r = clients(restarted.url);
    for (const key of objects) {
      const got = await r.s3.send(new GetObjectCommand({ Bucket: 'durable-bucket', Key: key }));
      expect(await got.Body!.transformToString()).toBe(`body of ${key}`);
    }
    const received = new Set<string>();
    const url = (await r.sqs.send(new GetQueueUrlCommand({ QueueName: 'durable-queue' }))).QueueUrl!;
    for (;;) {
      const batch = await r.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (!batch.Messages?.length) break;
      for (const m of batch.Messages) received.add(m.MessageId!);
      await r.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    expect(messages.filter((id) => !received.has(id))).toEqual([]);
    // Events the dead node had leased come back when their 30 s lease lapses.
    const undelivered = async (): Promise<string[]> => {
      const seen = new Set(((await r.db.send(new ScanCommand({ TableName: 'Seen' }))).Items ?? []).map((item) => item.id!.S!));
      return events.filter((id) => !seen.has(id));
    };
    await expect.poll(undelivered, { timeout: 60_000, interval: 500 }).toEqual([]);
  }, 120_000);
});

describe('durability: an S3 write and its notification commit together', () => {
  const appDir = mkdtempSync(join(tmpdir(), 'flint-outbox-app-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'flint-outbox-data-'));
  let node: Node | undefined;
  afterAll(async () => {
    node?.child.kill('SIGINT');
    if (node) await new Promise((resolve) => node!.child.once('exit', resolve));
    rmSync(appDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers the event of a write whose node was killed between the commit and the hand-over', async () => {
    writeFileSync(join(appDir, 'flint.yaml'), 'app: outbox\nfunctions:\n  noop: { runtime: nodejs20.x, handler: index.handler }\nresources:\n  buckets: { drop: {} }\n  queues: { drops: {} }\n');
    writeFileSync(join(appDir, 'index.js'), 'exports.handler = async () => {};');
    // FLINT_FAULT makes the node kill itself (SIGKILL) right after an S3 write committed with its events.
    const doomed = await start(appDir, dataDir, { FLINT_FAULT: 's3.events-committed' });
    const c = clients(doomed.url);
    const { QueueUrl } = await c.sqs.send(new GetQueueUrlCommand({ QueueName: 'drops' }));
    const QueueArn = 'arn:aws:sqs:us-east-1:000000000000:drops';
    await c.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'drop', NotificationConfiguration: { QueueConfigurations: [{ Id: 'all', QueueArn, Events: ['s3:ObjectCreated:*'] }] } }));
    await drain(c.sqs, QueueUrl!); // S3's test event for the new configuration
    const died = new Promise((resolve) => doomed.child.once('exit', (_code, signal) => resolve(signal)));
    await expect(c.s3.send(new PutObjectCommand({ Bucket: 'drop', Key: 'crash/report.csv', Body: 'a,b' }))).rejects.toThrow();
    expect(await died).toBe('SIGKILL');

    node = await start(appDir, dataDir);
    const r = clients(node.url);
    const got = await r.s3.send(new GetObjectCommand({ Bucket: 'drop', Key: 'crash/report.csv' }));
    expect(await got.Body!.transformToString()).toBe('a,b');
    const url = (await r.sqs.send(new GetQueueUrlCommand({ QueueName: 'drops' }))).QueueUrl!;
    const keys = async (): Promise<string[]> => (await drain(r.sqs, url)).flatMap((body) => ((JSON.parse(body) as { Records?: { s3: { object: { key: string } } }[] }).Records ?? []).map((record) => record.s3.object.key));
    await expect.poll(keys, { timeout: 20_000, interval: 200 }).toEqual(['crash/report.csv']);
  }, 60_000);

  it('puts the EventBridge event of a write whose node was killed between the commit and the hand-over on the bus', async () => {
    const busApp = mkdtempSync(join(tmpdir(), 'flint-bus-outbox-app-'));
    const busData = mkdtempSync(join(tmpdir(), 'flint-bus-outbox-data-'));
    try {
      writeFileSync(join(busApp, 'flint.yaml'), 'app: busbox\nfunctions:\n  noop: { runtime: nodejs20.x, handler: index.handler }\nresources:\n  buckets: { bus-drop: {} }\n  queues: { bus-drops: {} }\n');
      writeFileSync(join(busApp, 'index.js'), 'exports.handler = async () => {};');
      const doomed = await start(busApp, busData, { FLINT_FAULT: 's3.events-committed' });
      const c = clients(doomed.url);
      await c.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'bus-drop', NotificationConfiguration: { EventBridgeConfiguration: {} } }));
      await c.events.send(new PutRuleCommand({ Name: 'bus-drop-created', EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['bus-drop'] } } }) }));
      await c.events.send(new PutTargetsCommand({ Rule: 'bus-drop-created', Targets: [{ Id: 'queue', Arn: 'arn:aws:sqs:us-east-1:000000000000:bus-drops' }] }));
      const died = new Promise((resolve) => doomed.child.once('exit', (_code, signal) => resolve(signal)));
      await expect(c.s3.send(new PutObjectCommand({ Bucket: 'bus-drop', Key: 'crash/bus.csv', Body: 'a,b' }))).rejects.toThrow();
      expect(await died).toBe('SIGKILL');

      const revived = await start(busApp, busData);
      try {
        const r = clients(revived.url);
        const url = (await r.sqs.send(new GetQueueUrlCommand({ QueueName: 'bus-drops' }))).QueueUrl!;
        const keys = async (): Promise<string[]> => (await drain(r.sqs, url)).map((body) => (JSON.parse(body) as { detail: { object: { key: string } } }).detail.object.key);
        await expect.poll(keys, { timeout: 20_000, interval: 200 }).toEqual(['crash/bus.csv']);
      } finally {
        const exited = new Promise((resolve) => revived.child.once('exit', resolve));
        revived.child.kill('SIGINT');
        await exited;
      }
    } finally {
      rmSync(busApp, { recursive: true, force: true });
      rmSync(busData, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Receives and deletes what a queue holds now; returns the bodies. */
async function drain(sqs: SQSClient, QueueUrl: string): Promise<string[]> {
  const batch = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  const messages = batch.Messages ?? [];
  if (messages.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  return messages.map((m) => m.Body!);
}
