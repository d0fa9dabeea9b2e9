import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { createZip } from '../../src/functions/index.js';
import { signRequest } from '../../src/gateway/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';

const ROLE = 'arn:aws:iam::000000000000:role/reset-test';
const handlerZip = (): Uint8Array => createZip([{ path: 'index.js', data: Buffer.from('exports.handler = async () => ({ ok: true });'), mode: 0o644 }]);

/** Resources of every kind, made through the AWS APIs as a test suite's setup would. */
async function populate(test: TestNode, suffix: string): Promise<void> {
  const { config } = test;
  await new S3Client({ ...config, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: `bucket-${suffix}` }));
  await new S3Client({ ...config, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: `bucket-${suffix}`, Key: 'k', Body: 'v' }));
  await new SQSClient(config).send(new CreateQueueCommand({ QueueName: `queue-${suffix}` }));
  await new SNSClient(config).send(new CreateTopicCommand({ Name: `topic-${suffix}` }));
  await new DynamoDBClient(config).send(
    new CreateTableCommand({ TableName: `table-${suffix}`, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
  );
  await new LambdaClient(config).send(new CreateFunctionCommand({ FunctionName: `fn-${suffix}`, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: handlerZip() } }));
}

async function inventory(test: TestNode): Promise<Record<string, string[]>> {
  const { config } = test;
  const buckets = await new S3Client({ ...config, forcePathStyle: true }).send(new ListBucketsCommand({}));
  const queues = await new SQSClient(config).send(new ListQueuesCommand({}));
  const topics = await new SNSClient(config).send(new ListTopicsCommand({}));
  const tables = await new DynamoDBClient(config).send(new ListTablesCommand({}));
  const functions = await new LambdaClient(config).send(new ListFunctionsCommand({}));
  return {
    buckets: (buckets.Buckets ?? []).map((b) => b.Name ?? ''),
    queues: queues.QueueUrls ?? [],
    topics: (topics.Topics ?? []).map((t) => t.TopicArn ?? ''),
    tables: tables.TableNames ?? [],
    functions: (functions.Functions ?? []).map((f) => f.FunctionName ?? ''),
  };
}

describe('POST /_flint/reset', () => {
  let test: TestNode | undefined;
  afterEach(async () => {
    await test?.close();
    test = undefined;
  });

  it('wipes every resource of the node, which then serves a new set as before', async () => {
    test = await startTestNode();
    await populate(test, 'one');
    expect(Object.values(await inventory(test)).every((names) => names.length === 1)).toBe(true);

    const answer = await fetch(`${test.node.url}/_flint/reset`, { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(await inventory(test)).toEqual({ buckets: [], queues: [], topics: [], tables: [], functions: [] });

    // The same listener, a fresh node behind it: resources are made and functions run again.
    await populate(test, 'two');
    const invoked = await new LambdaClient(test.config).send(new InvokeCommand({ FunctionName: 'fn-two' }));
    expect(JSON.parse(Buffer.from(invoked.Payload ?? new Uint8Array()).toString('utf8'))).toEqual({ ok: true });
    expect((await inventory(test)).queues).toEqual([`${test.node.url}/000000000000/queue-two`]);
  });

  it('is refused on a node that listens beyond loopback', async () => {
    test = await startTestNode({ host: '0.0.0.0' });
    await new SQSClient(test.config).send(new CreateQueueCommand({ QueueName: 'kept' }));
    // Beyond loopback the node is in server mode: the admin call is signed with its root key, as the CLI signs it.
    const url = new URL(`${test.node.url}/_flint/reset`);
    const { host: _host, ...headers } = signRequest({ method: 'POST', url, headers: {}, region: 'us-east-1', service: 'flint', now: Date.now() }, test.config.credentials);
    const answer = await fetch(url, { method: 'POST', headers });
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { error: { code: string; message: string } }).error.message).toMatch(/reset is off/);
    expect((await inventory(test)).queues).toHaveLength(1);
  });
});
