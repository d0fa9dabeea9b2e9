/**
 * flint.yaml's table, queue, topic and bus settings (issue 13) at deploy: each is visible through the AWS API
 * (DescribeTable, DescribeTimeToLive, GetQueueAttributes, ListSubscriptionsByTopic, ListEventBuses), behaves, and
 * changes or goes away when the manifest changes on redeploy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import { startNode, type FlintNode } from '../../src/platform/index.js';

const FUNCTIONS = `functions:
  noop:
    runtime: nodejs20.x
    handler: index.handler
`;

const FIRST = `app: settings
${FUNCTIONS}resources:
  tables:
    Orders:
      hashKey: { name: id, type: S }
      ttl: expiresAt
      stream: NEW_IMAGE
      indexes:
        byCustomer: { hashKey: { name: customer, type: S }, rangeKey: { name: placedAt, type: N }, projection: [total] }
        byStatus: { hashKey: { name: status, type: S }, projection: KEYS_ONLY }
  queues:
    jobs: { retention: 600, delay: 2, maxMessageSize: 2048 }
    orders: {}
    everything: {}
  topics:
    news:
      subscriptions:
        - { queue: orders, filterPolicy: { kind: [order] }, rawMessageDelivery: true }
        - { queue: everything }
    events.fifo: null
  buses:
    shop: null
`;

const SECOND = `app: settings
${FUNCTIONS}resources:
  tables:
    Orders:
      hashKey: { name: id, type: S }
      stream: KEYS_ONLY
      indexes:
        byCustomer: { hashKey: { name: customer, type: S }, projection: ALL }
  queues:
    jobs: {}
    orders: {}
    everything: {}
  topics:
    news:
      subscriptions:
        - { queue: orders, filterPolicy: { order: { total: [{ numeric: ['>', 100] }] } }, filterPolicyScope: MessageBody }
`;

/** Back from a nested body policy to an attribute policy: the scope and the policy change together. */
const THIRD = SECOND.replace("{ order: { total: [{ numeric: ['>', 100] }] } }, filterPolicyScope: MessageBody", '{ kind: [refund] }');

describe('flint.yaml resource settings at deploy', () => {
  let node: FlintNode;
  let appDir: string;
  let dataDir: string;
  const config = () => ({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const dynamodb = () => new DynamoDBClient(config());
  const sqs = () => new SQSClient(config());
  const sns = () => new SNSClient(config());
  const topicArn = 'arn:aws:sns:us-east-1:000000000000:news';
  const deploy = async (manifest: string) => {
    writeFileSync(join(appDir, 'flint.yaml'), manifest);
    return node.deployDir(appDir);
  };
  const queueUrl = async (name: string) => (await sqs().send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  const attributes = async (name: string) => (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: await queueUrl(name), AttributeNames: ['All'] }))).Attributes!;
  const subscriptions = async () => (await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
  const receive = async (name: string) => (await sqs().send(new ReceiveMessageCommand({ QueueUrl: await queueUrl(name), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];

  beforeAll(async () => {
    appDir = mkdtempSync(join(tmpdir(), 'flint-settings-app-'));
    dataDir = mkdtempSync(join(tmpdir(), 'flint-settings-'));
    writeFileSync(join(appDir, 'index.js'), 'exports.handler = async () => ({});\n');
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
    it('gives the table its TTL, stream view type and global secondary indexes', async () => {
      const { Table } = await dynamodb().send(new DescribeTableCommand({ TableName: 'Orders' }));
      expect(Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
      const indexes = Object.fromEntries((Table!.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, { KeySchema: i.KeySchema, Projection: i.Projection }]));
      expect(indexes).toEqual({
        byCustomer: {
          KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'placedAt', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
        },
        byStatus: { KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      });
      const ttl = await dynamodb().send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    });

    it('gives the queue its retention, delay and maximum message size, and SQS enforces the size', async () => {
      expect(await attributes('jobs')).toMatchObject({ MessageRetentionPeriod: '600', DelaySeconds: '2', MaximumMessageSize: '2048' });
      await expect(sqs().send(new SendMessageCommand({ QueueUrl: await queueUrl('jobs'), MessageBody: 'x'.repeat(2049) }))).rejects.toThrow(/2048 bytes|shorter than/);
    });

    it('subscribes the queues a topic names, with the filter policy and raw delivery', async () => {
      const subs = await subscriptions();
      expect(subs.map((s) => [s.Protocol, s.Endpoint]).sort()).toEqual([
        ['sqs', 'arn:aws:sqs:us-east-1:000000000000:everything'],
        ['sqs', 'arn:aws:sqs:us-east-1:000000000000:orders'],
      ]);
      const orders = subs.find((s) => s.Endpoint!.endsWith(':orders'))!;
      const { Attributes } = await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: orders.SubscriptionArn }));
      expect(Attributes).toMatchObject({ FilterPolicy: '{"kind":["order"]}', FilterPolicyScope: 'MessageAttributes', RawMessageDelivery: 'true' });
    });

    it('delivers to a filtered queue only the messages its policy matches, raw', async () => {
      const publish = (kind: string, text: string) =>
        sns().send(new PublishCommand({ TopicArn: topicArn, Message: text, MessageAttributes: { kind: { DataType: 'String', StringValue: kind } } }));
      await publish('refund', 'refund 7');
      await publish('order', 'order 8');
      // The unfiltered queue gets both: the fan-out of both messages is done.
      const everything: string[] = [];
      await expect.poll(async () => everything.push(...(await receive('everything')).map((m) => JSON.parse(m.Body!).Message as string)) && everything.sort(), { timeout: 15_000 }).toEqual(['order 8', 'refund 7']);
      const orders: string[] = [];
      await expect.poll(async () => orders.push(...(await receive('orders')).map((m) => m.Body!)) && orders, { timeout: 15_000 }).toEqual(['order 8']);
      expect(await receive('orders')).toEqual([]);
    });

    it('creates the FIFO topic and the custom bus', async () => {
      const { Attributes } = await sns().send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:events.fifo' }));
      expect(Attributes).toMatchObject({ FifoTopic: 'true' });
      const buses = await new EventBridgeClient(config()).send(new ListEventBusesCommand({}));
      expect(buses.EventBuses!.map((b) => b.Name)).toContain('shop');
    });
  });

  describe('a redeploy with changed settings', () => {
    beforeAll(async () => {
      await deploy(SECOND);
    });

    it('changes the stream view type and the indexes, and disables the TTL it no longer declares', async () => {
      const { Table } = await dynamodb().send(new DescribeTableCommand({ TableName: 'Orders' }));
      expect(Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
      expect((Table!.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.KeySchema!.length, i.Projection!.ProjectionType])).toEqual([['byCustomer', 1, 'ALL']]);
      const ttl = await dynamodb().send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }));
      expect(ttl.TimeToLiveDescription!.TimeToLiveStatus).toBe('DISABLED');
    });

    it("puts the queue's settings back to SQS's defaults", async () => {
      expect(await attributes('jobs')).toMatchObject({ MessageRetentionPeriod: '345600', DelaySeconds: '0', MaximumMessageSize: '1048576' });
    });

    it('unsubscribes the queue no longer named and updates the filter policy of the one kept', async () => {
      const subs = await subscriptions();
      expect(subs.map((s) => s.Endpoint)).toEqual(['arn:aws:sqs:us-east-1:000000000000:orders']);
      const { Attributes } = await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subs[0]!.SubscriptionArn }));
      expect(Attributes).toMatchObject({ FilterPolicy: '{"order":{"total":[{"numeric":[">",100]}]}}', FilterPolicyScope: 'MessageBody', RawMessageDelivery: 'false' });
    });

    it('deletes the bus no longer declared', async () => {
      const buses = await new EventBridgeClient(config()).send(new ListEventBusesCommand({}));
      expect(buses.EventBuses!.map((b) => b.Name)).toEqual(['default']);
    });
  });

  describe('a redeploy from a body policy back to an attribute policy', () => {
    it('changes the scope and the policy together', async () => {
      await deploy(THIRD);
      const subs = await subscriptions();
      const { Attributes } = await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subs[0]!.SubscriptionArn }));
      expect(Attributes).toMatchObject({ FilterPolicy: '{"kind":["refund"]}', FilterPolicyScope: 'MessageAttributes' });
    });
  });

  describe('removing the app', () => {
    it('unsubscribes the queues its topics subscribed', async () => {
      expect(await subscriptions()).toHaveLength(1);
      expect(await node.removeApp('settings')).toBe(true);
      expect(await subscriptions()).toEqual([]);
    });
  });
});
