import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureQueue } from '../../src/services/sqs/index.js';
import { EventsHarness, functionArn, queueArn, type Delivery } from './harness.js';

/**
 * Fails a record as many times as its failTimes attribute says (counted per instance, which stays warm), and always
 * for records with alwaysFail.
 */
const WORKER = `
const attempts = {};
exports.handler = async (event) => {
  for (const record of event.Records) {
    const image = record.dynamodb.NewImage || {};
    attempts[record.eventID] = (attempts[record.eventID] || 0) + 1;
    if (image.alwaysFail) throw new Error('always failing');
    if (image.failTimes && attempts[record.eventID] <= Number(image.failTimes.N)) throw new Error('failing for now');
  }
  return {};
};
`;

type StreamRecord = { eventName: string; dynamodb: { Keys: { pk: { S: string } }; SequenceNumber: string; NewImage?: Record<string, unknown> } };

const keysOf = (deliveries: Delivery[]): string[] => deliveries.map((d) => d.event.Records.map((r) => (r as unknown as StreamRecord).dynamodb.Keys.pk.S).join(','));

describe('DynamoDB stream event source mappings', () => {
  let h: EventsHarness;
  let streamArn: string;

  beforeEach(async () => {
    h = await EventsHarness.open();
    await h.deploy('worker', WORKER);
    const created = await h.dynamo('CreateTable', {
      TableName: 'orders',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    streamArn = (created.TableDescription as { LatestStreamArn: string }).LatestStreamArn;
  });
  afterEach(async () => {
    await h.close();
  });

  const put = (pk: string, extra: Record<string, unknown> = {}) => h.dynamo('PutItem', { TableName: 'orders', Item: { pk: { S: pk }, ...extra } });
  /** Moves time in poll-sized steps until `count` records have been delivered (or gives up after `limitMs`). */
  const deliver = async (count: number, limitMs = 120_000): Promise<void> => {
    const delivered = () => h.deliveries.filter((d) => d.result.status === 'success').reduce((n, d) => n + d.event.Records.length, 0);
    for (let waited = 0; delivered() < count && waited < limitMs; waited += 250) {
      await expect.poll(() => h.concurrency.now).toBe(0);
      await h.tick(250);
      // Reading the stream and starting an invocation take a few turns of the event loop too.
      await h.turns();
    }
    expect(delivered(), JSON.stringify(h.deliveries.map((d) => [d.event.Records.length, d.result.status, d.result.errorType]))).toBe(count);
  };

  it('delivers changes in stream order, per key and overall, as Lambda DynamoDB events', async () => {
    const mapping = await h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'TRIM_HORIZON', batchSize: 2 });
    expect(mapping).toMatchObject({ state: 'Creating', batchSize: 2, lastProcessingResult: 'No records processed', stream: { maximumRetryAttempts: -1, maximumRecordAgeInSeconds: -1, bisectBatchOnFunctionError: false, parallelizationFactor: 1 } });
    await put('a', { v: { N: '1' } });
    await put('b', { v: { N: '1' } });
    await put('a', { v: { N: '2' } });
    await put('c', { v: { N: '1' } });
    await h.dynamo('DeleteItem', { TableName: 'orders', Key: { pk: { S: 'a' } } });
    await deliver(5);

    expect(keysOf(h.deliveries)).toEqual(['a,b', 'a,c', 'a']);
    const records = h.deliveries.flatMap((d) => d.event.Records) as unknown as (StreamRecord & Record<string, unknown>)[];
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT', 'MODIFY', 'INSERT', 'REMOVE']);
    const sequences = records.map((r) => r.dynamodb.SequenceNumber);
    expect([...sequences].sort()).toEqual(sequences);
    expect(Object.keys(records[0]!)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    expect(records[2]).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
      dynamodb: { Keys: { pk: { S: 'a' } }, NewImage: { pk: { S: 'a' }, v: { N: '2' } }, OldImage: { pk: { S: 'a' }, v: { N: '1' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect((await h.mappings.get(mapping.uuid)).lastProcessingResult).toBe('OK');
  });

  it('starts after the records that were there already with LATEST', async () => {
    await put('before');
    await h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'LATEST' });
    await put('after');
    await deliver(1);
    await h.tick(2_000);
    expect(keysOf(h.deliveries)).toEqual(['after']);
  });

  it('retries a failing batch, blocking the records behind it, until it succeeds', async () => {
    await h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'TRIM_HORIZON', batchSize: 1 });
    await put('x', { failTimes: { N: '2' } });
    await put('y');
    await deliver(2);
    expect(keysOf(h.deliveries)).toEqual(['x', 'x', 'x', 'y']);
    expect(h.deliveries.map((d) => d.result.status)).toEqual(['error', 'error', 'success', 'success']);
  });

  it('gives up after MaximumRetryAttempts and describes the batch to the OnFailure queue', async () => {
    await ensureQueue(h.storage.messages, { name: 'stream-failures', fifo: false, visibilityTimeout: 30 });
    await h.mappings.create({
      eventSourceArn: streamArn,
      functionName: 'worker',
      startingPosition: 'TRIM_HORIZON',
      batchSize: 1,
      maximumRetryAttempts: 1,
      destinations: { onFailure: queueArn('stream-failures') },
    });
    await put('z', { alwaysFail: { BOOL: true } });
    await put('w');
    await deliver(1);
    expect(keysOf(h.deliveries)).toEqual(['z', 'z', 'w']);

    const [message] = await h.sqs.queues.receive(queueArn('stream-failures'), { max: 1 });
    const failed = (h.deliveries[0]!.event.Records[0] as unknown as StreamRecord).dynamodb.SequenceNumber;
    expect(JSON.parse(message!.body)).toEqual({
      requestContext: { requestId: expect.any(String), functionArn: functionArn('worker'), condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-\d{20}-[0-9a-f]{8}$/),
        startSequenceNumber: failed,
        endSequenceNumber: failed,
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        batchSize: 1,
        streamArn,
      },
    });
  });

  it('halves a failing batch with BisectBatchOnFunctionError to isolate the bad record', async () => {
    await h.mappings.create({
      eventSourceArn: streamArn,
      functionName: 'worker',
      startingPosition: 'TRIM_HORIZON',
      batchSize: 4,
      maximumRetryAttempts: 0,
      bisectBatchOnFunctionError: true,
    });
    await put('r1');
    await put('r2');
    await put('bad', { alwaysFail: { BOOL: true } });
    await put('r4');
    await deliver(3);
    expect(keysOf(h.deliveries)).toEqual(['r1,r2,bad,r4', 'r1,r2', 'bad,r4', 'bad', 'r4']);
  });

  it('resumes after the last batch it finished when the node restarts', async () => {
    await h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'TRIM_HORIZON', batchSize: 1 });
    await put('p1');
    await put('p2');
    await deliver(2);

    await h.closeParts();
    await h.openParts();
    await put('p3');
    await deliver(3);
    await h.tick(2_000);
    expect(keysOf(h.deliveries)).toEqual(['p1', 'p2', 'p3']);
  });

  it('refuses what Lambda refuses', async () => {
    await expect(h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker' })).rejects.toThrow(
      "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
    );
    await expect(h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1 })).rejects.toThrow(
      `Unsupported starting position for arn type: ${streamArn}`,
    );
    await expect(h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'NOW' })).rejects.toThrow(
      "1 validation error detected: Value 'NOW' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
    );
    const missing = `${streamArn.split('/stream/')[0]}/stream/2020-01-01T00:00:00.000`;
    await expect(h.mappings.create({ eventSourceArn: missing, functionName: 'worker', startingPosition: 'LATEST' })).rejects.toThrow(`Stream not found: ${missing}`);
    await expect(
      h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'LATEST', destinations: { onSuccess: queueArn('x') } }),
    ).rejects.toThrow('Unsupported DestinationConfig parameter for given event source mapping type.');
    const first = await h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'LATEST' });
    await expect(h.mappings.create({ eventSourceArn: streamArn, functionName: 'worker', startingPosition: 'LATEST' })).rejects.toThrow(
      `The event source arn (" ${streamArn} ") and function (" worker ") provided mapping already exists. Please update or delete the existing mapping with UUID ${first.uuid}`,
    );
  });
});
