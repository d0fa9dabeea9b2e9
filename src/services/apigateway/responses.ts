import { extendedRequestId } from './event-v1.js';
import type { ApiConfig, ErrorKind, HttpResponse } from './types.js';

interface ErrorShape {
  statusCode: number;
  /** Exact body bytes: REST's Lambda-integration errors are spaced differently from HTTP APIs' own. */
  http: string;
  rest: string;
  /** REST only: HTTP APIs answer with a different status for some kinds. */
  restStatus?: number;
  restErrorType?: string;
}

const json = (message: string): string => JSON.stringify({ message });
const spaced = (message: string): string => `{"message": ${JSON.stringify(message)}}`;

/**
 * What API Gateway answers when it cannot hand back the function's own response. REST: a function error or a malformed
 * result is a 502 and a refused invocation (throttled, function missing) a 500, both `{"message": "Internal server
 * error"}` (https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html); HTTP APIs answer 500
 * `{"message":"Internal Server Error"}` (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html).
 * A route REST does not have is 403 "Missing Authentication Token" (LocalStack's recording of AWS,
 * test_apigateway_common.snapshot.json, TestApigatewayRouting::test_routing_not_found). The integration timeout (29 s
 * REST, 30 s HTTP) is REST's 504 and an HTTP API's 503. Authorizer refusals are the UNAUTHORIZED (401), ACCESS_DENIED
 * (403) and AUTHORIZER_CONFIGURATION_ERROR (500) gateway responses
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 */
const ERRORS: Record<ErrorKind, ErrorShape> = {
  'not-found': { statusCode: 404, http: json('Not Found'), restStatus: 403, rest: json('Missing Authentication Token'), restErrorType: 'MissingAuthenticationTokenException' },
  'missing-token': { statusCode: 403, http: json('Forbidden'), rest: json('Missing Authentication Token'), restErrorType: 'MissingAuthenticationTokenException' },
  malformed: { statusCode: 500, http: json('Internal Server Error'), restStatus: 502, rest: spaced('Internal server error'), restErrorType: 'InternalServerErrorException' },
  'function-error': { statusCode: 500, http: json('Internal Server Error'), restStatus: 502, rest: spaced('Internal server error'), restErrorType: 'InternalServerErrorException' },
  throttled: { statusCode: 500, http: json('Internal Server Error'), rest: spaced('Internal server error'), restErrorType: 'InternalServerErrorException' },
  timeout: { statusCode: 503, http: json('Service Unavailable'), restStatus: 504, rest: spaced('Endpoint request timed out') },
  'too-large': { statusCode: 413, http: json('Request Entity Too Large'), rest: json('Request Entity Too Large') },
  unavailable: { statusCode: 503, http: json('Service Unavailable'), rest: json('Service Unavailable') },
  unauthorized: { statusCode: 401, http: json('Unauthorized'), rest: json('Unauthorized'), restErrorType: 'UnauthorizedException' },
  forbidden: { statusCode: 403, http: json('Forbidden'), rest: JSON.stringify({ Message: 'User is not authorized to access this resource' }), restErrorType: 'AccessDeniedException' },
  denied: { statusCode: 403, http: json('Forbidden'), rest: JSON.stringify({ Message: 'User is not authorized to access this resource with an explicit deny' }), restErrorType: 'AccessDeniedException' },
  'authorizer-error': { statusCode: 500, http: json('Internal Server Error'), rest: JSON.stringify({ message: null }), restErrorType: 'AuthorizerConfigurationException' },
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
  return { statusCode: rest ? (shape.restStatus ?? shape.statusCode) : shape.statusCode, headers, body: Buffer.from(rest ? shape.rest : shape.http) };
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
