import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DELIVERY_QUEUE } from '../../../src/services/sns/index.js';
import { BASE_URL, HttpEndpoint, SnsHarness, functionArnOf, messageAttributeParams, queueArnOf } from './harness.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const sample = (file: string): unknown => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));

/** Every key path with the JSON type at it, e.g. `Records.0.Sns.Subject: string`. */
function shape(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => shape(item, `${path}${i}.`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => shape(item, `${path}${key}.`));
  return [`${path.slice(0, -1)}: ${value === null ? 'null' : typeof value}`];
}

const attributes = messageAttributeParams('MessageAttributes', {
  Test: { DataType: 'String', StringValue: 'TestString' },
  TestBinary: { DataType: 'Binary', BinaryValue: Buffer.from('TestBinary').toString('base64') },
  Price: { DataType: 'Number', StringValue: '9.5' },
});

describe('SNS delivery formats', () => {
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
    topic = await h.createTopic('formats');
  });
  afterEach(async () => {
    await h.close();
  });

  it('gives a Lambda function the SNS event with the documented shape', async () => {
    const subscription = await h.subscribe(topic, 'lambda', functionArnOf('fn'));
    const messageId = await h.publish(topic, 'Hello from SNS!', { Subject: 'TestInvoke', ...attributes });
    await expect.poll(() => h.targets.invocations.length).toBe(1);
    const { functionArn, event } = h.targets.invocations[0]!;
    expect(functionArn).toBe(functionArnOf('fn'));
    const record = event.Records[0]!;
    expect(record).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: subscription });
    expect(record.Sns).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topic,
      Subject: 'TestInvoke',
      Message: 'Hello from SNS!',
      Timestamp: '2026-01-01T00:00:00.000Z',
      SignatureVersion: '1',
      SigningCertUrl: `${BASE_URL}/_flint/sns/SimpleNotificationService-flint.pem`,
      UnsubscribeUrl: `${BASE_URL}/?Action=Unsubscribe&SubscriptionArn=${subscription}`,
      MessageAttributes: {
        Test: { Type: 'String', Value: 'TestString' },
        TestBinary: { Type: 'Binary', Value: Buffer.from('TestBinary').toString('base64') },
        Price: { Type: 'Number', Value: '9.5' },
      },
    });
    const documented = shape(sample('powertools-snsEvent.json')).filter((path) => !path.includes('.Price.'));
    const built = shape(event).filter((path) => !path.includes('.Price.'));
    expect(built.sort()).toEqual(documented.sort());
    expect(shape(event).sort()).toEqual(expect.arrayContaining(shape(sample('sam-cli-Sns.json')).filter((p) => !p.includes('.Price.'))));
  });

  it('sends a function Subject null and empty MessageAttributes when the message has none', async () => {
    await h.subscribe(topic, 'lambda', functionArnOf('fn'));
    await h.publish(topic, 'bare');
    await expect.poll(() => h.targets.invocations.length).toBe(1);
    expect(h.targets.invocations[0]!.event.Records[0]!.Sns).toMatchObject({ Subject: null, MessageAttributes: {} });
  });

  it('wraps messages for SQS in the SNS envelope, or sends them raw with their attributes', async () => {
    const wrapped = await h.subscribe(topic, 'sqs', queueArnOf('wrapped'));
    await h.subscribe(topic, 'sqs', queueArnOf('raw'), { RawMessageDelivery: 'true' });
    const messageId = await h.publish(topic, 'Test msg', { Subject: 'Hi', ...attributes });
    await expect.poll(() => h.targets.messages.length).toBe(2);
    const envelope = h.targets.messages.find((m) => m.queueArn === queueArnOf('wrapped'))!;
    expect(envelope.attributes).toBeUndefined();
    const body = JSON.parse(envelope.body);
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(body).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topic,
      Subject: 'Hi',
      Message: 'Test msg',
      Timestamp: '2026-01-01T00:00:00.000Z',
      SignatureVersion: '1',
      SigningCertURL: `${BASE_URL}/_flint/sns/SimpleNotificationService-flint.pem`,
      UnsubscribeURL: `${BASE_URL}/?Action=Unsubscribe&SubscriptionArn=${wrapped}`,
      MessageAttributes: { Test: { Type: 'String', Value: 'TestString' }, Price: { Type: 'Number', Value: '9.5' }, TestBinary: { Type: 'Binary', Value: 'VGVzdEJpbmFyeQ==' } },
    });
    expect(body.Signature).toMatch(/^[A-Za-z0-9+/]+=*$/);

    const raw = h.targets.messages.find((m) => m.queueArn === queueArnOf('raw'))!;
    expect(raw.body).toBe('Test msg');
    expect(raw.attributes).toEqual({
      Test: { DataType: 'String', StringValue: 'TestString' },
      TestBinary: { DataType: 'Binary', BinaryValue: Buffer.from('TestBinary') },
      Price: { DataType: 'Number', StringValue: '9.5' },
    });
  });

  it('leaves Subject and MessageAttributes out of the envelope when absent, and signs with the topic version', async () => {
    await h.ok('SetTopicAttributes', { TopicArn: topic, AttributeName: 'SignatureVersion', AttributeValue: '2' });
    await h.subscribe(topic, 'sqs', queueArnOf('q'));
    await h.publish(topic, 'x');
    await expect.poll(() => h.targets.messages.length).toBe(1);
    const body = JSON.parse(h.targets.messages[0]!.body);
    expect(body).not.toHaveProperty('Subject');
    expect(body).not.toHaveProperty('MessageAttributes');
    expect(body.SignatureVersion).toBe('2');
  });

  it('POSTs the envelope to HTTP endpoints with the x-amz-sns headers, or the raw message', async () => {
    const wrapped = await h.service.ensureSubscription({ topicArn: topic, protocol: 'http', endpoint: `${web.url}/wrapped` });
    const raw = await h.service.ensureSubscription({ topicArn: topic, protocol: 'http', endpoint: `${web.url}/raw`, attributes: { RawMessageDelivery: 'true' } });
    const messageId = await h.publish(topic, 'to the web', { Subject: 'S', ...attributes });
    await expect.poll(() => web.hitsTo('/wrapped').length + web.hitsTo('/raw').length).toBe(2);

    const hit = web.hitsTo('/wrapped')[0]!;
    expect(hit.headers).toMatchObject({
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': topic,
      'x-amz-sns-subscription-arn': wrapped,
    });
    expect(hit.headers).not.toHaveProperty('x-amz-sns-rawdelivery');
    expect(JSON.parse(hit.body)).toMatchObject({ Type: 'Notification', MessageId: messageId, Subject: 'S', Message: 'to the web', UnsubscribeURL: `${BASE_URL}/?Action=Unsubscribe&SubscriptionArn=${wrapped}` });

    const rawHit = web.hitsTo('/raw')[0]!;
    expect(rawHit.body).toBe('to the web');
    expect(rawHit.headers).toMatchObject({ 'x-amz-sns-rawdelivery': 'true', 'x-amz-sns-subscription-arn': raw, 'x-amz-sns-message-type': 'Notification' });
  });

  it('uses the content type of the delivery policy', async () => {
    await h.ok('SetTopicAttributes', {
      TopicArn: topic,
      AttributeName: 'DeliveryPolicy',
      AttributeValue: JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 1 }, defaultRequestPolicy: { headerContentType: 'application/json' } } }),
    });
    await h.service.ensureSubscription({ topicArn: topic, protocol: 'http', endpoint: `${web.url}/json` });
    await h.publish(topic, '{}');
    await expect.poll(() => web.hitsTo('/json').length).toBe(1);
    expect(web.hitsTo('/json')[0]!.headers['content-type']).toBe('application/json');
  });
});

describe('SNS delivery durability and independence', () => {
  let h: SnsHarness;
  let web: HttpEndpoint;
  beforeAll(async () => {
    web = await HttpEndpoint.start();
  });
  afterAll(async () => {
    await web.close();
  });
  afterEach(async () => {
    await h.close();
  });

  it('delivers a message acknowledged before a restart', async () => {
    h = await SnsHarness.start({ start: false });
    const topic = await h.createTopic('durable');
    await h.subscribe(topic, 'sqs', queueArnOf('q1'));
    await h.subscribe(topic, 'lambda', functionArnOf('f1'));
    await h.publish(topic, 'survives');
    expect(await h.storage.queues.counts(DELIVERY_QUEUE)).toEqual({ available: 2, leased: 0, delayed: 0 });
    expect(h.targets.messages).toEqual([]);

    await h.restart();
    await expect.poll(() => h.targets.messages.length + h.targets.invocations.length).toBe(2);
    expect(JSON.parse(h.targets.messages[0]!.body).Message).toBe('survives');
    expect(h.targets.invocations[0]!.event.Records[0]!.Sns.Message).toBe('survives');
    await expect.poll(() => h.storage.queues.counts(DELIVERY_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 0 });
  });

  it('delivers to healthy subscribers at once while a failing HTTP endpoint is retried on its policy, then given up', async () => {
    h = await SnsHarness.start();
    const topic = await h.createTopic('independent');
    await h.service.ensureSubscription({ topicArn: topic, protocol: 'http', endpoint: `${web.url}/fail-1` });
    await h.subscribe(topic, 'sqs', queueArnOf('healthy'));
    await h.subscribe(topic, 'lambda', functionArnOf('healthy'));
    await h.publish(topic, 'fan out');

    await expect.poll(() => h.targets.messages.length + h.targets.invocations.length).toBe(2);
    await expect.poll(() => web.hitsTo('/fail-1').length).toBe(1);
    await expect.poll(() => h.storage.queues.counts(DELIVERY_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 1 });

    // Default HTTP policy: three retries, 20 seconds apart.
    await h.clock.advance(19_999);
    expect(web.hitsTo('/fail-1')).toHaveLength(1);
    for (let retry = 1; retry <= 3; retry++) {
      await h.clock.advance(1);
      await expect.poll(() => web.hitsTo('/fail-1').length).toBe(retry + 1);
      if (retry < 3) {
        await expect.poll(() => h.storage.queues.counts(DELIVERY_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 1 });
        await h.clock.advance(19_999);
      }
    }
    await expect.poll(() => h.storage.queues.counts(DELIVERY_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 0 });
    expect(h.logs.some((line) => line.includes('SNS gave up delivering a message') && line.includes('/fail-1') && line.includes('attempts=4'))).toBe(true);
    await h.clock.advance(60_000);
    expect(web.hitsTo('/fail-1')).toHaveLength(4);
    const retries = new Set(web.hitsTo('/fail-1').map((hit) => hit.headers['x-amz-sns-message-id']));
    expect(retries.size).toBe(1);
  });

  it('retries SQS and Lambda deliveries on SNS managed policy: three at once, then backing off', async () => {
    h = await SnsHarness.start();
    const topic = await h.createTopic('managed');
    await h.subscribe(topic, 'sqs', queueArnOf('flaky'));
    h.targets.failWith(queueArnOf('flaky'));
    await h.publish(topic, 'eventually');
    await expect.poll(() => h.targets.attempts.get(queueArnOf('flaky'))).toBe(4);
    await expect.poll(() => h.storage.queues.counts(DELIVERY_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 1 });
    await h.clock.advance(1_000);
    await expect.poll(() => h.targets.attempts.get(queueArnOf('flaky'))).toBe(5);
    h.targets.failing.clear();
    await expect.poll(() => h.storage.queues.counts(DELIVERY_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 1 });
    await h.clock.advance(1_000);
    await expect.poll(() => h.targets.messages.length).toBe(1);
    expect(JSON.parse(h.targets.messages[0]!.body).Message).toBe('eventually');
  });

  it('does not retry a client-side error and moves the message to the dead-letter queue', async () => {
    h = await SnsHarness.start();
    const topic = await h.createTopic('dlq');
    const subscription = await h.subscribe(topic, 'lambda', functionArnOf('deleted'));
    await h.ok('SetSubscriptionAttributes', { SubscriptionArn: subscription, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: queueArnOf('dead') }) });
    h.targets.gone(functionArnOf('deleted'));
    await h.publish(topic, 'lost?');
    await expect.poll(() => h.targets.messages.length).toBe(1);
    expect(h.targets.attempts.get(functionArnOf('deleted'))).toBe(1);
    const dead = h.targets.messages[0]!;
    expect(dead.queueArn).toBe(queueArnOf('dead'));
    expect(JSON.parse(dead.body)).toMatchObject({ Type: 'Notification', Message: 'lost?', TopicArn: topic });
    expect(h.logs.some((line) => line.includes('client-side error'))).toBe(true);
    expect(await h.storage.queues.counts(DELIVERY_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 0 });
  });

  it('drops deliveries to a subscription removed before they were made', async () => {
    h = await SnsHarness.start({ start: false });
    const topic = await h.createTopic('late');
    const subscription = await h.subscribe(topic, 'sqs', queueArnOf('late'));
    await h.publish(topic, 'too late');
    await h.ok('Unsubscribe', { SubscriptionArn: subscription });
    await h.restart();
    await expect.poll(() => h.storage.queues.counts(DELIVERY_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 0 });
    expect(h.targets.messages).toEqual([]);
  });
});
