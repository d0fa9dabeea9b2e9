import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealClock, requestId, silentLogger, type BufferedResponse } from '../../../src/core/index.js';
import { AsyncInvocations, type AsyncEvent } from '../../../src/events/index.js';
import { createZip, FunctionRegistry } from '../../../src/functions/index.js';
import { Invoker, type InvocationResult, type InvokeTarget } from '../../../src/invoker/index.js';
import { createSandbox, RuntimeHost } from '../../../src/runtime/index.js';
import { LambdaService, type LambdaBackend } from '../../../src/services/lambda/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';
import { MemoryLogSink } from '../../helpers/memory-log-sink.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
export const BASE_URL = 'http://127.0.0.1:4566';

export function arn(name: string, qualifier?: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
}

/** A Node.js handler that echoes what it saw; `label` ends up in its answer so tests can tell code versions apart. */
export function echoZip(label = 'v1'): Uint8Array {
  const source = `
exports.handler = async (event, context) => {
  console.log('handling', JSON.stringify(event));
  if (event && event.fail) throw new TypeError('asked to fail');
  if (event && event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return {
    label: ${JSON.stringify(label)},
    event,
    version: context.functionVersion,
    invokedArn: context.invokedFunctionArn,
    requestId: context.awsRequestId,
    clientContext: context.clientContext === undefined ? null : context.clientContext,
    marker: process.env.MARKER === undefined ? null : process.env.MARKER,
  };
};
`;
  return createZip([{ path: 'index.js', data: Buffer.from(source), mode: 0o644 }]);
}

export function zipBase64(zip: Uint8Array): string {
  return Buffer.from(zip).toString('base64');
}

export interface Call {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  bodyTooLarge?: boolean;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  raw: Buffer;
  json(): Record<string, unknown>;
}

interface Final {
  event: AsyncEvent;
  result: InvocationResult | undefined;
  reason: string;
}

/**
 * A Lambda API over real parts: SQLite storage in a temp dir, the function registry, process-sandboxed instances
 * behind the invoker, and the durable async queue for Event invocations.
 */
export class LambdaHarness {
  private readonly pending = new Set<Promise<unknown>>();

  private constructor(
    /** Final outcomes of Event invocations, as the async queue reports them. */
    readonly finals: Final[],
    readonly logs: MemoryLogSink,
    readonly service: LambdaService,
    readonly registry: FunctionRegistry,
    readonly invoker: Invoker,
    private readonly storage: Storage,
    private readonly events: AsyncInvocations,
    private readonly dir: string,
  ) {}

  static async start(): Promise<LambdaHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'flint-lambda-api-'));
    const clock = new RealClock();
    const storage = await openSqliteStorage({ dir: join(dir, 'data'), clock });
    const registry = new FunctionRegistry({ storage, clock, dataDir: join(dir, 'data'), region: REGION, accountId: ACCOUNT });
    const logs = new MemoryLogSink();
    const workDir = join(dir, 'instances');
    const host = new RuntimeHost({
      clock,
      logger: silentLogger,
      logSink: logs,
      sandbox: createSandbox('process', workDir, silentLogger),
      workDir,
      region: REGION,
      accountId: ACCOUNT,
      endpointUrl: BASE_URL,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      memoryPollMs: 0,
    });
    const invoker = new Invoker(host, clock, silentLogger);
    const resolve = async (name: string, qualifier: string | undefined): Promise<InvokeTarget & { arn: string; version: string }> => {
      const target = await registry.resolve(name, qualifier);
      const { config } = target;
      return {
        key: target.key,
        arn: target.arn,
        version: target.version,
        config: { ...config, functionName: target.functionName, version: target.version, codeDir: await registry.codeDir(config.codeSha256) },
      };
    };
    const finals: Final[] = [];
    const events = new AsyncInvocations({
      queues: storage.queues,
      invoker,
      clock,
      logger: silentLogger,
      resolve,
      onFinal: (event, result, reason) => finals.push({ event, result, reason }),
    });
    const backend: LambdaBackend = {
      registry,
      invokeSync: async (name, qualifier, input) => {
        const target = await resolve(name, qualifier);
        const result = await invoker.invoke(target, { ...input, invokedArn: target.arn });
        return { result, executedVersion: target.version };
      },
      provisionedReady: () => 0,
      invokeAsync: async (name, qualifier, input) => {
        await resolve(name, qualifier);
        await events.accept({ requestId: input.requestId, functionName: name, qualifier, payload: input.payload.toString('base64'), clientContext: input.clientContext });
      },
    };
    const service = new LambdaService(backend, { region: REGION, accountId: ACCOUNT });
    const harness = new LambdaHarness(finals, logs, service, registry, invoker, storage, events, dir);
    events.start();
    harness.watchReservations();
    return harness;
  }

  /** Keeps the invoker's limits in step with reservations, as the platform does; `settled()` waits for it. */
  private watchReservations(): void {
    this.registry.onChange((event) => {
      if (event.type !== 'concurrency') return;
      const work = this.registry.getReservedConcurrency(event.functionName).then((n) => this.invoker.limits.setReserved(event.functionName, n));
      this.pending.add(work);
      void work.finally(() => this.pending.delete(work));
    });
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  async call(call: Call): Promise<Answer> {
    const body = call.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(call.body) ? call.body : Buffer.from(typeof call.body === 'string' ? call.body : JSON.stringify(call.body));
    const headers = Object.fromEntries(Object.entries(call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const response: BufferedResponse = await this.service.handle({
      method: call.method,
      rawPath: call.path,
      query: new URLSearchParams(call.query ?? {}),
      headers,
      body,
      ...(call.bodyTooLarge ? { bodyTooLarge: true } : {}),
      requestId: requestId(),
      baseUrl: BASE_URL,
      sourceIp: '127.0.0.1',
    });
    const raw = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body);
    return { status: response.status, headers: response.headers ?? {}, raw, json: () => JSON.parse(raw.toString('utf8')) as Record<string, unknown> };
  }

  /** CreateFunction with an echo handler; returns the response document. */
  async createFunction(name: string, extra: Record<string, unknown> = {}, zip = echoZip()): Promise<Record<string, unknown>> {
    const answer = await this.call({
      method: 'POST',
      path: '/2015-03-31/functions',
      body: { FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipBase64(zip) }, ...extra },
    });
    if (answer.status !== 201) throw new Error(`CreateFunction failed: ${answer.status} ${answer.raw.toString()}`);
    return answer.json();
  }

  invoke(name: string, payload: unknown, options: { query?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Answer> {
    return this.call({ method: 'POST', path: `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, body: payload, ...options });
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.invoker.close();
    await this.storage.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Asserts a Lambda error response: status, x-amzn-ErrorType, request id, and the body as Lambda words it. */
export function errorOf(answer: Answer): { status: number; type: string | undefined; body: Record<string, unknown> } {
  return { status: answer.status, type: answer.headers['x-amzn-ErrorType'], body: answer.json() };
}
