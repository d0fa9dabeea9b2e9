import { CreateScheduleCommand, GetScheduleCommand, ResourceNotFoundException, SchedulerClient, UpdateScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVOCATION_QUEUE } from '../../../src/services/scheduler/index.js';
import { EventsHarness, functionArn, queueArn } from '../../events/harness.js';

/**
 * Schedules firing on the node's FakeClock (the node the product assembles, driven by the events harness), created
 * through the SDK: a rate invokes a function and sends to queues, a one-time schedule with ActionAfterCompletion DELETE
 * goes away after it ran, failures land in the dead-letter queue, and schedules survive a restart.
 */

const ROLE = 'arn:aws:iam::000000000000:role/scheduler';
const MINUTE = 60_000;

let h: EventsHarness;
let scheduler: SchedulerClient;
let sqs: SQSClient;

function clients(): void {
  const config = { endpoint: h.node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  scheduler = new SchedulerClient(config);
  sqs = new SQSClient(config);
}

beforeEach(async () => {
  h = await EventsHarness.open();
  clients();
});
afterEach(async () => {
  scheduler.destroy();
  sqs.destroy();
  await h.close();
});

function schedule(name: string, target: CreateScheduleCommandInput['Target'], extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommand {
  return new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(5 minutes)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target, ...extra });
}

/** A queue whose received messages stay hidden while the test moves the clock on (12 hours). */
async function queue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '43200', ...attributes } }))).QueueUrl!;
}

/**
 * Collects what a queue receives; `poll` waits until `count` messages have come, `none` checks that nothing more came
 * once every stored invocation was delivered.
 */
function inbox(url: string): { messages: Message[]; poll(count: number): Promise<void>; none(): Promise<void> } {
  const messages: Message[] = [];
  const take = async (): Promise<number> => {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, AttributeNames: ['All'], MessageAttributeNames: ['All'] }));
    messages.push(...Messages);
    return messages.length;
  };
  const none = async (): Promise<void> => {
    const before = messages.length;
    await expect.poll(() => h.storage.queues.counts(INVOCATION_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 0 });
    expect(await take()).toBe(before);
  };
  return { messages, poll: (count) => expect.poll(take, { timeout: 10_000 }).toBe(count), none };
}

describe('firing', () => {
  it('invokes a function at once and then every period, with Input and its context attributes filled in', async () => {
    await h.deploy('tick', 'exports.handler = async () => ({ ok: true });');
    const { ScheduleArn } = await scheduler.send(
      schedule('ticker', { Arn: functionArn('tick'), RoleArn: ROLE, Input: '{"at":"<aws.scheduler.scheduled-time>","arn":"<aws.scheduler.schedule-arn>"}' }),
    );
    await expect.poll(() => h.finals.length, { timeout: 10_000 }).toBe(1);
    await h.tick(5 * MINUTE, MINUTE);
    await expect.poll(() => h.finals.length, { timeout: 10_000 }).toBe(2);
    const payloads = h.finals.map((f) => JSON.parse(f.event.payload.toString('utf8')) as unknown);
    expect(payloads).toEqual([
      { at: '2026-01-01T00:00:00Z', arn: ScheduleArn },
      { at: '2026-01-01T00:05:00Z', arn: ScheduleArn },
    ]);
    expect(h.finals.map((f) => f.reason)).toEqual(['success', 'success']);
  });

  it('sends to a queue on its rate, and to a FIFO queue with the MessageGroupId of SqsParameters', async () => {
    const plain = inbox(await queue('ticks'));
    const fifo = inbox(await queue('ticks.fifo', { FifoQueue: 'true' }));
    await scheduler.send(schedule('to-queue', { Arn: queueArn('ticks'), RoleArn: ROLE, Input: 'attempt <aws.scheduler.attempt-number>' }, { ScheduleExpression: 'rate(1 minute)' }));
    await scheduler.send(schedule('to-fifo', { Arn: queueArn('ticks.fifo'), RoleArn: ROLE, Input: 'ordered', SqsParameters: { MessageGroupId: 'group-1' } }));
    await plain.poll(1);
    await h.tick(2 * MINUTE, MINUTE);
    await plain.poll(3);
    await plain.none();
    expect(plain.messages.map((m) => m.Body)).toEqual(['attempt 1', 'attempt 1', 'attempt 1']);
    await fifo.poll(1);
    expect(fifo.messages[0]).toMatchObject({ Body: 'ordered', Attributes: expect.objectContaining({ MessageGroupId: 'group-1' }) as unknown });
  });

  it('publishes to a topic', async () => {
    const sns = new SNSClient({ endpoint: h.node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const received = inbox(await queue('from-topic'));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alarms' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('from-topic'), Attributes: { RawMessageDelivery: 'true' } }));
    sns.destroy();
    await scheduler.send(schedule('to-topic', { Arn: TopicArn!, RoleArn: ROLE, Input: 'wake up' }));
    await received.poll(1);
    expect(received.messages[0]?.Body).toBe('wake up');
  });

  it('runs a one-time schedule at its local time and deletes it after, with ActionAfterCompletion DELETE', async () => {
    const received = inbox(await queue('once'));
    // 02:00 in Paris on 1 January is 01:00 UTC.
    await scheduler.send(
      schedule('once', { Arn: queueArn('once'), RoleArn: ROLE, Input: 'now' }, { ScheduleExpression: 'at(2026-01-01T02:00:00)', ScheduleExpressionTimezone: 'Europe/Paris', ActionAfterCompletion: 'DELETE' }),
    );
    await h.tick(59 * MINUTE, MINUTE);
    await received.none();
    expect((await scheduler.send(new GetScheduleCommand({ Name: 'once' }))).ActionAfterCompletion).toBe('DELETE');
    await h.tick(MINUTE, MINUTE);
    await received.poll(1);
    await expect.poll(() => scheduler.send(new GetScheduleCommand({ Name: 'once' })).catch((e: unknown) => e)).toBeInstanceOf(ResourceNotFoundException);
  });

  it('delays each invocation within its flexible window and does not run while DISABLED', async () => {
    const received = inbox(await queue('later'));
    const target = { Arn: queueArn('later'), RoleArn: ROLE, Input: 'flex' };
    await scheduler.send(schedule('paused', target, { State: 'DISABLED', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 30 } }));
    await h.tick(90 * MINUTE, MINUTE);
    await received.none();
    await scheduler.send(new UpdateScheduleCommand({ Name: 'paused', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 30 }, Target: target }));
    // Enabled at 01:30: the rate keeps its phase from creation, so the next instant is 02:00 and the invocation falls
    // in the 30 minutes after it; the one after that is not before 03:00.
    await h.tick(60 * MINUTE, MINUTE);
    await received.poll(1);
    await received.none();
  });

  it('sends a delivery that fails to the dead-letter queue, with the schedule and the error', async () => {
    const dlq = inbox(await queue('dead-letters'));
    const { ScheduleArn } = await scheduler.send(
      schedule('broken', { Arn: functionArn('missing'), RoleArn: ROLE, Input: '{"lost":true}', DeadLetterConfig: { Arn: queueArn('dead-letters') } }, { ScheduleExpression: 'rate(1 hour)' }),
    );
    await dlq.poll(1);
    const message = dlq.messages[0]!;
    expect(message.Body).toBe('{"lost":true}');
    expect(message.MessageAttributes).toMatchObject({
      SCHEDULE_ARN: { DataType: 'String', StringValue: ScheduleArn },
      TARGET_ARN: { DataType: 'String', StringValue: functionArn('missing') },
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: '0' },
    });
  });

  it('keeps its schedules and keeps firing after a restart', async () => {
    await queue('steady');
    await scheduler.send(schedule('steady', { Arn: queueArn('steady'), RoleArn: ROLE, Input: 'beat' }, { ScheduleExpression: 'rate(10 minutes)' }));
    const before = inbox(`${h.node.url}/000000000000/steady`);
    await before.poll(1);
    scheduler.destroy();
    sqs.destroy();
    await h.closeParts();
    await h.openParts();
    clients();
    expect((await scheduler.send(new GetScheduleCommand({ Name: 'steady' }))).ScheduleExpression).toBe('rate(10 minutes)');
    const after = inbox(`${h.node.url}/000000000000/steady`);
    await h.tick(10 * MINUTE, MINUTE);
    await after.poll(1);
    await h.tick(10 * MINUTE, MINUTE);
    await after.poll(2);
  });
});
