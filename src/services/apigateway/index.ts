/**
 * API Gateway emulation, transport-free: route matching, Lambda proxy events (payload 1.0 and 2.0), mapping function
 * results back to HTTP responses, and CORS. The gateway owns the socket and calls these functions.
 */
export type { ApiConfig, CorsConfig, ErrorKind, HttpRequest, HttpResponse, Route, RouteMatch, RouteTable } from './types.js';
export { compileRoutes } from './routes.js';
export { mapResult } from './result.js';
export { errorResponse, requestIdHeaders } from './responses.js';
export { applyCors, handleCors } from './cors.js';
export { buildEvent } from './event.js';
export { checkApis, HttpApis, type ApiInvocation, type DeployedApi, type InvokeFunction } from './http-apis.js';
export {
  ConnectionsService,
  DEFAULT_ROUTE_SELECTION,
  FrameSizeWatch,
  isConnectionsPath,
  MANAGEMENT_ERROR_TYPES,
  MANAGEMENT_MODEL,
  ROUTE_SELECTION_PATTERN,
  WEBSOCKET_LIMITS,
  WEBSOCKET_PATH_PREFIX,
  WebSocketApis,
  type DeployedWebSocketApi,
  type WebSocketApiConfig,
  type WebSocketRoute,
} from './websocket/index.js';
