import { describe, expect, it } from 'vitest';
import { errorResponse, type ErrorKind } from '../../../src/services/apigateway/index.js';
import { HTTP_API, REST_API, header, jsonBody } from './helpers.js';

describe('errorResponse', () => {
  it.each<[ErrorKind, number, string]>([
    ['not-found', 404, 'Not Found'],
    ['malformed', 502, 'Internal Server Error'],
    ['function-error', 502, 'Internal Server Error'],
    ['timeout', 504, 'Endpoint request timed out'],
    ['throttled', 429, 'Too Many Requests'],
    ['too-large', 413, 'Request Entity Too Large'],
    ['unavailable', 503, 'Service Unavailable'],
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
});
