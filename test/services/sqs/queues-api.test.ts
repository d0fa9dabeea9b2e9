import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFlintError } from '../../../src/core/index.js';
import { ensureQueue } from '../../../src/services/sqs/index.js';
import { callJson, openHarness, queueUrlOf, type SqsHarness } from './node.js';

let h: SqsHarness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

const ARN = 'arn:aws:sqs:us-east-1:000000000000:events';
const json = (operation: string, input: unknown) => callJson(h.service, operation, input);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('SqsQueues, the in-process API', () => {
  it('sends by ARN or name and receives records shaped like Lambda SQS events', async () => {
    await json('CreateQueue', { QueueName: 'events' });
    const queues = h.service.queues;
    const sentAt = h.clock.now();
    const { messageId } = await queues.send(ARN, '{"bucket":"b"}', { messageAttributes: { source: { DataType: 'String', StringValue: 's3' } } });
    await queues.send('events', 'plain');
    const [record, plain] = await queues.receive(ARN, { max: 10 });
    expect(record).toEqual({
      messageId,
      receiptHandle: expect.any(String),
      body: '{"bucket":"b"}',
      attributes: { SenderId: '000000000000', SentTimestamp: String(sentAt), ApproximateReceiveCount: '1', ApproximateFirstReceiveTimestamp: String(sentAt) },
      messageAttributes: { source: { dataType: 'String', stringValue: 's3', stringListValues: [], binaryListValues: [] } },
      md5OfBody: '9b9cfdce21931ae5f52acb80481ae021',
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      awsRegion: 'us-east-1',
    });
    expect(plain?.messageAttributes).toEqual({});
    expect(plain?.md5OfMessageAttributes).toBeUndefined();
    // What the API sends, the wire API receives.
    await queues.changeVisibility(ARN, plain?.receiptHandle ?? '', 0);
    const wire = await json('ReceiveMessage', { QueueUrl: queueUrlOf('events') });
    expect((wire.body.Messages as { Body: string }[]).map((m) => m.Body)).toEqual(['plain']);
  });

  it('deletes, extends visibility and waits for messages on the clock', async () => {
    await json('CreateQueue', { QueueName: 'events', Attributes: { VisibilityTimeout: '5' } });
    const queues = h.service.queues;
    expect(await queues.describe(ARN)).toEqual({ name: 'events', arn: ARN, fifo: false, visibilityTimeout: 5 });
    const waiting = queues.receive(ARN, { max: 10, waitMs: 20_000 });
    await h.clock.advance(1000);
    await queues.send(ARN, 'late');
    const [message] = await waiting;
    expect(message?.body).toBe('late');
    await queues.changeVisibility(ARN, message?.receiptHandle ?? '', 60);
    await h.clock.advance(30_000);
    expect(await queues.receive(ARN, { max: 1 })).toEqual([]);
    expect(await queues.deleteBatch(ARN, [message?.receiptHandle ?? '', 'junk'])).toEqual(['junk']);
    await h.clock.advance(60_000);
    expect(await queues.receive(ARN, { max: 1 })).toEqual([]);
  });

  it('fails with FlintError codes callers can branch on', async () => {
    const queues = h.service.queues;
    expect(await queues.describe('nope')).toBeUndefined();
    const missing = await rejection(queues.send('arn:aws:sqs:us-east-1:000000000000:nope', 'x'));
    expect(isFlintError(missing, 'NOT_FOUND')).toBe(true);
    await json('CreateQueue', { QueueName: 'events' });
    expect(isFlintError(await rejection(queues.send(ARN, '')), 'INVALID_PARAMETER')).toBe(true);
    expect(isFlintError(await rejection(queues.delete(ARN, 'junk')), 'INVALID_PARAMETER')).toBe(true);
    expect(isFlintError(await rejection(queues.receive(ARN, { max: 11 })), 'INVALID_PARAMETER')).toBe(true);
  });

  it('sends to FIFO queues with a group and deduplication id', async () => {
    await json('CreateQueue', { QueueName: 'jobs.fifo', Attributes: { FifoQueue: 'true' } });
    const queues = h.service.queues;
    const first = await queues.send('jobs.fifo', 'a', { groupId: 'g', deduplicationId: '1' });
    expect(first.sequenceNumber).toMatch(/^\d{20}$/);
    expect((await queues.send('jobs.fifo', 'a again', { groupId: 'g', deduplicationId: '1' })).messageId).toBe(first.messageId);
    const [record] = await queues.receive('jobs.fifo', { max: 10 });
    expect(record?.attributes).toMatchObject({ MessageGroupId: 'g', MessageDeduplicationId: '1', SequenceNumber: first.sequenceNumber });
  });
});

describe('ensureQueue, for queues declared in flint.yaml', () => {
  it('creates a queue with its dead-letter queue, then brings settings in line without recreating it', async () => {
    const store = h.storage.messages;
    expect(await ensureQueue(store, { name: 'work', fifo: false, visibilityTimeout: 60, deadLetter: { queue: 'work-dlq', maxReceiveCount: 4 } })).toEqual({ created: true });
    const attributes = await json('GetQueueAttributes', { QueueUrl: queueUrlOf('work'), AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] });
    expect(attributes.body.Attributes).toEqual({
      VisibilityTimeout: '60',
      RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:work-dlq","maxReceiveCount":4}',
    });
    expect((await json('GetQueueUrl', { QueueName: 'work-dlq' })).status).toBe(200);
    await json('SendMessage', { QueueUrl: queueUrlOf('work'), MessageBody: 'kept' });
    expect(await ensureQueue(store, { name: 'work', fifo: false, visibilityTimeout: 90 })).toEqual({ created: false });
    expect((await store.getQueue('work'))?.attributes.VisibilityTimeout).toBe('90');
    expect((await store.getQueue('work'))?.deadLetter).toBeUndefined();
    expect(await store.counts('work')).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it('refuses bad declarations and a queue of the other type', async () => {
    const store = h.storage.messages;
    const invalid = async (spec: Parameters<typeof ensureQueue>[1]) => isFlintError(await rejection(ensureQueue(store, spec)), 'INVALID_PARAMETER');
    expect(await invalid({ name: 'bad name', fifo: false, visibilityTimeout: 30 })).toBe(true);
    expect(await invalid({ name: 'q', fifo: true, visibilityTimeout: 30 })).toBe(true);
    expect(await invalid({ name: 'q', fifo: false, visibilityTimeout: 50_000 })).toBe(true);
    expect(await invalid({ name: 'q', fifo: false, visibilityTimeout: 30, deadLetter: { queue: 'd', maxReceiveCount: 0 } })).toBe(true);
    await ensureQueue(store, { name: 'q.fifo', fifo: true, visibilityTimeout: 30 });
    expect(await invalid({ name: 'p.fifo', fifo: true, visibilityTimeout: 30, deadLetter: { queue: 'plain', maxReceiveCount: 1 } })).toBe(true);
  });
});
