import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, isFlintError, silentLogger } from '../../src/core/index.js';
import type { AsyncEvent, AsyncInvocations, AsyncOutcome, CallObserver, EventInvokeConfigs, EventSourceMappings } from '../../src/events/index.js';
import { createZip, type CreateFunctionInput, type FunctionRegistry } from '../../src/functions/index.js';
import type { InvocationResult, Invoker } from '../../src/invoker/index.js';
import { startNode, type FlintNode } from '../../src/platform/index.js';
import type { DynamoDbService } from '../../src/services/dynamodb/index.js';
import type { SqsService } from '../../src/services/sqs/index.js';
import type { Storage } from '../../src/storage/index.js';
import { MemoryLogSink } from '../helpers/memory-log-sink.js';

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
 * The node the product assembles (FlintNode.start, as `flint up` runs it), driven by a FakeClock, with the node's
 * own observer hook recording every function run: which mapping batches reached functions and what they answered,
 * how many ran at once, how many were throttled, and how each Event call ended. Its parts are the node's parts.
 */
export class EventsHarness {
  readonly deliveries: Delivery[] = [];
  /** Synchronous invocations running now, how many were throttled, and when each that ran started and ended. */
  readonly concurrency = { now: 0, throttled: 0, spans: [] as [number, number][] };
  readonly finals: Final[] = [];
  readonly logs = new MemoryLogSink();
  readonly clock = new FakeClock(Date.UTC(2026, 0, 1), 5);
  node!: FlintNode;
  private readonly dir = mkdtempSync(join(tmpdir(), 'flint-events-'));
  /** Real start times of the runs in flight, by request id, for the concurrency spans. */
  private readonly running = new Map<string, number>();
  private stopListening: (() => void) | undefined;

  private constructor() {}

  static async open(): Promise<EventsHarness> {
    const harness = new EventsHarness();
    await harness.openParts();
    return harness;
  }

  get storage(): Storage {
    return this.node.storage;
  }

  get registry(): FunctionRegistry {
    return this.node.registry;
  }

  get invoker(): Invoker {
    return this.node.invoker;
  }

  get sqs(): SqsService {
    return this.node.data.sqs;
  }

  get dynamodb(): DynamoDbService {
    return this.node.data.dynamodb;
  }

  get configs(): EventInvokeConfigs {
    return this.node.events.invokeConfigs;
  }

  get async(): AsyncInvocations {
    return this.node.events.async;
  }

  get mappings(): EventSourceMappings {
    return this.node.events.mappings;
  }

  /** (Re)starts the node on the same data folder, as a restart does; the clock and the records stay. */
  async openParts(): Promise<void> {
    this.node = await startNode({ dataDir: join(this.dir, 'data'), port: 0, logger: silentLogger, sandbox: 'process', stemCells: false, clock: this.clock, observer: this.observer() });
    this.stopListening = this.node.logSink.listen((record) => this.logs.records.push(record));
  }

  /** Stops the node, keeping its data for openParts(). */
  async closeParts(): Promise<void> {
    this.stopListening?.();
    await this.node.close();
  }

  async close(): Promise<void> {
    await this.closeParts();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async deploy(name: string, source: string, settings: Partial<CreateFunctionInput> = {}): Promise<void> {
    await this.registry.create({ name, zip: handlerZip(source), runtime: 'nodejs20.x', handler: 'index.handler', timeout: 10, ...settings });
  }

  /** Calls the DynamoDB API (DynamoDB_20120810.<op>) on the node, in process, and returns the parsed answer. */
  async dynamo(op: string, input: unknown): Promise<Record<string, unknown>> {
    const response = await this.node.request({
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': `DynamoDB_20120810.${op}`, 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(input),
    });
    const body = response.json<Record<string, unknown>>();
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

  /**
   * Lets the node's pollers take what a tick made due: a few turns of the event loop, no wall-clock time. Runs they
   * start are seen by the observer (concurrency.now), which tests then wait on.
   */
  async turns(count = 20): Promise<void> {
    for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Lets polling and invocations run: moves the fake clock in small steps. */
  async tick(ms: number, step = 250): Promise<void> {
    for (let done = 0; done < ms; done += step) await this.clock.advance(Math.min(step, ms - done));
  }

  /** What the harness learns from the node's observer hook: synchronous runs (mappings) and Event outcomes. */
  private observer(): CallObserver {
    return {
      started: (run) => {
        if (run.mode !== 'sync') return;
        this.concurrency.now++;
        this.running.set(run.requestId, performance.now());
      },
      ended: (record) => {
        if (record.mode !== 'sync') return;
        this.concurrency.now--;
        const started = this.running.get(record.requestId) ?? performance.now();
        this.running.delete(record.requestId);
        if (isFlintError(record.error, 'TOO_MANY_REQUESTS')) this.concurrency.throttled++;
        if (!record.result) return;
        this.concurrency.spans.push([started, performance.now()]);
        this.deliveries.push({ functionName: record.functionName, event: JSON.parse(record.payload.toString('utf8')) as Delivery['event'], result: record.result });
      },
      settled: (event, reason) => this.finals.push({ event, reason }),
    };
  }
}
