import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, BASE_URL, HttpEndpoint, SnsHarness, child, entryMap, functionArnOf, mapParams, memberList, queueArnOf, textOf, topicArnOf } from './harness.js';

describe('SNS subscriptions', () => {
  let h: SnsHarness;
  let web: HttpEndpoint;
  let topic: string;
  beforeAll(async () => {
    web = await HttpEndpoint.start();
  });
  afterAll(async () => {
    await web.close();
  });
  beforeEach(async () => {
    h = await SnsHarness.start();
    topic = await h.createTopic('news');
  });
  afterEach(async () => {
    await h.close();
  });

  const attributesOf = async (arn: string) => entryMap(child(await h.ok('GetSubscriptionAttributes', { SubscriptionArn: arn }), 'Attributes'));

  it('confirms sqs and lambda subscriptions at once', async () => {
    const plain = await h.ok('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: queueArnOf('q1') });
    const arn = textOf(plain, 'SubscriptionArn')!;
    expect(arn).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    expect(await attributesOf(arn)).toEqual({
      ConfirmationWasAuthenticated: 'true',
      Endpoint: queueArnOf('q1'),
      Owner: ACCOUNT,
      PendingConfirmation: 'false',
      Protocol: 'sqs',
      RawMessageDelivery: 'false',
      SubscriptionArn: arn,
      SubscriptionPrincipal: `arn:aws:iam::${ACCOUNT}:user/flint`,
      TopicArn: topic,
    });
    const fn = await h.subscribe(topic, 'lambda', functionArnOf('worker'));
    expect((await attributesOf(fn)).Protocol).toBe('lambda');
    const counts = entryMap(child(await h.ok('GetTopicAttributes', { TopicArn: topic }), 'Attributes'));
    expect(counts).toMatchObject({ SubscriptionsConfirmed: '2', SubscriptionsPending: '0' });
  });

  it('sends an HTTP endpoint a SubscriptionConfirmation and keeps it pending until confirmed with the token', async () => {
    const reply = await h.ok('Subscribe', { TopicArn: topic, Protocol: 'http', Endpoint: `${web.url}/hook` });
    expect(textOf(reply, 'SubscriptionArn')).toBe('pending confirmation');
    await expect.poll(() => web.hitsTo('/hook').length).toBe(1);
    const hit = web.hitsTo('/hook')[0]!;
    expect(hit.headers).toMatchObject({
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-topic-arn': topic,
    });
    expect(hit.headers).not.toHaveProperty('x-amz-sns-subscription-arn');
    const confirmation = JSON.parse(hit.body);
    expect(Object.keys(confirmation)).toEqual(['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']);
    expect(confirmation).toMatchObject({
      Type: 'SubscriptionConfirmation',
      MessageId: hit.headers['x-amz-sns-message-id'],
      TopicArn: topic,
      Message: `You have chosen to subscribe to the topic ${topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: `${BASE_URL}/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${confirmation.Token}`,
      Timestamp: '2026-01-01T00:00:00.000Z',
      SignatureVersion: '1',
    });
    expect(confirmation.Token).toMatch(/^[0-9a-f]{288}$/);

    const listed = memberList(child(await h.ok('ListSubscriptionsByTopic', { TopicArn: topic }), 'Subscriptions'));
    expect(listed).toEqual([{ Owner: ACCOUNT, Endpoint: `${web.url}/hook`, Protocol: 'http', SubscriptionArn: 'PendingConfirmation', TopicArn: topic }]);
    expect(entryMap(child(await h.ok('GetTopicAttributes', { TopicArn: topic }), 'Attributes'))).toMatchObject({ SubscriptionsPending: '1', SubscriptionsConfirmed: '0' });

    await h.publish(topic, 'before confirmation');
    const confirmed = textOf(await h.ok('ConfirmSubscription', { TopicArn: topic, Token: confirmation.Token }), 'SubscriptionArn')!;
    expect(confirmed).toMatch(new RegExp(`^${topic}:`));
    expect(await attributesOf(confirmed)).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'true', Protocol: 'http' });
    expect(textOf(await h.ok('ConfirmSubscription', { TopicArn: topic, Token: confirmation.Token }), 'SubscriptionArn')).toBe(confirmed);

    await h.publish(topic, 'after confirmation');
    await expect.poll(() => web.hitsTo('/hook').length).toBe(2);
    expect(JSON.parse(web.hitsTo('/hook')[1]!.body).Message).toBe('after confirmation');
  });

  it('confirms through the SubscribeURL as a plain GET, unauthenticated', async () => {
    await h.ok('Subscribe', { TopicArn: topic, Protocol: 'http', Endpoint: `${web.url}/visit` });
    await expect.poll(() => web.hitsTo('/visit').length).toBe(1);
    const url = new URL(JSON.parse(web.hitsTo('/visit')[0]!.body).SubscribeURL);
    const reply = await h.call('ConfirmSubscription', { TopicArn: url.searchParams.get('TopicArn')!, Token: url.searchParams.get('Token')! }, { method: 'GET', signed: false });
    const arn = textOf(reply.result, 'SubscriptionArn')!;
    expect((await attributesOf(arn)).ConfirmationWasAuthenticated).toBe('false');
  });

  it('rejects bad confirmation tokens and topics as SNS does', async () => {
    expect((await h.call('ConfirmSubscription', { TopicArn: topic, Token: 'randomtoken' })).error?.message).toBe('Invalid token');
    expect((await h.call('ConfirmSubscription', { TopicArn: topic, Token: 'ab'.repeat(144) })).error?.message).toBe('Invalid parameter: Token');
    expect((await h.call('ConfirmSubscription', { TopicArn: 'broken', Token: 'ab'.repeat(144) })).error?.message).toBe('Invalid parameter: Topic');
  });

  it('returns the ARN of a pending subscription when ReturnSubscriptionArn is true', async () => {
    const arn = await h.subscribe(topic, 'https', 'https://127.0.0.1:1/never');
    expect(arn).toMatch(new RegExp(`^${topic}:`));
    expect((await attributesOf(arn)).PendingConfirmation).toBe('true');
  });

  it('is idempotent per topic, protocol and endpoint, unless the attributes differ', async () => {
    const first = await h.subscribe(topic, 'sqs', queueArnOf('q'), { RawMessageDelivery: 'true' });
    expect(await h.subscribe(topic, 'sqs', queueArnOf('q'), { RawMessageDelivery: 'true' })).toBe(first);
    expect(await h.subscribe(topic, 'sqs', queueArnOf('q'))).toBe(first);
    const different = await h.call('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: queueArnOf('q'), ...mapParams('Attributes', { RawMessageDelivery: 'false' }) });
    expect(different.error?.message).toBe('Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
  });

  it('validates protocols, endpoints and attributes at Subscribe', async () => {
    const subscribe = (params: Record<string, string>) => h.call('Subscribe', { TopicArn: topic, ...params });
    expect((await subscribe({ Protocol: 'test-protocol', Endpoint: 'x' })).error?.message).toBe('Invalid parameter: Amazon SNS does not support this protocol string: test-protocol');
    expect((await subscribe({ Protocol: 'firehose', Endpoint: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/s' })).error?.message).toMatch(/^Invalid parameter: Protocol Reason: Flint does not deliver to firehose endpoints/);
    expect((await subscribe({ Protocol: 'http', Endpoint: 'https://example.com' })).error?.message).toBe('Invalid parameter: Endpoint must match the specified protocol');
    expect((await subscribe({ Protocol: 'sqs', Endpoint: 'https://sqs.us-east-1.amazonaws.com/000000000000/q' })).error?.message).toBe('Invalid parameter: SQS endpoint ARN');
    expect((await subscribe({ Protocol: 'sqs', Endpoint: queueArnOf('q.fifo') })).error?.message).toBe(
      'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
    );
    expect((await subscribe({ Protocol: 'sqs', Endpoint: queueArnOf('q'), ...mapParams('Attributes', { RawMessageDelivery: 'wrongvalue' }) })).error?.message).toBe(
      'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.',
    );
    expect((await subscribe({ Protocol: 'lambda', Endpoint: functionArnOf('f'), ...mapParams('Attributes', { RawMessageDelivery: 'true' }) })).error?.message).toBe(
      'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.',
    );
    expect((await subscribe({ Protocol: 'sqs', Endpoint: queueArnOf('q'), ...mapParams('Attributes', { Colour: 'red' }) })).error?.message).toBe('Invalid parameter: Attributes Reason: AttributeName');
    expect((await subscribe({ Protocol: 'sqs', Endpoint: queueArnOf('q'), ...mapParams('Attributes', { FilterPolicy: '{"key":[]}' }) })).error?.message).toBe(
      'Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed',
    );
    const unknownTopic = await h.call('Subscribe', { TopicArn: topicArnOf('missing'), Protocol: 'sqs', Endpoint: queueArnOf('q') });
    expect(unknownTopic.status).toBe(404);
    expect(unknownTopic.error?.message).toBe('Topic does not exist');
  });

  it('gets and sets subscription attributes with SNS validation', async () => {
    const arn = await h.subscribe(topic, 'sqs', queueArnOf('attrs'));
    const set = (name: string, value: string) => h.call('SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: name, AttributeValue: value });

    expect((await set('FilterPolicy', '{"colour":["red"]}')).status).toBe(200);
    expect(await attributesOf(arn)).toMatchObject({ FilterPolicy: '{"colour":["red"]}', FilterPolicyScope: 'MessageAttributes' });
    expect((await set('FilterPolicyScope', 'MessageBody')).status).toBe(200);
    expect((await attributesOf(arn)).FilterPolicyScope).toBe('MessageBody');
    expect((await set('FilterPolicy', '{"object":{"key":[{"prefix":"auto-"}]}}')).status).toBe(200);
    expect((await set('FilterPolicyScope', 'MessageAttributes')).error?.message).toBe('Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
    expect((await set('FilterPolicyScope', 'RandomValue')).error?.message).toBe('Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes');
    expect((await set('FilterPolicy', '')).status).toBe(200);
    const cleared = await attributesOf(arn);
    expect(cleared).not.toHaveProperty('FilterPolicy');
    expect(cleared).not.toHaveProperty('FilterPolicyScope');

    expect((await set('RawMessageDelivery', 'TRUE')).status).toBe(200);
    expect((await attributesOf(arn)).RawMessageDelivery).toBe('true');
    expect((await set('RawMessageDelivery', 'test-ValUe')).error?.message).toBe('Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.');
    expect((await set('Owner', 'me')).error?.message).toBe('Invalid parameter: AttributeName');
    expect((await set('RedrivePolicy', '{"deadLetterTargetArn": "nope"}')).error?.message).toBe('Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
    expect((await set('RedrivePolicy', '{invalid')).error?.message).toMatch(/^Invalid parameter: RedrivePolicy: failed to parse JSON\./);
    expect((await set('FilterPolicy', '{invalid')).error?.message).toMatch(/^Invalid parameter: FilterPolicy: failed to parse JSON\./);
    expect((await set('RedrivePolicy', JSON.stringify({ deadLetterTargetArn: queueArnOf('dlq') }))).status).toBe(200);

    const missing = await h.call('GetSubscriptionAttributes', { SubscriptionArn: `${topic}:00000000-0000-0000-0000-000000000000` });
    expect(missing.status).toBe(404);
    expect(missing.error?.message).toBe('Subscription does not exist');
    expect((await h.call('SetSubscriptionAttributes', { SubscriptionArn: `${topic}:nope`, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' })).error?.code).toBe('NotFound');
  });

  it('shows the effective delivery policy of HTTP subscriptions', async () => {
    const arn = await h.subscribe(topic, 'http', 'http://127.0.0.1:1/x');
    await h.ok('SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"healthyRetryPolicy":{"numRetries":5,"minDelayTarget":1,"maxDelayTarget":4}}' });
    const policy = JSON.parse((await attributesOf(arn)).EffectiveDeliveryPolicy!);
    expect(policy.healthyRetryPolicy).toMatchObject({ numRetries: 5, minDelayTarget: 1, maxDelayTarget: 4, backoffFunction: 'linear' });
    expect(policy.requestPolicy).toEqual({ headerContentType: 'text/plain; charset=UTF-8' });
  });

  it('unsubscribes idempotently and counts deleted subscriptions', async () => {
    const arn = await h.subscribe(topic, 'sqs', queueArnOf('gone'));
    expect((await h.call('Unsubscribe', { SubscriptionArn: arn })).body).toBe(
      '<UnsubscribeResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></UnsubscribeResponse>',
    );
    expect((await h.call('Unsubscribe', { SubscriptionArn: arn })).status).toBe(200);
    expect((await h.call('GetSubscriptionAttributes', { SubscriptionArn: arn })).error?.code).toBe('NotFound');
    expect(entryMap(child(await h.ok('GetTopicAttributes', { TopicArn: topic }), 'Attributes')).SubscriptionsDeleted).toBe('1');
    expect((await h.call('Unsubscribe', { SubscriptionArn: topic })).error?.message).toBe('Invalid parameter: SubscriptionId');
    expect((await h.call('Unsubscribe', { SubscriptionArn: 'garbage' })).error?.message).toBe('Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1');
  });

  it('sends an UnsubscribeConfirmation when an HTTP endpoint is unsubscribed through its UnsubscribeURL', async () => {
    const arn = await h.service.ensureSubscription({ topicArn: topic, protocol: 'http', endpoint: `${web.url}/bye` });
    await h.call('Unsubscribe', { SubscriptionArn: arn }, { method: 'GET', signed: false });
    await expect.poll(() => web.hitsTo('/bye').length).toBe(1);
    const hit = web.hitsTo('/bye')[0]!;
    expect(hit.headers['x-amz-sns-message-type']).toBe('UnsubscribeConfirmation');
    expect(hit.headers['x-amz-sns-subscription-arn']).toBe(arn);
    expect(JSON.parse(hit.body)).toMatchObject({ Type: 'UnsubscribeConfirmation', Message: `You have chosen to deactivate subscription ${arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.` });
  });

  it('lists subscriptions 100 to a page, per topic or all', async () => {
    const other = await h.createTopic('other');
    for (let i = 0; i < 101; i++) await h.subscribe(topic, 'sqs', queueArnOf(`q${i}`));
    await h.subscribe(other, 'lambda', functionArnOf('f'));
    const first = await h.ok('ListSubscriptionsByTopic', { TopicArn: topic });
    expect(memberList(child(first, 'Subscriptions'))).toHaveLength(100);
    const second = await h.ok('ListSubscriptionsByTopic', { TopicArn: topic, NextToken: textOf(first, 'NextToken')! });
    expect(memberList(child(second, 'Subscriptions'))).toHaveLength(1);
    expect(textOf(second, 'NextToken')).toBeUndefined();

    const all = await h.ok('ListSubscriptions');
    const rest = await h.ok('ListSubscriptions', { NextToken: textOf(all, 'NextToken')! });
    const everything = [...memberList(child(all, 'Subscriptions')), ...memberList(child(rest, 'Subscriptions'))];
    expect(everything).toHaveLength(102);
    expect(everything.filter((s) => s.TopicArn === other)).toEqual([expect.objectContaining({ Protocol: 'lambda', Endpoint: functionArnOf('f'), Owner: ACCOUNT })]);
    expect((await h.call('ListSubscriptionsByTopic', { TopicArn: topicArnOf('none') })).error?.code).toBe('NotFound');
  });

  it('deletes a topic together with its subscriptions', async () => {
    const arn = await h.subscribe(topic, 'sqs', queueArnOf('q'));
    await h.ok('DeleteTopic', { TopicArn: topic });
    expect((await h.call('GetSubscriptionAttributes', { SubscriptionArn: arn })).error?.code).toBe('NotFound');
    expect(memberList(child(await h.ok('ListSubscriptions'), 'Subscriptions'))).toEqual([]);
  });

  it('ensures topics and subscriptions declared in flint.yaml', async () => {
    const arn = await h.service.ensureTopic('declared', { DisplayName: 'Declared' });
    expect(await h.service.ensureTopic('declared', { DisplayName: 'Changed' })).toBe(arn);
    expect(entryMap(child(await h.ok('GetTopicAttributes', { TopicArn: arn }), 'Attributes')).DisplayName).toBe('Changed');
    const fifo = await h.service.ensureTopic('declared.fifo');
    expect(entryMap(child(await h.ok('GetTopicAttributes', { TopicArn: fifo }), 'Attributes')).FifoTopic).toBe('true');

    const sub = await h.service.ensureSubscription({ topicArn: arn, protocol: 'lambda', endpoint: functionArnOf('handler') });
    const again = await h.service.ensureSubscription({ topicArn: arn, protocol: 'lambda', endpoint: functionArnOf('handler'), attributes: { FilterPolicy: '{"kind":["a"]}' } });
    expect(again).toBe(sub);
    expect(await attributesOf(sub)).toMatchObject({ PendingConfirmation: 'false', FilterPolicy: '{"kind":["a"]}' });
  });
});
