import { availableParallelism } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureQueue } from '../../src/services/sqs/index.js';
import { EventsHarness, queueArn, type Delivery } from './harness.js';

/** Fails the whole batch on "poison", reports "fail…" records as failed items, answers garbage for "bad-answer". */
const WORKER = `
exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    if (record.body === 'poison') throw new Error('poison message ' + record.messageId);
    if (record.body.startsWith('fail')) batchItemFailures.push({ itemIdentifier: record.messageId });
  }
  if (event.Records.some((r) => r.body === 'bad-answer')) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
  return { batchItemFailures };
};
`;

const bodies = (deliveries: Delivery[]): string[] => deliveries.flatMap((d) => d.event.Records.map((r) => String(r.body)));

describe('SQS event source mappings', () => {
  let h: EventsHarness;

  beforeEach(async () => {
    h = await EventsHarness.open();
    await h.deploy('worker', WORKER);
  });
  afterEach(async () => {
    await h.close();
  });

  const queue = async (name: string, deadLetter?: { queue: string; maxReceiveCount: number }): Promise<string> => {
    await ensureQueue(h.storage.messages, { name, fifo: false, visibilityTimeout: 30, ...(deadLetter ? { deadLetter } : {}) });
    return queueArn(name);
  };
  const counts = (name: string) => h.storage.messages.counts(name);

  it('delivers messages as Lambda SQS events and deletes them once the function succeeds', async () => {
    const arn = await queue('jobs');
    const created = await h.mappings.create({ eventSourceArn: arn, functionName: 'worker' });
    expect(created).toMatchObject({ state: 'Creating', batchSize: 10, maximumBatchingWindowInSeconds: 0, functionResponseTypes: [], stateTransitionReason: 'USER_INITIATED' });
    await h.sqs.queues.send(arn, 'first', { messageAttributes: { colour: { DataType: 'String', StringValue: 'blue' } } });
    await h.sqs.queues.send(arn, 'second');

    await expect.poll(() => bodies(h.deliveries).sort()).toEqual(['first', 'second']);
    await expect.poll(() => counts('jobs')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const record = h.deliveries.flatMap((d) => d.event.Records).find((r) => r.body === 'first')!;
    expect(Object.keys(record)).toEqual(['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
      awsRegion: 'us-east-1',
      md5OfBody: '8b04d5e3775d298e78455efc5ca404d5',
      attributes: { ApproximateReceiveCount: '1', SenderId: '000000000000', SentTimestamp: String(h.clock.now()) },
      messageAttributes: { colour: { dataType: 'String', stringValue: 'blue', stringListValues: [], binaryListValues: [] } },
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(h.deliveries.flatMap((d) => d.event.Records).find((r) => r.body === 'second')).toMatchObject({ md5OfMessageAttributes: null, messageAttributes: {} });
    expect((await h.mappings.get(created.uuid)).state).toBe('Enabled');
  });

  it('gathers a batch for up to MaximumBatchingWindowInSeconds before invoking', async () => {
    const arn = await queue('batched');
    await h.mappings.create({ eventSourceArn: arn, functionName: 'worker', batchSize: 50, maximumBatchingWindowInSeconds: 20 });
    await h.sqs.queues.send(arn, 'a');
    await h.tick(5_000);
    await h.sqs.queues.send(arn, 'b');
    await h.sqs.queues.send(arn, 'c');
    await h.tick(10_000);
    expect(h.deliveries).toHaveLength(0);
    await h.tick(5_000);
    await expect.poll(() => h.deliveries.length).toBe(1);
    expect(bodies(h.deliveries)).toEqual(['a', 'b', 'c']);
  });

  it('invokes at once when a batch fills before the window closes', async () => {
    const arn = await queue('full');
    await h.mappings.create({ eventSourceArn: arn, functionName: 'worker', batchSize: 3, maximumBatchingWindowInSeconds: 60 });
    for (const body of ['1', '2', '3']) await h.sqs.queues.send(arn, body);
    await expect.poll(() => bodies(h.deliveries)).toEqual(['1', '2', '3']);
  });

  it('with ReportBatchItemFailures deletes all but the reported messages, which come back after the visibility timeout', async () => {
    const arn = await queue('partial');
    await h.sqs.queues.send(arn, 'ok-1');
    await h.sqs.queues.send(arn, 'fail-2');
    await h.sqs.queues.send(arn, 'ok-3');
    await h.mappings.create({ eventSourceArn: arn, functionName: 'worker', functionResponseTypes: ['ReportBatchItemFailures'] });

    await expect.poll(() => h.deliveries.length).toBe(1);
    expect(bodies(h.deliveries)).toEqual(['ok-1', 'fail-2', 'ok-3']);
    await expect.poll(() => counts('partial')).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    await h.tick(30_000, 1_000);
    await expect.poll(() => h.deliveries.length).toBe(2);
    expect(h.deliveries[1]!.event.Records.map((r) => [r.body, (r.attributes as Record<string, string>).ApproximateReceiveCount])).toEqual([['fail-2', '2']]);
  });

  it('an invalid partial batch response fails the whole batch', async () => {
    const arn = await queue('invalid-answer');
    await h.sqs.queues.send(arn, 'ok');
    await h.sqs.queues.send(arn, 'bad-answer');
    await h.mappings.create({ eventSourceArn: arn, functionName: 'worker', functionResponseTypes: ['ReportBatchItemFailures'] });
    await expect.poll(() => h.deliveries.length).toBe(1);
    await expect.poll(() => counts('invalid-answer')).toEqual({ visible: 0, inFlight: 2, delayed: 0 });
  });

  it('leaves a failing batch to the queue, whose redrive policy moves it to the dead-letter queue after maxReceiveCount', async () => {
    await queue('poison-dlq');
    const arn = await queue('poisoned', { queue: 'poison-dlq', maxReceiveCount: 2 });
    await h.mappings.create({ eventSourceArn: arn, functionName: 'worker' });
    await h.sqs.queues.send(arn, 'poison');

    await expect.poll(() => h.deliveries.length).toBe(1);
    expect(h.deliveries[0]!.result.status).toBe('error');
    await expect.poll(() => counts('poisoned')).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    await h.tick(30_000, 1_000);
    await expect.poll(() => h.deliveries.length).toBe(2);
    await expect.poll(() => counts('poisoned')).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    await h.tick(30_000, 1_000);
    await expect.poll(() => counts('poison-dlq')).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(h.deliveries).toHaveLength(2);
    const [moved] = await h.sqs.queues.receive(queueArn('poison-dlq'), { max: 1 });
    expect(moved).toMatchObject({ body: 'poison', attributes: { ApproximateReceiveCount: '3', DeadLetterQueueSourceArn: arn } });
  });

  it('stops polling while disabled and resumes when enabled again', async () => {
    const arn = await queue('paused');
    const mapping = await h.mappings.create({ eventSourceArn: arn, functionName: 'worker' });
    const disabled = await h.mappings.update(mapping.uuid, { enabled: false });
    expect(disabled.state).toBe('Disabling');
    expect((await h.mappings.get(mapping.uuid)).state).toBe('Disabled');
    await h.sqs.queues.send(arn, 'while-disabled');
    await h.tick(60_000, 1_000);
    expect(h.deliveries).toHaveLength(0);
    expect((await counts('paused')).visible).toBe(1);

    expect((await h.mappings.update(mapping.uuid, { enabled: true })).state).toBe('Enabling');
    await expect.poll(() => bodies(h.deliveries)).toEqual(['while-disabled']);
  });

  it('scales pollers with the backlog within the function concurrency; throttled batches wait in the queue', { timeout: 60_000 }, async () => {
    const arn = await queue('backlog');
    await h.deploy('slow', 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 200)); return {}; };');
    await h.registry.putReservedConcurrency('slow', 1);
    h.invoker.limits.setReserved('slow', 1);
    for (let i = 0; i < 30; i++) await h.sqs.queues.send(arn, `m${i}`);
    await h.mappings.create({ eventSourceArn: arn, functionName: 'slow', batchSize: 2 });

    const idle = async () => (await counts('backlog')).visible === 0 && h.concurrency.now === 0;
    await expect.poll(idle, { timeout: 30_000 }).toBe(true);
    expect(h.maxConcurrency()).toBe(1);
    expect(h.concurrency.throttled).toBeGreaterThan(0);
    expect((await counts('backlog')).inFlight).toBeGreaterThan(0);
    // Throttled batches are invisible until their visibility timeout, then delivered. Time moves only while no
    // invocation runs, so none of them times out.
    for (let second = 0; second < 300 && new Set(bodies(h.deliveries)).size < 30; second++) {
      await h.tick(1_000, 1_000);
      await h.turns();
      await expect.poll(() => h.concurrency.now).toBe(0);
    }
    expect(bodies(h.deliveries)).toHaveLength(30);
    expect(await counts('backlog')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('adds pollers beyond the machine’s cores only for a function that spends its time waiting', { timeout: 60_000 }, async () => {
    const cores = availableParallelism();
    const arn = await queue('waiting');
    await h.deploy('waits', 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 300)); return {}; };');
    for (let i = 0; i < 6 * (cores + 3); i++) await h.sqs.queues.send(arn, `w${i}`);
    await h.mappings.create({ eventSourceArn: arn, functionName: 'waits', batchSize: 2 });
    // Fake time passes while the handlers wait, so their invocations report a duration of a slow function.
    // The one place fake time is paced by real time: a slow function is one whose runs overlap while fake time
    // passes (its duration is read off the node's clock), so time moves 40 ms per 20 ms of real waiting. Waiting
    // for each run to end instead would serialise them and hide the scaling under test.
    while ((await counts('waiting')).visible > 0 || h.concurrency.now > 0) {
      await h.clock.advance(40);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(h.maxConcurrency()).toBeGreaterThan(cores);

    const quick = await queue('quick');
    h.concurrency.spans.length = 0;
    for (let i = 0; i < 200; i++) await h.sqs.queues.send(quick, `q${i}`);
    await h.mappings.create({ eventSourceArn: quick, functionName: 'worker', batchSize: 2 });
    await expect.poll(async () => (await counts('quick')).visible === 0 && h.concurrency.now === 0, { timeout: 30_000 }).toBe(true);
    expect(h.maxConcurrency()).toBeLessThanOrEqual(Math.max(2, cores));
  });

  it('keeps an app’s mappings in line with its manifest, leaving other mappings alone', async () => {
    const [a, b] = [await queue('app-a'), await queue('app-b')];
    const byHand = await h.mappings.create({ eventSourceArn: a, functionName: 'worker', enabled: false });
    await h.deploy('other', 'exports.handler = async () => ({});');
    const wanted = [
      { eventSourceArn: a, functionName: 'other', batchSize: 10, maximumBatchingWindowInSeconds: 0, functionResponseTypes: [] },
      { eventSourceArn: b, functionName: 'other', batchSize: 5, maximumBatchingWindowInSeconds: 0, functionResponseTypes: ['ReportBatchItemFailures'] },
    ];
    expect(await h.mappings.syncApp('shop', wanted)).toEqual({ created: 2, updated: 0, deleted: 0 });
    expect(await h.mappings.syncApp('shop', wanted)).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect(await h.mappings.syncApp('shop', [{ ...wanted[1]!, batchSize: 8 }])).toEqual({ created: 0, updated: 1, deleted: 1 });
    const left = (await h.mappings.list()).items.map((m) => [m.eventSourceArn, m.functionName, m.batchSize, m.app ?? null]);
    expect(left.sort()).toEqual([
      [a, 'worker', 10, null],
      [b, 'other', 8, 'shop'],
    ].sort());
    expect((await h.mappings.get(byHand.uuid)).state).toBe('Disabled');
  });

  it('refuses what Lambda refuses', async () => {
    const arn = await queue('rules');
    await expect(h.mappings.create({ eventSourceArn: arn, functionName: 'absent' })).rejects.toThrow('Function does not exist');
    await expect(h.mappings.create({ eventSourceArn: queueArn('no-such-queue'), functionName: 'worker' })).rejects.toThrow(
      'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.',
    );
    await expect(h.mappings.create({ eventSourceArn: arn, functionName: 'worker', batchSize: 11 })).rejects.toThrow(
      'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    );
    await expect(h.mappings.create({ eventSourceArn: arn, functionName: 'worker', batchSize: 0, maximumBatchingWindowInSeconds: 301 })).rejects.toThrow(
      "2 validation errors detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300",
    );
    await expect(h.mappings.create({ eventSourceArn: arn, functionName: 'worker', startingPosition: 'LATEST' })).rejects.toThrow('StartingPosition is not valid for SQS event sources.');
    await expect(h.mappings.create({ eventSourceArn: arn, functionName: 'worker', destinations: { onFailure: queueArn('rules') } })).rejects.toThrow(
      'Unsupported DestinationConfig parameter for given event source mapping type.',
    );
    await h.deploy('long', 'exports.handler = async () => ({});', { timeout: 60 });
    await expect(h.mappings.create({ eventSourceArn: arn, functionName: 'long' })).rejects.toThrow('Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds');
    await expect(h.mappings.create({ functionName: 'worker' })).rejects.toThrow('Unrecognized event source.');
    const first = await h.mappings.create({ eventSourceArn: arn, functionName: 'worker' });
    await expect(h.mappings.create({ eventSourceArn: arn, functionName: 'worker' })).rejects.toMatchObject({
      code: 'RESOURCE_CONFLICT',
      message: `An event source mapping with SQS arn (" ${arn} ") and function (" worker ") already exists. Please update or delete the existing mapping with UUID ${first.uuid}`,
    });
  });
});
