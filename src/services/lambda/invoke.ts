import { isUtf8 } from 'node:buffer';
import { LIMITS, type BufferedRequest, type BufferedResponse } from '../../core/index.js';
import type { InvocationResult } from '../../invoker/index.js';
import { enumViolation, invalidValue, requestTooLarge, unparsableBody } from './errors.js';
import { empty, header, pathParam, queryParam, type Operation } from './http.js';
import { latestNotFound } from './names.js';

/**
 * Invoke: RequestResponse runs the function and answers its result (200 even when the function fails, with
 * X-Amz-Function-Error), Event stores the event and answers 202, DryRun checks the target exists and answers 204.
 */

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;
const LOG_TYPES = ['None', 'Tail'] as const;
type InvocationType = (typeof INVOCATION_TYPES)[number];

/** Lambda runs a function with no payload as if it had been sent `{}`. */
const EMPTY_EVENT = Buffer.from('{}');

export const invoke: Operation = async (ctx) => {
  const { req } = ctx;
  const name = pathParam(ctx, 'FunctionName');
  const qualifier = queryParam(req, 'Qualifier');
  const type = oneOf(header(req, 'x-amz-invocation-type') ?? 'RequestResponse', INVOCATION_TYPES, 'invocationType');
  const tail = oneOf(header(req, 'x-amz-log-type') ?? 'None', LOG_TYPES, 'logType') === 'Tail';
  const payload = checkedPayload(req.body, type);
  const clientContext = decodeClientContext(header(req, 'x-amz-client-context'));
  const input = { requestId: req.requestId, payload, ...(clientContext !== undefined ? { clientContext } : {}) };
  try {
    if (type === 'DryRun') {
      await ctx.registry.resolve(name, qualifier);
      return empty(req, 204);
    }
    if (type === 'Event') {
      await ctx.backend.invokeAsync(name, qualifier, input);
      return empty(req, 202);
    }
    const { result, executedVersion } = await ctx.backend.invokeSync(name, qualifier, input);
    return syncResponse(req, result, executedVersion, tail);
  } catch (error) {
    throw latestNotFound(error, ctx.registry, name, qualifier);
  }
};

function syncResponse(req: BufferedRequest, result: InvocationResult, executedVersion: string, tail: boolean): BufferedResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-RequestId': req.requestId,
    'X-Amz-Executed-Version': executedVersion,
  };
  // Every failure (an error thrown, a timeout, a crash, running out of memory, a failed init) is "Unhandled".
  if (result.status !== 'success') headers['X-Amz-Function-Error'] = 'Unhandled';
  if (tail) headers['X-Amz-Log-Result'] = Buffer.from(result.logTail).toString('base64');
  return { status: 200, headers, body: result.payload };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw enumViolation(field, value, allowed);
  return found;
}

/** Lambda refuses a payload that is not JSON, and an Event payload over the asynchronous limit. */
function checkedPayload(body: Buffer, type: InvocationType): Buffer {
  if (type === 'Event' && body.length > LIMITS.asyncPayloadBytes) {
    throw requestTooLarge(`${body.length} byte payload is too large for the Event invocation type (limit ${LIMITS.asyncPayloadBytes} bytes)`, {
      size: body.length,
      limit: LIMITS.asyncPayloadBytes,
    });
  }
  if (body.length === 0) return EMPTY_EVENT;
  if (!isUtf8(body)) throw unparsableBody('Could not parse payload into json: Invalid UTF-8 byte sequence');
  const text = body.toString('utf8');
  if (text.trim() === '') return EMPTY_EVENT;
  try {
    JSON.parse(text);
  } catch (error) {
    throw unparsableBody(`Could not parse payload into json: ${error instanceof Error ? error.message : String(error)}`);
  }
  return body;
}

/** X-Amz-Client-Context is base64-encoded JSON; the function's context gets the JSON itself. */
function decodeClientContext(encoded: string | undefined): string | undefined {
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  try {
    const value: unknown = JSON.parse(decoded);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return decoded;
  } catch {
    // reported below
  }
  throw invalidValue('Client context must be a valid Base64-encoded JSON object.', { field: 'clientContext' });
}
