import type { CallResult } from '../../events/index.js';
import { EVENT_STREAM_CONTENT_TYPE, eventStreamMessage, reply } from '../../protocol/index.js';
import type { InvokeWithResponseStreamCompleteEvent } from './api.js';
import type { LambdaHandler } from './context.js';
import { checkedPayload, decodeClientContext } from './invoke.js';
import { latestNotFound } from './names.js';
import { startStreamedCall, type StreamedCall } from './streamed-call.js';

/**
 * InvokeWithResponseStream: the function's response as an application/vnd.amazon.eventstream body of PayloadChunk
 * events (raw bytes, as the function wrote them) ending with one InvokeComplete event, the shapes the SDK v3's
 * InvokeWithResponseStreamCommand reads (Lambda's model: InvokeWithResponseStreamResponseEvent). A streaming function
 * (awslambda.streamifyResponse) is answered as soon as it begins writing, each write its own PayloadChunk; a function
 * that does not stream is answered once it returns, its whole response in one PayloadChunk. An error or a timeout
 * after the stream began is reported in InvokeComplete's ErrorCode and ErrorDetails. DryRun checks the function exists.
 */
export const invokeWithResponseStream: LambdaHandler<'InvokeWithResponseStream'> = async (input, ctx) => {
  const { FunctionName: name, Qualifier: qualifier } = input;
  const type = input.InvocationType ?? 'RequestResponse';
  const payload = checkedPayload(input.Payload, 'RequestResponse', ctx.errors);
  const clientContext = decodeClientContext(input.ClientContext, ctx.errors);
  try {
    if (type === 'DryRun') {
      await ctx.registry.resolve(name, qualifier);
      return { StatusCode: 204 };
    }
    const call = { functionName: name, qualifier, requestId: ctx.request.requestId, payload, ...(clientContext !== undefined ? { clientContext } : {}) };
    const started = await startStreamedCall(ctx.backend.calls, call);
    const version = started.stream ? (await ctx.registry.resolve(name, qualifier)).version : (await started.done).executedVersion;
    return reply(
      { StatusCode: 200, ExecutedVersion: version },
      { headers: { 'content-type': EVENT_STREAM_CONTENT_TYPE }, body: events(started, input.LogType === 'Tail') },
    );
  } catch (error) {
    throw latestNotFound(error, ctx.registry, name, qualifier);
  }
};

async function* events(call: StreamedCall, tail: boolean): AsyncGenerator<Uint8Array> {
  if (call.stream) for await (const chunk of call.stream.chunks) yield payloadChunk(chunk);
  const done: CallResult = await call.done;
  const { result } = done;
  if (!result.streamed && result.status === 'success' && result.payload.length > 0) yield payloadChunk(result.payload);
  const complete: InvokeWithResponseStreamCompleteEvent = {};
  if (result.status !== 'success') {
    complete.ErrorCode = result.errorType ?? 'Unhandled';
    complete.ErrorDetails = result.payload.toString('utf8');
  }
  if (tail) complete.LogResult = Buffer.from(result.logTail).toString('base64');
  yield eventStreamMessage({ ':event-type': 'InvokeComplete', ':content-type': 'application/json', ':message-type': 'event' }, Buffer.from(JSON.stringify(complete)));
}

function payloadChunk(bytes: Buffer): Buffer {
  return eventStreamMessage({ ':event-type': 'PayloadChunk', ':content-type': 'application/octet-stream', ':message-type': 'event' }, bytes);
}
