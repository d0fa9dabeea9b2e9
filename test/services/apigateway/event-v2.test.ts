import { describe, expect, it } from 'vitest';
import { buildEvent, compileRoutes, type HttpRequest } from '../../../src/services/apigateway/index.js';
import { HTTP_API, parseEvent, request } from './helpers.js';

const table = compileRoutes([
  { routeKey: 'GET /users/{id}', functionName: 'users' },
  { routeKey: 'ANY /files/{proxy+}', functionName: 'files' },
  { routeKey: '$default', functionName: 'fallback' },
]);

function eventFor(overrides: Partial<HttpRequest>): Record<string, unknown> {
  const req = request(overrides);
  const match = table.match(req.method, req.rawPath);
  if (!match) throw new Error(`no route for ${req.method} ${req.rawPath}`);
  return parseEvent(buildEvent(HTTP_API, match, req));
}

describe('payload 2.0 event', () => {
  it('describes a bare GET with only the fields AWS always sends', () => {
    const event = eventFor({ rawPath: '/users/42', headers: [['Host', 'abc123defg.execute-api.localhost:3000']] });
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'GET /users/{id}',
      rawPath: '/users/42',
      rawQueryString: '',
      headers: { host: 'abc123defg.execute-api.localhost:3000' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'abc123defg',
        domainName: 'abc123defg.execute-api.localhost:3000',
        domainPrefix: 'abc123defg',
        http: { method: 'GET', path: '/users/42', protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: 'curl/8.5.0' },
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        routeKey: 'GET /users/{id}',
        stage: '$default',
        time: '04/Mar/2020:19:03:58 +0000',
        timeEpoch: 1583348638390,
      },
      pathParameters: { id: '42' },
      isBase64Encoded: false,
    });
  });

  it('leaves out body, query, cookies, path parameters and stage variables when there are none', () => {
    const event = eventFor({ rawPath: '/anything' });
    for (const key of ['body', 'queryStringParameters', 'cookies', 'pathParameters', 'stageVariables']) expect(event).not.toHaveProperty(key);
    expect(event.routeKey).toBe('$default');
    expect(event.rawQueryString).toBe('');
  });

  it('lowercases header names, joins repeated headers with commas and moves cookies to their own field', () => {
    const event = eventFor({
      rawPath: '/users/1',
      headers: [
        ['Host', 'h'],
        ['X-Trace', 'a'],
        ['x-trace', 'b'],
        ['Cookie', 'session=abc; theme=dark'],
        ['cookie', 'lang=en'],
        ['Accept', 'text/html, application/json'],
      ],
    });
    expect(event.headers).toEqual({ host: 'h', 'x-trace': 'a,b', accept: 'text/html, application/json' });
    expect(event.cookies).toEqual(['session=abc', 'theme=dark', 'lang=en']);
  });

  it('decodes query parameters and joins repeated ones with commas, keeping rawQueryString as sent', () => {
    const event = eventFor({ rawPath: '/users/1', rawQuery: 'tag=a&tag=b&q=hello+world%21&empty=&flag' });
    expect(event.rawQueryString).toBe('tag=a&tag=b&q=hello+world%21&empty=&flag');
    expect(event.queryStringParameters).toEqual({ tag: 'a,b', q: 'hello world!', empty: '', flag: '' });
  });

  it('gives URL-decoded path parameters, and the decoded path as HTTP APIs do', () => {
    const event = eventFor({ rawPath: '/users/j%C3%B6rg%20k' });
    expect(event.pathParameters).toEqual({ id: 'jörg k' });
    expect(event.rawPath).toBe('/users/jörg k');
    expect((event.requestContext as { http: { path: string } }).http.path).toBe('/users/jörg k');
  });

  it('puts the whole rest of the path, slashes included, in a greedy variable', () => {
    const event = eventFor({ method: 'PUT', rawPath: '/files/a/b/c.txt' });
    expect(event.routeKey).toBe('ANY /files/{proxy+}');
    expect(event.pathParameters).toEqual({ proxy: 'a/b/c.txt' });
    expect((event.requestContext as { http: { method: string } }).http.method).toBe('PUT');
  });

  it.each([
    ['application/json', '{"a":1}'],
    ['application/json; charset=utf-8', '{"a":"ü"}'],
    ['text/plain', 'hello'],
    ['text/csv', 'a,b\n1,2'],
    ['application/xml', '<a/>'],
    ['application/javascript', 'let a = 1'],
    ['application/vnd.api+json', '{"data":[]}'],
    ['application/atom+xml', '<feed/>'],
    ['application/x-www-form-urlencoded', 'a=1&b=2'],
  ])('passes a %s body as text', (contentType, text) => {
    const event = eventFor({ method: 'POST', rawPath: '/files/x', headers: [['Content-Type', contentType]], body: Buffer.from(text) });
    expect(event.body).toBe(text);
    expect(event.isBase64Encoded).toBe(false);
  });

  it.each([
    ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff])],
    ['application/octet-stream', Buffer.from('plain words')],
    ['text/plain', Buffer.from([0x68, 0x69, 0x00, 0x21])],
    ['application/json', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ])('base64-encodes a %s body that is not clean text, and the bytes round-trip', (contentType, bytes) => {
    const event = eventFor({ method: 'POST', rawPath: '/files/x', headers: [['Content-Type', contentType]], body: bytes });
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body as string, 'base64').equals(bytes)).toBe(true);
  });

  it('base64-encodes a body without a content type', () => {
    const event = eventFor({ method: 'POST', rawPath: '/files/x', headers: [], body: Buffer.from('hi') });
    expect(event).toMatchObject({ body: 'aGk=', isBase64Encoded: true });
  });

  it('describes where the request came from', () => {
    const event = eventFor({ rawPath: '/x', host: 'api.example.com', sourceIp: '203.0.113.7', protocol: 'HTTP/2.0', userAgent: undefined });
    expect(event.requestContext).toMatchObject({
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { sourceIp: '203.0.113.7', protocol: 'HTTP/2.0', userAgent: '' },
    });
  });
});
