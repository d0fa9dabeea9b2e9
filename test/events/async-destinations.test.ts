import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestId } from '../../src/core/index.js';
import type { AsyncEvent } from '../../src/events/index.js';
import { ensureQueue } from '../../src/services/sqs/index.js';
import { EventsHarness, functionArn, queueArn } from './harness.js';

const FLAKY = `
exports.handler = async (event, context) => {
  console.log('attempt for', context.awsRequestId);
  if (event.fail) throw new Error('failing on purpose');
  return { ok: true, got: event };
};
`;

describe('asynchronous invocation configuration, destinations and dead-letter queues', () => {
  let h: EventsHarness;

  beforeEach(async () => {
    h = await EventsHarness.open();
    await h.deploy('flaky', FLAKY);
    for (const name of ['outcomes', 'dead-letters']) await ensureQueue(h.storage.messages, { name, fifo: false, visibilityTimeout: 30 });
  });
  afterEach(async () => {
    await h.close();
  });

  const accept = async (payload: unknown, functionName = 'flaky'): Promise<AsyncEvent> => {
    const event = { requestId: requestId(), functionName, payload: Buffer.from(JSON.stringify(payload)) };
    await h.async.accept(event);
    return event;
  };
  const attempts = (id: string) => h.logs.messages(id).filter((m) => m.startsWith('START')).length;
  const waitingForRetry = () => expect.poll(async () => (await h.storage.queues.counts('lambda-async')).delayed).toBe(1);
  const received = async (queue: string) => {
    await expect.poll(async () => (await h.storage.messages.counts(queue)).visible).toBe(1);
    const [message] = await h.sqs.queues.receive(queueArn(queue), { max: 1 });
    return message!;
  };

  it('retries as often as MaximumRetryAttempts says', async () => {
    await h.configs.put('flaky', undefined, { maximumRetryAttempts: 1 });
    const event = await accept({ fail: true });
    await waitingForRetry();
    expect(attempts(event.requestId)).toBe(1);
    await h.clock.advance(60_000);
    await expect.poll(() => h.finals.map((f) => f.reason)).toEqual(['retries-exhausted']);
    expect(attempts(event.requestId)).toBe(2);
  });

  it('sends the invocation record of a success to OnSuccess', async () => {
    await h.configs.put('flaky', undefined, { destinations: { onSuccess: queueArn('outcomes') } });
    const event = await accept({ order: 7 });
    const message = await received('outcomes');
    expect(JSON.parse(message.body)).toEqual({
      version: '1.0',
      timestamp: new Date(h.clock.now()).toISOString(),
      requestContext: { requestId: event.requestId, functionArn: `${functionArn('flaky')}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { order: 7 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { ok: true, got: { order: 7 } },
    });
  });

  it('sends the record of a final failure to OnFailure once the retries are used up', async () => {
    await h.configs.put('flaky', undefined, { maximumRetryAttempts: 0, destinations: { onFailure: queueArn('outcomes') } });
    const event = await accept({ fail: true });
    const record = JSON.parse((await received('outcomes')).body) as Record<string, unknown>;
    expect(record).toMatchObject({
      requestContext: { requestId: event.requestId, condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { fail: true },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'failing on purpose' },
    });
  });

  it('ends an event whose next retry would come after MaximumEventAgeInSeconds with EventAgeExceeded', async () => {
    await h.configs.put('flaky', undefined, { maximumEventAgeInSeconds: 60, destinations: { onFailure: queueArn('outcomes') } });
    const event = await accept({ fail: true });
    const record = JSON.parse((await received('outcomes')).body) as Record<string, unknown>;
    expect(record).toMatchObject({ requestContext: { requestId: event.requestId, condition: 'EventAgeExceeded', approximateInvokeCount: 1 } });
    expect(h.finals.map((f) => f.reason)).toEqual(['too-old']);
  });

  it("sends the original event to the function's dead-letter queue with Lambda's attributes", async () => {
    await h.registry.updateConfiguration('flaky', { deadLetterTargetArn: queueArn('dead-letters') });
    await h.configs.put('flaky', undefined, { maximumRetryAttempts: 0 });
    const event = await accept({ fail: true, id: 42 });
    const message = await received('dead-letters');
    expect(JSON.parse(message.body)).toEqual({ fail: true, id: 42 });
    expect(message.messageAttributes).toEqual({
      RequestID: { dataType: 'String', stringValue: event.requestId, stringListValues: [], binaryListValues: [] },
      ErrorCode: { dataType: 'Number', stringValue: '200', stringListValues: [], binaryListValues: [] },
      ErrorMessage: { dataType: 'String', stringValue: 'failing on purpose', stringListValues: [], binaryListValues: [] },
    });
  });

  it('prefers the OnFailure destination to the dead-letter queue', async () => {
    await h.registry.updateConfiguration('flaky', { deadLetterTargetArn: queueArn('dead-letters') });
    await h.configs.put('flaky', undefined, { maximumRetryAttempts: 0, destinations: { onFailure: queueArn('outcomes') } });
    await accept({ fail: true });
    await received('outcomes');
    expect((await h.storage.messages.counts('dead-letters')).visible).toBe(0);
  });

  it('invokes a function destination asynchronously with the record as its event', async () => {
    await h.deploy('recorder', "exports.handler = async (event) => ({ recorded: event.requestContext.condition });");
    await h.configs.put('flaky', undefined, { destinations: { onSuccess: functionArn('recorder') } });
    await accept({ hello: 'there' });
    await expect.poll(() => h.finals.length).toBe(2);
    const forwarded = h.finals.find((f) => f.event.functionName === functionArn('recorder'))!;
    expect(forwarded.reason).toBe('success');
    expect(JSON.parse(forwarded.event.payload.toString('utf8'))).toMatchObject({ requestContext: { condition: 'Success' }, requestPayload: { hello: 'there' } });
  });

  it('keeps configurations per qualifier', async () => {
    await h.registry.publishVersion('flaky');
    await h.registry.createAlias('flaky', { name: 'live', functionVersion: '1' });
    await h.configs.put('flaky', 'live', { maximumRetryAttempts: 0, destinations: { onFailure: queueArn('outcomes') } });
    await h.configs.put('flaky', '1', { maximumRetryAttempts: 1 });
    await h.configs.put('flaky:$LATEST', undefined, { maximumEventAgeInSeconds: 120 });
    await h.async.accept({ requestId: requestId(), functionName: 'flaky', qualifier: 'live', payload: Buffer.from('{"fail":true}') });
    const record = JSON.parse((await received('outcomes')).body) as { requestContext: { functionArn: string } };
    expect(record.requestContext.functionArn).toBe(`${functionArn('flaky')}:live`);
    expect((await h.configs.list('flaky')).items.map((c) => [c.qualifier, c.maximumRetryAttempts, c.maximumEventAgeInSeconds])).toEqual([
      ['$LATEST', undefined, 120],
      ['1', 1, undefined],
      ['live', 0, undefined],
    ]);
  });

  it('puts, updates and deletes configurations with Lambda’s checks', async () => {
    const put = await h.configs.put('flaky', undefined, { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 600 });
    expect(put).toMatchObject({ functionName: 'flaky', qualifier: '$LATEST', maximumRetryAttempts: 2, maximumEventAgeInSeconds: 600, destinations: {} });
    const updated = await h.configs.update('flaky', undefined, { maximumRetryAttempts: 0, destinations: { onSuccess: queueArn('outcomes') } });
    expect(updated).toMatchObject({ maximumRetryAttempts: 0, maximumEventAgeInSeconds: 600, destinations: { onSuccess: queueArn('outcomes') } });
    const replaced = await h.configs.put('flaky', undefined, { maximumRetryAttempts: 1 });
    expect(replaced.maximumEventAgeInSeconds).toBeUndefined();
    await h.configs.delete('flaky', undefined);
    await expect(h.configs.get('flaky', undefined)).rejects.toThrow(`The function ${functionArn('flaky')}:$LATEST doesn't have an EventInvokeConfig`);

    await expect(h.configs.put('flaky', undefined, {})).rejects.toThrow('You must specify at least one of error handling or destination setting.');
    await expect(h.configs.put('flaky', undefined, { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 59 })).rejects.toThrow(
      "2 validation errors detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2; Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    );
    await expect(h.configs.put('absent', undefined, { maximumRetryAttempts: 1 })).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND', message: "The function doesn't exist." });
    await expect(h.configs.put('flaky', undefined, { destinations: { onSuccess: functionArn('flaky') } })).rejects.toThrow("You can't specify the function as a destination for itself.");
    await expect(h.configs.put('flaky', undefined, { destinations: { onSuccess: functionArn('nobody') } })).rejects.toThrow(`The destination ARN ${functionArn('nobody')} is invalid.`);
    await expect(h.configs.put('flaky', undefined, { destinations: { onFailure: queueArn('no-such-queue') } })).rejects.toThrow(`The destination ARN ${queueArn('no-such-queue')} is invalid.`);
    await expect(h.configs.put('flaky', undefined, { destinations: { onSuccess: 'arn:aws:iam:us-east-1:000000000000:function:x' } })).rejects.toThrow(
      'The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=arn:aws:iam:us-east-1:000000000000:function:x), onFailure=null) is invalid.',
    );
    await expect(h.configs.put('flaky', undefined, { destinations: { onSuccess: 'arn:aws:events:us-east-1:000000000000:event-bus/default' } })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      details: { unsupported: true },
    });
    await expect(h.configs.put('flaky:1', '2', { maximumRetryAttempts: 1 })).rejects.toThrow('The derived qualifier from the function name does not match the specified qualifier.');
  });
});
