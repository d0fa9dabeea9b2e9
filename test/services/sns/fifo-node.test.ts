import { createHash } from 'node:crypto';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * A FIFO topic delivering to a FIFO queue through the node, as recorded from AWS in LocalStack's
 * test_sns.py::TestSNSSubscriptionSQSFifo::test_message_to_fifo_sqs[True]: the queue's message carries the
 * publish's MessageGroupId and MessageDeduplicationId (the SHA-256 of the message under content-based
 * deduplication), the envelope has the topic's SequenceNumber and no signature fields, and a repeat within the
 * deduplication window is not delivered again.
 */
let testNode: TestNode;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  testNode = await startTestNode();
  sns = new SNSClient({ ...testNode.config, maxAttempts: 1 });
  sqs = new SQSClient({ ...testNode.config, maxAttempts: 1 });
});
afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await testNode?.close();
});

describe('FIFO topics to FIFO queues', () => {
  it('pass the group and deduplication ids, number the messages and deduplicate', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true' } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:orders.fifo' }));
    const first = await sns.send(new PublishCommand({ TopicArn, Message: 'Test', MessageGroupId: 'message-group-id-1' }));
    const repeat = await sns.send(new PublishCommand({ TopicArn, Message: 'Test', MessageGroupId: 'message-group-id-1' }));
    expect(repeat).toMatchObject({ MessageId: first.MessageId, SequenceNumber: first.SequenceNumber });

    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    expect(Messages).toHaveLength(1);
    const message = Messages![0]!;
    expect(message.Attributes).toMatchObject({ MessageGroupId: 'message-group-id-1', MessageDeduplicationId: createHash('sha256').update('Test').digest('hex') });
    const body = JSON.parse(message.Body!) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL']);
    expect(body).toMatchObject({ Type: 'Notification', MessageId: first.MessageId, SequenceNumber: first.SequenceNumber, Message: 'Test' });
  });
});
