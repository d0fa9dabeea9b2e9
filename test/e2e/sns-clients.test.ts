import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnsLambdaEvent } from '../../src/services/sns/index.js';
import { parseXml } from '../../src/protocol/index.js';
import { HttpEndpoint, functionArnOf, queueArnOf, textOf } from '../services/sns/harness.js';
import { QueueReader, startSnsNode, type SnsTestNode } from './sns-node.js';
import { AWS_CLI, DEBIAN_PYTHON } from '../helpers/clients.js';

const execFileAsync = promisify(execFile);

/**
 * SNS on the node the product assembles, driven by the real clients, delivering to real SQS queues (read back with
 * the SQS API) and a real Lambda function (which forwards its events to a queue).
 */
describe('SNS with real AWS clients', () => {
  let node: SnsTestNode;
  let url: string;
  let client: SNSClient;
  let sqs: SQSClient;
  let web: HttpEndpoint;

  beforeAll(async () => {
    node = await startSnsNode({ functions: ['boto-fn'], queues: ['sdk-batch', 'cli-queue'] });
    url = node.url;
    client = new SNSClient({ ...node.config, maxAttempts: 1 });
    sqs = new SQSClient(node.config);
    web = await HttpEndpoint.start();
  });

  afterAll(async () => {
    client?.destroy();
    sqs?.destroy();
    await node?.close();
    await web?.close();
  });

  describe('AWS SDK for JavaScript v3', () => {
    it('creates a topic, confirms an HTTP subscription, and publishes with attributes and a filter policy', async () => {
      const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'sdk-topic', Attributes: { DisplayName: 'SDK' }, Tags: [{ Key: 'team', Value: 'flint' }] }));
      expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:sdk-topic');
      const { Attributes } = await client.send(new GetTopicAttributesCommand({ TopicArn }));
      expect(Attributes).toMatchObject({ TopicArn, DisplayName: 'SDK', Owner: '000000000000', SubscriptionsConfirmed: '0' });
      expect((await client.send(new ListTopicsCommand({}))).Topics).toContainEqual({ TopicArn });

      const pending = await client.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${web.url}/sdk`, Attributes: { FilterPolicy: JSON.stringify({ colour: ['red', { prefix: 'bl' }] }) } }));
      expect(pending.SubscriptionArn).toBe('pending confirmation');
      await expect.poll(() => web.hitsTo('/sdk').length).toBe(1);
      const confirmation = JSON.parse(web.hitsTo('/sdk')[0]!.body);
      expect(confirmation.SubscribeURL).toBe(`${url}/?Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=${confirmation.Token}`);
      const { SubscriptionArn } = await client.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.Token }));
      expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));

      const skipped = await client.send(new PublishCommand({ TopicArn, Message: 'green', MessageAttributes: { colour: { DataType: 'String', StringValue: 'green' } } }));
      const sent = await client.send(
        new PublishCommand({
          TopicArn,
          Message: 'blue',
          Subject: 'colours',
          MessageAttributes: { colour: { DataType: 'String', StringValue: 'blue' }, data: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) } },
        }),
      );
      expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
      await expect.poll(() => web.hitsTo('/sdk').length).toBe(2);
      const notification = JSON.parse(web.hitsTo('/sdk')[1]!.body);
      expect(notification).toMatchObject({ Type: 'Notification', MessageId: sent.MessageId, Subject: 'colours', Message: 'blue', MessageAttributes: { colour: { Type: 'String', Value: 'blue' }, data: { Type: 'Binary', Value: 'AQID' } } });
      expect(notification.MessageId).not.toBe(skipped.MessageId);

      const attributes = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      expect(attributes.Attributes).toMatchObject({ PendingConfirmation: 'false', FilterPolicyScope: 'MessageAttributes', Protocol: 'http' });
      const listed = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      expect(listed.Subscriptions).toEqual([{ SubscriptionArn, Owner: '000000000000', Protocol: 'http', Endpoint: `${web.url}/sdk`, TopicArn }]);
    });

    it('publishes a batch and reports errors as SDK exceptions', async () => {
      const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'sdk-batch' }));
      await client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArnOf('sdk-batch'), Attributes: { RawMessageDelivery: 'true' } }));
      const batch = await client.send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: [
            { Id: 'one', Message: 'first', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } },
            { Id: 'two', Message: 'second' },
          ],
        }),
      );
      expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['one', 'two']);
      expect(batch.Failed ?? []).toEqual([]);
      const batchQueue = new QueueReader(sqs, 'sdk-batch');
      // Deliveries run in parallel, so the queue may receive them in either order.
      await expect.poll(async () => (await batchQueue.read()).sort()).toEqual(['first', 'second']);

      const missing = client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing', Message: 'x' }));
      await expect(missing).rejects.toBeInstanceOf(NotFoundException);
      await expect(missing).rejects.toMatchObject({ message: 'Topic does not exist', $metadata: { httpStatusCode: 404 } });
      await expect(client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: `${TopicArn}:x`, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }))).rejects.toMatchObject({
        name: 'NotFoundException',
      });
      await expect(client.send(new PublishCommand({ TopicArn, Message: '' }))).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Empty message' });
      await expect(client.send(new UnsubscribeCommand({ SubscriptionArn: `${TopicArn}:00000000-0000-0000-0000-000000000000` }))).resolves.toBeDefined();
    });
  });

  describe('links SNS sends', () => {
    it('confirms through the SubscribeURL and unsubscribes through the UnsubscribeURL, both visited unsigned', async () => {
      const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'visited' }));
      await client.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${web.url}/visited` }));
      await expect.poll(() => web.hitsTo('/visited').length).toBe(1);
      const subscribeUrl = new URL(JSON.parse(web.hitsTo('/visited')[0]!.body).SubscribeURL);
      expect(subscribeUrl.origin).toBe(url);
      const confirmed = await node.node.request({ method: 'GET', path: `${subscribeUrl.pathname}${subscribeUrl.search}` });
      expect(confirmed.status).toBe(200);
      const SubscriptionArn = textOf(parseXml(confirmed.text()), 'ConfirmSubscriptionResult', 'SubscriptionArn');
      expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
      const { Attributes } = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      expect(Attributes).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'false' });

      await client.send(new PublishCommand({ TopicArn, Message: 'with a link' }));
      await expect.poll(() => web.hitsTo('/visited').length).toBe(2);
      const unsubscribeUrl = new URL(JSON.parse(web.hitsTo('/visited')[1]!.body).UnsubscribeURL);
      expect((await node.node.request({ method: 'GET', path: `${unsubscribeUrl.pathname}${unsubscribeUrl.search}` })).status).toBe(200);
      await expect.poll(() => web.hitsTo('/visited').length).toBe(3);
      expect(JSON.parse(web.hitsTo('/visited')[2]!.body)).toMatchObject({ Type: 'UnsubscribeConfirmation', SubscribeURL: expect.stringContaining('Action=ConfirmSubscription') });
      await expect(client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).rejects.toBeInstanceOf(NotFoundException);
    });
  });

  describe("Debian's AWS CLI v2", () => {
    it('creates a topic, subscribes a queue and publishes', async () => {
      const home = mkdtempSync(join(tmpdir(), 'flint-cli-home-'));
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
      const aws = async (...args: string[]) => JSON.parse((await execFileAsync(AWS_CLI, ['sns', ...args, '--endpoint-url', url, '--output', 'json'], { env, cwd: home })).stdout || '{}');
      try {
        const { TopicArn } = await aws('create-topic', '--name', 'cli-topic');
        expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:cli-topic');
        const { SubscriptionArn } = await aws('subscribe', '--topic-arn', TopicArn, '--protocol', 'sqs', '--notification-endpoint', queueArnOf('cli-queue'));
        expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
        const published = await aws('publish', '--topic-arn', TopicArn, '--message', 'hello', '--subject', 'subj', '--message-attributes', '{"attr1":{"DataType":"String","StringValue":"v1"}}');
        expect(published.MessageId).toMatch(/^[0-9a-f-]{36}$/);
        const cliQueue = new QueueReader(sqs, 'cli-queue');
        await expect.poll(async () => (await cliQueue.read()).length).toBe(1);
        const body = JSON.parse(cliQueue.bodies[0]!);
        expect(body).toMatchObject({ Message: 'hello', Subject: 'subj', MessageAttributes: { attr1: { Type: 'String', Value: 'v1' } } });
        const { Subscriptions } = await aws('list-subscriptions-by-topic', '--topic-arn', TopicArn);
        expect(Subscriptions).toEqual([{ SubscriptionArn, Owner: '000000000000', Protocol: 'sqs', Endpoint: queueArnOf('cli-queue'), TopicArn }]);
        const failure = await execFileAsync(AWS_CLI, ['sns', 'get-topic-attributes', '--topic-arn', `${TopicArn}-missing`, '--endpoint-url', url], { env, cwd: home }).catch((error: { code: number; stderr: string }) => error);
        expect(failure).toMatchObject({ code: 254 });
        expect((failure as { stderr: string }).stderr).toContain('An error occurred (NotFound) when calling the GetTopicAttributes operation: Topic does not exist');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }, 60_000);
  });

  describe("Debian's boto3", () => {
    it('subscribes a function with a filter policy, publishes and publishes a batch', async () => {
      const home = mkdtempSync(join(tmpdir(), 'flint-boto3-home-'));
      const script = `
import json, sys, boto3
from botocore.exceptions import ClientError
sns = boto3.client('sns', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
arn = sns.create_topic(Name='boto-topic', Attributes={'DisplayName': 'Boto'})['TopicArn']
sub = sns.subscribe(TopicArn=arn, Protocol='lambda', Endpoint=sys.argv[2], Attributes={'FilterPolicy': json.dumps({'size': [{'numeric': ['>', 10]}]})}, ReturnSubscriptionArn=True)['SubscriptionArn']
small = sns.publish(TopicArn=arn, Message='small', MessageAttributes={'size': {'DataType': 'Number', 'StringValue': '3'}})
big = sns.publish(TopicArn=arn, Message='big', MessageAttributes={'size': {'DataType': 'Number', 'StringValue': '30'}})
batch = sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[{'Id': 'a', 'Message': 'batch-big', 'MessageAttributes': {'size': {'DataType': 'Number', 'StringValue': '11'}}}, {'Id': 'b', 'Message': 'batch-small'}])
attrs = sns.get_subscription_attributes(SubscriptionArn=sub)['Attributes']
try:
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName='FilterPolicy', AttributeValue='{"key":[{"numeric":[">",3,"<",1]}]}')
    error = None
except ClientError as e:
    error = e.response['Error']
print(json.dumps({'arn': arn, 'sub': sub, 'big': big['MessageId'], 'batch': [e['Id'] for e in batch['Successful']], 'failed': batch['Failed'], 'attrs': attrs, 'error': error}))
`;
      try {
        const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, url, functionArnOf('boto-fn')], { env: { PATH: '/usr/bin:/bin', HOME: home } });
        const out = JSON.parse(stdout);
        expect(out.arn).toBe('arn:aws:sns:us-east-1:000000000000:boto-topic');
        expect(out.batch).toEqual(['a', 'b']);
        expect(out.failed).toEqual([]);
        expect(out.attrs).toMatchObject({ Protocol: 'lambda', PendingConfirmation: 'false', FilterPolicyScope: 'MessageAttributes' });
        expect(JSON.parse(out.attrs.FilterPolicy)).toEqual({ size: [{ numeric: ['>', 10] }] });
        expect(out.error).toEqual({ Type: 'Sender', Code: 'InvalidParameter', Message: 'Invalid parameter: FilterPolicy: Bottom must be less than top' });
        const invocations = new QueueReader(sqs, 'boto-fn-events');
        const events = async () => (await invocations.read()).map((body) => JSON.parse(body) as SnsLambdaEvent);
        // The function's first start takes a while on a loaded machine.
        await expect.poll(async () => (await events()).map((event) => event.Records[0]!.Sns.Message).sort(), { timeout: 30_000 }).toEqual(['batch-big', 'big']);
        const event = (await events()).find((e) => e.Records[0]!.Sns.MessageId === out.big)!;
        expect(event.Records[0]).toMatchObject({ EventSource: 'aws:sns', EventSubscriptionArn: out.sub, Sns: { MessageAttributes: { size: { Type: 'Number', Value: '30' } } } });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }, 60_000);
  });
});
