import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferBody, FakeClock, isFlintError, requestId, responseBytes, silentLogger } from '../../src/core/index.js';
import {
  AsyncInvocations,
  EventInvokeConfigs,
  EventSourceMappings,
  TableStreamSource,
  type AsyncEvent,
  type AsyncOutcome,
  type AsyncTarget,
  type DestinationSender,
  type SyncInvoker,
} from '../../src/events/index.js';
import { createZip, FunctionRegistry, type CreateFunctionInput } from '../../src/functions/index.js';
import { Invoker, type InvocationResult } from '../../src/invoker/index.js';
import { createSandbox, RuntimeHost } from '../../src/runtime/index.js';
import { DynamoDbService, formatStreamRecord } from '../../src/services/dynamodb/index.js';
import { SqsService } from '../../src/services/sqs/index.js';
import { openSqliteStorage, type Storage } from '../../src/storage/index.js';
import { MemoryLogSink } from '../helpers/memory-log-sink.js';
import { toTarget } from '../../src/platform/targets.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const queueArn = (name: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
export const functionArn = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** A Node.js function package from handler source. */
export function handlerZip(source: string): Uint8Array {
  return createZip([{ path: 'index.js', data: Buffer.from(source), mode: 0o644 }]);
}

/** One synchronous invocation an event source mapping made: what the function got and what it answered. */
export interface Delivery {
  functionName: string;
  event: { Records: Record<string, unknown>[] };
  result: InvocationResult;
}

export interface Final {
  event: AsyncEvent;
  reason: AsyncOutcome;
}

/**
 * A node's event machinery over real parts, driven by a FakeClock: SQLite storage in a temp dir, the function
 * registry, process-sandboxed instances behind the invoker, the real SQS service (its in-process queues API) and the
 * real DynamoDB service (its tables and streams). The platform's wiring, reproduced for tests.
 */
export class EventsHarness {
  readonly deliveries: Delivery[] = [];
  /** Synchronous invocations running now, how many were throttled, and when each that ran started and ended. */
  readonly concurrency = { now: 0, throttled: 0, spans: [] as [number, number][] };
  readonly finals: Final[] = [];
  readonly logs = new MemoryLogSink();
  readonly clock = new FakeClock(Date.UTC(2026, 0, 1), 5);
  storage!: Storage;
  registry!: FunctionRegistry;
  invoker!: Invoker;
  sqs!: SqsService;
  dynamodb!: DynamoDbService;
  configs!: EventInvokeConfigs;
  async!: AsyncInvocations;
  mappings!: EventSourceMappings;
  readonly sync: SyncInvoker;
  readonly destinations: DestinationSender;
  private readonly dir = mkdtempSync(join(tmpdir(), 'flint-events-'));

  private constructor() {
    this.sync = { invokeSync: (name, qualifier, input) => this.invokeSync(name, qualifier, input) };
    this.destinations = {
      send: async (arn, body, attributes) => {
        if (arn.includes(':sqs:')) await this.sqs.queues.send(arn, body, { messageAttributes: attributes });
        else if (arn.includes(':lambda:')) await this.async.accept({ requestId: requestId(), functionName: arn, payload: Buffer.from(body).toString('base64') });
        else throw new Error(`no test destination for ${arn}`);
      },
      exists: async (arn) => (await this.sqs.queues.describe(arn)) !== undefined,
    };
  }

  static async open(): Promise<EventsHarness> {
    const harness = new EventsHarness();
    await harness.openParts();
    return harness;
  }

  /** (Re)opens storage and everything above it, as a node restart does; the clock and data stay. */
  async openParts(): Promise<void> {
    const { clock } = this;
    const dataDir = join(this.dir, 'data');
    this.storage = await openSqliteStorage({ dir: dataDir, clock });
    this.registry = new FunctionRegistry({ storage: this.storage, clock, dataDir, region: REGION, accountId: ACCOUNT });
    const workDir = join(this.dir, 'instances');
    const host = new RuntimeHost({
      clock,
      logger: silentLogger,
      logSink: this.logs,
      sandbox: createSandbox('process', workDir, silentLogger),
      workDir,
      region: REGION,
      accountId: ACCOUNT,
      endpointUrl: 'http://127.0.0.1:4566',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      memoryPollMs: 0,
    });
    this.invoker = new Invoker(host, clock, silentLogger);
    const scope = { region: REGION, accountId: ACCOUNT };
    this.sqs = new SqsService(this.storage.messages, { ...scope, clock, logger: silentLogger });
    this.dynamodb = new DynamoDbService(this.storage.tables, { ...scope, clock, logger: silentLogger });
    this.configs = new EventInvokeConfigs({ metadata: this.storage.metadata, registry: this.registry, clock, destinations: this.destinations });
    this.async = new AsyncInvocations({
      queues: this.storage.queues,
      invoker: this.invoker,
      clock,
      logger: silentLogger,
      resolve: (name, qualifier) => this.resolve(name, qualifier),
      settings: this.configs,
      destinations: this.destinations,
      onFinal: (event, _result, reason) => this.finals.push({ event, reason }),
    });
    this.mappings = new EventSourceMappings({
      metadata: this.storage.metadata,
      registry: this.registry,
      invoker: this.sync,
      clock,
      logger: silentLogger,
      queues: this.sqs.queues,
      streams: new TableStreamSource({ tables: this.storage.tables, format: (record, table) => formatStreamRecord(record, table, scope) }),
      destinations: this.destinations,
    });
    this.async.start();
    await this.mappings.start();
  }

  /** Stops everything above storage and storage itself, keeping the data for openParts(). */
  async closeParts(): Promise<void> {
    await this.mappings.close();
    await this.async.close();
    this.sqs.close();
    await this.dynamodb.close();
    await this.invoker.close();
    await this.storage.close();
  }

  async close(): Promise<void> {
    await this.closeParts();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async deploy(name: string, source: string, settings: Partial<CreateFunctionInput> = {}): Promise<void> {
    await this.registry.create({ name, zip: handlerZip(source), runtime: 'nodejs20.x', handler: 'index.handler', timeout: 10, ...settings });
  }

  /** Calls the DynamoDB API (DynamoDB_20120810.<op>) and returns the parsed answer. */
  async dynamo(op: string, input: unknown): Promise<Record<string, unknown>> {
    const headers = { 'x-amz-target': `DynamoDB_20120810.${op}`, 'content-type': 'application/x-amz-json-1.0' };
    const response = await this.dynamodb.handle({
      method: 'POST',
      rawPath: '/',
      query: new URLSearchParams(),
      headers,
      rawHeaders: Object.entries(headers).flat(),
      body: bufferBody(JSON.stringify(input)),
      requestId: 'req',
      host: '127.0.0.1:4566',
      baseUrl: 'http://127.0.0.1:4566',
      sourceIp: '127.0.0.1',
    });
    const body = JSON.parse((await responseBytes(response.body)).toString('utf8')) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${op} failed: ${JSON.stringify(body)}`);
    return body;
  }

  /** The most invocations that ran at the same moment (throttled attempts never ran). */
  maxConcurrency(): number {
    const edges = this.concurrency.spans.flatMap(([start, end]) => [[start, 1] as const, [end, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let max = 0;
    for (const [, change] of edges) max = Math.max(max, (now += change));
    return max;
  }

  /** Lets polling and invocations run: moves the fake clock in small steps. */
  async tick(ms: number, step = 250): Promise<void> {
    for (let done = 0; done < ms; done += step) await this.clock.advance(Math.min(step, ms - done));
  }

  private async resolve(name: string, qualifier: string | undefined): Promise<AsyncTarget> {
    const target = await this.registry.resolve(name, qualifier);
    return toTarget(target, await this.registry.codeDir(target.config.codeSha256));
  }


  private async invokeSync(name: string, qualifier: string | undefined, input: { requestId: string; payload: Buffer }): Promise<{ result: InvocationResult; executedVersion: string }> {
    let result: InvocationResult;
    let target: AsyncTarget;
    this.concurrency.now++;
    const started = performance.now();
    try {
      target = await this.resolve(name, qualifier);
      result = await this.invoker.invoke(target, { ...input, invokedArn: target.arn });
      this.concurrency.spans.push([started, performance.now()]);
    } catch (error) {
      if (isFlintError(error, 'TOO_MANY_REQUESTS')) this.concurrency.throttled++;
      throw error;
    } finally {
      this.concurrency.now--;
    }
    this.deliveries.push({ functionName: target.config.functionName, event: JSON.parse(input.payload.toString('utf8')) as Delivery['event'], result });
    return { result, executedVersion: target.version ?? '$LATEST' };
  }
}
