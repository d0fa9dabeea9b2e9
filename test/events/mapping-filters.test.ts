import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureQueue } from '../../src/services/sqs/index.js';
import { EventsHarness, queueArn, type Delivery } from './harness.js';

/**
 * Lambda's event filtering on event source mappings (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html):
 * FilterCriteria in EventBridge's pattern language, through the Lambda API (SDK v3), applied by the SQS and DynamoDB
 * stream pollers of the node the product assembles.
 */
const ECHO = 'exports.handler = async () => ({});';
const bodies = (deliveries: Delivery[]): string[] => deliveries.flatMap((d) => d.event.Records.map((r) => String(r.body)));

describe('event source mapping filters', () => {
  let h: EventsHarness;
  let lambda: LambdaClient;

  beforeEach(async () => {
    h = await EventsHarness.open();
    await h.deploy('worker', ECHO);
    lambda = new LambdaClient({ endpoint: h.node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterEach(async () => {
    lambda.destroy();
    await h.close();
  });

  it('passes SQS messages a filter matches (JSON bodies by their fields, plain ones as text) and deletes the rest', async () => {
    await ensureQueue(h.storage.messages, { name: 'jobs', fifo: false, visibilityTimeout: 30 });
    const arn = queueArn('jobs');
    const filters = [{ Pattern: JSON.stringify({ body: { kind: ['keep'], size: [{ numeric: ['>', 10] }] } }) }, { Pattern: JSON.stringify({ body: ['plain-keep'] }) }];
    const created = await lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: arn, FunctionName: 'worker', FilterCriteria: { Filters: filters } }));
    expect(created.FilterCriteria).toEqual({ Filters: filters });

    const sent = ['{"kind": "keep", "size": 11}', '{"kind": "keep", "size": 3}', '{"kind": "drop", "size": 50}', 'plain-keep', 'plain-other', '{"body-is": "json"}'];
    for (const body of sent) await h.sqs.queues.send(arn, body);
    await expect.poll(() => bodies(h.deliveries).sort()).toEqual(['plain-keep', '{"kind": "keep", "size": 11}']);
    await expect.poll(() => h.storage.messages.counts('jobs')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    // An update's FilterCriteria replace the filters; an empty list removes them.
    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, FilterCriteria: { Filters: [] } }));
    expect(updated.FilterCriteria).toBeUndefined();
    await h.sqs.queues.send(arn, 'anything now');
    await expect.poll(() => bodies(h.deliveries)).toContain('anything now');
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).FilterCriteria).toBeUndefined();
  });

  it('refuses an invalid pattern with Lambda’s message', async () => {
    await ensureQueue(h.storage.messages, { name: 'jobs', fifo: false, visibilityTimeout: 30 });
    // test_lambda_integration_sqs.snapshot.json: test_sqs_invalid_event_filter ("simple string", {"eventSource": []}).
    for (const Pattern of ['simple string', '{"eventSource": []}']) {
      const refused = lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: queueArn('jobs'), FunctionName: 'worker', FilterCriteria: { Filters: [{ Pattern }] } }));
      await expect(refused).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: 'Invalid filter pattern definition.' });
    }
  });

  it('passes the DynamoDB stream records a filter matches and moves past the others', async () => {
    const created = await h.dynamo('CreateTable', {
      TableName: 'orders',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    const streamArn = (created.TableDescription as { LatestStreamArn: string }).LatestStreamArn;
    const pattern = { eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: [{ 'anything-but': 'draft' }] } } } };
    const mapping = await h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'TRIM_HORIZON', filterCriteria: { Filters: [{ Pattern: JSON.stringify(pattern) }] } });
    expect(mapping.filters).toEqual([JSON.stringify(pattern)]);
    const put = (pk: string, status: string) => h.dynamo('PutItem', { TableName: 'orders', Item: { pk: { S: pk }, status: { S: status } } });
    await put('a', 'draft');
    await put('b', 'paid');
    await put('b', 'shipped');
    await put('c', 'paid');
    const keys = () => h.deliveries.flatMap((d) => d.event.Records.map((r) => (r as { dynamodb: { Keys: { pk: { S: string } } } }).dynamodb.Keys.pk.S));
    // The poller's clock is the test's, but its reads and the function's run take real time: a loaded machine needs
    // more real time per tick, so keep ticking until the deliveries arrive rather than for a fixed count.
    await expect
      .poll(async () => {
        await h.tick(250);
        await h.turns();
        return keys().length;
      })
      .toBeGreaterThanOrEqual(2);
    expect(keys()).toEqual(['b', 'c']);
  });
});
