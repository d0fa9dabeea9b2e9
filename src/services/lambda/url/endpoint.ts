import { isFlintError, LIMITS, type Clock, type Service, type ServiceRequest, type ServiceResponse } from '../../../core/index.js';
import type { CallResult, FunctionCall, FunctionCalls } from '../../../events/index.js';
import type { FunctionRegistry, FunctionUrlRecord } from '../../../functions/index.js';
import { HTTP_INTEGRATION_CONTENT_TYPE } from '../../../runtime/index.js';
import { startStreamedCall } from '../streamed-call.js';
import { publicAccessAllowed, signer, type WhoIs } from './access.js';
import { urlAddressOf } from './address.js';
import { preflight, withCors } from './cors.js';
import { buildUrlEvent, type IamCaller } from './event.js';
import { bufferedResponse, forbidden, httpHeaders, internalError, preludeOf, splitPrelude } from './response.js';

/**
 * Serves function URLs: finds the configuration the request's host or path names (address.ts), answers CORS
 * preflights, checks access (access.ts), sends the function the payload 2.0 event (event.ts) and answers with its
 * result (response.ts). A BUFFERED URL answers once the function returns; a RESPONSE_STREAM URL answers as soon as the
 * function begins its stream and sends each write as a chunk of a chunked HTTP response.
 *
 * Statuses, as Lambda's function URLs answer: 403 {"Message":null} with x-amzn-ErrorType AccessDeniedException for a
 * URL that does not exist, and 403 with Lambda's "Forbidden. For troubleshooting ..." message for a refused caller
 * (LocalStack's recordings of AWS, test_lambda.snapshot.json: test_lambda_url_non_existing_url,
 * test_lambda_permission_url_invocation, test_lambda_url_persists_after_alias_delete); 502 "Internal Server Error" for
 * a function error, crash or timeout (test_lambda_url_invocation_exception); 429 when the function is throttled
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html); 413 for a request over Lambda's 6 MB.
 */

export const FORBIDDEN_MESSAGE = 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html';

export interface FunctionUrlEndpointOptions {
  registry: FunctionRegistry;
  /** Late: the calls exist once the invoker does. */
  calls: () => FunctionCalls;
  /** The node's region, which the path form's domainName names. */
  region: string;
  accountId: string;
  clock: Clock;
  /** Who signed an AWS_IAM request; without it every signer is the node account's root. */
  whoIs?: WhoIs;
  /** The endpoint of another account whose registry has the URL, asked when this registry has none of that id. */
  elsewhere?: (urlId: string) => Promise<Service | undefined>;
}

export class FunctionUrlEndpoint implements Service {
  constructor(private readonly options: FunctionUrlEndpointOptions) {}

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    const extra = { 'x-amzn-RequestId': request.requestId };
    const address = urlAddressOf(request.host, request.rawPath, this.options.region);
    const config = address && (await this.options.registry.urls.byId(address.urlId));
    if (!address) return forbidden(null, extra);
    if (!config) return (await this.options.elsewhere?.(address.urlId))?.handle(request) ?? forbidden(null, extra);
    const answer = preflight(config.cors, request, extra);
    if (answer) return answer;
    let caller: IamCaller | undefined;
    if (config.authType === 'AWS_IAM') {
      // A signature the gateway refused (server mode) is no caller.
      caller = request.refusal ? undefined : await signer(request, this.options.whoIs, this.options.accountId);
      if (!caller) return forbidden(FORBIDDEN_MESSAGE, extra);
    } else if (!(await publicAccessAllowed(this.options.registry, config))) {
      return forbidden(FORBIDDEN_MESSAGE, extra);
    }
    const body = await request.body.read(LIMITS.syncPayloadBytes);
    if (!body) return tooLarge(extra);
    const payload = buildUrlEvent(request, address, body, caller, this.options.clock.now());
    const call: FunctionCall = { functionName: config.functionName, qualifier: config.qualifier, payload, requestId: request.requestId };
    try {
      return withCors(config.cors, request, await this.run(config, call, extra));
    } catch (error) {
      if (isFlintError(error, 'TOO_MANY_REQUESTS')) return throttled(extra);
      // The alias the URL names was deleted: Lambda refuses the call as it refuses an unauthorised one.
      if (isFlintError(error, 'FUNCTION_NOT_FOUND')) return forbidden(FORBIDDEN_MESSAGE, extra);
      throw error;
    }
  }

  private async run(config: FunctionUrlRecord, call: FunctionCall, extra: Record<string, string>): Promise<ServiceResponse> {
    if (config.invokeMode !== 'RESPONSE_STREAM') return buffered(await this.options.calls().invoke(call), extra);
    const started = await startStreamedCall(this.options.calls(), call);
    if (!started.stream) return buffered(await started.done, extra);
    const { contentType, chunks } = started.stream;
    if (contentType !== HTTP_INTEGRATION_CONTENT_TYPE) return { status: 200, headers: { 'content-type': contentType, ...extra }, body: chunks };
    const { prelude, rest } = await splitPrelude(chunks);
    if (!prelude) {
      void drain(rest);
      return internalError(extra);
    }
    return { status: prelude.statusCode, headers: httpHeaders(prelude, extra), body: rest };
  }
}

/** A whole result: the function's answer mapped to HTTP, or a streamed one gathered (with its prelude applied). */
function buffered({ result }: CallResult, extra: Record<string, string>): ServiceResponse {
  if (result.status !== 'success') return internalError(extra);
  if (!result.streamed) return bufferedResponse(result.payload, extra);
  if (result.streamed.contentType !== HTTP_INTEGRATION_CONTENT_TYPE) return { status: 200, headers: { 'content-type': result.streamed.contentType, ...extra }, body: result.payload };
  const at = result.payload.indexOf(Buffer.alloc(8));
  const prelude = at < 0 ? undefined : parseJson(result.payload.subarray(0, at));
  if (!prelude) return internalError(extra);
  return { status: prelude.statusCode, headers: httpHeaders(prelude, extra), body: result.payload.subarray(at + 8) };
}

function parseJson(bytes: Buffer): ReturnType<typeof preludeOf> {
  try {
    return preludeOf(JSON.parse(bytes.toString('utf8')));
  } catch {
    return undefined;
  }
}

async function drain(chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const _chunk of chunks) {
    // discarded: the response was refused
  }
}

/** Flint's wording: Lambda documents the 429, not its body. */
function throttled(extra: Record<string, string>): ServiceResponse {
  return { status: 429, headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'TooManyRequestsException', ...extra }, body: JSON.stringify({ Message: 'Rate Exceeded.' }) };
}

function tooLarge(extra: Record<string, string>): ServiceResponse {
  return {
    status: 413,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'RequestTooLargeException', ...extra },
    body: JSON.stringify({ Message: `Request must be smaller than ${LIMITS.syncPayloadBytes} bytes for the InvokeFunction operation` }),
  };
}
