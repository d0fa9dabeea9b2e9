/**
 * API Gateway emulation, transport-free: route matching, Lambda proxy events (payload 1.0 and 2.0), mapping function
 * results back to HTTP responses, CORS, stages and authorization. The gateway owns the socket and calls these functions.
 *
 * Fidelity. Matches AWS: route precedence, `{param}`/`{proxy+}`/ANY/$default; both event payloads as recorded by AWS
 * (REST: stage in requestContext.path, trailing slash kept in the path and dropped from a greedy parameter); proxy
 * result validation (REST: unknown keys and `{}` are 502, a numeric-string statusCode is taken); the statuses and bodies
 * AWS documents for function errors, refused invocations, malformed results and the 29/30 s integration timeout; REST's
 * 403 Missing Authentication Token for unknown routes; Lambda authorizers (TOKEN, REQUEST, HTTP API simple responses
 * and IAM policies, identity sources, validation expression, decisions cached per identity and re-evaluated per method
 * ARN, context as strings for REST) and their gateway responses; AWS_IAM routes (unsigned → 403) with the caller's
 * identity in the event.
 * Missing: custom domains and base path mappings, usage plans and API keys, request validation and mapping templates
 * (only Lambda proxy integrations exist), binary media types (REST decodes base64 bodies whatever the Accept header),
 * stage variables, Cognito/JWT authorizers, gateway response customisation, the API Gateway management APIs
 * (apigateway/apigatewayv2: APIs come from flint.yaml or templates).
 * Differs by design: every API is also reachable on the node's own host (routes of all apps share it, with or without
 * the stage prefix) besides `<api-id>.execute-api.localhost`; SigV4 signatures on AWS_IAM routes are checked by the
 * node's auth mode, not here.
 */
export type { ApiConfig, AuthorizerConfig, CallerIdentity, CorsConfig, ErrorKind, HttpRequest, HttpResponse, IdentifyCaller, Route, RouteAuth, RouteMatch, RouteTable } from './types.js';
export { compileRoutes } from './routes.js';
export { mapResult } from './result.js';
export { errorResponse, requestIdHeaders } from './responses.js';
export { applyCors, handleCors } from './cors.js';
export { buildEvent } from './event.js';
export { checkApis, HttpApis, type ApiInvocation, type DeployedApi, type HttpApisOptions, type InvokeFunction } from './http-apis.js';
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
