import { isUtf8 } from 'node:buffer';
import { LIMITS } from '../../core/index.js';
import { reply } from '../../protocol/index.js';
import type { LambdaHandler } from './context.js';
import type { LambdaErrors } from './errors.js';
import { latestNotFound } from './names.js';

/**
 * Invoke: RequestResponse runs the function and answers its result (200 even when the function fails, with
 * X-Amz-Function-Error), Event stores the event and answers 202, DryRun checks the target exists and answers 204.
 */

/** In the order Lambda lists them when it refuses another (the model lists Event first). */
const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;
type InvocationType = (typeof INVOCATION_TYPES)[number];

/** Lambda runs a function with no payload as if it had been sent `{}`. */
const EMPTY_EVENT = Buffer.from('{}');

export const invoke: LambdaHandler<'Invoke'> = async (input, ctx) => {
  const { FunctionName: name, Qualifier: qualifier } = input;
  const type = invocationType(input.InvocationType, ctx.errors);
  const payload = checkedPayload(input.Payload, type, ctx.errors);
  const clientContext = decodeClientContext(input.ClientContext, ctx.errors);
  const call = { functionName: name, qualifier, requestId: ctx.request.requestId, payload, ...(clientContext !== undefined ? { clientContext } : {}) };
  try {
    if (type === 'DryRun') {
      await ctx.registry.resolve(name, qualifier);
      return { StatusCode: 204 };
    }
    if (type === 'Event') {
      await ctx.backend.calls.accept(call);
      return { StatusCode: 202 };
    }
    const { result, executedVersion } = await ctx.backend.calls.invoke(call);
    return reply(
      {
        StatusCode: 200,
        // Every failure (an error thrown, a timeout, a crash, running out of memory, a failed init) is "Unhandled".
        ...(result.status !== 'success' ? { FunctionError: 'Unhandled' } : {}),
        ...(input.LogType === 'Tail' ? { LogResult: Buffer.from(result.logTail).toString('base64') } : {}),
        ExecutedVersion: executedVersion,
        Payload: result.payload,
      },
      // The model leaves the payload's type open; a function's result is JSON.
      { headers: { 'content-type': 'application/json' } },
    );
  } catch (error) {
    throw latestNotFound(error, ctx.registry, name, qualifier);
  }
};

/** Checked here rather than by the model, whose enum lists the types in another order than Lambda's message. */
function invocationType(given: string | undefined, errors: LambdaErrors): InvocationType {
  if (given === undefined) return 'RequestResponse';
  const found = INVOCATION_TYPES.find((candidate) => candidate === given);
  if (found === undefined) throw errors.enumViolation('invocationType', given, INVOCATION_TYPES);
  return found;
}

/** Lambda refuses a payload that is not JSON, and an Event payload over the asynchronous limit. */
export function checkedPayload(given: Uint8Array | undefined, type: InvocationType, errors: LambdaErrors): Buffer {
  const body = given === undefined ? Buffer.alloc(0) : Buffer.from(given.buffer, given.byteOffset, given.byteLength);
  if (type === 'Event' && body.length > LIMITS.asyncPayloadBytes) {
    throw errors.tooLarge(`${body.length} byte payload is too large for the Event invocation type (limit ${LIMITS.asyncPayloadBytes} bytes)`);
  }
  if (body.length === 0) return EMPTY_EVENT;
  if (!isUtf8(body)) throw errors.unparsable('Could not parse payload into json: Invalid UTF-8 byte sequence');
  const text = body.toString('utf8');
  if (text.trim() === '') return EMPTY_EVENT;
  try {
    JSON.parse(text);
  } catch (error) {
    throw errors.unparsable(`Could not parse payload into json: ${error instanceof Error ? error.message : String(error)}`);
  }
  return body;
}

/** X-Amz-Client-Context is base64-encoded JSON; the function's context gets the JSON itself. */
export function decodeClientContext(encoded: string | undefined, errors: LambdaErrors): string | undefined {
  if (encoded === undefined || encoded === '') return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  try {
    const value: unknown = JSON.parse(decoded);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return decoded;
  } catch {
    // reported below
  }
  throw errors.invalidValue('Client context must be a valid Base64-encoded JSON object.');
}
