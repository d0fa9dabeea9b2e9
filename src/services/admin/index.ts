export { AdminService, ADMIN_BODY_LIMIT } from './service.js';
export { decodePreparedApp, encodePreparedApp } from './wire.js';
export type { AdminBackend, AppSummary, DeployedFunctionReport, DeployReport, FunctionSummary, LogsQuery, NodeStatus, PreparedApp, WebSocketApiReport } from './types.js';
