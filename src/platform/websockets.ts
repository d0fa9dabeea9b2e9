/** Deploying an app's WebSocket APIs: ids, stages and routes from its spec, and where clients reach them. */
import type { AppSpec } from '../manifest/index.js';
import type { WebSocketApiReport } from '../services/admin/index.js';
import { WEBSOCKET_PATH_PREFIX, type DeployedWebSocketApi } from '../services/apigateway/index.js';
import { apiId } from './apps.js';

export function appWebSockets(spec: AppSpec, accountId: string): DeployedWebSocketApi[] {
  return (spec.websockets ?? []).map((api) => ({
    // A WebSocket API and an HTTP API of the same name are two APIs with two ids.
    config: { id: apiId(spec.name, `websocket:${api.name}`), name: api.name, stage: api.stage, routeSelection: api.routeSelection, accountId },
    routes: api.routes.map((r) => ({ routeKey: r.routeKey, functionName: r.functionName, routeResponse: r.routeResponse })),
  }));
}

export function webSocketReports(apis: DeployedWebSocketApi[], url: string): WebSocketApiReport[] {
  const { host, port } = new URL(url);
  return apis.map(({ config, routes }) => ({
    name: config.name,
    id: config.id,
    url: `ws://${host}${WEBSOCKET_PATH_PREFIX}${config.id}/${config.stage}`,
    hostUrl: `ws://${config.id}.execute-api.localhost${port ? `:${port}` : ''}/${config.stage}`,
    connectionsUrl: `${url}/${config.stage}`,
    routes: routes.map((r) => ({ routeKey: r.routeKey, functionName: r.functionName })),
  }));
}
