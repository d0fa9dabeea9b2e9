import { headerValue } from './request-parts.js';
import { requestIdHeaders } from './responses.js';
import type { ApiConfig, CorsConfig, HttpRequest, HttpResponse } from './types.js';

/**
 * Answers a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) when the API has CORS configured,
 * whether or not an OPTIONS route exists, as HTTP APIs do. A disallowed origin gets a 204 without CORS headers,
 * which the browser treats as a refusal. Anything else returns undefined: route the request normally.
 */
export function handleCors(api: ApiConfig, req: HttpRequest): HttpResponse | undefined {
  const cors = api.cors;
  if (!cors || req.method.toUpperCase() !== 'OPTIONS') return undefined;
  const origin = headerValue(req.headers, 'origin');
  const requestedMethod = headerValue(req.headers, 'access-control-request-method');
  if (origin === undefined || requestedMethod === undefined) return undefined;
  const allowedOrigin = allowedOriginFor(cors, origin);
  const headers = allowedOrigin === undefined ? [] : preflightHeaders(cors, allowedOrigin, requestedMethod, headerValue(req.headers, 'access-control-request-headers'));
  headers.push(...requestIdHeaders(api, req.requestId));
  return { statusCode: 204, headers, body: Buffer.alloc(0) };
}

/**
 * Adds the CORS headers of an actual (non-preflight) response. With CORS configured, API Gateway ignores the
 * Access-Control-* headers the integration sent, so those are removed first.
 */
export function applyCors(api: ApiConfig, req: HttpRequest, res: HttpResponse): HttpResponse {
  const cors = api.cors;
  if (!cors) return res;
  const headers = res.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  const origin = headerValue(req.headers, 'origin');
  const allowedOrigin = origin === undefined ? undefined : allowedOriginFor(cors, origin);
  if (allowedOrigin !== undefined) {
    headers.push(['access-control-allow-origin', allowedOrigin]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    if (cors.exposeHeaders.length > 0) headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
  }
  return { ...res, headers };
}

/** The Access-Control-Allow-Origin value for this origin, or undefined when it is not allowed. */
function allowedOriginFor(cors: CorsConfig, origin: string): string | undefined {
  // With credentials a literal '*' is refused by browsers, so the origin itself is echoed.
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  const wanted = origin.toLowerCase();
  return cors.allowOrigins.some((allowed) => allowed.toLowerCase() === wanted) ? origin : undefined;
}

function preflightHeaders(cors: CorsConfig, origin: string, requestedMethod: string, requestedHeaders: string | undefined): [string, string][] {
  const headers: [string, string][] = [['access-control-allow-origin', origin]];
  if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  const methods = cors.allowMethods.includes('*') ? requestedMethod.toUpperCase() : cors.allowMethods.join(',');
  if (methods !== '') headers.push(['access-control-allow-methods', methods]);
  const allowHeaders = cors.allowHeaders.includes('*') ? (requestedHeaders ?? '') : cors.allowHeaders.join(',');
  if (allowHeaders !== '') headers.push(['access-control-allow-headers', allowHeaders]);
  if (cors.maxAge !== undefined) headers.push(['access-control-max-age', String(cors.maxAge)]);
  return headers;
}
