/**
 * API Gateway emulation, transport-free: route matching, Lambda proxy events (payload 1.0 and 2.0), mapping function
 * results back to HTTP responses, and CORS. The gateway owns the socket and calls these functions.
 */
import { buildEventV1 } from './event-v1.js';
import { buildEventV2 } from './event-v2.js';
import type { ApiConfig, HttpRequest, RouteMatch } from './types.js';

export type { ApiConfig, CorsConfig, ErrorKind, HttpRequest, HttpResponse, Route, RouteMatch, RouteTable } from './types.js';
export { compileRoutes } from './routes.js';
export { mapResult } from './result.js';
export { errorResponse, requestIdHeaders } from './responses.js';
export { applyCors, handleCors } from './cors.js';

/** The JSON bytes of the event the route's function receives, in the API's payload version. */
export function buildEvent(api: ApiConfig, match: RouteMatch, req: HttpRequest): Buffer {
  const event = api.payloadVersion === '2.0' ? buildEventV2(api, match, req) : buildEventV1(api, match, req);
  return Buffer.from(JSON.stringify(event));
}
