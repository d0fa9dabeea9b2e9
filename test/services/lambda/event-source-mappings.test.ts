import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureQueue } from '../../../src/services/sqs/index.js';
import { errorOf } from './harness.js';
import { LambdaEventsHarness } from './events-harness.js';

const PATH = '/2015-03-31/event-source-mappings';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:orders';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:worker';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Lambda API: event source mappings', () => {
  let h: LambdaEventsHarness;
  let streamArn: string;

  beforeEach(async () => {
    h = await LambdaEventsHarness.start();
    await h.events.deploy('worker', 'exports.handler = async () => ({});');
    await ensureQueue(h.events.storage.messages, { name: 'orders', fifo: false, visibilityTimeout: 30 });
    const table = await h.events.dynamo('CreateTable', {
      TableName: 'ledger',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    streamArn = (table.TableDescription as { LatestStreamArn: string }).LatestStreamArn;
  });
  afterEach(async () => {
    await h.close();
  });

  const create = (body: Record<string, unknown>) => h.call({ method: 'POST', path: `${PATH}/`, body });

  it('creates an SQS mapping with Lambda’s defaults and answers 202 Creating', async () => {
    const answer = await create({ EventSourceArn: QUEUE_ARN, FunctionName: 'worker' });
    expect(answer.status).toBe(202);
    const body = answer.json();
    expect(Object.keys(body)).toEqual(['UUID', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'EventSourceArn', 'FunctionArn', 'LastModified', 'State', 'StateTransitionReason', 'FunctionResponseTypes', 'EventSourceMappingArn']);
    expect(body).toEqual({
      UUID: expect.stringMatching(UUID),
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      EventSourceArn: QUEUE_ARN,
      FunctionArn: FUNCTION_ARN,
      LastModified: h.events.clock.now() / 1000,
      State: 'Creating',
      StateTransitionReason: 'USER_INITIATED',
      FunctionResponseTypes: [],
      EventSourceMappingArn: `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${String(body.UUID)}`,
    });
    const got = await h.call({ method: 'GET', path: `${PATH}/${String(body.UUID)}` });
    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ UUID: body.UUID, State: 'Enabled' });
  });

  it('creates a DynamoDB stream mapping with the stream settings', async () => {
    const answer = await create({
      EventSourceArn: streamArn,
      FunctionName: 'worker:$LATEST',
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 5,
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(answer.status).toBe(202);
    expect(answer.json()).toEqual({
      UUID: expect.stringMatching(UUID),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 1,
      EventSourceArn: streamArn,
      FunctionArn: `${FUNCTION_ARN}:$LATEST`,
      LastModified: expect.any(Number),
      LastProcessingResult: 'No records processed',
      State: 'Creating',
      StateTransitionReason: 'User action',
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      TumblingWindowInSeconds: 0,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceMappingArn: expect.stringContaining(':event-source-mapping:'),
    });
  });

  it('lists mappings filtered by function and source, with Marker and MaxItems paging', async () => {
    await h.events.deploy('other', 'exports.handler = async () => ({});');
    const uuids = [];
    for (const body of [
      { EventSourceArn: QUEUE_ARN, FunctionName: 'worker' },
      { EventSourceArn: QUEUE_ARN, FunctionName: 'other' },
      { EventSourceArn: streamArn, FunctionName: 'worker', StartingPosition: 'LATEST' },
    ]) {
      uuids.push(String((await create(body)).json().UUID));
    }
    const list = async (query: Record<string, string>) => (await h.call({ method: 'GET', path: PATH, query })).json() as { EventSourceMappings: { UUID: string; State: string }[]; NextMarker?: string };
    expect((await list({})).EventSourceMappings.map((m) => m.UUID)).toEqual([...uuids].sort());
    expect((await list({ FunctionName: 'worker' })).EventSourceMappings.map((m) => m.UUID).sort()).toEqual([uuids[0], uuids[2]].sort());
    expect((await list({ FunctionName: FUNCTION_ARN, EventSourceArn: QUEUE_ARN })).EventSourceMappings.map((m) => m.UUID)).toEqual([uuids[0]]);
    expect((await list({ FunctionName: 'doesnotexist' })).EventSourceMappings).toEqual([]);
    const first = await list({ MaxItems: '2' });
    expect(first.EventSourceMappings).toHaveLength(2);
    expect(first.EventSourceMappings.every((m) => m.State === 'Enabled')).toBe(true);
    const rest = await list({ MaxItems: '2', Marker: first.NextMarker! });
    expect(rest.EventSourceMappings).toHaveLength(1);
    expect(rest.NextMarker).toBeUndefined();
  });

  it('updates and deletes, reporting the transition, then forgets the mapping', async () => {
    const uuid = String((await create({ EventSourceArn: QUEUE_ARN, FunctionName: 'worker' })).json().UUID);
    const path = `${PATH}/${uuid}`;
    const updated = await h.call({ method: 'PUT', path, body: { BatchSize: 100, MaximumBatchingWindowInSeconds: 5 } });
    expect(updated.status).toBe(202);
    expect(updated.json()).toMatchObject({ BatchSize: 100, MaximumBatchingWindowInSeconds: 5, State: 'Updating' });
    expect((await h.call({ method: 'PUT', path, body: { Enabled: false } })).json()).toMatchObject({ State: 'Disabling' });
    expect((await h.call({ method: 'GET', path })).json()).toMatchObject({ State: 'Disabled', BatchSize: 100 });
    const deleted = await h.call({ method: 'DELETE', path });
    expect(deleted.status).toBe(202);
    expect(deleted.json()).toMatchObject({ UUID: uuid, State: 'Deleting' });
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const missing = await h.call({ method, path, body: method === 'PUT' ? { Enabled: true } : undefined });
      expect(errorOf(missing)).toEqual({ status: 404, type: 'ResourceNotFoundException', body: { Type: 'User', Message: 'The resource you requested does not exist.' } });
    }
  });

  it('answers Lambda’s errors', async () => {
    expect(errorOf(await create({ FunctionName: 'worker' }))).toEqual({ status: 400, type: 'InvalidParameterValueException', body: { Type: 'User', message: 'Unrecognized event source.' } });
    expect(errorOf(await create({ EventSourceArn: QUEUE_ARN }))).toEqual({
      status: 400,
      type: 'ValidationException',
      body: { message: "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null" },
    });
    expect(errorOf(await create({ EventSourceArn: QUEUE_ARN, FunctionName: 'worker', BatchSize: 20000 }))).toEqual({
      status: 400,
      type: 'ValidationException',
      body: { message: "1 validation error detected: Value '20000' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000" },
    });
    expect(errorOf(await create({ EventSourceArn: QUEUE_ARN, FunctionName: 'nobody' }))).toEqual({ status: 400, type: 'InvalidParameterValueException', body: { Type: 'User', message: 'Function does not exist' } });
    expect(errorOf(await create({ EventSourceArn: QUEUE_ARN, FunctionName: 'worker', FunctionResponseTypes: ['Everything'] })).body.message).toContain(
      "at 'functionResponseTypes' failed to satisfy constraint",
    );
    expect(errorOf(await create({ EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks', FunctionName: 'worker', StartingPosition: 'LATEST' })).body.message).toBe(
      'Kinesis event sources is not supported by Flint yet.',
    );
    // test_lambda_integration_sqs.snapshot.json: test_sqs_invalid_event_filter.
    expect(errorOf(await create({ EventSourceArn: QUEUE_ARN, FunctionName: 'worker', FilterCriteria: { Filters: [{ Pattern: '{"eventSource": "aws:sqs"}' }] } }))).toEqual({
      status: 400,
      type: 'InvalidParameterValueException',
      body: { Type: 'User', message: 'Invalid filter pattern definition.' },
    });
    await create({ EventSourceArn: QUEUE_ARN, FunctionName: 'worker' });
    const conflict = errorOf(await create({ EventSourceArn: QUEUE_ARN, FunctionName: 'worker' }));
    expect(conflict).toMatchObject({ status: 409, type: 'ResourceConflictException', body: { Type: 'User' } });
    expect(String(conflict.body.message)).toMatch(/^An event source mapping with SQS arn \(" arn:aws:sqs:us-east-1:000000000000:orders "\) and function \(" worker "\) already exists/);
  });
});
