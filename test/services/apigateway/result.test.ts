import { describe, expect, it } from 'vitest';
import { mapResult } from '../../../src/services/apigateway/index.js';
import { HTTP_API, REST_API, header, headerValues, jsonBody } from './helpers.js';

const payload = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('payload 2.0 result mapping', () => {
  it('sends a bare object as a 200 application/json body, exactly as the function serialised it', () => {
    const res = mapResult(HTTP_API, Buffer.from('{"message": "Hello from Lambda!"}'));
    expect(res.statusCode).toBe(200);
    expect(header(res.headers, 'content-type')).toBe('application/json');
    expect(res.body.toString()).toBe('{"message": "Hello from Lambda!"}');
  });

  it('sends a returned string as the body itself, not as a JSON string', () => {
    const res = mapResult(HTTP_API, payload('Hello from Lambda!'));
    expect(res).toMatchObject({ statusCode: 200, body: Buffer.from('Hello from Lambda!') });
    expect(header(res.headers, 'content-type')).toBe('application/json');
    expect(mapResult(HTTP_API, payload('')).body.length).toBe(0);
  });

  it.each([
    ['a number', '42'],
    ['a boolean', 'true'],
    ['an array', '[1,2,3]'],
    ['null', 'null'],
    ['an object without statusCode', '{"status":201,"body":"x"}'],
  ])('sends %s as a 200 JSON body', (_what, text) => {
    const res = mapResult(HTTP_API, Buffer.from(text));
    expect(res.statusCode).toBe(200);
    expect(header(res.headers, 'content-type')).toBe('application/json');
    expect(res.body.toString()).toBe(text);
  });

  it('honours a full response: status, headers, multi-value headers, one set-cookie per cookie', () => {
    const res = mapResult(
      HTTP_API,
      payload({
        statusCode: 201,
        headers: { 'Content-Type': 'text/html', 'X-Count': 3, 'X-Flag': true },
        multiValueHeaders: { Link: ['</a>; rel=a', '</b>; rel=b'] },
        cookies: ['session=abc; HttpOnly', 'theme=dark'],
        body: '<h1>made</h1>',
        isBase64Encoded: false,
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.body.toString()).toBe('<h1>made</h1>');
    expect(header(res.headers, 'content-type')).toBe('text/html');
    expect(header(res.headers, 'x-count')).toBe('3');
    expect(header(res.headers, 'x-flag')).toBe('true');
    expect(headerValues(res.headers, 'link')).toEqual(['</a>; rel=a', '</b>; rel=b']);
    expect(headerValues(res.headers, 'set-cookie')).toEqual(['session=abc; HttpOnly', 'theme=dark']);
  });

  it('decodes a base64 body to the exact bytes', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10]);
    const res = mapResult(HTTP_API, payload({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: bytes.toString('base64'), isBase64Encoded: true }));
    expect(res.body.equals(bytes)).toBe(true);
    expect(header(res.headers, 'content-type')).toBe('image/png');
  });

  it('defaults a full response without a content type to text/plain, and a missing body to empty', () => {
    const res = mapResult(HTTP_API, payload({ statusCode: 204 }));
    expect(res.statusCode).toBe(204);
    expect(res.body.length).toBe(0);
    expect(header(res.headers, 'content-type')).toBe('text/plain; charset=utf-8');
  });

  it('leaves connection framing to the gateway', () => {
    const res = mapResult(HTTP_API, payload({ statusCode: 200, headers: { 'Content-Length': '999', 'Transfer-Encoding': 'chunked', 'X-Ok': '1' }, body: 'hi' }));
    expect(header(res.headers, 'content-length')).toBeUndefined();
    expect(header(res.headers, 'transfer-encoding')).toBeUndefined();
    expect(header(res.headers, 'x-ok')).toBe('1');
  });

  it('adds apigw-requestid when given the request id', () => {
    const res = mapResult(HTTP_API, payload({ ok: true }), 'req-123');
    expect(header(res.headers, 'apigw-requestid')).toBe('req-123');
  });

  it.each([
    ['invalid JSON', Buffer.from('{"statusCode": 200, "body":')],
    ['an empty payload', Buffer.alloc(0)],
    ['a string statusCode', payload({ statusCode: '200', body: 'x' })],
    ['a fractional statusCode', payload({ statusCode: 200.5, body: 'x' })],
    ['a zero statusCode', payload({ statusCode: 0, body: 'x' })],
    ['a null statusCode', payload({ statusCode: null })],
    ['a non-string body', payload({ statusCode: 200, body: { a: 1 } })],
    ['headers that are not a map', payload({ statusCode: 200, headers: ['a'] })],
    ['cookies that are not strings', payload({ statusCode: 200, cookies: [1] })],
    ['isBase64Encoded with a non-base64 body', payload({ statusCode: 200, body: 'not base64!', isBase64Encoded: true })],
  ])('answers 500 Internal Server Error for %s', (_what, bytes) => {
    const res = mapResult(HTTP_API, bytes, 'req-1');
    expect(res.statusCode).toBe(500);
    expect(jsonBody(res.body)).toEqual({ message: 'Internal Server Error' });
    expect(header(res.headers, 'content-type')).toBe('application/json');
    expect(header(res.headers, 'apigw-requestid')).toBe('req-1');
  });
});

describe('payload 1.0 result mapping', () => {
  it('honours a full response with headers, multi-value headers and a text body', () => {
    const res = mapResult(
      REST_API,
      payload({
        statusCode: 200,
        headers: { 'Content-Type': 'application/json', 'Combined-Header': 'single' },
        multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'Combined-Header': ['multi1', 'multi2'] },
        body: '{"ok":true}',
        isBase64Encoded: false,
      }),
      'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    );
    expect(res.statusCode).toBe(200);
    expect(jsonBody(res.body)).toEqual({ ok: true });
    expect(headerValues(res.headers, 'set-cookie')).toEqual(['a=1', 'b=2']);
    // REST keeps both lists when a name is in each, multi-value first.
    expect(headerValues(res.headers, 'combined-header')).toEqual(['multi1', 'multi2', 'single']);
    expect(header(res.headers, 'x-amzn-RequestId')).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
    expect(header(res.headers, 'x-amz-apigw-id')).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(header(res.headers, 'apigw-requestid')).toBeUndefined();
  });

  it('defaults the content type to application/json and decodes base64 bodies', () => {
    const bytes = Buffer.from([1, 2, 3, 0, 255]);
    const res = mapResult(REST_API, payload({ statusCode: 202, body: bytes.toString('base64'), isBase64Encoded: true }));
    expect(res.statusCode).toBe(202);
    expect(res.body.equals(bytes)).toBe(true);
    expect(header(res.headers, 'content-type')).toBe('application/json');
  });

  it('ignores the 2.0-only cookies field', () => {
    const res = mapResult(REST_API, payload({ statusCode: 200, cookies: ['a=1'], body: '' }));
    expect(headerValues(res.headers, 'set-cookie')).toEqual([]);
  });

  it.each([
    ['a bare object', payload({ message: 'hi' })],
    ['a string', payload('hello')],
    ['null', payload(null)],
    ['an array', payload([{ statusCode: 200 }])],
    ['invalid JSON', Buffer.from('not json')],
    ['a statusCode that is not a number', payload({ statusCode: 'test' })],
    ['an empty object', payload({})],
    ['an unknown key', payload({ statusCode: 200, wrongValue: 'value' })],
    ['multiValueHeaders that are not lists', payload({ statusCode: 200, multiValueHeaders: { 'test-multi-invalid': 'value1' } })],
    ['an object body', payload({ statusCode: 200, body: { a: 1 } })],
    ['a string isBase64Encoded', payload({ statusCode: 200, body: 'aGk=', isBase64Encoded: 'true' })],
  ])('answers 502 "Internal server error" (REST spelling) for %s', (_what, bytes) => {
    // LocalStack's recording of AWS: test_apigateway_lambda.snapshot.json, test_aws_proxy_response_payload_format_validation.
    const res = mapResult(REST_API, bytes, 'req-2');
    expect(res.statusCode).toBe(502);
    expect(jsonBody(res.body)).toEqual({ message: 'Internal server error' });
    expect(header(res.headers, 'content-type')).toBe('application/json');
    expect(header(res.headers, 'x-amzn-ErrorType')).toBe('InternalServerErrorException');
    expect(header(res.headers, 'x-amzn-RequestId')).toBe('req-2');
  });

  // The same recording: a numeric string status is taken, and headers alone are a 200 with an empty body.
  it('takes a numeric string statusCode and defaults a missing one to 200', () => {
    expect(mapResult(REST_API, payload({ statusCode: '201' })).statusCode).toBe(201);
    const headersOnly = mapResult(REST_API, payload({ headers: { 'test-header': 'value' } }));
    expect(headersOnly.statusCode).toBe(200);
    expect(header(headersOnly.headers, 'test-header')).toBe('value');
    expect(headersOnly.body.length).toBe(0);
  });
});
