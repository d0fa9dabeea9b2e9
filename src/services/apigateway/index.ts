/**
 * API Gateway emulation, transport-free: route matching, Lambda proxy events (payload 1.0 and 2.0), mapping function
 * results back to HTTP responses, and CORS. The gateway owns the socket and calls these functions.
 */
export type { ApiConfig, AuthorizerConfig, CallerIdentity, CorsConfig, ErrorKind, HttpRequest, HttpResponse, IdentifyCaller, Route, RouteAuth, RouteMatch, RouteTable } from './types.js';
export { compileRoutes } from './routes.js';
export { mapResult } from './result.js';
export { errorResponse, requestIdHeaders } from './responses.js';
export { applyCors, handleCors } from './cors.js';
export { buildEvent } from './event.js';
export { checkApis, HttpApis, type ApiInvocation, type DeployedApi, type HttpApisOptions, type InvokeFunction } from './http-apis.js';
