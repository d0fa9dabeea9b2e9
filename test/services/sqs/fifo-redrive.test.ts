import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callJson, callQuery, openHarness, queueUrlOf, type SqsHarness } from './node.js';
import { text } from './xml.js';

let h: SqsHarness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

const json = (operation: string, input: unknown) => callJson(h.service, operation, input);
type Message = { Body: string; ReceiptHandle: string; MessageId: string; Attributes?: Record<string, string> };
async function receive(url: string, input: Record<string, unknown> = {}): Promise<Message[]> {
  return ((await json('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, ...input })).body.Messages as Message[] | undefined) ?? [];
}

describe('FIFO queues', () => {
  const url = queueUrlOf('jobs.fifo');
  const send = (body: string, group = 'g', extra: Record<string, unknown> = {}) =>
    json('SendMessage', { QueueUrl: url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: `${group}-${body}`, ...extra });

  beforeEach(async () => {
    await json('CreateQueue', { QueueName: 'jobs.fifo', Attributes: { FifoQueue: 'true' } });
  });

  it('keeps order within a group and locks the group while a message is in flight', async () => {
    for (const body of ['1', '2', '3']) await send(body);
    await send('x', 'other');
    const [first] = await receive(url, { MaxNumberOfMessages: 1 });
    expect(first?.Body).toBe('1');
    expect((await receive(url)).map((m) => m.Body)).toEqual(['x']);
    expect(await receive(url)).toEqual([]);
    await json('DeleteMessage', { QueueUrl: url, ReceiptHandle: first?.ReceiptHandle });
    expect((await receive(url)).map((m) => m.Body)).toEqual(['2', '3']);
  });

  it('answers sequence numbers that grow, and returns FIFO attributes to receivers', async () => {
    const one = await send('1');
    const two = await send('2');
    expect(String(one.body.SequenceNumber)).toMatch(/^\d{20}$/);
    expect(BigInt(String(two.body.SequenceNumber))).toBeGreaterThan(BigInt(String(one.body.SequenceNumber)));
    const [message] = await receive(url, { MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'] });
    expect(message?.Attributes).toMatchObject({ MessageGroupId: 'g', MessageDeduplicationId: 'g-1', SequenceNumber: one.body.SequenceNumber });
  });

  it('deduplicates by id for five minutes on the clock, answering the first message id', async () => {
    const first = await json('SendMessage', { QueueUrl: url, MessageBody: 'a', MessageGroupId: 'g', MessageDeduplicationId: 'same' });
    await h.clock.advance(4 * 60_000);
    const repeat = await json('SendMessage', { QueueUrl: url, MessageBody: 'b', MessageGroupId: 'g', MessageDeduplicationId: 'same' });
    expect(repeat.body.MessageId).toBe(first.body.MessageId);
    expect(repeat.body.SequenceNumber).toBe(first.body.SequenceNumber);
    await h.clock.advance(60_000);
    const later = await json('SendMessage', { QueueUrl: url, MessageBody: 'c', MessageGroupId: 'g', MessageDeduplicationId: 'same' });
    expect(later.body.MessageId).not.toBe(first.body.MessageId);
    expect((await receive(url)).map((m) => m.Body)).toEqual(['a', 'c']);
  });

  it('deduplicates by the SHA-256 of the body with ContentBasedDeduplication', async () => {
    await json('SetQueueAttributes', { QueueUrl: url, Attributes: { ContentBasedDeduplication: 'true' } });
    const a = await json('SendMessage', { QueueUrl: url, MessageBody: 'same body', MessageGroupId: 'g' });
    const b = await json('SendMessage', { QueueUrl: url, MessageBody: 'same body', MessageGroupId: 'h' });
    expect(b.body.MessageId).toBe(a.body.MessageId);
    const [message] = await receive(url, { MessageSystemAttributeNames: ['MessageDeduplicationId'] });
    expect(message?.Attributes?.MessageDeduplicationId).toBe('8f6372a8b1509601faa57ff3a292cfcccb95aa2325c18b8e50b0c035ea1648fe');
  });

  it('deduplicates per group with DeduplicationScope messageGroup', async () => {
    await json('SetQueueAttributes', { QueueUrl: url, Attributes: { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' } });
    const a = await json('SendMessage', { QueueUrl: url, MessageBody: 'a', MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    const b = await json('SendMessage', { QueueUrl: url, MessageBody: 'b', MessageGroupId: 'h', MessageDeduplicationId: 'd' });
    expect(b.body.MessageId).not.toBe(a.body.MessageId);
  });

  it('needs a group id and a deduplication id, and refuses a per-message delay', async () => {
    const noGroup = await json('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' });
    expect(noGroup.body).toEqual({ __type: 'com.amazon.coral.service#MissingRequiredParameterException', message: 'The request must contain the parameter MessageGroupId.' });
    const noDedup = await json('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' });
    expect(noDedup.body.message).toBe('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    const delay = await send('x', 'g', { DelaySeconds: 2 });
    expect(delay.body.message).toBe('Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.');
    expect((await send('y', 'g', { DelaySeconds: 0 })).status).toBe(200);
    const badGroup = await json('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'group 123', MessageDeduplicationId: 'd' });
    expect(badGroup.body.message).toBe(
      'Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
    );
    const batch = await json('SendMessageBatch', { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x', MessageDeduplicationId: 'd' }] });
    expect(batch.body).toEqual({ __type: 'com.amazon.coral.service#InvalidParameterValueException', message: 'The request must contain the parameter MessageGroupId.' });
  });

  it('refuses a receipt handle whose visibility ran out', async () => {
    await send('1');
    const [message] = await receive(url, { VisibilityTimeout: 1 });
    await h.clock.advance(1000);
    const late = await json('DeleteMessage', { QueueUrl: url, ReceiptHandle: message?.ReceiptHandle });
    expect(late.body).toEqual({
      __type: 'com.amazon.coral.service#InvalidParameterValueException',
      message: `Value ${message?.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
    });
  });
});

describe('standard queues with message groups', () => {
  it('accepts a MessageGroupId and returns it, without FIFO ordering or locking', async () => {
    await json('CreateQueue', { QueueName: 'fair' });
    const url = queueUrlOf('fair');
    await json('SendMessage', { QueueUrl: url, MessageBody: 'a', MessageGroupId: 'tenant-1' });
    await json('SendMessage', { QueueUrl: url, MessageBody: 'b', MessageGroupId: 'tenant-1' });
    const [a] = await receive(url, { MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'] });
    expect(a?.Attributes).toMatchObject({ MessageGroupId: 'tenant-1' });
    expect(a?.Attributes?.SequenceNumber).toBeUndefined();
    expect((await receive(url)).map((m) => m.Body)).toEqual(['b']);
  });
});

describe('redrive to a dead-letter queue', () => {
  it('moves a message received more than maxReceiveCount times, checked on receive', async () => {
    await json('CreateQueue', { QueueName: 'dlq' });
    const policy = JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 2 });
    await callQuery(h.service, { Action: 'CreateQueue', QueueName: 'work', 'Attribute.1.Name': 'RedrivePolicy', 'Attribute.1.Value': policy });
    const work = queueUrlOf('work');
    const dlq = queueUrlOf('dlq');
    const sent = await json('SendMessage', { QueueUrl: work, MessageBody: 'poison', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } });
    for (let i = 0; i < 2; i++) {
      expect((await receive(work, { VisibilityTimeout: 1 })).map((m) => m.Body)).toEqual(['poison']);
      await h.clock.advance(1000);
    }
    expect(await receive(work)).toEqual([]);
    const [dead] = await receive(dlq, { MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] });
    expect(dead).toMatchObject({
      MessageId: sent.body.MessageId,
      Body: 'poison',
      MD5OfMessageAttributes: sent.body.MD5OfMessageAttributes,
      Attributes: { ApproximateReceiveCount: '3', DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:work' },
    });
    const counts = await callQuery(h.service, { Action: 'GetQueueAttributes', QueueUrl: work, 'AttributeName.1': 'ApproximateNumberOfMessages' });
    expect(text(counts.xml, 'Value')).toBe('0');
  });

  it('wakes a long poll on the dead-letter queue when a message moves there', async () => {
    await json('CreateQueue', { QueueName: 'dlq' });
    await json('CreateQueue', { QueueName: 'work', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 1 }) } });
    await json('SendMessage', { QueueUrl: queueUrlOf('work'), MessageBody: 'poison' });
    await receive(queueUrlOf('work'), { VisibilityTimeout: 0 });
    let answered = false;
    const poll = receive(queueUrlOf('dlq'), { WaitTimeSeconds: 20 }).then((messages) => {
      answered = true;
      return messages;
    });
    await h.clock.advance(0);
    expect(answered).toBe(false);
    await receive(queueUrlOf('work'));
    await h.clock.advance(0);
    expect(answered).toBe(true);
    expect((await poll).map((m) => m.Body)).toEqual(['poison']);
  });
});
