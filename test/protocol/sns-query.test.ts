import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNS_MODEL } from '../../src/services/sns/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { AWS_CLI, DEBIAN_PYTHON } from '../helpers/clients.js';

/**
 * The query protocol, on SNS as the product assembles it, with the real clients: AWS SDK for JavaScript v3, Debian's
 * boto3 1.26 and Debian's AWS CLI v2. For CreateTopic (a map and a list of structures), GetTopicAttributes and
 * ListTagsForResource (a map and a list written back), Publish (a map of structures with a blob) and PublishBatch (a
 * list of structures with nested maps, and two lists written back), each client's parameters are read by the model
 * (checked by what a raw SQS subscriber receives), answers are written by the kit, and errors come in SNS's words.
 */

const execFileAsync = promisify(execFile);

interface WireError {
  status?: number;
  code: string;
  message: string;
}

/**
 * AWS's answers as LocalStack's SNS snapshot tests recorded them (tests/aws/services/sns/test_sns.snapshot.json in
 * localstack/localstack; test, then snapshot name), each with Type Sender.
 */
const RECORDED = {
  // test_create_topic_name_constraints, name-invalid-char-7 (Name "bad name")
  badTopicName: { status: 400, code: 'InvalidParameter', message: 'Invalid parameter: Topic Name' },
  // test_tags, duplicate-key-error
  duplicateTags: { status: 400, code: 'InvalidParameter', message: 'Invalid parameter: Duplicated keys are not allowed.' },
  // test_create_topic_with_attributes, get-attrs-nonexistent-topic
  topicNotFound: { status: 404, code: 'NotFound', message: 'Topic does not exist' },
  // test_empty_sns_message, empty-msg-error
  emptyMessage: { status: 400, code: 'InvalidParameter', message: 'Invalid parameter: Empty message' },
  // test_empty_or_wrong_message_attributes, str_attr_binary_value
  wrongAttributeField: { status: 400, code: 'ParameterValueInvalid', message: "The message attribute 'attr1' with type 'String' must use field 'String'." },
  // test_empty_or_wrong_message_attributes, fully_missing_data_type (sent without client-side validation)
  missingDataType: {
    status: 400,
    code: 'ValidationError',
    message: "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
  },
  // test_publish_batch_exceptions, same-msg-id
  sameBatchIds: { status: 400, code: 'BatchEntryIdsNotDistinct', message: 'Two or more batch entries in the request have the same Id.' },
} satisfies Record<string, WireError>;

type Case = keyof typeof RECORDED;

/** What each client got back, in one shape, so every client is held to the same expectations. */
interface Outcome {
  topicArn: string;
  attributes: Record<string, string>;
  tags: { Key: string; Value: string }[];
  subscriptionArn: string;
  messageId: string;
  batchIds: string[];
  batchFailed: unknown[];
  /** The CLI checks parameters itself and cannot send a message attribute without a DataType. */
  errors: Partial<Record<Case, WireError>>;
}

const DISPLAY_NAME = 'Proto & <co> "quoted"';
const TEXT = 'v & <w>';
const BYTES = [0, 1, 2, 255];

describe('the query protocol (SNS) with real clients', () => {
  let test: TestNode;
  let sqs: SQSClient;

  beforeAll(async () => {
    test = await startTestNode();
    sqs = new SQSClient(test.config);
  });
  afterAll(async () => {
    sqs?.destroy();
    await test?.close();
  });

  const arnOf = (kind: 'sns' | 'sqs', name: string): string => `arn:aws:${kind}:us-east-1:000000000000:${name}`;

  async function queueFor(client: string): Promise<{ arn: string; url: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `proto-${client}` }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { arn: Attributes!.QueueArn!, url: QueueUrl! };
  }

  /** Reads until `count` messages arrived at the raw subscriber; returns them by body. */
  async function received(url: string, count: number): Promise<Map<string, Message>> {
    const messages = new Map<string, Message>();
    await expect
      .poll(async () => {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
        for (const message of Messages) {
          messages.set(message.Body!, message);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
        }
        return messages.size;
      })
      .toBe(count);
    return messages;
  }

  /** The expectations every client is held to. */
  async function expectOutcome(client: string, outcome: Outcome, queueUrl: string): Promise<void> {
    const topicArn = arnOf('sns', `proto-${client}`);
    expect(outcome.topicArn).toBe(topicArn);
    expect(outcome.attributes).toMatchObject({ TopicArn: topicArn, DisplayName: DISPLAY_NAME, Owner: '000000000000', SubscriptionsConfirmed: '1' });
    expect(outcome.tags).toEqual([{ Key: 'team', Value: 'flint & co' }]);
    expect(outcome.subscriptionArn).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    expect(outcome.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(outcome.batchIds).toEqual(['one', 'two']);
    expect(outcome.batchFailed).toEqual([]);
    for (const [name, error] of Object.entries(outcome.errors)) expect(error, name).toEqual(RECORDED[name as Case]);

    const messages = await received(queueUrl, 3);
    expect(messages.get('hello')?.MessageAttributes).toEqual({
      s: { DataType: 'String', StringValue: TEXT },
      b: { DataType: 'Binary', BinaryValue: new Uint8Array(BYTES) },
    });
    expect(messages.get('first')?.MessageAttributes).toEqual({ n: { DataType: 'Number', StringValue: '1' } });
    expect(messages.get('second')?.MessageAttributes).toBeUndefined();
  }

  it('AWS SDK for JavaScript v3', async () => {
    const sns = new SNSClient({ ...test.config, maxAttempts: 1 });
    const queue = await queueFor('sdk');
    const failure = async (call: Promise<unknown>): Promise<WireError> => {
      const error = (await call.then(
        () => undefined,
        (e: unknown) => e,
      )) as { name: string; message: string; $metadata: { httpStatusCode?: number } };
      // The SDK names a modelled error by its shape (NotFoundException); the wire code is the model's.
      return { status: error.$metadata.httpStatusCode, code: SNS_MODEL.errorCode(error.name), message: error.message };
    };
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'proto-sdk', Attributes: { DisplayName: DISPLAY_NAME }, Tags: [{ Key: 'team', Value: 'flint & co' }] }));
      const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { RawMessageDelivery: 'true' }, ReturnSubscriptionArn: true }));
      const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
      const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
      const { MessageId } = await sns.send(
        new PublishCommand({ TopicArn, Message: 'hello', Subject: 'S', MessageAttributes: { s: { DataType: 'String', StringValue: TEXT }, b: { DataType: 'Binary', BinaryValue: new Uint8Array(BYTES) } } }),
      );
      const batch = await sns.send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: [
            { Id: 'one', Message: 'first', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } },
            { Id: 'two', Message: 'second' },
          ],
        }),
      );
      const errors: Outcome['errors'] = {
        badTopicName: await failure(sns.send(new CreateTopicCommand({ Name: 'bad name' }))),
        duplicateTags: await failure(sns.send(new CreateTopicCommand({ Name: 'proto-sdk-tags', Tags: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] }))),
        topicNotFound: await failure(sns.send(new GetTopicAttributesCommand({ TopicArn: arnOf('sns', 'proto-sdk-missing') }))),
        emptyMessage: await failure(sns.send(new PublishCommand({ TopicArn, Message: '' }))),
        wrongAttributeField: await failure(sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageAttributes: { attr1: { DataType: 'String', BinaryValue: new Uint8Array([1]) } } }))),
        // The SDK does not check required members itself; the cast sends what a careless caller would.
        missingDataType: await failure(sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageAttributes: { attr1: { StringValue: 'value' } as MessageAttributeValue } }))),
        sameBatchIds: await failure(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'x', Message: 'a' }, { Id: 'x', Message: 'b' }] }))),
      };
      const outcome: Outcome = {
        topicArn: TopicArn!,
        attributes: Attributes!,
        tags: Tags as Outcome['tags'],
        subscriptionArn: SubscriptionArn!,
        messageId: MessageId!,
        batchIds: (batch.Successful ?? []).map((entry) => entry.Id!),
        batchFailed: batch.Failed ?? [],
        errors,
      };
      await expectOutcome('sdk', outcome, queue.url);
    } finally {
      sns.destroy();
    }
  });

  it("Debian's boto3", async () => {
    const queue = await queueFor('boto3');
    const script = `
import json, sys, base64, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
endpoint, queue_arn, display, text = sys.argv[1:5]
def client(**config):
    return boto3.client('sns', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test', config=Config(retries={'max_attempts': 1}, **config))
sns = client()
unchecked = client(parameter_validation=False)
def failure(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        return {'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'type': e.response['Error']['Type']}
    return None
arn = sns.create_topic(Name='proto-boto3', Attributes={'DisplayName': display}, Tags=[{'Key': 'team', 'Value': 'flint & co'}])['TopicArn']
sub = sns.subscribe(TopicArn=arn, Protocol='sqs', Endpoint=queue_arn, Attributes={'RawMessageDelivery': 'true'}, ReturnSubscriptionArn=True)['SubscriptionArn']
attributes = sns.get_topic_attributes(TopicArn=arn)['Attributes']
tags = sns.list_tags_for_resource(ResourceArn=arn)['Tags']
message_id = sns.publish(TopicArn=arn, Message='hello', Subject='S', MessageAttributes={'s': {'DataType': 'String', 'StringValue': text}, 'b': {'DataType': 'Binary', 'BinaryValue': bytes([0, 1, 2, 255])}})['MessageId']
batch = sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[{'Id': 'one', 'Message': 'first', 'MessageAttributes': {'n': {'DataType': 'Number', 'StringValue': '1'}}}, {'Id': 'two', 'Message': 'second'}])
errors = {
    'badTopicName': failure(sns.create_topic, Name='bad name'),
    'duplicateTags': failure(sns.create_topic, Name='proto-boto3-tags', Tags=[{'Key': 'k', 'Value': '1'}, {'Key': 'k', 'Value': '2'}]),
    'topicNotFound': failure(sns.get_topic_attributes, TopicArn=arn + '-missing'),
    'emptyMessage': failure(sns.publish, TopicArn=arn, Message=''),
    'wrongAttributeField': failure(sns.publish, TopicArn=arn, Message='m', MessageAttributes={'attr1': {'DataType': 'String', 'BinaryValue': b'1'}}),
    'missingDataType': failure(unchecked.publish, TopicArn=arn, Message='m', MessageAttributes={'attr1': {'StringValue': 'value'}}),
    'sameBatchIds': failure(sns.publish_batch, TopicArn=arn, PublishBatchRequestEntries=[{'Id': 'x', 'Message': 'a'}, {'Id': 'x', 'Message': 'b'}]),
}
print(json.dumps({'topicArn': arn, 'attributes': attributes, 'tags': tags, 'subscriptionArn': sub, 'messageId': message_id,
    'batchIds': [e['Id'] for e in batch['Successful']], 'batchFailed': batch['Failed'], 'errors': errors}))
`;
    const home = mkdtempSync(join(tmpdir(), 'flint-boto3-home-'));
    try {
      const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, test.node.url, queue.arn, DISPLAY_NAME, TEXT], { env: { PATH: '/usr/bin:/bin', HOME: home } });
      const outcome = JSON.parse(stdout) as Outcome & { errors: Record<Case, WireError & { type?: string }> };
      // boto3 shows the error's Type too: every recorded one is the sender's.
      for (const error of Object.values(outcome.errors)) {
        expect(error.type).toBe('Sender');
        delete error.type;
      }
      await expectOutcome('boto3', outcome, queue.url);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it("Debian's AWS CLI v2", async () => {
    const queue = await queueFor('cli');
    const home = mkdtempSync(join(tmpdir(), 'flint-cli-home-'));
    const env = { PATH: '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const run = (args: string[]) => execFileAsync(AWS_CLI, ['sns', ...args, '--endpoint-url', test.node.url, '--output', 'json'], { env, cwd: home });
    const aws = async <T>(...args: string[]): Promise<T> => JSON.parse((await run(args)).stdout || '{}') as T;
    /** The CLI prints `An error occurred (Code) when calling the Op operation: Message` and exits with 254. */
    const failure = async (...args: string[]): Promise<WireError> => {
      const error = (await run(args).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      )) as { code: number; stderr: string };
      expect(error.code).toBe(254);
      const match = /An error occurred \((\w+)\) when calling the \w+ operation: (.*)$/s.exec(error.stderr.trim());
      return { code: match?.[1] ?? '', message: match?.[2] ?? error.stderr };
    };
    try {
      const { TopicArn } = await aws<{ TopicArn: string }>('create-topic', '--name', 'proto-cli', '--attributes', JSON.stringify({ DisplayName: DISPLAY_NAME }), '--tags', JSON.stringify([{ Key: 'team', Value: 'flint & co' }]));
      const { SubscriptionArn } = await aws<{ SubscriptionArn: string }>(
        'subscribe',
        '--topic-arn',
        TopicArn,
        '--protocol',
        'sqs',
        '--notification-endpoint',
        queue.arn,
        '--attributes',
        '{"RawMessageDelivery":"true"}',
        '--return-subscription-arn',
      );
      const attributes = aws<{ Attributes: Record<string, string> }>('get-topic-attributes', '--topic-arn', TopicArn);
      const tags = aws<{ Tags: Outcome['tags'] }>('list-tags-for-resource', '--resource-arn', TopicArn);
      const published = aws<{ MessageId: string }>(
        'publish',
        '--topic-arn',
        TopicArn,
        '--message',
        'hello',
        '--subject',
        'S',
        '--message-attributes',
        JSON.stringify({ s: { DataType: 'String', StringValue: TEXT }, b: { DataType: 'Binary', BinaryValue: Buffer.from(BYTES).toString('base64') } }),
      );
      const batch = aws<{ Successful: { Id: string }[]; Failed: unknown[] }>(
        'publish-batch',
        '--topic-arn',
        TopicArn,
        '--publish-batch-request-entries',
        JSON.stringify([
          { Id: 'one', Message: 'first', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } },
          { Id: 'two', Message: 'second' },
        ]),
      );
      // Each CLI start takes seconds; the calls that do not depend on each other run together.
      const [errors] = await Promise.all([
        Promise.all([
          failure('create-topic', '--name', 'bad name'),
          failure('create-topic', '--name', 'proto-cli-tags', '--tags', JSON.stringify([{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }])),
          failure('get-topic-attributes', '--topic-arn', `${TopicArn}-missing`),
          failure('publish', '--topic-arn', TopicArn, '--message', ''),
          failure('publish', '--topic-arn', TopicArn, '--message', 'm', '--message-attributes', JSON.stringify({ attr1: { DataType: 'String', BinaryValue: 'MQ==' } })),
          failure('publish-batch', '--topic-arn', TopicArn, '--publish-batch-request-entries', JSON.stringify([{ Id: 'x', Message: 'a' }, { Id: 'x', Message: 'b' }])),
        ]),
        attributes,
        tags,
        published,
        batch,
      ]);
      const [badTopicName, duplicateTags, topicNotFound, emptyMessage, wrongAttributeField, sameBatchIds] = errors;
      const without = (error: WireError): WireError => ({ code: error.code, message: error.message });
      const outcome: Outcome = {
        topicArn: TopicArn,
        attributes: (await attributes).Attributes,
        tags: (await tags).Tags,
        subscriptionArn: SubscriptionArn,
        messageId: (await published).MessageId,
        batchIds: (await batch).Successful.map((entry) => entry.Id),
        batchFailed: (await batch).Failed,
        errors: {},
      };
      // The CLI shows no status; its errors are held to AWS's codes and messages.
      const expected = (name: Case): WireError => without(RECORDED[name]);
      expect({ badTopicName, duplicateTags, topicNotFound, emptyMessage, wrongAttributeField, sameBatchIds }).toEqual({
        badTopicName: expected('badTopicName'),
        duplicateTags: expected('duplicateTags'),
        topicNotFound: expected('topicNotFound'),
        emptyMessage: expected('emptyMessage'),
        wrongAttributeField: expected('wrongAttributeField'),
        sameBatchIds: expected('sameBatchIds'),
      });
      await expectOutcome('cli', outcome, queue.url);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
