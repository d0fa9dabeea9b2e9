import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, SnsHarness, child, entryMap, mapParams, memberList, textOf, topicArnOf } from './harness.js';

describe('SNS topics', () => {
  let h: SnsHarness;
  beforeEach(async () => {
    h = await SnsHarness.start();
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates a topic idempotently and answers in the SNS XML namespace', async () => {
    const reply = await h.call('CreateTopic', { Name: 'orders' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/^<CreateTopicResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:000000000000:orders<\/TopicArn><\/CreateTopicResult><ResponseMetadata><RequestId>req-1<\/RequestId><\/ResponseMetadata><\/CreateTopicResponse>$/);
    expect(await h.createTopic('orders')).toBe(topicArnOf('orders'));
    expect(await h.createTopic('orders', { DisplayName: '' })).toBe(topicArnOf('orders'));
  });

  it('refuses a second create with different attributes or tags, and bad names', async () => {
    await h.createTopic('t1', { DisplayName: 'One' });
    const different = await h.call('CreateTopic', { Name: 't1', ...mapParams('Attributes', { DisplayName: 'Two' }) });
    expect(different.status).toBe(400);
    expect(different.error).toEqual({ type: 'Sender', code: 'InvalidParameter', message: 'Invalid parameter: Attributes Reason: Topic already exists with different attributes' });

    await h.ok('CreateTopic', { Name: 't2', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'a' });
    const tags = await h.call('CreateTopic', { Name: 't2', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'b' });
    expect(tags.error?.message).toBe('Invalid parameter: Tags Reason: Topic already exists with different tags');

    for (const name of ['has space', 'x'.repeat(257), 'standard.fifo', '']) {
      expect((await h.call('CreateTopic', { Name: name })).error?.message).toBe('Invalid parameter: Topic Name');
    }
    const duplicated = await h.call('CreateTopic', { Name: 't3', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': '1', 'Tags.member.2.Key': 'k', 'Tags.member.2.Value': '2' });
    expect(duplicated.error?.message).toBe('Invalid parameter: Duplicated keys are not allowed.');
  });

  it('reports a missing Name as a validation error, and unknown or missing actions', async () => {
    const missing = await h.call('CreateTopic');
    expect(missing.error).toEqual({ type: 'Sender', code: 'ValidationError', message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null" });
    const unknown = await h.call('ListOriginationNumbers');
    expect(unknown.status).toBe(400);
    expect(unknown.error).toMatchObject({ code: 'InvalidAction', message: 'The action ListOriginationNumbers is not valid for this web service.' });
  });

  it('shows topic attributes as SNS computes them, and sets them', async () => {
    const arn = await h.createTopic('attrs', { DisplayName: 'Attrs' });
    const attributes = entryMap(child(await h.ok('GetTopicAttributes', { TopicArn: arn }), 'Attributes'));
    expect(attributes).toMatchObject({
      TopicArn: arn,
      Owner: ACCOUNT,
      DisplayName: 'Attrs',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(attributes).not.toHaveProperty('FifoTopic');
    const policy = JSON.parse(attributes.Policy!);
    expect(policy).toMatchObject({ Version: '2008-10-17', Id: '__default_policy_ID', Statement: [{ Sid: '__default_statement_ID', Resource: arn, Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } } }] });
    expect(JSON.parse(attributes.EffectiveDeliveryPolicy!)).toEqual({
      http: {
        defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
        disableSubscriptionOverrides: false,
        defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
      },
    });

    await h.ok('SetTopicAttributes', { TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'Renamed' });
    await h.ok('SetTopicAttributes', { TopicArn: arn, AttributeName: 'SignatureVersion', AttributeValue: '2' });
    const after = entryMap(child(await h.ok('GetTopicAttributes', { TopicArn: arn }), 'Attributes'));
    expect(after).toMatchObject({ DisplayName: 'Renamed', SignatureVersion: '2' });

    const fifoChange = await h.call('SetTopicAttributes', { TopicArn: arn, AttributeName: 'FifoTopic', AttributeValue: 'true' });
    expect(fifoChange.error?.message).toBe('Invalid parameter: AttributeName');
  });

  it('creates FIFO topics with their attributes', async () => {
    const arn = await h.createTopic('events.fifo', { FifoTopic: 'true' });
    const attributes = entryMap(child(await h.ok('GetTopicAttributes', { TopicArn: arn }), 'Attributes'));
    expect(attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'false' });
    const notFifo = await h.call('CreateTopic', { Name: 'plain', ...mapParams('Attributes', { FifoTopic: 'true' }) });
    expect(notFifo.error?.message).toBe('Invalid parameter: Topic Name');
  });

  it('answers NotFound for a missing topic and InvalidParameter for a malformed ARN', async () => {
    const missing = await h.call('GetTopicAttributes', { TopicArn: topicArnOf('nope') });
    expect(missing.status).toBe(404);
    expect(missing.error).toEqual({ type: 'Sender', code: 'NotFound', message: 'Topic does not exist' });
    expect(missing.body).toBe(
      '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
    const malformed = await h.call('GetTopicAttributes', { TopicArn: 'nope' });
    expect(malformed.error?.message).toBe('Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1');
    const otherRegion = await h.call('Publish', { TopicArn: 'arn:aws:sns:eu-west-1:000000000000:orders', Message: 'x' });
    expect(otherRegion.error?.message).toBe('Invalid parameter: TopicArn');
  });

  it('lists topics 100 to a page with NextToken, and deletes them idempotently', async () => {
    for (let i = 0; i < 105; i++) await h.createTopic(`t-${String(i).padStart(3, '0')}`);
    const first = await h.ok('ListTopics');
    const firstPage = memberList(first?.children.find((c) => c.name === 'Topics'));
    expect(firstPage).toHaveLength(100);
    const token = textOf(first, 'NextToken');
    expect(token).toBeTruthy();
    const second = await h.ok('ListTopics', { NextToken: token! });
    expect(memberList(second?.children.find((c) => c.name === 'Topics')).map((t) => t.TopicArn)).toEqual([100, 101, 102, 103, 104].map((i) => topicArnOf(`t-${i}`)));
    expect(textOf(second, 'NextToken')).toBeUndefined();

    const deleted = await h.call('DeleteTopic', { TopicArn: topicArnOf('t-000') });
    expect(deleted.body).toBe('<DeleteTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteTopicResponse>');
    expect((await h.call('DeleteTopic', { TopicArn: topicArnOf('t-000') })).status).toBe(200);
    expect((await h.call('GetTopicAttributes', { TopicArn: topicArnOf('t-000') })).error?.code).toBe('NotFound');
  });

  it('tags topics', async () => {
    const arn = await h.createTopic('tagged');
    await h.ok('TagResource', { ResourceArn: arn, 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': '1', 'Tags.member.2.Key': 'b', 'Tags.member.2.Value': '2' });
    await h.ok('UntagResource', { ResourceArn: arn, 'TagKeys.member.1': 'a' });
    const listed = await h.ok('ListTagsForResource', { ResourceArn: arn });
    expect(memberList(listed?.children[0])).toEqual([{ Key: 'b', Value: '2' }]);
    const missing = await h.call('ListTagsForResource', { ResourceArn: topicArnOf('ghost') });
    expect(missing.error).toMatchObject({ code: 'ResourceNotFound', message: 'Resource does not exist' });
    expect(missing.status).toBe(404);
  });
});
