import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callJson, callQuery, openHarness, queueUrlOf, type SqsHarness } from './node.js';
import { text, texts } from './xml.js';

let h: SqsHarness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

const json = (operation: string, input: unknown) => callJson(h.service, operation, input);
const query = (params: Record<string, string>) => callQuery(h.service, params);

describe('CreateQueue and GetQueueUrl', () => {
  it('creates a queue whose URL names the host the client used (JSON)', async () => {
    const created = await json('CreateQueue', { QueueName: 'orders' });
    expect(created).toMatchObject({ status: 200, body: { QueueUrl: queueUrlOf('orders') } });
    expect(created.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect((await json('GetQueueUrl', { QueueName: 'orders' })).body).toEqual({ QueueUrl: queueUrlOf('orders') });
  });

  it('answers the query protocol in the 2012-11-05 namespace with a request id', async () => {
    const created = await query({ Action: 'CreateQueue', QueueName: 'orders', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '45' });
    expect(created.status).toBe(200);
    expect(created.headers['content-type']).toBe('text/xml');
    expect(created.xml).toBe(
      `<?xml version="1.0"?><CreateQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><CreateQueueResult><QueueUrl>${queueUrlOf('orders')}</QueueUrl></CreateQueueResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateQueueResponse>`,
    );
    const got = await query({ Action: 'GetQueueAttributes', QueueUrl: queueUrlOf('orders'), 'AttributeName.1': 'VisibilityTimeout' });
    expect(got.xml).toContain('<Attribute><Name>VisibilityTimeout</Name><Value>45</Value></Attribute>');
  });

  it('is idempotent for equal attributes and refuses different ones with QueueAlreadyExists', async () => {
    await json('CreateQueue', { QueueName: 'q', Attributes: { VisibilityTimeout: '60', DelaySeconds: '5' } });
    expect((await json('CreateQueue', { QueueName: 'q', Attributes: { VisibilityTimeout: '60' } })).status).toBe(200);
    expect((await json('CreateQueue', { QueueName: 'q' })).status).toBe(200);
    const clash = await json('CreateQueue', { QueueName: 'q', Attributes: { DelaySeconds: '6' } });
    expect(clash.status).toBe(400);
    expect(clash.headers['x-amzn-query-error']).toBe('QueueAlreadyExists;Sender');
    expect(clash.body).toEqual({
      __type: 'com.amazonaws.sqs#QueueNameExists',
      message: 'A queue already exists with the same name and a different value for attribute DelaySeconds',
    });
    const viaQuery = await query({ Action: 'CreateQueue', QueueName: 'q', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '61' });
    expect(text(viaQuery.xml, 'Code')).toBe('QueueAlreadyExists');
  });

  it('needs the .fifo suffix and FifoQueue=true together', async () => {
    const fifo = await json('CreateQueue', { QueueName: 'jobs.fifo', Attributes: { FifoQueue: 'true' } });
    expect(fifo.body).toEqual({ QueueUrl: queueUrlOf('jobs.fifo') });
    const noSuffix = await json('CreateQueue', { QueueName: 'jobs', Attributes: { FifoQueue: 'true' } });
    expect(noSuffix.body.message).toBe(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length',
    );
    const noFlag = await json('CreateQueue', { QueueName: 'other.fifo' });
    expect(noFlag.body.message).toBe('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    const standardWithFifoAttribute = await json('CreateQueue', { QueueName: 'plain', Attributes: { FifoQueue: 'false' } });
    expect(standardWithFifoAttribute.body).toEqual({ __type: 'com.amazonaws.sqs#InvalidAttributeName', message: 'Unknown Attribute FifoQueue.' });
    const scope = await json('CreateQueue', { QueueName: 'plain', Attributes: { DeduplicationScope: 'queue' } });
    expect(scope.body.message).toBe('You can specify the DeduplicationScope only when FifoQueue is set to true.');
  });

  it('refuses a bad name and out-of-range attributes', async () => {
    expect((await json('CreateQueue', { QueueName: 'bad name' })).headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
    expect((await json('CreateQueue', { QueueName: 'x'.repeat(81) })).status).toBe(400);
    const range = await json('CreateQueue', { QueueName: 'q', Attributes: { VisibilityTimeout: '43201' } });
    expect(range.body).toEqual({ __type: 'com.amazonaws.sqs#InvalidAttributeValue', message: 'Invalid value for the parameter VisibilityTimeout.' });
    expect((await json('CreateQueue', { QueueName: 'q', Attributes: { Bogus: '1' } })).body.message).toBe('Unknown Attribute Bogus.');
  });

  it('reports a missing queue as QueueDoesNotExist', async () => {
    const missing = await json('GetQueueUrl', { QueueName: 'absent' });
    expect(missing.status).toBe(400);
    expect(missing.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(missing.body).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
  });
});

describe('ListQueues and DeleteQueue', () => {
  it('lists queue URLs by prefix, pages with MaxResults and NextToken, and omits the list when empty', async () => {
    for (const name of ['a-1', 'a-2', 'a-3', 'b-1']) await json('CreateQueue', { QueueName: name });
    expect((await json('ListQueues', {})).body.QueueUrls).toEqual(['a-1', 'a-2', 'a-3', 'b-1'].map(queueUrlOf));
    const first = await json('ListQueues', { QueueNamePrefix: 'a-', MaxResults: 2 });
    expect(first.body.QueueUrls).toEqual([queueUrlOf('a-1'), queueUrlOf('a-2')]);
    const second = await json('ListQueues', { QueueNamePrefix: 'a-', MaxResults: 2, NextToken: first.body.NextToken });
    expect(second.body).toEqual({ QueueUrls: [queueUrlOf('a-3')] });
    expect((await json('ListQueues', { QueueNamePrefix: 'zzz' })).body).toEqual({});
    const viaQuery = await query({ Action: 'ListQueues', QueueNamePrefix: 'b' });
    expect(texts(viaQuery.xml, 'QueueUrl')).toEqual([queueUrlOf('b-1')]);
  });

  it('deletes a queue and its messages', async () => {
    await json('CreateQueue', { QueueName: 'gone' });
    await json('SendMessage', { QueueUrl: queueUrlOf('gone'), MessageBody: 'x' });
    expect((await json('DeleteQueue', { QueueUrl: queueUrlOf('gone') })).body).toEqual({});
    expect((await json('SendMessage', { QueueUrl: queueUrlOf('gone'), MessageBody: 'x' })).body.__type).toBe('com.amazonaws.sqs#QueueDoesNotExist');
    expect((await json('DeleteQueue', { QueueUrl: queueUrlOf('gone') })).status).toBe(400);
    await json('CreateQueue', { QueueName: 'gone' });
    expect((await json('ReceiveMessage', { QueueUrl: queueUrlOf('gone') })).body).toEqual({});
    const deleted = await query({ Action: 'DeleteQueue', QueueUrl: queueUrlOf('gone') });
    expect(deleted.xml).toBe(
      '<?xml version="1.0"?><DeleteQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteQueueResponse>',
    );
  });
});

describe('GetQueueAttributes and SetQueueAttributes', () => {
  it('returns SQS defaults with All, nothing without names, and the named ones otherwise', async () => {
    await json('CreateQueue', { QueueName: 'q' });
    const created = Math.floor(h.clock.now() / 1000);
    const all = await json('GetQueueAttributes', { QueueUrl: queueUrlOf('q'), AttributeNames: ['All'] });
    expect(all.body).toEqual({
      Attributes: {
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesDelayed: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
        CreatedTimestamp: String(created),
        DelaySeconds: '0',
        LastModifiedTimestamp: String(created),
        MaximumMessageSize: '1048576',
        MessageRetentionPeriod: '345600',
        QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q',
        ReceiveMessageWaitTimeSeconds: '0',
        SqsManagedSseEnabled: 'true',
        VisibilityTimeout: '30',
      },
    });
    expect((await json('GetQueueAttributes', { QueueUrl: queueUrlOf('q') })).body).toEqual({});
    const named = await json('GetQueueAttributes', { QueueUrl: queueUrlOf('q'), AttributeNames: ['QueueArn', 'VisibilityTimeout'] });
    expect(named.body).toEqual({ Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', VisibilityTimeout: '30' } });
    const unknown = await json('GetQueueAttributes', { QueueUrl: queueUrlOf('q'), AttributeNames: ['Nope'] });
    expect(unknown.body).toEqual({ __type: 'com.amazonaws.sqs#InvalidAttributeName', message: 'Unknown Attribute Nope.' });
  });

  it('shows FIFO attributes on FIFO queues', async () => {
    await json('CreateQueue', { QueueName: 'q.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } });
    const all = await json('GetQueueAttributes', { QueueUrl: queueUrlOf('q.fifo'), AttributeNames: ['All'] });
    expect(all.body.Attributes).toMatchObject({ FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' });
  });

  it('counts visible, in-flight and delayed messages', async () => {
    await json('CreateQueue', { QueueName: 'q' });
    const url = queueUrlOf('q');
    await json('SendMessage', { QueueUrl: url, MessageBody: 'a' });
    await json('SendMessage', { QueueUrl: url, MessageBody: 'b' });
    await json('SendMessage', { QueueUrl: url, MessageBody: 'c', DelaySeconds: 60 });
    await json('ReceiveMessage', { QueueUrl: url });
    const counts = await json('GetQueueAttributes', {
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    });
    expect(counts.body.Attributes).toEqual({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '1', ApproximateNumberOfMessagesDelayed: '1' });
  });

  it('sets attributes with validation, moving LastModifiedTimestamp', async () => {
    await json('CreateQueue', { QueueName: 'q' });
    await h.clock.advance(5000);
    const url = queueUrlOf('q');
    const set = await query({ Action: 'SetQueueAttributes', QueueUrl: url, 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '420', 'Attribute.2.Name': 'MaximumMessageSize', 'Attribute.2.Value': '2048' });
    expect(set.status).toBe(200);
    const got = await json('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['DelaySeconds', 'MaximumMessageSize', 'LastModifiedTimestamp'] });
    expect(got.body.Attributes).toEqual({ DelaySeconds: '420', MaximumMessageSize: '2048', LastModifiedTimestamp: String(Math.floor(h.clock.now() / 1000)) });
    expect((await json('SetQueueAttributes', { QueueUrl: url, Attributes: { MessageRetentionPeriod: '59' } })).body.message).toBe(
      'Invalid value for the parameter MessageRetentionPeriod.',
    );
    expect((await json('SetQueueAttributes', { QueueUrl: url, Attributes: { QueueArn: 'x' } })).body.message).toBe('Unknown Attribute QueueArn.');
    expect((await json('SetQueueAttributes', { QueueUrl: url, Attributes: { FifoQueue: 'true' } })).body.message).toBe('Unknown Attribute FifoQueue.');
  });

  it('refuses to change a FIFO queue into a standard one', async () => {
    await json('CreateQueue', { QueueName: 'q.fifo', Attributes: { FifoQueue: 'true' } });
    expect((await json('SetQueueAttributes', { QueueUrl: queueUrlOf('q.fifo'), Attributes: { FifoQueue: 'true' } })).status).toBe(200);
    const change = await json('SetQueueAttributes', { QueueUrl: queueUrlOf('q.fifo'), Attributes: { FifoQueue: 'false' } });
    expect(change.body).toEqual({
      __type: 'com.amazonaws.sqs#InvalidAttributeValue',
      message: 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    });
  });

  it('keeps a redrive policy, lists the dead-letter source queues, and removes the policy when set empty', async () => {
    await json('CreateQueue', { QueueName: 'dlq' });
    const policy = JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: '3' });
    await json('CreateQueue', { QueueName: 'src', Attributes: { RedrivePolicy: policy, RedriveAllowPolicy: '{"redrivePermission":"allowAll"}' } });
    const got = await json('GetQueueAttributes', { QueueUrl: queueUrlOf('src'), AttributeNames: ['RedrivePolicy', 'RedriveAllowPolicy'] });
    expect(got.body.Attributes).toEqual({
      RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":3}',
      RedriveAllowPolicy: '{"redrivePermission":"allowAll"}',
    });
    expect((await json('CreateQueue', { QueueName: 'src', Attributes: { RedrivePolicy: policy } })).status).toBe(200);
    expect((await json('ListDeadLetterSourceQueues', { QueueUrl: queueUrlOf('dlq') })).body).toEqual({ queueUrls: [queueUrlOf('src')] });
    await json('SetQueueAttributes', { QueueUrl: queueUrlOf('src'), Attributes: { RedrivePolicy: '' } });
    expect((await json('GetQueueAttributes', { QueueUrl: queueUrlOf('src'), AttributeNames: ['RedrivePolicy'] })).body).toEqual({});
  });

  it('refuses a redrive policy to a missing queue, a queue of the other type or an out-of-range count', async () => {
    await json('CreateQueue', { QueueName: 'q' });
    await json('CreateQueue', { QueueName: 'dlq.fifo', Attributes: { FifoQueue: 'true' } });
    const set = (policy: object | string) =>
      json('SetQueueAttributes', { QueueUrl: queueUrlOf('q'), Attributes: { RedrivePolicy: typeof policy === 'string' ? policy : JSON.stringify(policy) } });
    const missing = await set({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:nope', maxReceiveCount: 1 });
    expect(missing.body.message).toMatch(/^Value .* for parameter RedrivePolicy is invalid\. Reason: Dead letter target does not exist\.$/);
    expect((await set({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq.fifo', maxReceiveCount: 1 })).body.message).toMatch(/same type/);
    expect((await set({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:q', maxReceiveCount: 1001 })).body.message).toMatch(
      /Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive\./,
    );
    expect((await set('not json')).headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
  });
});

describe('tags and purge', () => {
  it('tags at creation, lists, adds and removes tags', async () => {
    await query({ Action: 'CreateQueue', QueueName: 'q', 'Tag.1.Key': 'team', 'Tag.1.Value': 'a', 'Tag.2.Key': 'empty', 'Tag.2.Value': '' });
    expect((await json('ListQueueTags', { QueueUrl: queueUrlOf('q') })).body).toEqual({ Tags: { team: 'a', empty: '' } });
    await json('TagQueue', { QueueUrl: queueUrlOf('q'), Tags: { env: 'dev' } });
    await query({ Action: 'UntagQueue', QueueUrl: queueUrlOf('q'), 'TagKey.1': 'team', 'TagKey.2': 'empty' });
    const listed = await query({ Action: 'ListQueueTags', QueueUrl: queueUrlOf('q') });
    expect(listed.xml).toContain('<ListQueueTagsResult><Tag><Key>env</Key><Value>dev</Value></Tag></ListQueueTagsResult>');
    await json('UntagQueue', { QueueUrl: queueUrlOf('q'), TagKeys: ['env'] });
    expect((await json('ListQueueTags', { QueueUrl: queueUrlOf('q') })).body).toEqual({});
  });

  it('purges all messages, but once per 60 seconds', async () => {
    await json('CreateQueue', { QueueName: 'q' });
    await json('SendMessage', { QueueUrl: queueUrlOf('q'), MessageBody: 'a' });
    expect((await json('PurgeQueue', { QueueUrl: queueUrlOf('q') })).status).toBe(200);
    expect((await json('ReceiveMessage', { QueueUrl: queueUrlOf('q') })).body).toEqual({});
    const again = await json('PurgeQueue', { QueueUrl: queueUrlOf('q') });
    expect(again.status).toBe(403);
    expect(again.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.PurgeQueueInProgress;Sender');
    expect(again.body).toEqual({ __type: 'com.amazonaws.sqs#PurgeQueueInProgress', message: 'Only one PurgeQueue operation on q is allowed every 60 seconds.' });
    await h.clock.advance(60_000);
    expect((await query({ Action: 'PurgeQueue', QueueUrl: queueUrlOf('q') })).status).toBe(200);
  });
});
