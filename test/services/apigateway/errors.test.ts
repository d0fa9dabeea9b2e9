import { describe, expect, it } from 'vitest';
import { errorResponse, type ErrorKind } from '../../../src/services/apigateway/index.js';
import { HTTP_API, REST_API, header, jsonBody } from './helpers.js';

// HTTP APIs answer a failed Lambda integration with 500 {"message":"Internal Server Error"}
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html) and an integration
// timeout with 503; authorizer refusals are 401 Unauthorized and 403 Forbidden
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
describe('errorResponse', () => {
  it.each<[ErrorKind, number, string]>([
    ['not-found', 404, 'Not Found'],
    ['malformed', 500, 'Internal Server Error'],
    ['function-error', 500, 'Internal Server Error'],
    ['timeout', 503, 'Service Unavailable'],
    ['throttled', 500, 'Internal Server Error'],
    ['too-large', 413, 'Request Entity Too Large'],
    ['unavailable', 503, 'Service Unavailable'],
    ['unauthorized', 401, 'Unauthorized'],
    ['forbidden', 403, 'Forbidden'],
    ['missing-token', 403, 'Forbidden'],
  ])('%s → %i {"message":"%s"} as JSON', (kind, status, message) => {
    const res = errorResponse(kind);
    expect(res.statusCode).toBe(status);
    expect(jsonBody(res.body)).toEqual({ message });
    expect(header(res.headers, 'content-type')).toBe('application/json');
  });

  it('carries the HTTP API request id header when given one', () => {
    const res = errorResponse('not-found', HTTP_API, 'abc');
    expect(header(res.headers, 'apigw-requestid')).toBe('abc');
    expect(header(res.headers, 'x-amzn-ErrorType')).toBeUndefined();
    expect(res.body.toString()).toBe('{"message":"Not Found"}');
  });

  it('uses the REST wording, error type and request id headers for a 1.0 API', () => {
    const res = errorResponse('function-error', REST_API, 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
    expect(res.statusCode).toBe(502);
    expect(res.body.toString()).toBe('{"message": "Internal server error"}');
    expect(header(res.headers, 'x-amzn-ErrorType')).toBe('InternalServerErrorException');
    expect(header(res.headers, 'x-amzn-RequestId')).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
    expect(jsonBody(errorResponse('timeout', REST_API).body)).toEqual({ message: 'Endpoint request timed out' });
  });

  // REST: https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html (a refused invocation is a 500, a
  // function error a 502); an unknown route is 403 Missing Authentication Token (LocalStack's recording of AWS,
  // test_apigateway_common.snapshot.json, TestApigatewayRouting::test_routing_not_found); authorizer refusals are the
  // UNAUTHORIZED, ACCESS_DENIED and AUTHORIZER_CONFIGURATION_ERROR gateway responses.
  it.each<[ErrorKind, number, string, string | undefined]>([
    ['not-found', 403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException'],
    ['throttled', 500, '{"message": "Internal server error"}', 'InternalServerErrorException'],
    ['timeout', 504, '{"message": "Endpoint request timed out"}', undefined],
    ['unauthorized', 401, '{"message":"Unauthorized"}', 'UnauthorizedException'],
    ['denied', 403, '{"Message":"User is not authorized to access this resource with an explicit deny"}', 'AccessDeniedException'],
    ['forbidden', 403, '{"Message":"User is not authorized to access this resource"}', 'AccessDeniedException'],
    ['authorizer-error', 500, '{"message":null}', 'AuthorizerConfigurationException'],
  ])('REST: %s → %i %s', (kind, status, body, errorType) => {
    const res = errorResponse(kind, REST_API);
    expect(res.statusCode).toBe(status);
    expect(res.body.toString()).toBe(body);
    expect(header(res.headers, 'x-amzn-ErrorType')).toBe(errorType);
  });
});
