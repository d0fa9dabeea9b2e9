import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureQueue } from '../../../src/services/sqs/index.js';
import { echoZip, errorOf, ROLE, zipBase64 } from './harness.js';
import { LambdaEventsHarness } from './events-harness.js';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:echo';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:outcomes';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:dead-letters';
const config = (name = 'echo') => `/2019-09-25/functions/${name}/event-invoke-config`;

describe('Lambda API: event invoke configurations and dead-letter queues', () => {
  let h: LambdaEventsHarness;

  beforeEach(async () => {
    h = await LambdaEventsHarness.start();
    for (const name of ['outcomes', 'dead-letters']) await ensureQueue(h.events.storage.messages, { name, fifo: false, visibilityTimeout: 30 });
    const created = await h.call({
      method: 'POST',
      path: '/2015-03-31/functions',
      body: { FunctionName: 'echo', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64(echoZip()) }, DeadLetterConfig: { TargetArn: DLQ_ARN } },
    });
    expect(created.status).toBe(201);
    expect(created.json().DeadLetterConfig).toEqual({ TargetArn: DLQ_ARN });
  });
  afterEach(async () => {
    await h.close();
  });

  it('puts, gets, updates, lists and deletes a configuration', async () => {
    const put = await h.call({ method: 'PUT', path: config(), body: { MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } } } });
    expect(put.status).toBe(200);
    expect(put.json()).toEqual({
      LastModified: h.events.clock.now() / 1000,
      FunctionArn: `${FUNCTION_ARN}:$LATEST`,
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: QUEUE_ARN } },
    });
    const updated = await h.call({ method: 'POST', path: config(), body: { MaximumEventAgeInSeconds: 3600 } });
    expect(updated.json()).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600, DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } } });
    expect((await h.call({ method: 'GET', path: config(), query: { Qualifier: '$LATEST' } })).json()).toEqual(updated.json());
    const listed = await h.call({ method: 'GET', path: `${config()}/list` });
    expect(listed.json()).toEqual({ FunctionEventInvokeConfigs: [updated.json()] });
    const deleted = await h.call({ method: 'DELETE', path: config() });
    expect(deleted.status).toBe(204);
    expect(errorOf(await h.call({ method: 'GET', path: config() }))).toEqual({
      status: 404,
      type: 'ResourceNotFoundException',
      body: { Type: 'User', Message: `The function ${FUNCTION_ARN}:$LATEST doesn't have an EventInvokeConfig` },
    });
  });

  it('answers Lambda’s errors', async () => {
    expect(errorOf(await h.call({ method: 'PUT', path: config(), body: {} }))).toEqual({
      status: 400,
      type: 'InvalidParameterValueException',
      body: { Type: 'User', message: 'You must specify at least one of error handling or destination setting.' },
    });
    expect(errorOf(await h.call({ method: 'PUT', path: config(), body: { MaximumRetryAttempts: 5 } }))).toEqual({
      status: 400,
      type: 'ValidationException',
      body: { message: "1 validation error detected: Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2" },
    });
    expect(errorOf(await h.call({ method: 'PUT', path: config('nobody'), body: { MaximumRetryAttempts: 1 } }))).toEqual({
      status: 404,
      type: 'ResourceNotFoundException',
      body: { Type: 'User', Message: "The function doesn't exist." },
    });
    expect(errorOf(await h.call({ method: 'GET', path: `${config('nobody')}/list` })).body).toEqual({ Type: 'User', Message: "The function doesn't exist." });
    expect(errorOf(await h.call({ method: 'PUT', path: config(), body: { DestinationConfig: { OnSuccess: { Destination: FUNCTION_ARN } } } })).body).toEqual({
      Type: 'User',
      message: "You can't specify the function as a destination for itself.",
    });
    expect(errorOf(await h.call({ method: 'PUT', path: config(), body: { DestinationConfig: { OnFailure: { Destination: 'not-an-arn' } } } })).type).toBe('ValidationException');
  });

  it('shows, replaces and removes the dead-letter target through the function configuration', async () => {
    const path = '/2015-03-31/functions/echo/configuration';
    expect((await h.call({ method: 'GET', path })).json().DeadLetterConfig).toEqual({ TargetArn: DLQ_ARN });
    const changed = await h.call({ method: 'PUT', path, body: { DeadLetterConfig: { TargetArn: QUEUE_ARN } } });
    expect(changed.json().DeadLetterConfig).toEqual({ TargetArn: QUEUE_ARN });
    const removed = await h.call({ method: 'PUT', path, body: { DeadLetterConfig: {} } });
    expect(removed.json()).not.toHaveProperty('DeadLetterConfig');
    expect(errorOf(await h.call({ method: 'PUT', path, body: { DeadLetterConfig: { TargetArn: 'arn:aws:s3:::bucket' } } }))).toMatchObject({
      status: 400,
      type: 'InvalidParameterValueException',
    });
  });

  it('delivers a failed Event invoke to the dead-letter queue and a success to OnSuccess', async () => {
    await h.call({ method: 'PUT', path: config(), body: { MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: QUEUE_ARN } } } });
    const event = (payload: unknown) => h.call({ method: 'POST', path: '/2015-03-31/functions/echo/invocations', headers: { 'X-Amz-Invocation-Type': 'Event' }, body: payload });
    expect((await event({ fail: true })).status).toBe(202);
    expect((await event({ hello: 'world' })).status).toBe(202);
    const counts = (name: string) => h.events.storage.messages.counts(name);
    await expect.poll(async () => (await counts('dead-letters')).visible).toBe(1);
    await expect.poll(async () => (await counts('outcomes')).visible).toBe(1);
    const [dead] = await h.events.sqs.queues.receive(DLQ_ARN, { max: 1 });
    expect(JSON.parse(dead!.body)).toEqual({ fail: true });
    expect(dead!.messageAttributes.ErrorMessage?.stringValue).toBe('asked to fail');
    const [success] = await h.events.sqs.queues.receive(QUEUE_ARN, { max: 1 });
    expect(JSON.parse(success!.body)).toMatchObject({ requestContext: { condition: 'Success' }, requestPayload: { hello: 'world' }, responsePayload: { label: 'v1' } });
  });
});
