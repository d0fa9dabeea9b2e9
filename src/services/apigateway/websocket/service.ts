/**
 * API Gateway WebSocket APIs: clients connect with the WebSocket protocol to the node's listener, messages are routed
 * to Lambda functions as API Gateway's Lambda proxy integration does, and functions (or anyone with credentials)
 * talk back through the `@connections` management API (management.ts) with the SDK's ApiGatewayManagementApiClient.
 *
 * Fidelity.
 * - Matches AWS (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api.html):
 *   `$connect` runs before the handshake completes; a 2xx statusCode lets the client in (with the
 *   Sec-WebSocket-Protocol header the function returns), another status refuses the handshake with that status, a
 *   failed invocation refuses it with 502; no $connect route lets everyone in. `$disconnect` runs after the
 *   connection closed, best effort (its result is ignored; the connection is already gone for @connections). Messages
 *   are routed by the route selection expression `$request.body.<path>` (default `$request.body.action`): a JSON body
 *   whose value there is a route key goes to that route, anything else (not JSON, no such member, no such route) to
 *   `$default`; with no `$default` the client gets `{"message": "Forbidden", "connectionId", "requestId"}`, and when
 *   the function fails `{"message": "Internal server error", ...}`, as API Gateway sends them. Two-way routes (a
 *   route response) send the function's `body` back to the client (base64-decoded, as a binary message, when
 *   isBase64Encoded); one-way routes discard it. Events carry requestContext (routeKey, eventType CONNECT, MESSAGE or
 *   DISCONNECT, connectionId, domainName, stage, apiId, requestId, extendedRequestId, messageId on messages,
 *   connectedAt, requestTime, requestTimeEpoch, messageDirection IN, identity.sourceIp and userAgent,
 *   disconnectStatusCode and disconnectReason), headers, multiValueHeaders and the query string on $connect, body and
 *   isBase64Encoded (binary frames) on messages. Connection ids look like AWS's (`L0SM9cOFvHcCIhw=`). Quotas as AWS
 *   lists them (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html): a message over 128 KB or
 *   a client frame over 32 KB closes the connection with 1009; Flint sends in frames of at most 32 KB; a connection
 *   idle for 10 minutes or open for 2 hours is closed with 1001 "Going away" (timed on the node's clock).
 *   @connections: PostToConnection, GetConnection (connectedAt, identity, lastActiveAt) and DeleteConnection,
 *   GoneException (410) for a connection that is closed or never existed, PayloadTooLargeException over 128 KB.
 * - Reaching it: the WebSocket URL is `ws://<node>/_flint/ws/<api-id>/<stage>` (printed after deploy), or
 *   `ws://<api-id>.execute-api.localhost:<port>/<stage>` where `*.localhost` resolves (browsers, curl). The
 *   management endpoint is `http://<node>/<stage>` (any host of the node: the connection id names the connection,
 *   since ids are unique across the node), so `new ApiGatewayManagementApiClient({ endpoint:
 *   'http://' + requestContext.domainName + '/' + requestContext.stage })` works inside functions, because
 *   domainName is the host the client connected to (`127.0.0.1:4566`).
 * - Differs by design: the node speaks plain HTTP, so an app that builds `https://${domainName}/${stage}` must use
 *   `http://` on Flint (or take the endpoint from AWS_ENDPOINT_URL, which Flint sets in every function:
 *   `${AWS_ENDPOINT_URL}/${stage}`); the examples do the latter. Messages of one connection may run concurrently,
 *   as on AWS. Node shutdown closes connections with 1001 without running $disconnect.
 * - Missing: authorizers on $connect, API keys, non-proxy integrations, mapping templates, route request validation,
 *   route response selection other than $default, LimitExceededException (no rate limits), the connection-rate
 *   quota, custom domain names.
 * - Guessed (no recording of AWS at hand): a $connect result without a statusCode lets the client in; a throttled or
 *   missing function is answered like a failed one; client pings count as activity for the idle timeout; the
 *   $disconnect reason for DeleteConnection ("Connection deleted", code 1000) and for a dropped TCP connection (1006);
 *   the close reason for a frame over 32 KB ("Frame size limit exceeded"); PostToConnection sends UTF-8 data as a
 *   text message and other data as binary; the messages of GoneException ("Gone") and PayloadTooLargeException
 *   ("Message too long"); a client that leaves while $connect runs gets a $disconnect; the 404 for an unknown API
 *   and the 403 for an unknown stage of a known API on the handshake.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestId as lambdaRequestId, type Clock, type Logger } from '../../../core/index.js';
import { Connection, GOING_AWAY, type CloseCause } from './connection.js';
import { connectEvent, disconnectEvent, messageEvent, type ConnectionFacts } from './events.js';
import { isWebSocketHandshake, rawHeaderPairs, refuse, sourceIp, upgradeTarget } from './handshake.js';
import { FrameSizeWatch } from './frames.js';
import { gatewayId } from './ids.js';
import { connectOutcome, INTERNAL_ERROR_MESSAGE, routeReply, type ConnectOutcome } from './results.js';
import { DEFAULT_ROUTE_SELECTION, selectionPath, selectRoute } from './route-selection.js';
import { WEBSOCKET_LIMITS, type DeployedWebSocketApi, type InvokeWebSocketFunction, type WebSocketInvocation, type WebSocketRoute } from './types.js';

export interface WebSocketApisOptions {
  invoke: InvokeWebSocketFunction;
  clock: Clock;
  logger: Logger;
}

interface CompiledApi {
  api: DeployedWebSocketApi;
  routes: Map<string, WebSocketRoute>;
  keys: Set<string>;
  selection: string[];
}

/** What @connections sees of a connection. */
export interface ConnectionView {
  facts: ConnectionFacts;
  lastActiveAt: number;
}

const DELETED: CloseCause = { code: 1000, reason: 'Connection deleted' };
/** 1009 (message too big, RFC 6455 section 7.4.1) for a client frame over API Gateway's 32 KB frame quota. */
const FRAME_TOO_LARGE: CloseCause = { code: 1009, reason: 'Frame size limit exceeded' };
const DROPPED_REASON = '';

export class WebSocketApis {
  private byId = new Map<string, CompiledApi>();
  private readonly connections = new Map<string, Connection>();
  /** The subprotocol $connect chose for a handshake in progress (ws asks for it while completing the upgrade). */
  private readonly protocols = new WeakMap<IncomingMessage, string>();
  private readonly server: WebSocketServer;
  private closing = false;

  constructor(private readonly options: WebSocketApisOptions) {
    this.server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: WEBSOCKET_LIMITS.messageBytes,
      handleProtocols: (_offered, req) => this.protocols.get(req) ?? false,
    });
  }

  /** Replaces the deployed WebSocket APIs; open connections of an API that is gone are closed. */
  setApis(apis: DeployedWebSocketApi[]): void {
    this.byId = new Map(apis.map((api) => [api.config.id, compile(api)]));
    for (const connection of this.connections.values()) {
      if (!this.byId.has(connection.facts.apiId)) connection.close(GOING_AWAY);
    }
  }

  /** An open connection, for @connections. */
  connection(connectionId: string): ConnectionView | undefined {
    const connection = this.connections.get(connectionId);
    return connection?.open ? connection : undefined;
  }

  /** PostToConnection: false when the connection is gone. */
  post(connectionId: string, data: Buffer): boolean {
    const connection = this.connections.get(connectionId);
    if (!connection?.open) return false;
    connection.send(data);
    return true;
  }

  /** DeleteConnection: false when the connection is gone. */
  disconnect(connectionId: string): boolean {
    const connection = this.connections.get(connectionId);
    if (!connection?.open) return false;
    connection.close(DELETED);
    return true;
  }

  /** Takes an HTTP upgrade request from the listener: a handshake for one of the APIs, or a refusal. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined);
    const host = req.headers.host ?? 'localhost';
    const target = upgradeTarget(host, req.url ?? '/');
    const compiled = target ? this.byId.get(target.apiId) : undefined;
    if (!target || !compiled) return refuse(socket, 404, JSON.stringify({ message: 'Not Found' }));
    if (target.stage !== compiled.api.config.stage) return refuse(socket, 403, JSON.stringify({ message: 'Forbidden' }));
    if (!isWebSocketHandshake(req)) return refuse(socket, 400, JSON.stringify({ message: 'Bad Request' }));
    const now = this.options.clock.now();
    const facts: ConnectionFacts = {
      connectionId: gatewayId(),
      apiId: compiled.api.config.id,
      stage: compiled.api.config.stage,
      domainName: host,
      connectedAt: now,
      sourceIp: sourceIp(req),
      userAgent: String(req.headers['user-agent'] ?? ''),
    };
    const connect = compiled.routes.get('$connect');
    const outcome: ConnectOutcome = connect
      ? connectOutcome(await this.invoke(connect, connectEvent(facts, { headers: rawHeaderPairs(req), rawQuery: target.rawQuery }, gatewayId(), now)))
      : { accept: true };
    if (!outcome.accept) return refuse(socket, outcome.status, outcome.body);
    if (socket.destroyed || this.closing) {
      // The client left while $connect ran: the connection existed for its function, so $disconnect runs too.
      void this.runDisconnect(compiled, facts, { code: 1006, reason: DROPPED_REASON });
      return;
    }
    if (outcome.protocol !== undefined) this.protocols.set(req, outcome.protocol);
    this.server.handleUpgrade(req, socket, head, (ws) => this.opened(ws, socket, facts, compiled));
  }

  /** Closes every connection (1001 "Going away") and stops accepting new ones. */
  async close(): Promise<void> {
    this.closing = true;
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map((connection) => connection.shutdown()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private opened(ws: WebSocket, socket: Duplex, facts: ConnectionFacts, compiled: CompiledApi): void {
    const connection = new Connection(facts, ws, this.options.clock);
    this.connections.set(facts.connectionId, connection);
    // Ahead of ws's own reader, so a frame over 32 KB is caught before its message is dispatched.
    const frames = new FrameSizeWatch(WEBSOCKET_LIMITS.frameBytes, () => connection.close(FRAME_TOO_LARGE));
    socket.prependListener('data', (chunk: Buffer) => frames.feed(chunk));
    ws.on('error', () => undefined);
    ws.on('ping', () => connection.touch());
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (connection.closing) return;
      connection.touch();
      void this.onMessage(connection, this.byId.get(facts.apiId) ?? compiled, data, isBinary);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      const cause = connection.closedWith(code, reason.toString('utf8'));
      if (this.connections.get(facts.connectionId) === connection) this.connections.delete(facts.connectionId);
      if (!this.closing) void this.runDisconnect(this.byId.get(facts.apiId) ?? compiled, facts, cause);
    });
  }

  private async onMessage(connection: Connection, compiled: CompiledApi, body: Buffer, binary: boolean): Promise<void> {
    const requestId = gatewayId();
    const { connectionId } = connection.facts;
    const routeKey = selectRoute(compiled.selection, binary ? undefined : body.toString('utf8'), compiled.keys);
    const route = routeKey === undefined ? undefined : compiled.routes.get(routeKey);
    if (!route) {
      connection.send(JSON.stringify({ message: 'Forbidden', connectionId, requestId }));
      return;
    }
    const event = messageEvent(connection.facts, route.routeKey, { body, binary }, { requestId, messageId: gatewayId() }, this.options.clock.now());
    const result = await this.invoke(route, event);
    if (!connection.open) return;
    if (result.status !== 'success') {
      connection.send(JSON.stringify({ message: INTERNAL_ERROR_MESSAGE, connectionId, requestId }));
      return;
    }
    const reply = route.routeResponse ? routeReply(result.payload) : undefined;
    if (reply) connection.send(reply.data, reply.binary);
  }

  private async runDisconnect(compiled: CompiledApi, facts: ConnectionFacts, cause: CloseCause): Promise<void> {
    const route = compiled.routes.get('$disconnect');
    if (!route) return;
    await this.invoke(route, disconnectEvent(facts, cause, gatewayId(), this.options.clock.now()));
  }

  /** Runs a route's function; any failure (error, timeout, throttle, missing function) is an 'error' invocation. */
  private async invoke(route: WebSocketRoute, event: Record<string, unknown>): Promise<WebSocketInvocation> {
    try {
      return await this.options.invoke(route.functionName, Buffer.from(JSON.stringify(event)), lambdaRequestId());
    } catch (error) {
      this.options.logger.warn('websocket route failed', { route: route.routeKey, function: route.functionName, error: String(error) });
      return { status: 'error', payload: Buffer.alloc(0) };
    }
  }
}

function compile(api: DeployedWebSocketApi): CompiledApi {
  const selection = selectionPath(api.config.routeSelection) ?? selectionPath(DEFAULT_ROUTE_SELECTION)!;
  const routes = new Map(api.routes.map((route) => [route.routeKey, route]));
  return { api, routes, keys: new Set(routes.keys()), selection };
}
