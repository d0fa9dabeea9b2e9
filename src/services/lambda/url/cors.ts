import type { ServiceRequest, ServiceResponse } from '../../../core/index.js';
import type { FunctionUrlCors } from '../../../functions/index.js';

/**
 * CORS as a function URL's configuration says (https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html
 * #urls-cors): with Cors set, Lambda's front end answers preflight requests itself (OPTIONS with Origin and
 * Access-Control-Request-Method; the function is not invoked) and adds the CORS headers to the function's responses,
 * in place of any Access-Control-* headers the function sent. Without Cors, requests (OPTIONS too) go to the function.
 */

function header(request: ServiceRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The Access-Control-Allow-Origin value for this origin, or undefined when it is not allowed. */
function allowedOrigin(cors: FunctionUrlCors, origin: string): string | undefined {
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return origins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** The answer to a preflight, or undefined when the request is not one (or the URL has no CORS). */
export function preflight(cors: FunctionUrlCors | undefined, request: ServiceRequest, extra: Record<string, string>): ServiceResponse | undefined {
  if (!cors || request.method.toUpperCase() !== 'OPTIONS') return undefined;
  const origin = header(request, 'origin');
  const method = header(request, 'access-control-request-method');
  if (origin === undefined || method === undefined) return undefined;
  const headers: Record<string, string> = { ...extra };
  const allowed = allowedOrigin(cors, origin);
  if (allowed !== undefined) {
    headers['access-control-allow-origin'] = allowed;
    if (cors.AllowCredentials) headers['access-control-allow-credentials'] = 'true';
    const methods = cors.AllowMethods ?? [];
    const allowMethods = methods.includes('*') ? method.toUpperCase() : methods.join(',');
    if (allowMethods !== '') headers['access-control-allow-methods'] = allowMethods;
    const allowHeaders = cors.AllowHeaders ?? [];
    const requested = header(request, 'access-control-request-headers');
    const allowHeadersValue = allowHeaders.includes('*') ? (requested ?? '') : allowHeaders.join(',');
    if (allowHeadersValue !== '') headers['access-control-allow-headers'] = allowHeadersValue;
    if (cors.MaxAge !== undefined) headers['access-control-max-age'] = String(cors.MaxAge);
  }
  return { status: 200, headers, body: '' };
}

/** The response with the configuration's CORS headers in place of the function's own. */
export function withCors(cors: FunctionUrlCors | undefined, request: ServiceRequest, response: ServiceResponse): ServiceResponse {
  if (!cors) return response;
  const headers: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) if (!name.toLowerCase().startsWith('access-control-')) headers[name] = value;
  const origin = header(request, 'origin');
  const allowed = origin === undefined ? undefined : allowedOrigin(cors, origin);
  if (allowed !== undefined) {
    headers['access-control-allow-origin'] = allowed;
    if (cors.AllowCredentials) headers['access-control-allow-credentials'] = 'true';
    if ((cors.ExposeHeaders ?? []).length > 0) headers['access-control-expose-headers'] = cors.ExposeHeaders!.join(',');
  }
  return { ...response, headers };
}
