import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestId as newRequestId, readBody, type Clock, type Logger, type Service, type ServiceRequest, type ServiceResponse, type StreamingService } from '../core/index.js';
import { errorResponse, type HttpApis, type HttpRequest, type HttpResponse } from '../services/apigateway/index.js';
import { legacyService, signatureScope, targetService } from './sigv4.js';

/** A service as the gateway mounts it: buffered (it may ask for a larger body than the default) or streaming. */
export type BufferedService = Service & {
  /** Largest body accepted for this request; a larger one reaches `handle` flagged and empty. */
  bodyLimit?(method: string, rawPath: string): number;
};
export type MountedService = BufferedService | StreamingService;

export interface GatewayOptions {
  host: string;
  port: number;
  /** AWS services by the name in their SigV4 credential scope ("lambda", "s3", ...). */
  services: Record<string, MountedService>;
  /** Flint's own API for the CLI and dashboard, under /_flint/. */
  admin: Service;
  apis: HttpApis;
  clock: Clock;
  logger: Logger;
}

const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;
const API_BODY_LIMIT = 10 * 1024 * 1024;
/** Paths only the Lambda API uses, so unsigned tools (curl, the CLI) reach it too. */
const LAMBDA_PATHS = /^\/(2015-03-31|2016-08-19|2017-03-31|2017-10-31|2018-10-31|2019-09-25|2019-09-30|2020-04-22|2020-06-30|2021-10-31)\//;

/**
 * The one listener. A request goes to Flint's admin API (/_flint/), to an AWS service when it is signed
 * (the credential scope names the service) or names one in X-Amz-Target, to an API's routes when its host
 * names the API or when it is unsigned and a route matches, and finally to Lambda's API by path.
 */
export class Gateway {
  private server: Server | undefined;

  constructor(private readonly options: GatewayOptions) {}

  async start(): Promise<{ url: string; port: number }> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    this.server = server;
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
    server.closeIdleConnections();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      setTimeout(() => server.closeAllConnections(), 2000).unref();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = this.options.clock.monotonic();
    const requestId = newRequestId();
    try {
      const url = parseTarget(req.url ?? '/');
      const host = req.headers.host ?? 'localhost';
      const route = this.classify(req, url, host);
      if (route.kind === 'api') await this.serveApi(req, res, url, host, requestId, route.only);
      else await this.serveService(req, res, url, host, requestId, route.service);
    } catch (error) {
      this.options.logger.error('request failed', { method: req.method, url: req.url, error: String(error) });
      if (!res.headersSent) send(res, { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Internal server error' }) });
      else res.destroy();
    } finally {
      if (this.options.logger.enabled('debug')) {
        this.options.logger.debug('request', { method: req.method, url: req.url, status: res.statusCode, ms: (this.options.clock.monotonic() - started).toFixed(1) });
      }
    }
  }

  private classify(req: IncomingMessage, url: Target, host: string): { kind: 'api'; only?: ReturnType<HttpApis['apiForHost']> } | { kind: 'service'; service: MountedService | undefined } {
    if (url.pathname.startsWith('/_flint/')) return { kind: 'service', service: this.options.admin };
    const scope = signatureScope(req.headers, url.searchParams);
    const named = scope?.service ?? targetService(req.headers) ?? legacyService(req.headers, url.searchParams);
    if (named) return { kind: 'service', service: this.options.services[named] ?? unsupported(named) };
    const only = this.options.apis.apiForHost(host);
    if (only) return { kind: 'api', only };
    return { kind: 'api' };
  }

  private async serveApi(req: IncomingMessage, res: ServerResponse, url: Target, host: string, requestId: string, only: ReturnType<HttpApis['apiForHost']>): Promise<void> {
    const body = await readBody(req, API_BODY_LIMIT);
    if (!body) return sendHttp(res, errorResponse('too-large', only?.config, requestId));
    const request: HttpRequest = {
      method: req.method ?? 'GET',
      rawPath: url.pathname,
      rawQuery: url.search.slice(1),
      headers: pairs(req.rawHeaders),
      body,
      sourceIp: clientIp(req),
      protocol: `HTTP/${req.httpVersion}`,
      userAgent: req.headers['user-agent'],
      timeEpochMs: this.options.clock.now(),
      requestId,
      host,
    };
    const answer = await this.options.apis.handle(request, only);
    if (answer) return sendHttp(res, answer);
    // Not an API route: maybe an unsigned Lambda API call (curl, scripts).
    const lambda = this.options.services.lambda;
    if (LAMBDA_PATHS.test(url.pathname) && lambda && 'handle' in lambda) {
      return send(res, await lambda.handle(serviceRequest(req, url, host, requestId, body)));
    }
    sendHttp(res, errorResponse('not-found', undefined, requestId));
  }

  private async serveService(req: IncomingMessage, res: ServerResponse, url: Target, host: string, requestId: string, service: MountedService | undefined): Promise<void> {
    if (service && 'handleStream' in service) {
      return service.handleStream(req, res, { requestId, rawPath: url.pathname, query: url.searchParams, host, baseUrl: `http://${host}`, sourceIp: clientIp(req) });
    }
    const target: BufferedService = service ?? unsupported('unknown');
    const limit = target.bodyLimit?.(req.method ?? 'GET', url.pathname) ?? DEFAULT_BODY_LIMIT;
    const body = await readBody(req, limit);
    const request = serviceRequest(req, url, host, requestId, body ?? Buffer.alloc(0));
    if (!body) request.bodyTooLarge = true;
    send(res, await target.handle(request));
  }
}

function serviceRequest(req: IncomingMessage, url: Target, host: string, requestId: string, body: Buffer): ServiceRequest {
  return {
    method: req.method ?? 'GET',
    rawPath: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    requestId,
    baseUrl: `http://${host}`,
    sourceIp: clientIp(req),
  };
}

/** A service Flint does not emulate (yet): answer in a shape every AWS client can parse. */
function unsupported(name: string): BufferedService {
  return {
    handle: async (req) => ({
      status: 501,
      headers: { 'content-type': 'application/json', 'x-amzn-RequestId': req.requestId, 'x-amzn-ErrorType': 'NotImplemented' },
      body: JSON.stringify({ __type: 'NotImplemented', message: `Flint does not emulate the '${name}' service yet` }),
    }),
  };
}

/** The parts of a request target the gateway uses. Paths stay exactly as sent (an S3 key may hold `..`). */
interface Target {
  pathname: string;
  search: string;
  searchParams: URLSearchParams;
}

function parseTarget(raw: string): Target {
  if (!raw.startsWith('/')) {
    const url = new URL(raw, 'http://localhost'); // absolute-form (proxies) or asterisk-form
    return { pathname: url.pathname, search: url.search, searchParams: url.searchParams };
  }
  const q = raw.indexOf('?');
  const search = q < 0 ? '' : raw.slice(q);
  return { pathname: q < 0 ? raw : raw.slice(0, q), search, searchParams: new URLSearchParams(search) };
}

function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function send(res: ServerResponse, response: ServiceResponse): void {
  const body = response.body === undefined ? undefined : typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
  res.writeHead(response.status, { ...response.headers, 'content-length': String(body?.length ?? 0) });
  res.end(body);
}

function sendHttp(res: ServerResponse, response: HttpResponse): void {
  const headers: string[] = [];
  for (const [name, value] of response.headers) headers.push(name, value);
  headers.push('content-length', String(response.body.length));
  res.writeHead(response.statusCode, headers);
  res.end(response.body);
}
