import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlintNode } from '../../src/platform/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { AWS_CLI, DEBIAN_PYTHON } from '../helpers/clients.js';

/**
 * Debian's AWS CLI 2.9 and boto3 1.26 speak SQS's query protocol; they ignore AWS_ENDPOINT_URL. Both are installed
 * in CI, so these tests always run.
 */
const execFileAsync = promisify(execFile);

describe('SQS with Debian clients (query protocol)', () => {
  let testNode: TestNode;
  let node: FlintNode;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    testNode = await startTestNode();
    node = testNode.node;
    home = mkdtempSync(join(tmpdir(), 'flint-e2e-sqs-'));
    env = { PATH: '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  });
  afterAll(async () => {
    await testNode?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  describe("Debian's AWS CLI v2", () => {
    const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
      const { stdout } = await execFileAsync(AWS_CLI, ['sqs', ...args, '--endpoint-url', node.url, '--output', 'json'], { env, cwd: home });
      return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
    };

    it('creates a queue, sends, receives and deletes a message', async () => {
      const { QueueUrl } = (await aws('create-queue', '--queue-name', 'cli-queue', '--attributes', 'VisibilityTimeout=60')) as { QueueUrl: string };
      expect(QueueUrl).toBe(`${node.url}/000000000000/cli-queue`);
      const sent = await aws(
        'send-message',
        '--queue-url',
        QueueUrl,
        '--message-body',
        'hello\r\nfrom the <cli> & co',
        '--message-attributes',
        '{"attr1":{"DataType":"String","StringValue":"v1"},"n":{"DataType":"Number","StringValue":"7"}}',
      );
      expect(sent).toMatchObject({ MD5OfMessageBody: expect.stringMatching(/^[0-9a-f]{32}$/), MD5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/) });
      const received = (await aws('receive-message', '--queue-url', QueueUrl, '--attribute-names', 'All', '--message-attribute-names', 'All', '--max-number-of-messages', '10')) as {
        Messages: { Body: string; ReceiptHandle: string; MessageId: string; MD5OfMessageAttributes: string; Attributes: Record<string, string>; MessageAttributes: Record<string, unknown> }[];
      };
      const [message] = received.Messages;
      expect(message).toMatchObject({
        MessageId: sent.MessageId,
        Body: 'hello\r\nfrom the <cli> & co',
        MD5OfBody: sent.MD5OfMessageBody,
        MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
        Attributes: { ApproximateReceiveCount: '1', SenderId: '000000000000' },
        MessageAttributes: { attr1: { DataType: 'String', StringValue: 'v1' }, n: { DataType: 'Number', StringValue: '7' } },
      });
      await aws('delete-message', '--queue-url', QueueUrl, '--receipt-handle', message?.ReceiptHandle ?? '');
      const attributes = (await aws('get-queue-attributes', '--queue-url', QueueUrl, '--attribute-names', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible')) as {
        Attributes: Record<string, string>;
      };
      expect(attributes.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    });

    it('reports a missing queue with the legacy error code', async () => {
      const failure = await execFileAsync(AWS_CLI, ['sqs', 'get-queue-url', '--queue-name', 'cli-absent', '--endpoint-url', node.url], { env, cwd: home }).catch(
        (error: { stderr: string; code: number }) => error,
      );
      expect(failure).toMatchObject({ code: 254 });
      expect((failure as { stderr: string }).stderr).toContain('(AWS.SimpleQueueService.NonExistentQueue)');
    });
  });

  describe("Debian's boto3", () => {
    const python = async (script: string): Promise<unknown> => {
      const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, node.url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
      return JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
    };
    const PRELUDE = `
import json, sys, boto3
endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1')
client = session.client('sqs', endpoint_url=endpoint)
`;

    it('works through the client API: batches, binary attributes, FIFO and typed errors', async () => {
      const result = await python(`${PRELUDE}
url = client.create_queue(QueueName='py-client.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
batch = client.send_message_batch(QueueUrl=url, Entries=[
    {'Id': 'one', 'MessageBody': 'first', 'MessageGroupId': 'g'},
    {'Id': 'two', 'MessageBody': 'second', 'MessageGroupId': 'g', 'MessageAttributes': {'bin': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\xff'}}},
])
got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=['All'], MessageAttributeNames=['All'])['Messages']
deleted = client.delete_message_batch(QueueUrl=url, Entries=[{'Id': str(i), 'ReceiptHandle': m['ReceiptHandle']} for i, m in enumerate(got)])
try:
    client.create_queue(QueueName='py-client.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'false'})
    clash = None
except client.exceptions.QueueNameExists as error:
    clash = error.response['Error']['Code']
try:
    client.get_queue_url(QueueName='py-absent')
    missing = None
except client.exceptions.QueueDoesNotExist as error:
    missing = error.response['Error']['Message']
foreign = client.send_message(QueueUrl='https://sqs.us-east-1.amazonaws.com/000000000000/py-client.fifo', MessageBody='foreign', MessageGroupId='h')
print(json.dumps({
    'url': url,
    'sent': [e['Id'] for e in batch['Successful']],
    'bodies': [m['Body'] for m in got],
    'groups': [m['Attributes']['MessageGroupId'] for m in got],
    'binary': list(got[1]['MessageAttributes']['bin']['BinaryValue']),
    'md5': got[1]['MD5OfMessageAttributes'] == batch['Successful'][1]['MD5OfMessageAttributes'],
    'deleted': len(deleted['Successful']),
    'clash': clash,
    'missing': missing,
    'foreign': 'MessageId' in foreign,
}))
`);
      expect(result).toEqual({
        url: `${node.url}/000000000000/py-client.fifo`,
        sent: ['one', 'two'],
        bodies: ['first', 'second'],
        groups: ['g', 'g'],
        binary: [0, 255],
        md5: true,
        deleted: 2,
        clash: 'QueueAlreadyExists',
        missing: 'The specified queue does not exist for this wsdl version.',
        foreign: true,
      });
    });

    it('works through the resource API: queues, messages and long polling', async () => {
      const result = await python(`${PRELUDE}
sqs = session.resource('sqs', endpoint_url=endpoint)
queue = sqs.create_queue(QueueName='py-resource', Attributes={'DelaySeconds': '0'})
queue.send_message(MessageBody='via resource', MessageAttributes={'k': {'DataType': 'String', 'StringValue': 'v'}})
queue.send_messages(Entries=[{'Id': 'a', 'MessageBody': 'batched'}])
messages = queue.receive_messages(MaxNumberOfMessages=10, WaitTimeSeconds=5, MessageAttributeNames=['All'])
bodies = sorted(m.body for m in messages)
attrs = [m.message_attributes for m in messages if m.body == 'via resource'][0]
for m in messages:
    m.delete()
same = sqs.get_queue_by_name(QueueName='py-resource')
same.load()
print(json.dumps({'bodies': bodies, 'attrs': attrs, 'arn': same.attributes['QueueArn'], 'left': same.attributes['ApproximateNumberOfMessages'], 'urls': [q.url for q in sqs.queues.filter(QueueNamePrefix='py-res')]}))
`);
      expect(result).toEqual({
        bodies: ['batched', 'via resource'],
        attrs: { k: { StringValue: 'v', DataType: 'String' } },
        arn: 'arn:aws:sqs:us-east-1:000000000000:py-resource',
        left: '0',
        urls: [`${node.url}/000000000000/py-resource`],
      });
    });
  });
});
