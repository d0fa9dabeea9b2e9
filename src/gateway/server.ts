import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  requestId as newRequestId,
  streamBody,
  type Clock,
  type Logger,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../core/index.js';
import { errorResponse, isConnectionsPath, type HttpApis, type HttpRequest, type HttpResponse, type WebSocketApis } from '../services/apigateway/index.js';
import { isFunctionUrlRequest } from '../services/lambda/index.js';
import { isS3Host, parseAddress } from '../services/s3/index.js';
import { verifyPostPolicy, type RequestVerifier } from './auth/index.js';
import { applyServerLimits, DEFAULT_GATEWAY_LIMITS, headersTooMany, serverOptions, StalledBodyWatch, tooManyHeaders, type GatewayLimits } from './limits.js';
import { legacyService, signatureScope, targetService, unsignedStsAction } from './sigv4.js';

export interface GatewayOptions {
  host: string;
  port: number;
  clock: Clock;
  logger: Logger;
  /** Header, slow-client and connection limits (limits.ts); the defaults suit a node on a network. */
  limits?: Partial<GatewayLimits>;
}

/** Where requests go; set once the node behind the listener is built, and again after a reset. */
export interface GatewayRoutes {
  /** AWS services by the name in their SigV4 credential scope ("lambda", "s3", ...). */
  services: Record<string, Service>;
  /** Flint's own API for the CLI and dashboard, under /_flint/. */
  admin: Service;
  apis: HttpApis;
  /** WebSocket APIs: the listener hands every HTTP upgrade request to them. */
  websockets?: WebSocketApis;
  /** The @connections API of WebSocket APIs (signed for "execute-api"). */
  connections?: Service;
  /** Function URLs: requests to <url-id>.lambda-url.<region>.on.aws (or .localhost) and /_flint/url/<url-id>/. */
  functionUrls?: Service;
  /** Whether S3 has a bucket of this name: unsigned requests naming one that no API route claims are S3's. */
  isBucket?: (name: string) => Promise<boolean>;
  /** Server mode: the signature of every request to an AWS API or the admin API is verified. Absent in local mode. */
  verifier?: RequestVerifier;
}

const API_BODY_LIMIT = 10 * 1024 * 1024;
/** The methods of anonymous S3 requests (object reads and writes, bucket listings) the gateway hands to S3. */
const ANONYMOUS_S3_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/** Paths only the Lambda API uses, so unsigned tools (curl, the CLI) reach it too. */
const LAMBDA_PATHS = /^\/(2015-03-31|2016-08-19|2017-03-31|2017-10-31|2018-10-31|2019-09-25|2019-09-30|2020-04-22|2020-06-30|2021-10-31|2021-11-15)\//;

/**
 * What one request goes to: an AWS service, the admin API, or the HTTP APIs' routes. `verify` names the API whose
 * rules verify the request's signature in server mode; requests without it (SNS's subscriber links, function URLs,
 * STS's sign-ins by token) carry their own proof or none is wanted.
 */
type Destination = { kind: 'service'; service: Service; verify?: string } | { kind: 'api'; only: ReturnType<HttpApis['apiForHost']> };

/** The admin API's paths that answer unsigned in server mode: a health check for load balancers. */
const OPEN_ADMIN_PATHS: ReadonlySet<string> = new Set(['/_flint/health']);

/**
 * The one listener, and the router behind it. A request goes to Flint's admin API (/_flint/), to an AWS service
 * when it is signed (the credential scope names the service) or names one in X-Amz-Target, to an API's routes when
 * its host names the API or when it is unsigned and a route matches, to Lambda's API by path, and to S3 when it is
 * unsigned and its host is an S3 host or it names an existing bucket (anonymous access, which S3 decides). Besides
 * the limits it holds hostile clients to (limits.ts), the gateway does nothing else: services read their own bodies
 * (with their own limits) and answer in their own protocol. `dispatch` routes a request in process, without a socket.
 */
export class Gateway {
  private server: Server | undefined;
  private routes: GatewayRoutes | undefined;
  private readonly limits: GatewayLimits;
  private readonly stalledBodies: StalledBodyWatch;

  constructor(private readonly options: GatewayOptions) {
    this.limits = { ...DEFAULT_GATEWAY_LIMITS, ...options.limits };
    // Real time, whatever the node's clock: a socket stalls in the world's time.
    this.stalledBodies = new StalledBodyWatch(this.limits.bodyIdleTimeoutMs, () => performance.now());
  }

  /** Points the listener at a node's services; undefined answers 503 (starting, or resetting) until routes return. */
  route(routes: GatewayRoutes | undefined): void {
    this.routes = routes;
  }

  async start(): Promise<{ url: string; port: number }> {
    const server = createServer(serverOptions(this.limits), (req, res) => void this.serve(req, res));
    applyServerLimits(server, this.limits);
    // Expect: 100-continue: "100 Continue" is sent when the service reads the body, not before (read-body.ts); the
    // client sends nothing until then, so its body is watched for stalls only from then on.
    server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) =>
      void this.serve(req, res, () => {
        res.writeContinue();
        this.stalledBodies.watch(req);
      }),
    );
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head));
    server.keepAliveTimeout = 65_000;
    this.server = server;
    this.stalledBodies.start();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const host = this.options.host === '0.0.0.0' || this.options.host === '::' ? '127.0.0.1' : this.options.host;
    return { url: `http://${host}:${port}`, port };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.stalledBodies.close();
    server.closeIdleConnections();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      setTimeout(() => server.closeAllConnections(), 2000).unref();
    });
  }

  /** Routes one request and returns the answer: the seam the listener and in-process callers share. */
  async dispatch(request: ServiceRequest): Promise<ServiceResponse> {
    const routes = this.routes;
    if (!routes) return unavailable(request.requestId);
    const destination = this.destination(request, routes);
    if (destination.kind === 'api') return this.serveApi(request, destination.only, routes);
    if (!routes.verifier || destination.verify === undefined) return destination.service.handle(request);
    return verified(destination.service, destination.verify, request, routes.verifier);
  }

  /** An HTTP upgrade (a WebSocket handshake) is the WebSocket APIs'; without them, or between assemblies, it is refused. */
  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const websockets = this.routes?.websockets;
    if (!websockets) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    try {
      await websockets.handleUpgrade(req, socket, head);
    } catch (error) {
      this.options.logger.error('upgrade failed', { url: req.url, error: String(error) });
      socket.destroy();
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse, beforeRead?: () => void): Promise<void> {
    if (tooManyHeaders(req, this.limits)) return headersTooMany(res);
    if (!beforeRead) this.stalledBodies.watch(req);
    const started = this.options.clock.monotonic();
    try {
      await write(res, await this.dispatch(toServiceRequest(req, newRequestId(), beforeRead)));
    } catch (error) {
      this.options.logger.error('request failed', { method: req.method, url: req.url, error: String(error) });
      if (!res.headersSent) await write(res, { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Internal server error' }) });
      else res.destroy();
    } finally {
      if (this.options.logger.enabled('debug')) {
        this.options.logger.debug('request', { method: req.method, url: req.url, status: res.statusCode, ms: (this.options.clock.monotonic() - started).toFixed(1) });
      }
    }
  }

  private destination(request: ServiceRequest, routes: GatewayRoutes): Destination {
    // SNS's own pages on the node (its signing certificate, recorded SMS/email deliveries) are unsigned GETs.
    const sns = routes.services.sns;
    if (sns && request.rawPath.startsWith('/_flint/sns/')) return { kind: 'service', service: sns };
    // Before signatures: an AWS_IAM function URL request is SigV4-signed for "lambda" but is not a Lambda API call.
    // In server mode a signed one is verified: a refused signature is no AWS_IAM caller (the URL answers 403).
    if (routes.functionUrls && isFunctionUrlRequest(request.host, request.rawPath)) {
      return { kind: 'service', service: routes.functionUrls, ...(signatureScope(request.headers, request.query) ? { verify: 'lambda' } : {}) };
    }
    if (request.rawPath.startsWith('/_flint/')) return { kind: 'service', service: routes.admin, ...(OPEN_ADMIN_PATHS.has(request.rawPath) ? {} : { verify: ADMIN }) };
    const scope = signatureScope(request.headers, request.query);
    // Services name the caller's region in ARNs and messages, as AWS does for the region a request was signed for.
    if (scope) request.credential = scope;
    const signed = scope?.service ?? targetService(request.headers);
    const legacy = signed === undefined ? legacyService(request.headers, request.query) : undefined;
    const named = signed ?? legacy;
    // API Gateway's invoke scope: the @connections API of WebSocket APIs, or a call of an API with IAM auth.
    if (named === 'execute-api') {
      if (routes.connections && isConnectionsPath(request.rawPath)) return { kind: 'service', service: routes.connections, verify: 'execute-api' };
      return { kind: 'api', only: routes.apis.apiForHost(request.host) };
    }
    // Of the requests named without SigV4, only S3's (SigV2) are signed; SNS's links and STS's sign-ins are not.
    const verify = signed ?? (legacy === 's3' ? 's3' : undefined);
    if (named) return { kind: 'service', service: routes.services[named] ?? unsupported(named), ...(verify ? { verify } : {}) };
    const only = routes.apis.apiForHost(request.host);
    // An unsigned request to an S3 host (bucket.s3.localhost, s3.<region>.amazonaws.com) is S3's: anonymous access.
    if (!only && routes.services.s3 && isS3Host(request.host)) return { kind: 'service', service: routes.services.s3, verify: 's3' };
    return { kind: 'api', only };
  }

  /** Whether a signed call of an API (AWS_IAM authorization) verifies; always, in local mode. A refused one is unsigned. */
  private async signatureHolds(request: ServiceRequest, body: Buffer, routes: GatewayRoutes): Promise<boolean> {
    if (!routes.verifier) return true;
    return 'request' in (await routes.verifier.verify({ ...request, body: replay(body) }, 'execute-api'));
  }

  private async serveApi(request: ServiceRequest, only: ReturnType<HttpApis['apiForHost']>, routes: GatewayRoutes): Promise<ServiceResponse> {
    const body = await request.body.read(API_BODY_LIMIT);
    if (!body) return fromHttp(errorResponse('too-large', only?.config, request.requestId));
    const apiRequest: HttpRequest = {
      method: request.method,
      rawPath: request.rawPath,
      rawQuery: request.query.toString(),
      headers: pairs(request.rawHeaders),
      body,
      sourceIp: request.sourceIp,
      protocol: 'HTTP/1.1',
      userAgent: header(request, 'user-agent'),
      timeEpochMs: this.options.clock.now(),
      requestId: request.requestId,
      host: request.host,
      ...(request.credential && (await this.signatureHolds(request, body, routes)) ? { signedBy: { accessKeyId: request.credential.accessKeyId, region: request.credential.region } } : {}),
    };
    const answer = await routes.apis.handle(apiRequest, only);
    if (answer) return fromHttp(answer);
    // Browsers send CORS preflights and form uploads (POST Object) unsigned; those no API route claims are S3's.
    const s3 = routes.services.s3;
    const hand = (service: Service, name: string): Promise<ServiceResponse> => {
      const replayed = { ...request, body: replay(body) };
      return routes.verifier ? verified(service, name, replayed, routes.verifier) : service.handle(replayed);
    };
    if ((isPreflight(request) || isFormPost(request)) && s3) return hand(s3, 's3');
    // Not an API route: maybe an unsigned Lambda API call (curl, scripts); server mode refuses it.
    const lambda = routes.services.lambda;
    if (LAMBDA_PATHS.test(request.rawPath) && lambda) return hand(lambda, 'lambda');
    // Or STS's web identity and SAML sign-ins, which clients send unsigned with the action in a form body.
    const sts = routes.services.sts;
    if (sts && request.method === 'POST' && unsignedStsAction(body)) return sts.handle({ ...request, body: replay(body) });
    // Or an anonymous S3 request (path style, or bucket.localhost) naming an existing bucket: S3 answers it.
    if (s3 && (await namesBucket(request, routes))) return hand(s3, 's3');
    return fromHttp(errorResponse('not-found', undefined, request.requestId));
  }
}

/** The `verify` of the admin API: signed for any service scope (the CLI signs with the root key). */
const ADMIN = 'flint';

/**
 * Server mode: a request goes on only with a signature that verifies; a refused one reaches its service marked
 * `refusal`, which the service answers in its own protocol and wording (the admin API's refusal is Flint's JSON).
 * S3 requests carry the check of a form upload's policy signature, which S3 reads from the body.
 */
async function verified(service: Service, name: string, request: ServiceRequest, verifier: RequestVerifier): Promise<ServiceResponse> {
  const verdict = await verifier.verify(request, name === ADMIN ? (request.credential?.service ?? signatureScope(request.headers, request.query)?.service ?? ADMIN) : name);
  if ('refused' in verdict) {
    if (name === ADMIN) return adminRefusal(verdict.refused, request.requestId);
    return service.handle({ ...request, refusal: verdict.refused });
  }
  if (name === 's3') return service.handle({ ...verdict.request, verifyForm: (fields) => verifyPostPolicy(verifier, fields) });
  return service.handle(verdict.request);
}

/** The admin API's answer to a request without a valid signature: Flint's JSON error, with what to do. */
function adminRefusal(error: Error, requestId: string): ServiceResponse {
  const message = `${error.message} (this node runs in server mode: sign requests with a key it issued; the flint CLI uses the root key in the data folder, or FLINT_ACCESS_KEY_ID and FLINT_SECRET_ACCESS_KEY)`;
  return {
    status: 403,
    headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId },
    body: JSON.stringify({ error: { code: 'UNAUTHORIZED', message } }),
  };
}

function toServiceRequest(req: IncomingMessage, requestId: string, beforeRead?: () => void): ServiceRequest {
  const { pathname, search } = parseTarget(req.url ?? '/');
  const host = req.headers.host ?? 'localhost';
  return {
    method: req.method ?? 'GET',
    rawPath: pathname,
    query: new URLSearchParams(search),
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    body: streamBody(req, beforeRead),
    requestId,
    host,
    baseUrl: `http://${host}`,
    sourceIp: clientIp(req),
  };
}

/** OPTIONS with an Origin: what browsers send before a cross-origin request (answered by an API's or a bucket's CORS). */
function isPreflight(request: ServiceRequest): boolean {
  return request.method === 'OPTIONS' && request.headers.origin !== undefined;
}

/** A POST of an HTML form with a file (S3's POST Object). */
function isFormPost(request: ServiceRequest): boolean {
  return request.method === 'POST' && String(request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** An unsigned read or write whose address (Host or first path segment) names an existing bucket. */
async function namesBucket(request: ServiceRequest, routes: GatewayRoutes): Promise<boolean> {
  if (!routes.isBucket || !ANONYMOUS_S3_METHODS.has(request.method)) return false;
  let bucket: string | undefined;
  try {
    bucket = parseAddress(request.host, request.rawPath).bucket;
  } catch {
    return false;
  }
  return bucket !== undefined && (await routes.isBucket(bucket));
}

/** A body already read, offered again to the next handler. */
function replay(body: Buffer): ServiceRequest['body'] {
  return {
    length: body.length,
    read: async (limit) => (body.length > limit ? undefined : body),
    async *[Symbol.asyncIterator]() {
      if (body.length > 0) yield body;
    },
  };
}

/** A service Flint does not emulate (yet): answer in a shape every AWS client can parse. */
/** Between assemblies (starting, resetting): a 503 that AWS clients retry. */
function unavailable(requestId: string): ServiceResponse {
  return {
    status: 503,
    headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': 'ServiceUnavailable', 'retry-after': '1' },
    body: JSON.stringify({ __type: 'ServiceUnavailable', message: 'Flint is starting or resetting; retry in a moment' }),
  };
}

function unsupported(name: string): Service {
  return {
    handle: async (req) => ({
      status: 501,
      headers: { 'content-type': 'application/json', 'x-amzn-RequestId': req.requestId, 'x-amzn-ErrorType': 'NotImplemented' },
      body: JSON.stringify({ __type: 'NotImplemented', message: `Flint does not emulate the '${name}' service yet` }),
    }),
  };
}

/** The path and query of a request target, exactly as sent (an S3 key may hold `..`). */
function parseTarget(raw: string): { pathname: string; search: string } {
  if (!raw.startsWith('/')) {
    const url = new URL(raw, 'http://localhost'); // absolute-form (proxies) or asterisk-form
    return { pathname: url.pathname, search: url.search };
  }
  const q = raw.indexOf('?');
  return q < 0 ? { pathname: raw, search: '' } : { pathname: raw.slice(0, q), search: raw.slice(q) };
}

function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function header(request: ServiceRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function pairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** An HTTP API's answer on the seam: repeated headers (Set-Cookie) become lists. */
function fromHttp(response: HttpResponse): ServiceResponse {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else headers[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return { status: response.statusCode, headers, body: response.body };
}

/**
 * Sends an answer. A body in memory gets its length; a streamed one is piped with the length its service gave (or
 * chunked); a HEAD answer keeps the length of what a GET would send.
 */
async function write(res: ServerResponse, response: ServiceResponse): Promise<void> {
  const { body } = response;
  const headers = (response.headers ?? {}) as Record<string, string | string[]>;
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    // A body in memory gets its own length; a HEAD answer keeps the length of the body it describes.
    if (bytes !== undefined || contentLengthKey(headers) === undefined) setContentLength(headers, bytes?.length ?? 0);
    res.writeHead(response.status, headers);
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  await pipeline(body, res);
}

/** The key spelling content-length in these headers, if any (services spell it either way). */
function contentLengthKey(headers: Record<string, unknown>): string | undefined {
  for (const key in headers) if (key.length === 14 && key.toLowerCase() === 'content-length') return key;
  return undefined;
}

/** Sets content-length on the answer's own headers object (each answer has its own). */
function setContentLength(headers: Record<string, string | string[]>, length: number): void {
  const existing = contentLengthKey(headers);
  if (existing !== undefined && existing !== 'content-length') delete headers[existing];
  headers['content-length'] = String(length);
}
