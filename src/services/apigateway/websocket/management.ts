/**
 * The `@connections` API of WebSocket APIs (apigatewaymanagementapi 2018-11-29, rest-json, SigV4 scope
 * "execute-api"): PostToConnection, GetConnection and DeleteConnection, served by the protocol kit from botocore's
 * model so the SDK's ApiGatewayManagementApiClient works unchanged. The client's endpoint is the API's callback URL,
 * `http(s)://<host>/<stage>`: the stage is the path before `/@connections/`, stripped here before the kit routes the
 * request by the model's URI (`/@connections/{connectionId}`). See service.ts for the fidelity note.
 */
import type { Logger, Service, ServiceRequest, ServiceResponse } from '../../../core/index.js';
import { defineService, loadModel, modelledError, type AwsError, type AwsService } from '../../../protocol/index.js';
import type { Operations } from './management-api.js';
import type { ConnectionView, WebSocketApis } from './service.js';
import { WEBSOCKET_LIMITS } from './types.js';

export const MANAGEMENT_MODEL = loadModel('apigatewaymanagementapi');

/** Every modelled error @connections can send (LimitExceededException never: Flint has no rate limits). */
export const MANAGEMENT_ERROR_TYPES = ['GoneException', 'ForbiddenException', 'PayloadTooLargeException'] as const;

type ManagementErrorType = (typeof MANAGEMENT_ERROR_TYPES)[number];

/** Where a request was sent: the stage in its path, and the API its host names, if any. */
interface CallScope {
  stage: string | undefined;
  apiId: string | undefined;
}

interface ManagementContext {
  scope: CallScope;
  apis: WebSocketApis;
}

const CONNECTIONS = '/@connections/';
/** A body a little over the message limit is read whole, so the answer is PayloadTooLargeException, not a framing error. */
const BODY_LIMIT = 2 * WEBSOCKET_LIMITS.messageBytes;

export class ConnectionsService implements Service {
  private readonly api: AwsService<Operations, ManagementContext>;
  private readonly scopes = new WeakMap<ServiceRequest, CallScope>();

  constructor(apis: WebSocketApis, logger: Logger) {
    this.api = defineService<Operations, ManagementContext>({
      name: 'apigatewaymanagementapi',
      model: MANAGEMENT_MODEL,
      handlers: HANDLERS,
      // PostToConnection's Data is checked here: over 128 KB is PayloadTooLargeException, not a validation error.
      validation: false,
      bodyLimit: BODY_LIMIT,
      context: (call) => ({ scope: this.scopes.get(call.request) ?? { stage: undefined, apiId: undefined }, apis }),
      logger: logger.child('apigatewaymanagementapi'),
    });
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    const at = connectionsIndex(request.rawPath);
    const prefix = at < 0 ? '' : request.rawPath.slice(0, at);
    const inner: ServiceRequest = at < 0 ? request : { ...request, rawPath: CONNECTIONS + request.rawPath.slice(at + connectionsLength(request.rawPath, at)) };
    const stage = /^\/([^/]+)$/.exec(prefix)?.[1];
    this.scopes.set(inner, { stage: stage === undefined ? undefined : decodeURIComponent(stage), apiId: /^([a-z0-9]{10})\.execute-api\./.exec(request.host)?.[1] });
    return this.api.handle(inner);
  }
}

/** Whether a request path is one of the @connections API (`/<stage>/@connections/<id>`). */
export function isConnectionsPath(path: string): boolean {
  return connectionsIndex(path) >= 0;
}

/** Where `/@connections/` (or its percent-encoded spelling) starts in a path. */
function connectionsIndex(path: string): number {
  const plain = path.indexOf(CONNECTIONS);
  return plain >= 0 ? plain : path.indexOf('/%40connections/');
}

function connectionsLength(path: string, at: number): number {
  return path.startsWith(CONNECTIONS, at) ? CONNECTIONS.length : '/%40connections/'.length;
}

const HANDLERS = {
  PostToConnection: async ({ ConnectionId, Data }: { ConnectionId: string; Data: Uint8Array }, ctx: ManagementContext) => {
    if (Data.length > WEBSOCKET_LIMITS.messageBytes) throw managementError('PayloadTooLargeException', 'Message too long');
    find(ConnectionId, ctx);
    if (!ctx.apis.post(ConnectionId, Buffer.from(Data.buffer, Data.byteOffset, Data.byteLength))) throw gone();
    return {};
  },
  GetConnection: async ({ ConnectionId }: { ConnectionId: string }, ctx: ManagementContext) => {
    const connection = find(ConnectionId, ctx);
    const { facts } = connection;
    return {
      ConnectedAt: new Date(facts.connectedAt),
      Identity: { SourceIp: facts.sourceIp, UserAgent: facts.userAgent },
      LastActiveAt: new Date(connection.lastActiveAt),
    };
  },
  DeleteConnection: async ({ ConnectionId }: { ConnectionId: string }, ctx: ManagementContext) => {
    find(ConnectionId, ctx);
    if (!ctx.apis.disconnect(ConnectionId)) throw gone();
    return {};
  },
};

/**
 * The open connection of this id, reached through its own API's stage: a connection that is closed or never existed is
 * GoneException (410), one of another stage or API is ForbiddenException (403), as API Gateway answers a callback URL
 * that is not the connection's.
 */
function find(connectionId: string, ctx: ManagementContext): ConnectionView {
  const connection = ctx.apis.connection(connectionId);
  if (!connection) throw gone();
  const { scope } = ctx;
  if (scope.stage !== connection.facts.stage || (scope.apiId !== undefined && scope.apiId !== connection.facts.apiId)) {
    throw managementError('ForbiddenException', 'Forbidden');
  }
  return connection;
}

function gone(): AwsError {
  return managementError('GoneException', 'Gone');
}

function managementError(type: ManagementErrorType, message: string): AwsError {
  return modelledError(MANAGEMENT_MODEL, type, message);
}
