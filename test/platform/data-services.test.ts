import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import { startNode, type FlintNode } from '../../src/platform/index.js';
import type { DeployReport } from '../../src/services/admin/index.js';

const MANIFEST = `app: data
functions:
  onUpload:
    runtime: nodejs20.x
    handler: index.onUpload
  onTopic:
    runtime: nodejs20.x
    handler: index.onTopic
resources:
  buckets: { uploads: {} }
  queues: { inbox: {} }
  topics: { news: {} }
  tables: { Items: { hashKey: { name: id, type: S } } }
`;

// The functions use the AWS SDK the runtime provides, with no endpoint in the code: AWS_ENDPOINT_URL
// points them at Flint.
const CODE = `
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.onUpload = async (event) => {
  for (const record of event.Records) {
    await db.send(new PutItemCommand({ TableName: 'Items', Item: { id: { S: 'upload:' + record.s3.object.key }, event: { S: record.eventName }, size: { N: String(record.s3.object.size) } } }));
  }
};
exports.onTopic = async (event) => {
  const sns = event.Records[0].Sns;
  await db.send(new PutItemCommand({ TableName: 'Items', Item: { id: { S: 'topic:' + sns.Message }, subject: { S: sns.Subject || '' } } }));
};
`;

describe('data services wired into a node', () => {
  let node: FlintNode;
  let appDir: string;
  let dataDir: string;
  let report: DeployReport;
  const config = () => ({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const item = async (id: string) => (await new DynamoDBClient(config()).send(new GetItemCommand({ TableName: 'Items', Key: { id: { S: id } } }))).Item;

  beforeAll(async () => {
    appDir = mkdtempSync(join(tmpdir(), 'flint-data-app-'));
    dataDir = mkdtempSync(join(tmpdir(), 'flint-data-'));
    writeFileSync(join(appDir, 'flint.yaml'), MANIFEST);
    writeFileSync(join(appDir, 'index.js'), CODE);
    writeFileSync(join(appDir, 'package.json'), '{"type":"commonjs"}');
    node = await startNode({ dataDir, port: 0, logger: silentLogger, sandbox: 'process', stemCells: false });
    report = await node.deployDir(appDir);
  });
  afterAll(async () => {
    await node?.close();
    rmSync(appDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the resources flint.yaml declares', () => {
    expect(report.created.sort()).toEqual(['bucket uploads', 'queue inbox', 'table Items']);
  });

  it('runs a function for an object upload, and the function writes to a table through the SDK', async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:onUpload`;
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'uploads', NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: arn, Events: ['s3:ObjectCreated:*'] }] } }));
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'photo.jpg', Body: 'not really a jpeg' }));
    await expect.poll(() => item('upload:photo.jpg'), { timeout: 15_000 }).toMatchObject({ event: { S: 'ObjectCreated:Put' }, size: { N: '17' } });
  });

  it('fans a topic message out to a function and a queue', async () => {
    const sns = new SNSClient(config());
    const sqs = new SQSClient(config());
    const topicArn = 'arn:aws:sns:us-east-1:000000000000:news';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:onTopic' }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:inbox' }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'UserCreated', Subject: 'users' }));
    await expect.poll(() => item('topic:UserCreated'), { timeout: 15_000 }).toMatchObject({ subject: { S: 'users' } });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'inbox' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    expect(JSON.parse(received.Messages![0]!.Body!)).toMatchObject({ Type: 'Notification', TopicArn: topicArn, Message: 'UserCreated', Subject: 'users' });
  });
});
