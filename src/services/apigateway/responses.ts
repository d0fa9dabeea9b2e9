import { extendedRequestId } from './event-v1.js';
import type { ApiConfig, ErrorKind, HttpResponse } from './types.js';

interface ErrorShape {
  statusCode: number;
  /** Exact body bytes: REST's Lambda-integration errors are spaced differently from HTTP APIs' own. */
  http: string;
  rest: string;
  restErrorType?: string;
}

const json = (message: string): string => JSON.stringify({ message });
const spaced = (message: string): string => `{"message": ${JSON.stringify(message)}}`;

const ERRORS: Record<ErrorKind, ErrorShape> = {
  'not-found': { statusCode: 404, http: json('Not Found'), rest: json('Not Found') },
  malformed: { statusCode: 502, http: json('Internal Server Error'), rest: spaced('Internal server error'), restErrorType: 'InternalServerErrorException' },
  'function-error': { statusCode: 502, http: json('Internal Server Error'), rest: spaced('Internal server error'), restErrorType: 'InternalServerErrorException' },
  timeout: { statusCode: 504, http: json('Endpoint request timed out'), rest: spaced('Endpoint request timed out') },
  throttled: { statusCode: 429, http: json('Too Many Requests'), rest: json('Too Many Requests') },
  'too-large': { statusCode: 413, http: json('Request Entity Too Large'), rest: json('Request Entity Too Large') },
  unavailable: { statusCode: 503, http: json('Service Unavailable'), rest: json('Service Unavailable') },
};

/**
 * The response API Gateway itself sends when it cannot deliver the function's answer. Without `api` it is the HTTP API
 * (payload 2.0) form; with a 1.0 api it is the REST form. `requestId` adds the request id header.
 */
export function errorResponse(kind: ErrorKind, api?: ApiConfig, requestId?: string): HttpResponse {
  const shape = ERRORS[kind];
  const rest = api?.payloadVersion === '1.0';
  const headers: [string, string][] = [['content-type', 'application/json']];
  if (rest && shape.restErrorType) headers.push(['x-amzn-ErrorType', shape.restErrorType]);
  headers.push(...requestIdHeaders(api, requestId));
  return { statusCode: shape.statusCode, headers, body: Buffer.from(rest ? shape.rest : shape.http) };
}

/** `apigw-requestid` on HTTP APIs (2.0); `x-amzn-RequestId` and `x-amz-apigw-id` on REST (1.0). */
export function requestIdHeaders(api: ApiConfig | undefined, requestId: string | undefined): [string, string][] {
  if (requestId === undefined) return [];
  if (api?.payloadVersion === '1.0') {
    return [
      ['x-amzn-RequestId', requestId],
      ['x-amz-apigw-id', extendedRequestId(requestId)],
    ];
  }
  return [['apigw-requestid', requestId]];
}
