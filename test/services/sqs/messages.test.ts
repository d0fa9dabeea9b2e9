import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callJson, callQuery, openHarness, queueUrlOf, type SqsHarness } from './node.js';
import { text, texts } from './xml.js';

let h: SqsHarness;
const url = queueUrlOf('q');
beforeEach(async () => {
  h = await openHarness();
  await json('CreateQueue', { QueueName: 'q' });
});
afterEach(async () => {
  await h.close();
});

const json = (operation: string, input: unknown) => callJson(h.service, operation, input);
const query = (params: Record<string, string>) => callQuery(h.service, params);
const md5 = (value: string) => createHash('md5').update(value).digest('hex');

type Message = { Body: string; ReceiptHandle: string; MessageId: string; Attributes?: Record<string, string>; MD5OfMessageAttributes?: string };
async function receive(input: Record<string, unknown> = {}): Promise<Message[]> {
  const answer = await json('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, ...input });
  expect(answer.status).toBe(200);
  return (answer.body.Messages as Message[] | undefined) ?? [];
}

describe('MD5 digests', () => {
  // Vectors recorded from real SQS (localstack's AWS-validated snapshots).
  it.each([
    [{ Foo: { DataType: 'String', StringValue: 'Bar' } }, 'ae7155c6026991b6d54b11589678bf9c'],
    [{ MyAttribute: { DataType: 'String', StringValue: 'foobar' } }, 'adb59cd4678ea5a855436b949cd07ab6'],
    [
      { attr1: { DataType: 'Binary', BinaryValue: Buffer.from('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01', 'latin1').toString('base64') } },
      '8cbe4db156db8a94db8b801b7addb984',
    ],
  ])('computes MD5OfMessageAttributes as SQS does (%#)', async (attributes, expected) => {
    const sent = await json('SendMessage', { QueueUrl: url, MessageBody: 'test', MessageAttributes: attributes });
    expect(sent.body).toMatchObject({ MD5OfMessageBody: '098f6bcd4621d373cade4e832627b4f6', MD5OfMessageAttributes: expected });
    const [message] = await receive({ MessageAttributeNames: ['All'] });
    expect(message?.MD5OfMessageAttributes).toBe(expected);
  });

  it('hashes attributes in name order, and numbers and custom types as strings', async () => {
    const attributes = { b: { DataType: 'Number.int', StringValue: '42' }, a: { DataType: 'String.custom', StringValue: 'x' } };
    const reversed = { a: attributes.a, b: attributes.b };
    const one = await json('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: attributes });
    const two = await json('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: reversed });
    expect(one.body.MD5OfMessageAttributes).toBe(two.body.MD5OfMessageAttributes);
  });

  it('answers MD5OfMessageSystemAttributes for an AWSTraceHeader and returns the header to receivers', async () => {
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const sent = await json('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } } });
    expect(sent.body.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.body.MD5OfMessageAttributes).toBeUndefined();
    const [message] = await receive({ MessageSystemAttributeNames: ['AWSTraceHeader'] });
    expect(message?.Attributes).toEqual({ AWSTraceHeader: trace });
  });
});

describe('SendMessage and ReceiveMessage', () => {
  it('delivers body, system attributes and a receipt handle over JSON', async () => {
    const sentAt = h.clock.now();
    const sent = await json('SendMessage', { QueueUrl: url, MessageBody: 'hello' });
    expect(sent.body).toEqual({ MD5OfMessageBody: md5('hello'), MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await h.clock.advance(10);
    const [message] = await receive({ MessageSystemAttributeNames: ['All'] });
    expect(message).toEqual({
      MessageId: sent.body.MessageId,
      ReceiptHandle: expect.any(String),
      MD5OfBody: md5('hello'),
      Body: 'hello',
      Attributes: {
        SenderId: '000000000000',
        SentTimestamp: String(sentAt),
        ApproximateReceiveCount: '1',
        ApproximateFirstReceiveTimestamp: String(sentAt + 10),
      },
    });
  });

  it('speaks the query protocol, keeping carriage returns and markup in the body', async () => {
    const body = 'line 1\r\n<b>&"quoted"\'</b>';
    const sent = await query({
      Action: 'SendMessage',
      QueueUrl: url,
      MessageBody: body,
      'MessageAttribute.1.Name': 'attr1',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'v1',
    });
    expect(text(sent.xml, 'MD5OfMessageBody')).toBe(md5(body));
    expect(text(sent.xml, 'MD5OfMessageAttributes')).toMatch(/^[0-9a-f]{32}$/);
    const received = await query({ Action: 'ReceiveMessage', QueueUrl: url, 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All', MaxNumberOfMessages: '10' });
    expect(received.xml).toContain('&#xD;');
    expect(text(received.xml, 'Body')).toBe(body);
    expect(text(received.xml, 'MessageId')).toBe(text(sent.xml, 'MessageId'));
    expect(received.xml).toContain('<MessageAttribute><Name>attr1</Name><Value><DataType>String</DataType><StringValue>v1</StringValue></Value></MessageAttribute>');
    expect(texts(received.xml, 'Name')).toEqual(expect.arrayContaining(['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'attr1']));
  });

  it('accepts the queue URL of any host, and a bare queue name, by its last path segment', async () => {
    expect((await query({ Action: 'SendMessage', QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q', MessageBody: 'aws' })).status).toBe(200);
    expect((await json('SendMessage', { QueueUrl: 'q', MessageBody: 'bare' })).status).toBe(200);
    expect((await callQuery(h.service, { Action: 'SendMessage', MessageBody: 'path' }, '/000000000000/q')).status).toBe(200);
    expect((await receive()).map((m) => m.Body)).toEqual(['aws', 'bare', 'path']);
  });

  it('returns Binary attributes as base64 and selects attributes by name, prefix.* and All', async () => {
    const attributes = {
      'user.id': { DataType: 'String', StringValue: 'u1' },
      'user.role': { DataType: 'String', StringValue: 'admin' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]).toString('base64') },
    };
    await json('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: attributes });
    const take = async (names?: string[]) => {
      const [message] = await receive(names ? { MessageAttributeNames: names, VisibilityTimeout: 0 } : { VisibilityTimeout: 0 });
      return message as Message & { MessageAttributes?: Record<string, unknown> };
    };
    expect((await take(['All']))?.MessageAttributes).toEqual(attributes);
    expect(Object.keys((await take(['user.*']))?.MessageAttributes ?? {})).toEqual(['user.id', 'user.role']);
    const one = await take(['blob']);
    expect(one?.MessageAttributes).toEqual({ blob: attributes.blob });
    expect(one?.MD5OfMessageAttributes).toBe((await json('SendMessage', { QueueUrl: url, MessageBody: 'y', MessageAttributes: { blob: attributes.blob } })).body.MD5OfMessageAttributes);
    const none = await take();
    expect(none?.MessageAttributes).toBeUndefined();
    expect(none?.MD5OfMessageAttributes).toBeUndefined();
  });

  it('respects MaxNumberOfMessages, DelaySeconds and the queue delay', async () => {
    for (const body of ['1', '2', '3']) await json('SendMessage', { QueueUrl: url, MessageBody: body });
    await json('SendMessage', { QueueUrl: url, MessageBody: 'late', DelaySeconds: 5 });
    expect((await receive({ MaxNumberOfMessages: 2 })).map((m) => m.Body)).toEqual(['1', '2']);
    expect((await receive()).map((m) => m.Body)).toEqual(['3']);
    await h.clock.advance(5000);
    expect((await receive()).map((m) => m.Body)).toEqual(['late']);
    await json('SetQueueAttributes', { QueueUrl: url, Attributes: { DelaySeconds: '10' } });
    await json('SendMessage', { QueueUrl: url, MessageBody: 'queue delay' });
    expect(await receive()).toEqual([]);
    await h.clock.advance(10_000);
    expect((await receive()).map((m) => m.Body)).toEqual(['queue delay']);
  });

  it('refuses what SQS refuses, with its wording', async () => {
    const send = (input: Record<string, unknown>) => json('SendMessage', { QueueUrl: url, MessageBody: 'x', ...input });
    expect((await send({ MessageBody: '' })).body).toEqual({
      __type: 'com.amazon.coral.service#MissingRequiredParameterException',
      message: 'The request must contain the parameter MessageBody.',
    });
    expect((await send({ MessageBody: 'bad \u0000 char' })).body.__type).toBe('com.amazonaws.sqs#InvalidMessageContents');
    expect((await send({ DelaySeconds: 901 })).body.message).toBe('Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.');
    expect((await send({ MessageAttributes: { e: { DataType: 'String', StringValue: '' } } })).body.message).toBe(
      "Message (user) attribute 'e' must contain a non-empty value of type 'String'.",
    );
    expect((await send({ MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } })).status).toBe(400);
    expect((await send({ MessageAttributes: { n: { DataType: 'Date', StringValue: '1' } } })).status).toBe(400);
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
    expect((await send({ MessageAttributes: eleven })).body.message).toBe('Number of message attributes [11] exceeds the allowed maximum [10].');
    expect((await send({ MessageDeduplicationId: 'd' })).body.message).toBe(
      'Value d for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.',
    );
    const receiveTooMany = await json('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 11 });
    expect(receiveTooMany.body.message).toBe('Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
    const waitTooLong = await json('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 21 });
    expect(waitTooLong.body.message).toBe('Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.');
  });

  it('enforces the queue MaximumMessageSize over body and attributes', async () => {
    await json('SetQueueAttributes', { QueueUrl: url, Attributes: { MaximumMessageSize: '1024' } });
    expect((await json('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(1024) })).status).toBe(200);
    const tooBig = await json('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(1020), MessageAttributes: { ab: { DataType: 'String', StringValue: 'c' } } });
    expect(tooBig.body.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
  });

  it('accepts messages up to 1 MiB by default', async () => {
    expect((await json('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(1_048_576) })).status).toBe(200);
    expect((await json('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(1_048_577) })).body.message).toBe(
      'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    );
  });
});

describe('visibility, receipt handles and deletes', () => {
  it('hides a received message for the visibility timeout and gives a new receipt handle on every receive', async () => {
    await json('SendMessage', { QueueUrl: url, MessageBody: 'a' });
    const [first] = await receive({ VisibilityTimeout: 10 });
    expect(await receive()).toEqual([]);
    await h.clock.advance(10_000);
    const [second] = await receive({ MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(second?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    // A stale handle still deletes the message on a standard queue.
    expect((await json('DeleteMessage', { QueueUrl: url, ReceiptHandle: first?.ReceiptHandle })).status).toBe(200);
    await h.clock.advance(30_000);
    expect(await receive()).toEqual([]);
  });

  it('uses the queue VisibilityTimeout by default', async () => {
    await json('SetQueueAttributes', { QueueUrl: url, Attributes: { VisibilityTimeout: '5' } });
    await json('SendMessage', { QueueUrl: url, MessageBody: 'a' });
    await receive();
    await h.clock.advance(4999);
    expect(await receive()).toEqual([]);
    await h.clock.advance(1);
    expect(await receive()).toHaveLength(1);
  });

  it('refuses an invalid receipt handle with ReceiptHandleIsInvalid in both protocols', async () => {
    const viaJson = await json('DeleteMessage', { QueueUrl: url, ReceiptHandle: 'garbage' });
    expect(viaJson.status).toBe(400);
    expect(viaJson.headers['x-amzn-query-error']).toBe('ReceiptHandleIsInvalid;Sender');
    expect(viaJson.body).toEqual({ __type: 'com.amazonaws.sqs#ReceiptHandleIsInvalid', message: 'The input receipt handle "garbage" is not a valid receipt handle.' });
    const viaQuery = await query({ Action: 'DeleteMessage', QueueUrl: url, ReceiptHandle: 'garbage' });
    expect(viaQuery.xml).toBe(
      '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>ReceiptHandleIsInvalid</Code><Message>The input receipt handle &quot;garbage&quot; is not a valid receipt handle.</Message><Detail/></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
  });

  it('changes visibility: 0 makes a message visible now, a deleted one cannot be changed', async () => {
    await json('SendMessage', { QueueUrl: url, MessageBody: 'a' });
    const [message] = await receive();
    expect((await json('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: message?.ReceiptHandle, VisibilityTimeout: 0 })).status).toBe(200);
    const [again] = await receive({ VisibilityTimeout: 60 });
    expect((await query({ Action: 'ChangeMessageVisibility', QueueUrl: url, ReceiptHandle: again?.ReceiptHandle ?? '', VisibilityTimeout: '120' })).status).toBe(200);
    await h.clock.advance(60_000);
    expect(await receive()).toEqual([]);
    await json('DeleteMessage', { QueueUrl: url, ReceiptHandle: again?.ReceiptHandle });
    const gone = await json('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again?.ReceiptHandle, VisibilityTimeout: 10 });
    expect(gone.body.message).toBe(`Value ${again?.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`);
    const range = await json('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again?.ReceiptHandle, VisibilityTimeout: 43_201 });
    expect(range.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
  });
});

describe('batches', () => {
  it('sends a batch with per-entry failures and results in both protocols', async () => {
    const sent = await json('SendMessageBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'one', MessageBody: 'a', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
        { Id: 'two', MessageBody: '' },
        { Id: 'three', MessageBody: 'c', DelaySeconds: 1000 },
      ],
    });
    expect(sent.body).toEqual({
      Successful: [{ Id: 'one', MessageId: expect.any(String), MD5OfMessageBody: md5('a'), MD5OfMessageAttributes: expect.any(String) }],
      Failed: [
        { Id: 'two', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageBody.' },
        { Id: 'three', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.' },
      ],
    });
    const viaQuery = await query({
      Action: 'SendMessageBatch',
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.Id': 'x',
      'SendMessageBatchRequestEntry.1.MessageBody': 'b',
      'SendMessageBatchRequestEntry.2.Id': 'y',
      'SendMessageBatchRequestEntry.2.MessageBody': 'c',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Name': 'n',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType': 'Number',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue': '7',
    });
    expect(texts(viaQuery.xml, 'Id')).toEqual(['x', 'y']);
    expect(texts(viaQuery.xml, 'MD5OfMessageBody')).toEqual([md5('b'), md5('c')]);
    expect((await receive()).map((m) => m.Body)).toEqual(['a', 'b', 'c']);
  });

  it('refuses empty, oversized, badly named and repeated batches as a whole', async () => {
    const batch = (entries: unknown[]) => json('SendMessageBatch', { QueueUrl: url, Entries: entries });
    expect((await batch([])).body).toEqual({
      __type: 'com.amazonaws.sqs#EmptyBatchRequest',
      message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
    });
    const eleven = await batch(Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })));
    expect(eleven.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.TooManyEntriesInBatchRequest;Sender');
    expect(eleven.body.message).toBe('Maximum number of entries per request are 10. You have sent 11.');
    expect((await batch([{ Id: 'bad:id', MessageBody: 'x' }])).body.__type).toBe('com.amazonaws.sqs#InvalidBatchEntryId');
    expect((await batch([{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }])).body).toEqual({
      __type: 'com.amazonaws.sqs#BatchEntryIdsNotDistinct',
      message: 'Id a repeated.',
    });
    const big = 'x'.repeat(600_000);
    const tooLong = await batch([{ Id: 'a', MessageBody: big }, { Id: 'b', MessageBody: big }]);
    expect(tooLong.body).toEqual({ __type: 'com.amazonaws.sqs#BatchRequestTooLong', message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.' });
    expect(await receive()).toEqual([]);
  });

  it('deletes and changes visibility in batches with per-entry failures', async () => {
    await json('SendMessageBatch', { QueueUrl: url, Entries: ['a', 'b', 'c'].map((body) => ({ Id: body, MessageBody: body })) });
    const [a, b, c] = await receive();
    const changed = await json('ChangeMessageVisibilityBatch', {
      QueueUrl: url,
      Entries: [
        { Id: 'a', ReceiptHandle: a?.ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'bad', ReceiptHandle: 'nope', VisibilityTimeout: 0 },
        { Id: 'range', ReceiptHandle: b?.ReceiptHandle, VisibilityTimeout: 99_999 },
      ],
    });
    expect(changed.body.Successful).toEqual([{ Id: 'a' }]);
    expect((changed.body.Failed as { Id: string; Code: string }[]).map((f) => [f.Id, f.Code])).toEqual([
      ['range', 'InvalidParameterValue'],
      ['bad', 'ReceiptHandleIsInvalid'],
    ]);
    const deleted = await query({
      Action: 'DeleteMessageBatch',
      QueueUrl: url,
      'DeleteMessageBatchRequestEntry.1.Id': 'b',
      'DeleteMessageBatchRequestEntry.1.ReceiptHandle': b?.ReceiptHandle ?? '',
      'DeleteMessageBatchRequestEntry.2.Id': 'c',
      'DeleteMessageBatchRequestEntry.2.ReceiptHandle': c?.ReceiptHandle ?? '',
      'DeleteMessageBatchRequestEntry.3.Id': 'x',
      'DeleteMessageBatchRequestEntry.3.ReceiptHandle': 'nope',
    });
    expect(deleted.xml).toContain('<DeleteMessageBatchResultEntry><Id>b</Id></DeleteMessageBatchResultEntry><DeleteMessageBatchResultEntry><Id>c</Id></DeleteMessageBatchResultEntry>');
    expect(deleted.xml).toContain('<BatchResultErrorEntry><Id>x</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code>');
    await h.clock.advance(30_000);
    expect((await receive()).map((m) => m.Body)).toEqual(['a']);
  });
});
