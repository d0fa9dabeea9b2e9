import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { bufferBody, FakeClock, RealClock, responseBytes, silentLogger, type Clock, type Service } from '../../../src/core/index.js';
import { S3Service, type S3NotificationEvent, type S3NotificationSink, type S3NotificationTarget } from '../../../src/services/s3/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';
import { startTestNode } from '../../helpers/node.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Records every delivered event; `fail` makes deliveries reject, `refuse` makes validation name a reason. */
export class RecordingSink implements S3NotificationSink {
  readonly delivered: { target: S3NotificationTarget; event: S3NotificationEvent }[] = [];
  fail = false;
  refuse: string | undefined;

  async deliver(target: S3NotificationTarget, event: S3NotificationEvent): Promise<void> {
    if (this.fail) throw new Error('queue unavailable');
    this.delivered.push({ target, event });
  }

  async validate(): Promise<string | undefined> {
    return this.refuse;
  }
}

export interface S3Node {
  url: string;
  port: number;
  dir: string;
  storage: Storage;
  clock: Clock;
  client(config?: Partial<S3ClientConfig>): S3Client;
  close(): Promise<void>;
}

/** The S3 service as a unit, with what it hands its notification sink on record. */
export interface S3Unit {
  service: S3Service;
  storage: Storage;
  sink: RecordingSink;
  client(config?: Partial<S3ClientConfig>): S3Client;
  close(): Promise<void>;
}

function sdkClient(endpoint: string, clients: S3Client[], config: Partial<S3ClientConfig>): S3Client {
  const client = new S3Client({ endpoint, region: REGION, credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1, ...config });
  clients.push(client);
  return client;
}

/**
 * The node the product assembles (startTestNode: FlintNode.start, as `flint up` runs it) on a free port; S3 tests
 * reach it as clients do. `dir` puts the node's data in a chosen folder (tmpfs for the memory test).
 */
export async function startS3(options: { clock?: Clock; dir?: string } = {}): Promise<S3Node> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'flint-s3-')));
  const clock = options.clock ?? new RealClock();
  const test = await startTestNode({ clock, dataDir: join(dir, 'data') });
  const { url, storage } = test.node;
  const clients: S3Client[] = [];
  return {
    url,
    port: Number(new URL(url).port),
    dir,
    storage,
    clock,
    client: (config = {}) => sdkClient(url, clients, config),
    async close() {
      for (const client of clients) client.destroy();
      await test.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The S3 service alone, with a recording notification sink, called in process: its SDK clients hand each request
 * to `service.handle` without a socket. For tests of what S3 gives its sink, which the assembled node wires to
 * functions, queues and topics.
 */
export async function startS3Unit(options: { clock?: Clock } = {}): Promise<S3Unit> {
  const dir = await mkdtemp(join(tmpdir(), 'flint-s3-unit-'));
  const clock = options.clock ?? new RealClock();
  const storage = await openSqliteStorage({ dir, clock });
  const sink = new RecordingSink();
  const service = new S3Service(storage.objects, { region: REGION, accountId: ACCOUNT, clock, logger: silentLogger, notifications: sink, queues: storage.queues });
  service.start();
  const clients: S3Client[] = [];
  return {
    service,
    storage,
    sink,
    client: (config = {}) => sdkClient('http://s3.unit.test', clients, { requestHandler: new InProcessHandler(service), ...config }),
    async close() {
      for (const client of clients) client.destroy();
      await service.close();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The SDK's request as smithy hands it to an HTTP handler (the fields this handler reads). */
interface SdkRequest {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** An SDK v3 request handler that calls a service in process instead of sending the request over HTTP. */
class InProcessHandler {
  private id = 0;

  constructor(private readonly service: Service) {}

  async handle(request: SdkRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Readable } }> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) for (const item of [value ?? ''].flat()) query.append(name, item);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const host = `${request.hostname}${request.port ? `:${request.port}` : ''}`;
    headers.host = host;
    const body = await bytesOf(request.body);
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = String(body.length);
    const answer = await this.service.handle({
      method: request.method,
      rawPath: request.path,
      query,
      headers,
      rawHeaders: Object.entries(headers).flat(),
      body: bufferBody(body),
      requestId: `unit-${++this.id}`,
      host,
      baseUrl: `http://${host}`,
      sourceIp: '127.0.0.1',
    });
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers ?? {})) responseHeaders[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
    const bytes = request.method === 'HEAD' ? Buffer.alloc(0) : await responseBytes(answer.body);
    return { response: { statusCode: answer.status, headers: responseHeaders, body: Readable.from([bytes]) } };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

async function bytesOf(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * The S3 error a call rejects with, so a test can check its name, message and status; fails the test when the
 * call succeeds or rejects with anything but an S3 service error.
 */
export async function s3Failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(S3ServiceException);
  return error as S3ServiceException;
}

export { FakeClock };
