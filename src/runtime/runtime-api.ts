/**
 * The Lambda Runtime API 2018-06-01, served to one custom-runtime instance on its own loopback port (the
 * API has no instance id in its paths, so one server per instance is how clients tell them apart). AWS's
 * runtime interface clients (and any `bootstrap` written against the documented API) work unchanged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS, readBody } from '../core/index.js';
import { errorTypeOf, onLines, type Driver, type DriverEvents } from './driver.js';
import { responseTooLargeDocument } from './report.js';
import type { InstanceCgroup } from './cgroups/index.js';
import type { SandboxedProcess } from './sandbox/sandbox.js';
import type { InvokeRequest } from './types.js';

const PREFIX = '/2018-06-01/runtime';

interface Delivery {
  request: InvokeRequest;
  deadlineMs: number;
}

export class RuntimeApiDriver implements Driver {
  private server: Server | undefined;
  private process: SandboxedProcess | undefined;
  private events: DriverEvents | undefined;
  private initialised = false;
  /** An event waiting for the runtime's next /next call. */
  private queued: Delivery | undefined;
  /** A /next call waiting for an event. */
  private parked: ServerResponse | undefined;
  /** The event the runtime is working on. */
  private current: string | undefined;
  private destroyed = false;

  constructor(private readonly spawnProcess: (runtimeApi: string) => SandboxedProcess) {}

  get pid(): number | undefined {
    return this.process?.child.pid;
  }

  get cgroup(): InstanceCgroup | undefined {
    return this.process?.cgroup;
  }

  start(events: DriverEvents): void {
    this.events = events;
    const server = createServer((req, res) => this.route(req, res));
    server.keepAliveTimeout = 0;
    this.server = server;
    server.listen(0, '127.0.0.1', () => {
      if (this.destroyed) return;
      const { port } = server.address() as AddressInfo;
      const proc = this.spawnProcess(`127.0.0.1:${port}`);
      this.process = proc;
      onLines(proc.child.stdout, (line) => events.log(line, this.current ?? null));
      onLines(proc.child.stderr, (line) => events.log(line, this.current ?? null));
      proc.child.once('exit', (code, signal) => events.exit(code, signal));
      proc.child.once('error', () => events.exit(127, null));
    });
  }

  invoke(request: InvokeRequest, deadlineMs: number): void {
    const delivery = { request, deadlineMs };
    if (this.parked) this.deliver(this.parked, delivery);
    else this.queued = delivery;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.parked?.destroy();
    await this.process?.destroy();
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) return this.next(res);
    const result = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && result) return void this.result(req, res, decodeURIComponent(result[1] ?? ''), result[2] as 'response' | 'error');
    if (req.method === 'POST' && url === `${PREFIX}/init/error`) return void this.initError(req, res);
    reply(res, 404, { errorMessage: `Unknown Runtime API route: ${req.method} ${url}`, errorType: 'InvalidRequest' });
  }

  private next(res: ServerResponse): void {
    if (!this.initialised) {
      this.initialised = true;
      this.events?.ready();
    }
    if (this.queued) {
      const delivery = this.queued;
      this.queued = undefined;
      this.deliver(res, delivery);
    } else {
      this.parked = res;
      res.once('close', () => {
        if (this.parked === res) this.parked = undefined;
      });
    }
  }

  private deliver(res: ServerResponse, { request, deadlineMs }: Delivery): void {
    this.parked = undefined;
    this.current = request.requestId;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': request.requestId,
      'Lambda-Runtime-Deadline-Ms': String(deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': request.invokedArn,
      'Lambda-Runtime-Trace-Id': request.traceId ?? '',
    };
    if (request.clientContext) headers['Lambda-Runtime-Client-Context'] = request.clientContext;
    if (request.cognitoIdentity) headers['Lambda-Runtime-Cognito-Identity'] = request.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(request.payload);
  }

  private async result(req: IncomingMessage, res: ServerResponse, requestId: string, kind: 'response' | 'error'): Promise<void> {
    if (requestId !== this.current) {
      await drain(req);
      return reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    }
    if (kind === 'response' && req.headers['lambda-runtime-function-response-mode'] === 'streaming') return this.streamed(req, res, requestId);
    const body = await readBody(req, LIMITS.syncResponseBytes + 100);
    if (!body) {
      reply(res, 413, { errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge' });
      return this.settle(requestId, 'error', responseTooLargeDocument());
    }
    reply(res, 202, { status: 'OK' });
    const document = kind === 'error' ? errorDocument(body, req.headers['lambda-runtime-function-error-type']) : body;
    this.settle(requestId, kind, document);
  }

  /**
   * A streamed response (Lambda-Runtime-Function-Response-Mode: streaming, chunked): each chunk is passed on as it
   * arrives; an error after the stream began comes in the trailers Lambda-Runtime-Function-Error-Type and
   * Lambda-Runtime-Function-Error-Body (base64), as AWS's runtime interface clients send it
   * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html#runtimes-custom-response-streaming).
   */
  private async streamed(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    this.events?.streamStart(requestId, contentType);
    try {
      for await (const chunk of req) this.events?.streamChunk(requestId, chunk as Buffer);
    } catch {
      // The runtime went away mid-stream; its exit ends the invocation.
      return;
    }
    reply(res, 202, { status: 'OK' });
    const errorType = req.trailers['lambda-runtime-function-error-type'];
    if (errorType === undefined) return this.settle(requestId, 'response', Buffer.alloc(0));
    const encoded = req.trailers['lambda-runtime-function-error-body'];
    const body = encoded === undefined ? Buffer.alloc(0) : Buffer.from(encoded, 'base64');
    this.settle(requestId, 'error', errorDocument(body, errorType));
  }

  /**
   * Reports a result one event-loop turn later: output the runtime wrote to stdout before posting its
   * response is then read and attributed to this request first (the pipe and the socket are separate).
   */
  private settle(requestId: string, kind: 'response' | 'error', document: Buffer): void {
    setImmediate(() => {
      if (this.current === requestId) this.current = undefined;
      this.events?.result(requestId, kind, document);
    });
  }

  private async initError(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readBody(req, 1024 * 1024)) ?? Buffer.alloc(0);
    reply(res, 202, { status: 'OK' });
    const document = errorDocument(body, req.headers['lambda-runtime-function-error-type']);
    this.events?.initError(document, errorTypeOf(document, 'Runtime.Unknown'));
  }
}

/** Runtimes may post any text as an error; Lambda wraps what is not an error document. */
function errorDocument(body: Buffer, typeHeader: string | string[] | undefined): Buffer {
  const type = typeof typeHeader === 'string' && typeHeader ? typeHeader : 'Runtime.Unknown';
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed) return body;
  } catch {
    // not JSON: wrap below
  }
  return Buffer.from(JSON.stringify({ errorMessage: body.toString('utf8'), errorType: type }));
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads the whole body, or returns undefined as soon as it exceeds `limit` bytes. */
function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.resume();
    req.on('end', resolve);
    req.on('error', () => resolve());
  });
}
