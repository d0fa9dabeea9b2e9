import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callJson, openHarness, queueUrlOf, type JsonAnswer, type SqsHarness } from './node.js';

let h: SqsHarness;
const url = queueUrlOf('q');
beforeEach(async () => {
  h = await openHarness();
  await json('CreateQueue', { QueueName: 'q' });
});
afterEach(async () => {
  await h.close();
});

const json = (operation: string, input: unknown) => callJson(h.service, operation, input);
const bodies = (answer: JsonAnswer) => ((answer.body.Messages as { Body: string }[] | undefined) ?? []).map((m) => m.Body);

/** Starts a receive and reports whether it has answered yet, without waiting for it. */
function start(input: Record<string, unknown>) {
  let answer: JsonAnswer | undefined;
  const promise = json('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, ...input }).then((a) => (answer = a));
  return { promise, answered: () => answer };
}

async function settle(): Promise<void> {
  await h.clock.advance(0);
}

describe('long polling on the injected clock', () => {
  it('answers as soon as a message is sent, without waiting for the rest of the wait', async () => {
    const poll = start({ WaitTimeSeconds: 20 });
    await h.clock.advance(3000);
    expect(poll.answered()).toBeUndefined();
    await json('SendMessage', { QueueUrl: url, MessageBody: 'arrived' });
    await settle();
    expect(bodies(poll.answered() as JsonAnswer)).toEqual(['arrived']);
  });

  it('answers empty when the wait ends, and not a moment before', async () => {
    const poll = start({ WaitTimeSeconds: 20 });
    await h.clock.advance(19_999);
    expect(poll.answered()).toBeUndefined();
    await h.clock.advance(1);
    expect((await poll.promise).body).toEqual({});
  });

  it('wakes when a delayed message becomes visible', async () => {
    await json('SendMessage', { QueueUrl: url, MessageBody: 'delayed', DelaySeconds: 5 });
    const poll = start({ WaitTimeSeconds: 20 });
    await h.clock.advance(4999);
    expect(poll.answered()).toBeUndefined();
    await h.clock.advance(1);
    expect(bodies(poll.answered() as JsonAnswer)).toEqual(['delayed']);
  });

  it('wakes when a message in flight becomes visible again', async () => {
    await json('SendMessage', { QueueUrl: url, MessageBody: 'retry' });
    await json('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 7 });
    const poll = start({ WaitTimeSeconds: 20 });
    await h.clock.advance(6999);
    expect(poll.answered()).toBeUndefined();
    await h.clock.advance(1);
    expect(bodies(poll.answered() as JsonAnswer)).toEqual(['retry']);
  });

  it('wakes when a visibility change makes a message visible', async () => {
    await json('SendMessage', { QueueUrl: url, MessageBody: 'released' });
    const [message] = (await json('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 600 })).body.Messages as { ReceiptHandle: string }[];
    const poll = start({ WaitTimeSeconds: 20 });
    await settle();
    await json('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: message?.ReceiptHandle, VisibilityTimeout: 0 });
    await settle();
    expect(bodies(poll.answered() as JsonAnswer)).toEqual(['released']);
  });

  it("uses the queue's ReceiveMessageWaitTimeSeconds when the request names no wait", async () => {
    await json('SetQueueAttributes', { QueueUrl: url, Attributes: { ReceiveMessageWaitTimeSeconds: '10' } });
    const poll = start({});
    await h.clock.advance(9999);
    expect(poll.answered()).toBeUndefined();
    await h.clock.advance(1);
    expect((await poll.promise).body).toEqual({});
    const short = start({ WaitTimeSeconds: 0 });
    await settle();
    expect(short.answered()?.body).toEqual({});
  });

  it('gives one message to one of several waiting receivers', async () => {
    const polls = [start({ WaitTimeSeconds: 20 }), start({ WaitTimeSeconds: 20 }), start({ WaitTimeSeconds: 20 })];
    await settle();
    await json('SendMessage', { QueueUrl: url, MessageBody: 'only one' });
    await settle();
    await h.clock.advance(20_000);
    const answers = await Promise.all(polls.map((p) => p.promise));
    expect(answers.flatMap(bodies)).toEqual(['only one']);
  });

  it('ends pending polls with no messages when the service closes', async () => {
    const poll = start({ WaitTimeSeconds: 20 });
    await settle();
    h.service.close();
    expect((await poll.promise).body).toEqual({});
  });
});
