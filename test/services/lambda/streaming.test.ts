import { CreateFunctionCommand, InvokeCommand, InvokeWithResponseStreamCommand, LambdaClient, type InvokeWithResponseStreamResponseEvent } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { createNodeFunction, customRuntimeZip, Gate, sourceZip, streamingZip } from './stream-harness.js';

/**
 * Response streaming through the Lambda API: InvokeWithResponseStream read with the SDK v3 event by event, and the
 * same streaming function through plain Invoke (buffered).
 */
describe('Lambda response streaming', () => {
  let t: TestNode;
  let lambda: LambdaClient;
  let gate: Gate;
  beforeAll(async () => {
    t = await startTestNode();
    lambda = new LambdaClient(t.config);
    gate = await Gate.start();
    await createNodeFunction(lambda, 'streamer', streamingZip());
    await lambda.send(
      new CreateFunctionCommand({ FunctionName: 'custom', Runtime: 'provided.al2023', Handler: 'x', Role: 'arn:aws:iam::000000000000:role/lambda-role', Code: { ZipFile: customRuntimeZip() } }),
    );
    await createNodeFunction(
      lambda,
      'flood',
      sourceZip(`exports.handler = awslambda.streamifyResponse(async (event, stream) => { for (let i = 0; i < 21; i++) stream.write(Buffer.alloc(1024 * 1024, 97)); stream.end(); });`),
    );
    await createNodeFunction(lambda, 'plain', sourceZip(`exports.handler = async (event) => ({ hello: event.name });`));
  });
  afterAll(async () => {
    lambda.destroy();
    await gate.close();
    await t.close();
  });
  beforeEach(() => gate.reset());

  const payload = (extra: Record<string, unknown> = {}): Uint8Array => Buffer.from(JSON.stringify({ gate: gate.url, ...extra }));

  it('delivers each write as its own PayloadChunk while the function is still running, then InvokeComplete', async () => {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: payload() }));
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.ResponseStreamContentType).toBe('application/vnd.amazon.eventstream');
    const events = out.EventStream![Symbol.asyncIterator]();
    const first = await events.next();
    // Read while the function waits at the gate: the first write arrived on its own.
    expect(text(first.value)).toBe('first;');
    gate.open();
    const rest: InvokeWithResponseStreamResponseEvent[] = [];
    for (let next = await events.next(); !next.done; next = await events.next()) rest.push(next.value);
    expect(rest.map(text)).toEqual(['second;', undefined]);
    expect(rest[1]!.InvokeComplete).toEqual({});
  });

  it('reports an error thrown after the stream began in InvokeComplete', async () => {
    gate.open();
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: payload({ fail: true }), LogType: 'Tail' }));
    const events: InvokeWithResponseStreamResponseEvent[] = [];
    for await (const event of out.EventStream!) events.push(event);
    expect(events.slice(0, 2).map(text)).toEqual(['first;', 'second;']);
    const complete = events[2]!.InvokeComplete!;
    expect(complete.ErrorCode).toBe('Error');
    expect(JSON.parse(complete.ErrorDetails!)).toMatchObject({ errorType: 'Error', errorMessage: 'failed mid-stream' });
    expect(Buffer.from(complete.LogResult!, 'base64').toString()).toContain('REPORT RequestId:');
  });

  it('streams a custom runtime that posts its response in the Runtime API streaming mode, errors from its trailers', async () => {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'custom', Payload: payload({ fail: true }) }));
    const events = out.EventStream![Symbol.asyncIterator]();
    expect(text((await events.next()).value)).toBe('first;');
    gate.open();
    const rest: InvokeWithResponseStreamResponseEvent[] = [];
    for (let next = await events.next(); !next.done; next = await events.next()) rest.push(next.value);
    expect(text(rest[0])).toBe('second;');
    expect(rest[1]!.InvokeComplete).toMatchObject({ ErrorCode: 'StreamBroke' });
    expect(JSON.parse(rest[1]!.InvokeComplete!.ErrorDetails!)).toEqual({ errorType: 'StreamBroke', errorMessage: 'custom runtime failed mid-stream' });
  });

  it("ends a stream over Lambda's 20 MB with Function.ResponseSizeTooLarge", async () => {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'flood' }));
    let bytes = 0;
    let complete: InvokeWithResponseStreamResponseEvent['InvokeComplete'];
    for await (const event of out.EventStream!) {
      bytes += event.PayloadChunk?.Payload?.length ?? 0;
      complete ??= event.InvokeComplete;
    }
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html: a 20 MB soft limit.
    expect(bytes).toBe(20 * 1024 * 1024);
    expect(complete?.ErrorCode).toBe('Function.ResponseSizeTooLarge');
  });

  it('answers a function that does not stream with its whole response in one PayloadChunk', async () => {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'plain', Payload: Buffer.from('{"name":"flint"}') }));
    const events: InvokeWithResponseStreamResponseEvent[] = [];
    for await (const event of out.EventStream!) events.push(event);
    expect(events.map(text)).toEqual(['{"hello":"flint"}', undefined]);
    expect(events[1]!.InvokeComplete).toEqual({});
  });

  it('gives plain Invoke of a streaming function the whole body', async () => {
    gate.open();
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'streamer', Payload: payload() }));
    expect(out.FunctionError).toBeUndefined();
    expect(Buffer.from(out.Payload!).toString()).toBe('first;second;');
  });

  it('refuses a missing function before any stream, as Invoke does', async () => {
    await expect(lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

function text(event: InvokeWithResponseStreamResponseEvent | undefined): string | undefined {
  const bytes = event?.PayloadChunk?.Payload;
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
}
