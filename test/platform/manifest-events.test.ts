/**
 * flint.yaml's event source options and eventBridge events (issue 13) at deploy: visible through the Lambda and
 * EventBridge APIs (GetEventSourceMapping, ListRules, ListTargetsByRule), behaving as Lambda and EventBridge do
 * (filters drop records, a failing stream batch is bisected and its poison record sent to OnFailure, a pattern routes
 * a custom event to the function), and changed or removed on redeploy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetEventSourceMappingCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import { startNode, type FlintNode } from '../../src/platform/index.js';

const FIRST = `app: wired
functions:
  onJob:
    runtime: nodejs20.x
    handler: index.onJob
    events:
      - sqs: { queue: jobs, maximumConcurrency: 2, filters: [{ body: { kind: [order] } }] }
  onOrder:
    runtime: nodejs20.x
    handler: index.onOrder
    events:
      - dynamodb:
          table: Orders
          startingPosition: TRIM_HORIZON
          batchSize: 10
          batchingWindow: 1
          filters: [{ eventName: [INSERT] }]
          bisectOnError: true
          maximumRetryAttempts: 0
          maximumRecordAge: 3600
          parallelization: 2
          onFailure: queue:failed-orders
  onShop:
    runtime: nodejs20.x
    handler: index.onShop
    events:
      - eventBridge: { bus: shop, pattern: { source: [shop], detail-type: [order placed] } }
      - eventBridge: { schedule: rate(1 day) }
resources:
  tables:
    Orders: { hashKey: { name: id, type: S } }
    Seen: { hashKey: { name: id, type: S } }
  queues: { jobs: {}, failed-orders: {} }
  buses: { shop: null }
`;

/** The same app with every option dropped: the mappings go back to Lambda's defaults, the rules and bus go. */
const SECOND = `app: wired
functions:
  onJob:
    runtime: nodejs20.x
    handler: index.onJob
    events:
      - sqs: jobs
  onOrder:
    runtime: nodejs20.x
    handler: index.onOrder
    events:
      - dynamodb: { table: Orders, startingPosition: TRIM_HORIZON, reportBatchItemFailures: true }
  onShop:
    runtime: nodejs20.x
    handler: index.onShop
resources:
  tables:
    Orders: { hashKey: { name: id, type: S } }
    Seen: { hashKey: { name: id, type: S } }
  queues: { jobs: {}, failed-orders: {} }
`;

// Each function records what it saw in the Seen table, through the SDK the runtime provides.
const CODE = `
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
const seen = (id) => db.send(new PutItemCommand({ TableName: 'Seen', Item: { id: { S: id } } }));
exports.onJob = async (event) => {
  for (const record of event.Records) await seen('job:' + JSON.parse(record.body).id);
};
exports.onOrder = async (event) => {
  const ids = event.Records.map((r) => r.eventName + ':' + (r.dynamodb.Keys.id.S));
  await seen('batch:' + ids.join(','));
  if (ids.includes('INSERT:poison')) throw new Error('poison order');
  for (const id of ids) await seen('order:' + id);
};
exports.onShop = async (event) => {
  await seen('shop:' + event['detail-type'] + ':' + event.detail.id);
};
`;

describe('flint.yaml event source options and eventBridge events at deploy', () => {
  let node: FlintNode;
  let appDir: string;
  let dataDir: string;
  const config = () => ({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const dynamodb = () => new DynamoDBClient(config());
  const sqs = () => new SQSClient(config());
  const lambda = () => new LambdaClient(config());
  const events = () => new EventBridgeClient(config());
  const seen = async (id: string) => Boolean((await dynamodb().send(new GetItemCommand({ TableName: 'Seen', Key: { id: { S: id } } }))).Item);
  const queueUrl = async (name: string) => (await sqs().send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  const mappingOf = async (functionName: string) => {
    const { EventSourceMappings } = await lambda().send(new ListEventSourceMappingsCommand({ FunctionName: functionName }));
    expect(EventSourceMappings).toHaveLength(1);
    return lambda().send(new GetEventSourceMappingCommand({ UUID: EventSourceMappings![0]!.UUID }));
  };
  const deploy = async (manifest: string) => {
    writeFileSync(join(appDir, 'flint.yaml'), manifest);
    return node.deployDir(appDir);
  };

  beforeAll(async () => {
    appDir = mkdtempSync(join(tmpdir(), 'flint-wired-app-'));
    dataDir = mkdtempSync(join(tmpdir(), 'flint-wired-'));
    writeFileSync(join(appDir, 'index.js'), CODE);
    writeFileSync(join(appDir, 'package.json'), '{"type":"commonjs"}');
    node = await startNode({ dataDir, port: 0, logger: silentLogger, sandbox: 'process', stemCells: false });
    await deploy(FIRST);
  });
  afterAll(async () => {
    await node?.close();
    rmSync(appDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('first deploy', () => {
    it('gives the SQS mapping its filter and maximum concurrency', async () => {
      const mapping = await mappingOf('onJob');
      expect(mapping.FilterCriteria).toEqual({ Filters: [{ Pattern: '{"body":{"kind":["order"]}}' }] });
      expect(mapping.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    });

    it('drops queue messages the filter does not match (and deletes them, as Lambda does)', async () => {
      const url = await queueUrl('jobs');
      await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify({ kind: 'refund', id: 'r1' }) }));
      await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify({ kind: 'order', id: 'o1' }) }));
      await expect.poll(() => seen('job:o1'), { timeout: 15_000 }).toBe(true);
      // https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html: for SQS, Lambda deletes messages that do not match.
      const backlog = async () => {
        const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
        return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible);
      };
      await expect.poll(backlog, { timeout: 15_000 }).toBe(0);
      expect(await seen('job:r1')).toBe(false);
    });

    it('gives the stream mapping its error handling settings', async () => {
      const mapping = await mappingOf('onOrder');
      expect(mapping).toMatchObject({
        FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 0,
        MaximumRecordAgeInSeconds: 3600,
        ParallelizationFactor: 2,
        MaximumBatchingWindowInSeconds: 1,
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:failed-orders' } },
      });
    });

    it('bisects a failing stream batch, sends the poison record to OnFailure and processes the rest', async () => {
      const put = (id: string) => ({ PutRequest: { Item: { id: { S: id } } } });
      await dynamodb().send(new BatchWriteItemCommand({ RequestItems: { Orders: [put('a'), put('poison'), put('c')] } }));
      await expect.poll(async () => (await seen('order:INSERT:a')) && (await seen('order:INSERT:c')), { timeout: 20_000 }).toBe(true);
      expect(await seen('batch:INSERT:a,INSERT:poison,INSERT:c')).toBe(true);
      // Halved: the first record alone succeeded, then the poison record alone failed and was given up on.
      expect(await seen('batch:INSERT:a')).toBe(true);
      expect(await seen('batch:INSERT:poison')).toBe(true);
      const url = await queueUrl('failed-orders');
      const { Messages } = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
      expect(JSON.parse(Messages![0]!.Body!)).toMatchObject({ requestContext: { condition: 'RetryAttemptsExhausted' }, DDBStreamBatchInfo: { batchSize: 1 } });
    });

    it('does not invoke for stream records the filter does not match', async () => {
      await dynamodb().send(new DeleteItemCommand({ TableName: 'Orders', Key: { id: { S: 'a' } } }));
      await dynamodb().send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'd' } } }));
      // One shard, read in order: once the later INSERT is done, the REMOVE before it was passed over.
      await expect.poll(() => seen('order:INSERT:d'), { timeout: 20_000 }).toBe(true);
      expect(await seen('batch:REMOVE:a')).toBe(false);
    });

    it('makes a rule on the custom bus and one on the default bus, each targeting the function', async () => {
      const onBus = await events().send(new ListRulesCommand({ EventBusName: 'shop' }));
      expect(onBus.Rules).toMatchObject([{ Name: 'wired-onShop-rule-1', EventBusName: 'shop', EventPattern: '{"source":["shop"],"detail-type":["order placed"]}', State: 'ENABLED' }]);
      const onDefault = await events().send(new ListRulesCommand({ NamePrefix: 'wired-onShop' }));
      expect(onDefault.Rules).toMatchObject([{ Name: 'wired-onShop-rule-2', ScheduleExpression: 'rate(1 day)' }]);
      const { Targets } = await events().send(new ListTargetsByRuleCommand({ Rule: 'wired-onShop-rule-1', EventBusName: 'shop' }));
      expect(Targets).toEqual([{ Id: 'onShop', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:onShop' }]);
    });

    it('routes a custom event the pattern matches to the function', async () => {
      const result = await events().send(new PutEventsCommand({
        Entries: [
          { EventBusName: 'shop', Source: 'shop', DetailType: 'order cancelled', Detail: JSON.stringify({ id: 'x1' }) },
          { EventBusName: 'shop', Source: 'shop', DetailType: 'order placed', Detail: JSON.stringify({ id: 'p1' }) },
        ],
      }));
      expect(result.FailedEntryCount).toBe(0);
      await expect.poll(() => seen('shop:order placed:p1'), { timeout: 15_000 }).toBe(true);
      expect(await seen('shop:order cancelled:x1')).toBe(false);
    });
  });

  describe('a redeploy that drops the options', () => {
    beforeAll(async () => {
      await deploy(SECOND);
    });

    it("puts the SQS mapping back to Lambda's defaults", async () => {
      const mapping = await mappingOf('onJob');
      expect(mapping.FilterCriteria).toBeUndefined();
      expect(mapping.ScalingConfig).toBeUndefined();
    });

    it("puts the stream mapping back to Lambda's defaults", async () => {
      const mapping = await mappingOf('onOrder');
      expect(mapping.FilterCriteria).toBeUndefined();
      expect(mapping).toMatchObject({ BisectBatchOnFunctionError: false, MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1, ParallelizationFactor: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
      expect(mapping.DestinationConfig?.OnFailure?.Destination).toBeUndefined();
    });

    it('deletes the rules and the bus the app no longer declares', async () => {
      expect((await events().send(new ListRulesCommand({ NamePrefix: 'wired-' }))).Rules).toEqual([]);
      await expect(events().send(new ListRulesCommand({ EventBusName: 'shop' }))).rejects.toThrow(/does not exist/);
    });
  });

  describe('removing the app', () => {
    it('deletes its rules and buses with it', async () => {
      await deploy(FIRST);
      expect((await events().send(new ListRulesCommand({ EventBusName: 'shop' }))).Rules).toHaveLength(1);
      expect(await node.removeApp('wired')).toBe(true);
      expect((await events().send(new ListRulesCommand({ NamePrefix: 'wired-' }))).Rules).toEqual([]);
      await expect(events().send(new ListRulesCommand({ EventBusName: 'shop' }))).rejects.toThrow(/does not exist/);
    });
  });
});
