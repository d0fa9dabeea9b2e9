import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arn, errorOf, echoZip, LambdaHarness, zipBase64 } from './harness.js';

describe('Lambda API: Invoke', () => {
  let h: LambdaHarness;
  beforeAll(async () => {
    h = await LambdaHarness.start();
    await h.createFunction('echo');
  });
  afterAll(async () => {
    await h.close();
  });

  it('runs the function and answers its result with the executed version', async () => {
    const answer = await h.invoke('echo', { key: 'value' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['X-Amz-Executed-Version']).toBe('$LATEST');
    expect(answer.headers).not.toHaveProperty('X-Amz-Function-Error');
    expect(answer.headers).not.toHaveProperty('X-Amz-Log-Result');
    const body = answer.json();
    expect(body).toMatchObject({ label: 'v1', event: { key: 'value' }, version: '$LATEST', invokedArn: arn('echo') });
    // The request id Lambda answers with is the function's awsRequestId.
    expect(body.requestId).toBe(answer.headers['x-amzn-RequestId']);
  });

  it('passes an empty payload as {}', async () => {
    const answer = await h.invoke('echo', undefined);
    expect(answer.json().event).toEqual({});
  });

  it('returns the log tail, START to REPORT, base64-encoded when asked with LogType Tail', async () => {
    const answer = await h.invoke('echo', { hello: 'logs' }, { headers: { 'X-Amz-Log-Type': 'Tail' } });
    const tail = Buffer.from(answer.headers['X-Amz-Log-Result']!, 'base64').toString('utf8');
    const requestId = answer.headers['x-amzn-RequestId']!;
    expect(tail).toMatch(new RegExp(`^START RequestId: ${requestId} Version: \\$LATEST`));
    expect(tail).toContain('handling {"hello":"logs"}');
    expect(tail).toContain(`END RequestId: ${requestId}`);
    expect(tail).toMatch(new RegExp(`REPORT RequestId: ${requestId}\\tDuration: `));
  });

  it('marks a thrown error with X-Amz-Function-Error: Unhandled and answers Lambda error document with 200', async () => {
    const answer = await h.invoke('echo', { fail: true });
    expect(answer.status).toBe(200);
    expect(answer.headers['X-Amz-Function-Error']).toBe('Unhandled');
    expect(answer.json()).toMatchObject({ errorType: 'TypeError', errorMessage: 'asked to fail' });
  });

  it('decodes X-Amz-Client-Context for the function, and refuses one that is not base64 JSON', async () => {
    const context = { custom: { a: 1 } };
    const answer = await h.invoke('echo', {}, { headers: { 'X-Amz-Client-Context': Buffer.from(JSON.stringify(context)).toString('base64') } });
    expect(answer.json().clientContext).toMatchObject(context);
    const bad = await h.invoke('echo', {}, { headers: { 'X-Amz-Client-Context': Buffer.from('not json').toString('base64') } });
    expect(errorOf(bad)).toMatchObject({ status: 400, type: 'InvalidParameterValueException' });
  });

  it('refuses a payload that is not JSON with InvalidRequestContentException', async () => {
    const answer = await h.invoke('echo', 'not json');
    const error = errorOf(answer);
    expect(error.status).toBe(400);
    expect(error.type).toBe('InvalidRequestContentException');
    expect(error.body.Type).toBe('User');
    expect(error.body.message).toMatch(/^Could not parse request body into json: Could not parse payload into json: /);
    const binary = await h.invoke('echo', Buffer.from([0x6e, 0x87, 0x72]));
    expect(errorOf(binary).type).toBe('InvalidRequestContentException');
  });

  it('refuses an unknown invocation type or log type with ValidationException', async () => {
    const answer = await h.invoke('echo', {}, { headers: { 'X-Amz-Invocation-Type': 'Later' } });
    expect(errorOf(answer)).toEqual({
      status: 400,
      type: 'ValidationException',
      body: {
        message:
          "1 validation error detected: Value 'Later' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, Event, DryRun]",
      },
    });
    expect(errorOf(await h.invoke('echo', {}, { headers: { 'X-Amz-Log-Type': 'All' } })).type).toBe('ValidationException');
  });

  it('names $LATEST when an unqualified function is missing, and the qualifier when one is given', async () => {
    const missing = await h.invoke('nothing-here', {});
    expect(errorOf(missing)).toEqual({ status: 404, type: 'ResourceNotFoundException', body: { Type: 'User', Message: `Function not found: ${arn('nothing-here', '$LATEST')}` } });
    const version = await h.invoke('echo', {}, { query: { Qualifier: '42' } });
    expect(errorOf(version).body.Message).toBe(`Function not found: ${arn('echo', '42')}`);
    const alias = await h.invoke('echo', {}, { query: { Qualifier: 'nope' } });
    expect(errorOf(alias).body.Message).toBe(`Function not found: ${arn('echo', 'nope')}`);
  });

  it('DryRun answers 204 for an existing function and 404 otherwise, running nothing', async () => {
    const before = h.logs.records.length;
    const dry = await h.invoke('echo', {}, { headers: { 'X-Amz-Invocation-Type': 'DryRun' } });
    expect(dry.status).toBe(204);
    expect(dry.raw.length).toBe(0);
    expect(h.logs.records.length).toBe(before);
    const missing = await h.invoke('ghost', {}, { headers: { 'X-Amz-Invocation-Type': 'DryRun' } });
    expect(errorOf(missing).status).toBe(404);
  });

  it('Event answers 202 with an empty body once stored, then runs the function with the same request id', async () => {
    const answer = await h.invoke('echo', { async: true }, { headers: { 'X-Amz-Invocation-Type': 'Event' } });
    expect(answer.status).toBe(202);
    expect(answer.raw.length).toBe(0);
    const requestId = answer.headers['x-amzn-RequestId']!;
    await expect.poll(() => h.finals.find((f) => f.event.requestId === requestId)?.reason).toBe('success');
    const final = h.finals.find((f) => f.event.requestId === requestId)!;
    expect(JSON.parse(final.result!.payload.toString())).toMatchObject({ event: { async: true }, requestId });
    const missing = await h.invoke('ghost', {}, { headers: { 'X-Amz-Invocation-Type': 'Event' } });
    expect(errorOf(missing).body.Message).toBe(`Function not found: ${arn('ghost', '$LATEST')}`);
  });

  it('runs the version an alias points at and reports it in X-Amz-Executed-Version', async () => {
    await h.createFunction('aliased');
    await h.call({ method: 'POST', path: '/2015-03-31/functions/aliased/versions', body: {} });
    await h.call({ method: 'PUT', path: '/2015-03-31/functions/aliased/code', body: { ZipFile: zipBase64(echoZip('v2')) } });
    await h.call({ method: 'POST', path: '/2015-03-31/functions/aliased/aliases', body: { Name: 'live', FunctionVersion: '1' } });

    const viaAlias = await h.invoke('aliased', {}, { query: { Qualifier: 'live' } });
    expect(viaAlias.headers['X-Amz-Executed-Version']).toBe('1');
    expect(viaAlias.json()).toMatchObject({ label: 'v1', version: '1', invokedArn: arn('aliased', 'live') });

    const viaArn = await h.invoke(arn('aliased', 'live'), {});
    expect(viaArn.headers['X-Amz-Executed-Version']).toBe('1');

    const latest = await h.invoke('aliased', {});
    expect(latest.headers['X-Amz-Executed-Version']).toBe('$LATEST');
    expect(latest.json().label).toBe('v2');

    const mismatch = await h.invoke(arn('aliased', 'live'), {}, { query: { Qualifier: '1' } });
    expect(errorOf(mismatch)).toEqual({
      status: 400,
      type: 'InvalidParameterValueException',
      body: { Type: 'User', message: 'The derived qualifier from the function name does not match the specified qualifier.' },
    });
  });

  it('throttles with TooManyRequestsException, Reason and Retry-After when reserved concurrency is 0', async () => {
    await h.createFunction('blocked');
    await h.call({ method: 'PUT', path: '/2017-10-31/functions/blocked/concurrency', body: { ReservedConcurrentExecutions: 0 } });
    await h.settled();
    const answer = await h.invoke('blocked', {});
    expect(errorOf(answer)).toEqual({
      status: 429,
      type: 'TooManyRequestsException',
      body: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' },
    });
    expect(answer.headers['Retry-After']).toBe('1');
  });

  it('refuses an invoke request over 6 MB and an Event payload over 1 MB with RequestEntityTooLargeException', async () => {
    expect(h.service.bodyLimit('POST', '/2015-03-31/functions/echo/invocations')).toBe(6_291_456);
    const tooBig = await h.call({ method: 'POST', path: '/2015-03-31/functions/echo/invocations', bodyTooLarge: true });
    expect(errorOf(tooBig)).toEqual({
      status: 413,
      type: 'RequestEntityTooLargeException',
      body: { message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' },
    });

    const payload = JSON.stringify({ data: 'x'.repeat(1_048_576) });
    const event = await h.invoke('echo', payload, { headers: { 'X-Amz-Invocation-Type': 'Event' } });
    expect(errorOf(event)).toEqual({
      status: 413,
      type: 'RequestEntityTooLargeException',
      body: { message: `${Buffer.byteLength(payload)} byte payload is too large for the Event invocation type (limit 1048576 bytes)` },
    });

    // The same payload is fine synchronously.
    const sync = await h.invoke('echo', payload);
    expect(sync.status).toBe(200);
    expect((sync.json().event as { data: string }).data.length).toBe(1_048_576);
  });
});
