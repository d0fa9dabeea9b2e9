import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';

/**
 * SQS on the protocol kit, through the node the product assembles, with the real clients of both protocols: the AWS
 * SDK for JavaScript v3 (JSON 1.0) and Debian's boto3 1.26 and AWS CLI 2.9 (query protocol, XML answers). For
 * CreateQueue, SendMessage(Batch), ReceiveMessage and GetQueueUrl each client's request is parsed (attribute maps,
 * batch entries and binary message attributes under the protocol's own names), refused where SQS refuses it, in
 * SQS's words, and answered in a form the client reads back.
 *
 * Expected messages are AWS's, as recorded in LocalStack's AWS-validated snapshots
 * (tests/aws/services/sqs/test_sqs.snapshot.json), by test:
 * - test_create_queue_with_different_attributes_raises_exception: QueueAlreadyExists, "A queue already exists with
 *   the same name and a different value for attribute DelaySeconds";
 * - test_send_receive_max_number_of_messages: InvalidParameterValue, "Value 11 for parameter MaxNumberOfMessages is
 *   invalid. Reason: Must be between 1 and 10, if provided." (both protocols);
 * - test_too_many_entries_in_batch_request: AWS.SimpleQueueService.TooManyEntriesInBatchRequest, "Maximum number of
 *   entries per request are 10. You have sent 20." (here 11 are sent);
 * - test_posting_to_fifo_requires_deduplicationid_group_id: MissingParameter, "The request must contain the
 *   parameter MessageGroupId.";
 * - test_fifo_queue_send_message_with_delay_seconds_fails: InvalidParameterValue, "Value 2 for parameter
 *   DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.";
 * - test_non_existent_queue: AWS.SimpleQueueService.NonExistentQueue, "The specified queue does not exist." over
 *   JSON and "The specified queue does not exist for this wsdl version." over the query protocol.
 */

const execFileAsync = promisify(execFile);

const MAX_MESSAGES = 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.';
const TOO_MANY_ENTRIES = 'Maximum number of entries per request are 10. You have sent 11.';
const NO_GROUP = 'The request must contain the parameter MessageGroupId.';
const FIFO_DELAY = 'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.';
const QUEUE_CLASH = 'A queue already exists with the same name and a different value for attribute DelaySeconds';

let testNode: TestNode;
let url: string;
let home: string;

beforeAll(async () => {
  testNode = await startTestNode();
  url = testNode.node.url;
  home = mkdtempSync(join(tmpdir(), 'flint-sqs-clients-'));
});
afterAll(async () => {
  await testNode?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('JSON 1.0 with the AWS SDK for JavaScript v3', () => {
  let sqs: SQSClient;
  beforeAll(() => {
    sqs = new SQSClient({ ...testNode.config, maxAttempts: 1 });
  });
  afterAll(() => sqs?.destroy());

  it('parses attribute maps, tags, batch entries and binary attributes, and serialises what the SDK reads back', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-kit', Attributes: { DelaySeconds: '0', VisibilityTimeout: '45' }, tags: { team: 'queues' } }));
    expect(QueueUrl).toBe(`${url}/000000000000/sdk-kit`);
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'DelaySeconds', 'QueueArn'] }));
    expect(attributes.Attributes).toEqual({ DelaySeconds: '0', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:sdk-kit', VisibilityTimeout: '45' });
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'queues' });
    // The SDK checks MD5OfMessageBody and MD5OfMessageAttributes of every entry against what it sent.
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'text', MessageBody: 'one', MessageAttributes: { kind: { DataType: 'String', StringValue: 'text' } } },
          { Id: 'bytes', MessageBody: 'two', MessageAttributes: { raw: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 254, 255]) } } },
        ],
      }),
    );
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(['text', 'bytes']);
    expect(sent.Failed ?? []).toEqual([]);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(Messages?.map((m) => [m.Body, m.Attributes, m.MessageAttributes])).toEqual([
      ['one', { ApproximateReceiveCount: '1' }, { kind: { DataType: 'String', StringValue: 'text' } }],
      ['two', { ApproximateReceiveCount: '1' }, { raw: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 254, 255]) } }],
    ]);
  });

  it("refuses in SQS's words, with the legacy code beside the modelled exception", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-kit-errors', Attributes: { DelaySeconds: '1' } }));
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as Record<string, unknown>);

    const clash = await failure(sqs.send(new CreateQueueCommand({ QueueName: 'sdk-kit-errors', Attributes: { DelaySeconds: '2' } })));
    expect(clash).toBeInstanceOf(QueueNameExists);
    expect(clash).toMatchObject({ Code: 'QueueAlreadyExists', message: QUEUE_CLASH });

    const tooMany = await failure(sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })));
    expect(tooMany).toMatchObject({ name: 'InvalidParameterValue', message: MAX_MESSAGES, $metadata: { httpStatusCode: 400 } });

    const entries = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' }));
    const batch = await failure(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries })));
    expect(batch).toBeInstanceOf(TooManyEntriesInBatchRequest);
    expect(batch).toMatchObject({ Code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', message: TOO_MANY_ENTRIES });

    const fifo = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-kit.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
    const noGroup = await failure(sqs.send(new SendMessageCommand({ QueueUrl: fifo.QueueUrl, MessageBody: 'x' })));
    expect(noGroup).toMatchObject({ name: 'MissingParameter', message: NO_GROUP });

    const missing = await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'sdk-kit-absent' })));
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
    expect(missing).toMatchObject({ Code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.' });
  });
});

describe("the query protocol with Debian's boto3", () => {
  const python = async (script: string): Promise<unknown> => {
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', PRELUDE + script, url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
    return JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
  };
  const PRELUDE = `
import json, sys, boto3, botocore.exceptions
session = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1')
client = session.client('sqs', endpoint_url=sys.argv[1])
def error(call):
    try:
        call()
        return None
    except botocore.exceptions.ClientError as failure:
        return [failure.response['Error']['Code'], failure.response['Error']['Message'], failure.response['ResponseMetadata']['HTTPStatusCode']]
`;

  it('parses Attribute.N, Tag.N, SendMessageBatchRequestEntry.N and MessageAttribute.N, and serialises XML boto3 reads', async () => {
    const result = await python(`
url = client.create_queue(QueueName='py-kit', Attributes={'DelaySeconds': '0', 'VisibilityTimeout': '45'}, tags={'team': 'queues'})['QueueUrl']
attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=['VisibilityTimeout', 'DelaySeconds', 'QueueArn'])['Attributes']
tags = client.list_queue_tags(QueueUrl=url)['Tags']
sent = client.send_message_batch(QueueUrl=url, Entries=[
    {'Id': 'text', 'MessageBody': 'one\\r\\n<&>', 'MessageAttributes': {'kind': {'DataType': 'String', 'StringValue': 'text'}}},
    {'Id': 'bytes', 'MessageBody': 'two', 'MessageAttributes': {'raw': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\x01\\xfe\\xff'}}},
    {'Id': 'empty', 'MessageBody': ''},
])
got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=['All'], AttributeNames=['ApproximateReceiveCount'])['Messages']
print(json.dumps({
    'url': url,
    'attributes': attributes,
    'tags': tags,
    'successful': [e['Id'] for e in sent['Successful']],
    'md5': [e['MD5OfMessageAttributes'] for e in sent['Successful']] == [m['MD5OfMessageAttributes'] for m in got],
    'failed': sent['Failed'],
    'bodies': [m['Body'] for m in got],
    'system': [m['Attributes'] for m in got],
    'kind': got[0]['MessageAttributes']['kind'],
    'raw': [got[1]['MessageAttributes']['raw']['DataType'], list(got[1]['MessageAttributes']['raw']['BinaryValue'])],
}))
`);
    expect(result).toEqual({
      url: `${url}/000000000000/py-kit`,
      attributes: { DelaySeconds: '0', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:py-kit', VisibilityTimeout: '45' },
      tags: { team: 'queues' },
      successful: ['text', 'bytes'],
      md5: true,
      // SQS refuses an empty body in a batch entry by entry (test_send_empty_message records its MissingParameter).
      failed: [{ Id: 'empty', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageBody.' }],
      bodies: ['one\r\n<&>', 'two'],
      system: [{ ApproximateReceiveCount: '1' }, { ApproximateReceiveCount: '1' }],
      kind: { StringValue: 'text', DataType: 'String' },
      raw: ['Binary', [0, 1, 254, 255]],
    });
  });

  it("refuses in SQS's words, with the query protocol's message for a missing queue", async () => {
    const result = await python(`
url = client.create_queue(QueueName='py-kit-errors', Attributes={'DelaySeconds': '1'})['QueueUrl']
fifo = client.create_queue(QueueName='py-kit.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
print(json.dumps({
    'clash': error(lambda: client.create_queue(QueueName='py-kit-errors', Attributes={'DelaySeconds': '2'})),
    'max': error(lambda: client.receive_message(QueueUrl=url, MaxNumberOfMessages=11)),
    'entries': error(lambda: client.send_message_batch(QueueUrl=url, Entries=[{'Id': 'm%d' % i, 'MessageBody': 'x'} for i in range(11)])),
    'empty': error(lambda: client.send_message_batch(QueueUrl=url, Entries=[])),
    'group': error(lambda: client.send_message(QueueUrl=fifo, MessageBody='x')),
    'missing': error(lambda: client.get_queue_url(QueueName='py-kit-absent')),
}))
`);
    expect(result).toEqual({
      clash: ['QueueAlreadyExists', QUEUE_CLASH, 400],
      max: ['InvalidParameterValue', MAX_MESSAGES, 400],
      entries: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', TOO_MANY_ENTRIES, 400],
      // botocore sends an empty list as a bare `Entries=`: no entries, so SQS's EmptyBatchRequest.
      empty: ['AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.', 400],
      group: ['MissingParameter', NO_GROUP, 400],
      missing: ['AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.', 400],
    });
  });
});

describe("the query protocol with Debian's AWS CLI", () => {
  const env = () => ({ PATH: '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' });
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await execFileAsync(AWS_CLI, ['sqs', ...args, '--endpoint-url', url, '--output', 'json'], { env: env(), cwd: home });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  };
  /** The CLI's one-line report of a refused call. */
  const refusal = async (...args: string[]): Promise<string> => {
    return execFileAsync(AWS_CLI, ['sqs', ...args, '--endpoint-url', url], { env: env(), cwd: home }).then(
      () => 'accepted',
      (error: { stderr: string }) => error.stderr.trim(),
    );
  };

  it('parses --attributes, --entries and --message-attributes, and serialises XML the CLI prints', async () => {
    const { QueueUrl } = (await aws('create-queue', '--queue-name', 'cli-kit', '--attributes', 'DelaySeconds=0,VisibilityTimeout=45')) as { QueueUrl: string };
    expect(QueueUrl).toBe(`${url}/000000000000/cli-kit`);
    const entries = JSON.stringify([
      { Id: 'text', MessageBody: 'one', MessageAttributes: { kind: { DataType: 'String', StringValue: 'text' } } },
      { Id: 'number', MessageBody: 'two', MessageAttributes: { n: { DataType: 'Number', StringValue: '7' } } },
    ]);
    const sent = (await aws('send-message-batch', '--queue-url', QueueUrl, '--entries', entries)) as { Successful: { Id: string }[] };
    expect(sent.Successful.map((entry) => entry.Id)).toEqual(['text', 'number']);
    const received = (await aws('receive-message', '--queue-url', QueueUrl, '--max-number-of-messages', '10', '--message-attribute-names', 'All', '--attribute-names', 'VisibilityTimeout', 'ApproximateReceiveCount')) as {
      Messages: { Body: string; Attributes: Record<string, string>; MessageAttributes: Record<string, unknown> }[];
    };
    expect(received.Messages.map((m) => [m.Body, m.Attributes, m.MessageAttributes])).toEqual([
      ['one', { ApproximateReceiveCount: '1' }, { kind: { DataType: 'String', StringValue: 'text' } }],
      ['two', { ApproximateReceiveCount: '1' }, { n: { DataType: 'Number', StringValue: '7' } }],
    ]);
  });

  it("refuses in SQS's words", async () => {
    // The queues are set up over JSON: each CLI run costs seconds, so the CLI runs only what is under test.
    const sqs = new SQSClient({ ...testNode.config, maxAttempts: 1 });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'cli-kit-errors' }));
    const fifo = await sqs.send(new CreateQueueCommand({ QueueName: 'cli-kit.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
    sqs.destroy();
    expect(await refusal('receive-message', '--queue-url', QueueUrl ?? '', '--max-number-of-messages', '11')).toBe(
      `An error occurred (InvalidParameterValue) when calling the ReceiveMessage operation: ${MAX_MESSAGES}`,
    );
    expect(await refusal('send-message', '--queue-url', fifo.QueueUrl ?? '', '--message-body', 'x', '--message-group-id', 'g', '--delay-seconds', '2')).toBe(
      `An error occurred (InvalidParameterValue) when calling the SendMessage operation: ${FIFO_DELAY}`,
    );
    expect(await refusal('get-queue-url', '--queue-name', 'cli-kit-absent')).toBe(
      'An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist for this wsdl version.',
    );
  });
});
