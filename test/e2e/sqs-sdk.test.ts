import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlintNode } from '../../src/platform/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';

/** The AWS SDK for JavaScript v3 SQSClient (JSON 1.0, checks MD5 digests) against the node the product assembles. */
describe('SQS with the AWS SDK for JavaScript v3', () => {
  let testNode: TestNode;
  let node: FlintNode;
  let sqs: SQSClient;

  beforeAll(async () => {
    testNode = await startTestNode();
    node = testNode.node;
    sqs = new SQSClient({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    sqs?.destroy();
    await testNode?.close();
  });

  const receiveAll = async (QueueUrl: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}): Promise<Message[]> =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }))).Messages ?? [];

  it('creates, lists and looks up queues; URLs name this node', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-basics', Attributes: { VisibilityTimeout: '45' }, tags: { team: 'a' } }));
    expect(QueueUrl).toBe(`${node.url}/000000000000/sdk-basics`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'sdk-basics' }))).QueueUrl).toBe(QueueUrl);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'sdk-b' }))).QueueUrls).toEqual([QueueUrl]);
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(attributes.Attributes).toMatchObject({ VisibilityTimeout: '45', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:sdk-basics' });
    await expect(sqs.send(new CreateQueueCommand({ QueueName: 'sdk-basics', Attributes: { VisibilityTimeout: '46' } }))).rejects.toBeInstanceOf(QueueNameExists);
    const missing = await sqs.send(new GetQueueUrlCommand({ QueueName: 'sdk-absent' })).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
    expect(missing).toMatchObject({ Code: 'AWS.SimpleQueueService.NonExistentQueue', $metadata: { httpStatusCode: 400 } });
  });

  it('sends with attributes and batches, receives them (the SDK checks every MD5) and deletes', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-messages' }));
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'héllo ✓',
        MessageAttributes: {
          text: { DataType: 'String', StringValue: 'v1' },
          count: { DataType: 'Number', StringValue: '42' },
          raw: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 254, 255]) },
          custom: { DataType: 'String.json', StringValue: '{"a":1}' },
        },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' } },
      }),
    );
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'batch a' },
          { Id: 'b', MessageBody: 'batch b', DelaySeconds: 0 },
          { Id: 'c', MessageBody: '' },
        ],
      }),
    );
    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['a', 'b']);
    expect(batch.Failed).toEqual([{ Id: 'c', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageBody.' }]);

    const messages = await receiveAll(QueueUrl ?? '', { MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] });
    expect(messages.map((m) => m.Body)).toEqual(['héllo ✓', 'batch a', 'batch b']);
    const first = messages[0];
    expect(first?.MessageId).toBe(sent.MessageId);
    expect(first?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(first?.MessageAttributes?.raw?.BinaryValue).toEqual(new Uint8Array([0, 1, 2, 254, 255]));
    expect(first?.MessageAttributes?.count).toEqual({ DataType: 'Number', StringValue: '42' });
    expect(first?.Attributes).toMatchObject({ ApproximateReceiveCount: '1', AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' });

    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first?.ReceiptHandle }));
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl, Entries: messages.slice(1).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }),
    );
    expect(deleted.Successful).toHaveLength(2);
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' }))).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
    const counts = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(counts.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('long-polls: a waiting receive answers with a message sent while it waits', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-long-poll' }));
    const started = Date.now();
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'while you wait' }));
    const { Messages } = await waiting;
    expect(Messages?.map((m) => m.Body)).toEqual(['while you wait']);
    // Answered on the send, not at the end of the 20 s wait.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('hides a received message and shows it again when its visibility is set to zero', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-visibility' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'again' }));
    const [first] = await receiveAll(QueueUrl ?? '', { VisibilityTimeout: 300 });
    expect(await receiveAll(QueueUrl ?? '')).toEqual([]);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first?.ReceiptHandle, VisibilityTimeout: 0 }));
    const [second] = await receiveAll(QueueUrl ?? '', { MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(second?.MessageId).toBe(first?.MessageId);
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    expect(second?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
  });

  it('redrives a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-dlq' }));
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'sdk-work', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) } }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
    expect((await receiveAll(QueueUrl ?? '', { VisibilityTimeout: 0 })).map((m) => m.Body)).toEqual(['poison']);
    expect((await receiveAll(QueueUrl ?? '', { VisibilityTimeout: 0 })).map((m) => m.Body)).toEqual(['poison']);
    expect(await receiveAll(QueueUrl ?? '')).toEqual([]);
    const [dead] = await receiveAll(dlq.QueueUrl ?? '', { MessageSystemAttributeNames: ['All'] });
    expect(dead?.Body).toBe('poison');
    expect(dead?.Attributes?.DeadLetterQueueSourceArn).toBe('arn:aws:sqs:us-east-1:000000000000:sdk-work');
  });

  it('keeps FIFO order within groups and locks a group while a message is in flight', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-orders.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
    const entries = ['a1', 'b1', 'a2', 'b2', 'a3'].map((body) => ({ Id: body, MessageBody: body, MessageGroupId: body[0] }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
    const sequence = sent.Successful?.map((entry) => BigInt(entry.SequenceNumber ?? '0')) ?? [];
    expect([...sequence].sort((x, y) => (x < y ? -1 : 1))).toEqual(sequence);
    const duplicate = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a1', MessageGroupId: 'a' }));
    expect(duplicate.MessageId).toBe(sent.Successful?.[0]?.MessageId);

    const firstA = await receiveAll(QueueUrl ?? '', { MaxNumberOfMessages: 1 });
    expect(firstA.map((m) => m.Body)).toEqual(['a1']);
    const rest = await receiveAll(QueueUrl ?? '');
    expect(rest.map((m) => m.Body)).toEqual(['b1', 'b2']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: firstA[0]?.ReceiptHandle }));
    expect((await receiveAll(QueueUrl ?? '')).map((m) => m.Body)).toEqual(['a2', 'a3']);
  });
});
