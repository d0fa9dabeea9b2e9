import { describe, expect, it } from 'vitest';
import { applyCors, handleCors, mapResult, type ApiConfig, type CorsConfig, type HttpResponse } from '../../../src/services/apigateway/index.js';
import { HTTP_API, REST_API, header, request } from './helpers.js';

const CORS: CorsConfig = {
  allowOrigins: ['https://app.example.com'],
  allowMethods: ['GET', 'POST', 'DELETE'],
  allowHeaders: ['authorization', 'content-type'],
  exposeHeaders: ['x-request-id', 'date'],
  maxAge: 300,
  allowCredentials: true,
};
const api = (cors: Partial<CorsConfig> = {}, base: ApiConfig = HTTP_API): ApiConfig => ({ ...base, cors: { ...CORS, ...cors } });

function preflight(origin: string, method = 'POST', extra: [string, string][] = []): ReturnType<typeof request> {
  return request({
    method: 'OPTIONS',
    rawPath: '/orders',
    headers: [['Origin', origin], ['Access-Control-Request-Method', method], ...extra],
    requestId: 'pre-1',
  });
}

const corsHeaders = (res: HttpResponse): Record<string, string> =>
  Object.fromEntries(res.headers.filter(([name]) => name.toLowerCase().startsWith('access-control-')).map(([n, v]) => [n.toLowerCase(), v]));

describe('CORS preflight', () => {
  it('answers an allowed origin with 204 and the configured allow headers', () => {
    const res = handleCors(api(), preflight('https://app.example.com', 'POST', [['Access-Control-Request-Headers', 'content-type']]));
    expect(res?.statusCode).toBe(204);
    expect(res?.body.length).toBe(0);
    expect(corsHeaders(res as HttpResponse)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,POST,DELETE',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '300',
    });
    expect(header((res as HttpResponse).headers, 'apigw-requestid')).toBe('pre-1');
  });

  it('answers a disallowed origin with 204 and no CORS headers, so the browser refuses', () => {
    const res = handleCors(api(), preflight('https://evil.example'));
    expect(res?.statusCode).toBe(204);
    expect(corsHeaders(res as HttpResponse)).toEqual({});
  });

  it('allows any origin with "*", answering "*" when credentials are off', () => {
    const res = handleCors(api({ allowOrigins: ['*'], allowCredentials: false, maxAge: undefined }), preflight('https://anyone.example'));
    expect(corsHeaders(res as HttpResponse)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET,POST,DELETE',
      'access-control-allow-headers': 'authorization,content-type',
    });
  });

  it('echoes the requested method and headers when those are configured as "*"', () => {
    const res = handleCors(
      api({ allowMethods: ['*'], allowHeaders: ['*'] }),
      preflight('https://app.example.com', 'patch', [['Access-Control-Request-Headers', 'x-custom, content-type']]),
    );
    expect(corsHeaders(res as HttpResponse)).toMatchObject({
      'access-control-allow-methods': 'PATCH',
      'access-control-allow-headers': 'x-custom, content-type',
    });
  });

  it('matches origins case-insensitively', () => {
    const res = handleCors(api(), preflight('HTTPS://APP.EXAMPLE.COM'));
    expect(header((res as HttpResponse).headers, 'access-control-allow-origin')).toBe('HTTPS://APP.EXAMPLE.COM');
  });

  it('leaves requests that are not preflights, or APIs without CORS, to normal routing', () => {
    expect(handleCors(HTTP_API, preflight('https://app.example.com'))).toBeUndefined();
    expect(handleCors(api(), request({ method: 'OPTIONS', headers: [['Origin', 'https://app.example.com']] }))).toBeUndefined();
    expect(handleCors(api(), request({ method: 'OPTIONS', headers: [['Access-Control-Request-Method', 'GET']] }))).toBeUndefined();
    expect(handleCors(api(), request({ method: 'GET', headers: [['Origin', 'https://app.example.com'], ['Access-Control-Request-Method', 'GET']] }))).toBeUndefined();
  });

  it('carries the REST request id header on a 1.0 API', () => {
    const res = handleCors(api({}, REST_API), preflight('https://app.example.com'));
    expect(header((res as HttpResponse).headers, 'x-amzn-RequestId')).toBe('pre-1');
  });
});

describe('CORS on normal responses', () => {
  const functionResponse = (): HttpResponse =>
    mapResult(HTTP_API, Buffer.from(JSON.stringify({ statusCode: 200, headers: { 'Access-Control-Allow-Origin': 'https://sneaky.example', 'X-Kept': '1' }, body: 'ok' })));

  it('adds allow-origin, credentials and expose headers for an allowed origin', () => {
    const req = request({ headers: [['Origin', 'https://app.example.com']] });
    const res = applyCors(api(), req, functionResponse());
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id,date',
    });
    expect(header(res.headers, 'x-kept')).toBe('1');
    expect(res.body.toString()).toBe('ok');
  });

  it('adds nothing for a disallowed origin, and drops the CORS headers the function sent', () => {
    const res = applyCors(api(), request({ headers: [['Origin', 'https://evil.example']] }), functionResponse());
    expect(corsHeaders(res)).toEqual({});
    expect(header(res.headers, 'x-kept')).toBe('1');
  });

  it('answers "*" for any origin when credentials are off, and omits empty expose headers', () => {
    const res = applyCors(api({ allowOrigins: ['*'], allowCredentials: false, exposeHeaders: [] }), request({ headers: [['Origin', 'https://x.example']] }), functionResponse());
    expect(corsHeaders(res)).toEqual({ 'access-control-allow-origin': '*' });
  });

  it('leaves the response untouched when the API has no CORS configuration', () => {
    const original = functionResponse();
    expect(applyCors(HTTP_API, request({ headers: [['Origin', 'https://app.example.com']] }), original)).toBe(original);
  });
});
