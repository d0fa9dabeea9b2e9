import { createVerify, X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { bufferBody, type ServiceRequest } from '../../../src/core/index.js';
import { functionArnOf, HttpEndpoint, SnsHarness } from './harness.js';

/**
 * SNS's message signatures, checked as a subscriber checks them, following AWS's documented procedure
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html): fetch the certificate at
 * SigningCertURL, take its public key, build the string to sign from the message's fields in SNS's order (each as
 * "Name\nValue\n"; Subject only when present), and verify the base64 Signature with SHA1withRSA for
 * SignatureVersion 1 and SHA256withRSA for 2. Messages reach an SQS queue and an HTTP endpoint through the node the
 * product assembles, published with the AWS SDK v3.
 */

type Message = Record<string, string | undefined>;

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

/** AWS's procedure, step by step, with nothing but node:crypto. */
async function verifies(message: Message): Promise<boolean> {
  const certificate = await fetch(message.SigningCertURL!);
  expect(certificate.status).toBe(200);
  const publicKey = new X509Certificate(await certificate.text()).publicKey;
  const fields = message.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  const stringToSign = fields
    .filter((field) => message[field] !== undefined)
    .map((field) => `${field}\n${message[field]}\n`)
    .join('');
  const verifier = createVerify(message.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
  verifier.update(stringToSign, 'utf8');
  return verifier.verify(publicKey, message.Signature!, 'base64');
}

let testNode: TestNode;
let sns: SNSClient;
let sqs: SQSClient;
let web: HttpEndpoint;

beforeAll(async () => {
  testNode = await startTestNode();
  sns = new SNSClient({ ...testNode.config, maxAttempts: 1 });
  sqs = new SQSClient({ ...testNode.config, maxAttempts: 1 });
  web = await HttpEndpoint.start();
});
afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await web?.close();
  await testNode?.close();
});

async function queueWithSubscription(topicArn: string, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
  return QueueUrl!;
}

async function receiveOne(queueUrl: string): Promise<Message> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
  expect(Messages).toHaveLength(1);
  return JSON.parse(Messages![0]!.Body!) as Message;
}

describe.each(['1', '2'])('SignatureVersion %s', (version) => {
  it('signs what an SQS subscriber receives, verifiably with the certificate at SigningCertURL', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `signed-sqs-${version}`, Attributes: { SignatureVersion: version } }));
    const queueUrl = await queueWithSubscription(TopicArn!, `signed-${version}`);
    await sns.send(new PublishCommand({ TopicArn, Message: 'test signature value with attributes', Subject: 'Signed', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '1' } } }));
    const message = await receiveOne(queueUrl);
    expect(message).toMatchObject({ Type: 'Notification', TopicArn, Subject: 'Signed', SignatureVersion: version, MessageAttributes: { attr1: { Type: 'Number', Value: '1' } } });
    expect(message.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(message.SigningCertURL).toBe(`${testNode.node.url}/_flint/sns/SimpleNotificationService-flint.pem`);
    expect(await verifies(message)).toBe(true);
    // A changed field no longer verifies.
    expect(await verifies({ ...message, Message: 'tampered' })).toBe(false);
  });

  it('signs the confirmation and the notifications an HTTP endpoint receives', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `signed-http-${version}`, Attributes: { SignatureVersion: version } }));
    const path = `/signed-${version}`;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${web.url}${path}` }));
    await expect.poll(() => web.hitsTo(path).length).toBe(1);
    const confirmation = JSON.parse(web.hitsTo(path)[0]!.body) as Message;
    expect(confirmation).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn, SignatureVersion: version });
    expect(await verifies(confirmation)).toBe(true);

    // Visiting the SubscribeURL confirms, as on AWS.
    expect((await fetch(confirmation.SubscribeURL!)).status).toBe(200);
    await sns.send(new PublishCommand({ TopicArn, Message: 'over HTTP' }));
    await expect.poll(() => web.hitsTo(path).length).toBe(2);
    const notification = JSON.parse(web.hitsTo(path)[1]!.body) as Message;
    expect(notification).toMatchObject({ Type: 'Notification', Message: 'over HTTP', SignatureVersion: version });
    expect(notification).not.toHaveProperty('Subject');
    expect(await verifies(notification)).toBe(true);
  });
});

describe('the signing certificate', () => {
  it('is a PEM X.509 certificate, kept in storage, so it stays the same across a restart of the node', async () => {
    const first = await startTestNode();
    const pemOf = async (node: TestNode): Promise<string> => (await fetch(`${node.node.url}/_flint/sns/SimpleNotificationService-flint.pem`)).text();
    const before = await pemOf(first);
    const certificate = new X509Certificate(before);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    await first.node.close();
    const restarted = await startTestNode({ dataDir: join(first.dir, 'data') });
    try {
      expect(await pemOf(restarted)).toBe(before);
      const client = new SNSClient({ ...restarted.config, maxAttempts: 1 });
      const queues = new SQSClient({ ...restarted.config, maxAttempts: 1 });
      const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'signed-restart' }));
      const { QueueUrl } = await queues.send(new CreateQueueCommand({ QueueName: 'signed-restart' }));
      await client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:signed-restart' }));
      await client.send(new PublishCommand({ TopicArn, Message: 'after restart' }));
      const { Messages } = await queues.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
      const message = JSON.parse(Messages![0]!.Body!) as Message;
      expect(await verifies(message)).toBe(true);
      client.destroy();
      queues.destroy();
    } finally {
      await restarted.close();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });
});

describe('the Lambda event', () => {
  it('reports SignatureVersion 1 but is signed with the topic version, as SNS does (test_publish_lambda_verify_signature[2])', async () => {
    const h = await SnsHarness.start();
    try {
      const topic = await h.createTopic('signed-lambda', { SignatureVersion: '2' });
      await h.subscribe(topic, 'lambda', functionArnOf('fn'));
      await h.publish(topic, 'Hello world.', { Subject: 'Signature v2' });
      await expect.poll(() => h.targets.invocations.length).toBe(1);
      const record = h.targets.invocations[0]!.event.Records[0]!.Sns;
      expect(record.SignatureVersion).toBe('1');
      const page = await h.service.handle({ ...pageRequest, rawPath: new URL(record.SigningCertUrl).pathname });
      const publicKey = new X509Certificate(String(page.body)).publicKey;
      const fields: Message = { Message: record.Message, MessageId: record.MessageId, Subject: record.Subject ?? undefined, Timestamp: record.Timestamp, TopicArn: record.TopicArn, Type: record.Type };
      const stringToSign = NOTIFICATION_FIELDS.filter((field) => fields[field] !== undefined)
        .map((field) => `${field}\n${fields[field]}\n`)
        .join('');
      expect(createVerify('RSA-SHA256').update(stringToSign).verify(publicKey, record.Signature, 'base64')).toBe(true);
    } finally {
      await h.close();
    }
  });
});

const pageRequest: ServiceRequest = {
  method: 'GET',
  rawPath: '/',
  query: new URLSearchParams(),
  headers: {},
  rawHeaders: [],
  body: bufferBody(undefined),
  requestId: 'req-1',
  host: '127.0.0.1:4566',
  baseUrl: 'http://127.0.0.1:4566',
  sourceIp: '127.0.0.1',
};
