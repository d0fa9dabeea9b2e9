/**
 * API Gateway WebSocket APIs: connections upgraded from the node's listener, routes to functions, and the
 * `@connections` management API. The gateway hands upgrade requests to `WebSocketApis.handleUpgrade` and requests
 * signed for "execute-api" to `ConnectionsService`.
 */
export { WebSocketApis, type WebSocketApisOptions } from './service.js';
export { ConnectionsService, isConnectionsPath, MANAGEMENT_ERROR_TYPES, MANAGEMENT_MODEL } from './management.js';
export { FrameSizeWatch } from './frames.js';
export { WEBSOCKET_PATH_PREFIX } from './handshake.js';
export { DEFAULT_ROUTE_SELECTION, ROUTE_SELECTION_PATTERN } from './route-selection.js';
export { WEBSOCKET_LIMITS, type DeployedWebSocketApi, type InvokeWebSocketFunction, type WebSocketApiConfig, type WebSocketRoute } from './types.js';
