import { describe, expect, it } from 'vitest';
import { buildEvent, compileRoutes, type HttpRequest } from '../../../src/services/apigateway/index.js';
import { REST_API, parseEvent, request } from './helpers.js';

const table = compileRoutes([
  { routeKey: 'GET /users/{id}', functionName: 'users' },
  { routeKey: 'ANY /{proxy+}', functionName: 'proxy' },
]);

function eventFor(overrides: Partial<HttpRequest>, api = REST_API): Record<string, unknown> {
  const req = request(overrides);
  const match = table.match(req.method, req.rawPath);
  if (!match) throw new Error(`no route for ${req.method} ${req.rawPath}`);
  return parseEvent(buildEvent(api, match, req));
}

describe('payload 1.0 event', () => {
  it('describes a bare GET with nulls where there is no data', () => {
    const event = eventFor({ rawPath: '/users/42', headers: [['Host', 'h.example']] });
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/users/{id}',
      path: '/users/42',
      httpMethod: 'GET',
      headers: { Host: 'h.example' },
      multiValueHeaders: { Host: ['h.example'] },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { id: '42' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event.requestContext).toEqual({
      accountId: '123456789012',
      apiId: 'abc123defg',
      domainName: 'abc123defg.execute-api.localhost:3000',
      domainPrefix: 'abc123defg',
      extendedRequestId: expect.stringMatching(/^[A-Za-z0-9_-]{15}=$/) as unknown,
      httpMethod: 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '192.0.2.10',
        user: null,
        userAgent: 'curl/8.5.0',
        userArn: null,
      },
      path: '/users/42',
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTime: '04/Mar/2020:19:03:58 +0000',
      requestTimeEpoch: 1583348638390,
      resourceId: expect.stringMatching(/^[a-z0-9]{6}$/) as unknown,
      resourcePath: '/users/{id}',
      stage: '$default',
    });
  });

  it('keeps header names as sent, with the last value single and all values multi', () => {
    const event = eventFor({
      rawPath: '/users/1',
      headers: [
        ['Host', 'h'],
        ['X-Trace', 'a'],
        ['x-trace', 'b'],
        ['Cookie', 'session=abc; theme=dark'],
      ],
    });
    expect(event.headers).toEqual({ Host: 'h', 'X-Trace': 'b', Cookie: 'session=abc; theme=dark' });
    expect(event.multiValueHeaders).toEqual({ Host: ['h'], 'X-Trace': ['a', 'b'], Cookie: ['session=abc; theme=dark'] });
  });

  it('decodes query parameters into single and multi-value maps', () => {
    const event = eventFor({ rawPath: '/users/1', rawQuery: 'tag=a&tag=b&q=hello%20world' });
    expect(event.queryStringParameters).toEqual({ tag: 'b', q: 'hello world' });
    expect(event.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b'], q: ['hello world'] });
  });

  it('names the resource with its variables and decodes path parameters, keeping path as sent', () => {
    const event = eventFor({ method: 'DELETE', rawPath: '/a/b%20c/d' });
    expect(event).toMatchObject({ resource: '/{proxy+}', path: '/a/b%20c/d', httpMethod: 'DELETE', pathParameters: { proxy: 'a/b c/d' } });
    expect(event.requestContext).toMatchObject({ resourcePath: '/{proxy+}', httpMethod: 'DELETE' });
  });

  it('shows a named stage in requestContext.path but not in path', () => {
    const event = eventFor({ rawPath: '/users/7' }, { ...REST_API, stage: 'prod' });
    expect(event.path).toBe('/users/7');
    expect(event.requestContext).toMatchObject({ path: '/prod/users/7', stage: 'prod' });
  });

  it('carries a text body as text and a binary body as base64', () => {
    const text = eventFor({ method: 'POST', rawPath: '/x', headers: [['content-type', 'application/json']], body: Buffer.from('{"a":1}') });
    expect(text).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    const binary = eventFor({ method: 'POST', rawPath: '/x', headers: [['content-type', 'application/pdf']], body: bytes });
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body as string, 'base64').equals(bytes)).toBe(true);
  });

  it('uses the request path as the resource of the $default route', () => {
    const req = request({ rawPath: '/somewhere/else' });
    const event = parseEvent(buildEvent(REST_API, { route: { routeKey: '$default', functionName: 'f' }, pathParameters: {} }, req));
    expect(event).toMatchObject({ resource: '/somewhere/else', pathParameters: null });
  });

  it('gives the same resource the same resource id', () => {
    const a = eventFor({ rawPath: '/users/1' });
    const b = eventFor({ rawPath: '/users/2' });
    const c = eventFor({ rawPath: '/other' });
    const id = (e: Record<string, unknown>): unknown => (e.requestContext as { resourceId: string }).resourceId;
    expect(id(a)).toBe(id(b));
    expect(id(a)).not.toBe(id(c));
  });
});
