import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/index.js';
import { flintUp, type RunningFlint } from '../../test/helpers/cli.js';
import { startTestNode, type TestNode } from '../../test/helpers/node.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const TABLE = 'sam-orders-OrdersTable';
const BUCKET = 'sam-orders-receipts-dev';

/** `OrdersApiUrl   http://...` from the Outputs flint up prints after the deploy. */
function output(flint: RunningFlint, key: string): string {
  const value = new RegExp(`^\\W*${key} +(\\S+)`, 'm').exec(flint.output())?.[1];
  if (value === undefined) throw new Error(`flint up printed no output ${key}:\n${flint.output()}`);
  return value;
}

describe('example: sam-orders, deployed by `flint up` from its SAM template as it is', () => {
  let flint: RunningFlint;
  let orders: DynamoDBDocumentClient;
  let s3: S3Client;
  let sqs: SQSClient;

  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
    const config = { endpoint: flint.url, region: 'us-east-1', credentials };
    orders = DynamoDBDocumentClient.from(new DynamoDBClient(config));
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sqs = new SQSClient(config);
  });
  afterAll(async () => {
    await flint?.stop();
  });

  const order = async (orderId: string) => (await orders.send(new GetCommand({ TableName: TABLE, Key: { orderId }, ConsistentRead: true }))).Item;

  it('creates what the template declares and prints its Outputs with URLs on this node', () => {
    expect(flint.output()).toContain(`✓ table ${TABLE} created`);
    expect(flint.output()).toContain(`✓ bucket ${BUCKET} created`);
    expect(flint.output()).toContain('✓ queue sam-orders-FulfilmentQueue created');
    expect(output(flint, 'OrdersApiUrl')).toBe(`${flint.url}/orders`);
    // The REST API's stage is in its AWS URL; Flint serves the routes without it.
    expect(output(flint, 'LegacyApiUrl')).toBe(`${flint.url}/v1/orders`);
    expect(output(flint, 'OrdersTableName')).toBe(TABLE);
    expect(output(flint, 'CreateOrderFunctionRoleArn')).toBe('arn:aws:iam::000000000000:role/sam-orders-CreateOrderFunction-role');
    expect(flint.output()).not.toContain('not honoured');
  });

  it('takes an order over the HTTP API, queues it and fulfils it from the queue', async () => {
    const created = await fetch(output(flint, 'OrdersApiUrl'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer: 'ada', items: [{ sku: 'tea', qty: 2 }] }),
    });
    expect(created.status).toBe(201);
    const { orderId } = (await created.json()) as { orderId: string };
    await expect.poll(async () => (await order(orderId))?.status, { timeout: 30_000 }).toBe('FULFILLED');

    const viaHttpApi = await fetch(`${output(flint, 'OrdersApiUrl')}/${orderId}`);
    expect(viaHttpApi.status).toBe(200);
    expect(await viaHttpApi.json()).toMatchObject({ orderId, customer: 'ada', stage: 'dev', status: 'FULFILLED' });
    const viaRestApi = await fetch(`${output(flint, 'LegacyApiUrl')}/${orderId}`);
    expect(viaRestApi.status).toBe(200);
    expect(await viaRestApi.json()).toMatchObject({ orderId, items: [{ sku: 'tea', qty: 2 }] });
    expect((await fetch(`${output(flint, 'OrdersApiUrl')}/no-such-order`)).status).toBe(404);
  });

  it('refuses an order without items, with the handler’s 400', async () => {
    const refused = await fetch(output(flint, 'OrdersApiUrl'), { method: 'POST', body: JSON.stringify({ customer: 'ada', items: [] }) });
    expect(refused.status).toBe(400);
  });

  it('files a receipt uploaded under receipts/ against its order', async () => {
    await orders.send(new PutCommand({ TableName: TABLE, Item: { orderId: 'o-receipt', status: 'FULFILLED', createdAt: new Date().toISOString() } }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'receipts/o-receipt.pdf', Body: '%PDF-1.7 receipt' }));
    await expect.poll(async () => (await order('o-receipt'))?.receipt, { timeout: 30_000 }).toBe(`s3://${BUCKET}/receipts/o-receipt.pdf`);
  });

  it('sends a receipt for an unknown order to the OnFailure queue, without retrying it', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'receipts/o-missing.pdf', Body: '%PDF-1.7 stray' }));
    const QueueUrl = output(flint, 'FailedEventsQueueUrl');
    const received = async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
      for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      return Messages.map((m) => JSON.parse(m.Body!) as { requestContext: { condition: string; approximateInvokeCount: number }; requestPayload: { Records: { s3: { object: { key: string } } }[] } });
    };
    let records: Awaited<ReturnType<typeof received>> = [];
    await expect.poll(async () => (records = [...records, ...(await received())]).length, { timeout: 30_000 }).toBe(1);
    // The invocation record Lambda sends to an OnFailure destination
    // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
    expect(records[0]!.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    expect(records[0]!.requestPayload.Records[0]!.s3.object.key).toBe('receipts/o-missing.pdf');
  });

  it('gives each function the role its Policies make, in Flint’s IAM', async () => {
    const iam = new IAMClient({ endpoint: flint.url, region: 'us-east-1', credentials });
    const lambda = new LambdaClient({ endpoint: flint.url, region: 'us-east-1', credentials });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'CreateOrderFunction' }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'sam-orders-CreateOrderFunction-role' }));
    expect(config.Role).toBe(Role!.Arn);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: Role!.RoleName }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['AWSLambdaBasicExecutionRole']);
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: Role!.RoleName, PolicyName: 'flint-function-policy' }));
    const document = JSON.parse(decodeURIComponent(inline.PolicyDocument!)) as { Statement: { Action: string[]; Resource: string | string[] }[] };
    expect(document.Statement).toEqual([
      expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:GetItem']), Resource: expect.arrayContaining([`arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}`]) }),
      expect.objectContaining({ Action: ['sqs:SendMessage*'], Resource: 'arn:aws:sqs:us-east-1:000000000000:sam-orders-FulfilmentQueue' }),
    ]);
  });
});

describe('example: sam-orders, its Schedule event on the node’s clock', () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1), 5);
  let running = 0;
  let test: TestNode;
  beforeAll(async () => {
    test = await startTestNode({ clock, observer: { started: () => void running++, ended: () => void running-- } });
    await test.node.deployDir(import.meta.dirname, undefined, { parameterOverrides: ['Stage=prod'] });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('sweeps orders left PENDING every 15 minutes (rate(15 minutes)), with the prod stage’s settings', async () => {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(test.config));
    const key = { orderId: 'o-forgotten' };
    await db.send(new PutCommand({ TableName: TABLE, Item: { ...key, status: 'PENDING', createdAt: '2000-01-01T00:00:00.000Z' } }));
    await expect
      .poll(async () => {
        if (running === 0) await clock.advance(60_000);
        return (await db.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }))).Item?.status;
      }, { timeout: 30_000 })
      .toBe('STALE');
    expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1, 0, 15));
  });
});
