import { requestId as newRequestId, type Clock, type Logger } from '../core/index.js';
import type { InvocationMode, InvocationResult, Invoker, InvokeTarget } from '../invoker/index.js';
import type { InvokeRequest, ResponseStreamSink } from '../runtime/index.js';
import type { QueueStore } from '../storage/index.js';
import { AsyncInvocations, type AsyncEvent, type AsyncInvocationOptions, type AsyncOutcome } from './async-invocations.js';
import type { AsyncSettings } from './invoke-configs.js';
import type { DestinationSender } from './ports.js';
import type { FunctionTargets } from './targets.js';

/**
 * The one way to call a function. Every caller (the HTTP APIs, the Lambda API, event source mappings, S3 and SNS
 * deliveries, destinations, schedules) names a function and hands over its event as bytes, kept as bytes to the
 * runtime and through the async queue. FunctionCalls resolves the target (name, partial or full ARN, qualifier,
 * alias) and either runs it now (RequestResponse) or durably accepts it for later (Event).
 */
export interface FunctionCall {
  /** Name, or partial or full ARN. */
  functionName: string;
  qualifier?: string;
  payload: Uint8Array;
  /** Lambda's request id for the call; a new one when absent. An Event call with an id still queued is not queued twice. */
  requestId?: string;
  /** The decoded client context JSON (the Lambda API's X-Amz-Client-Context). */
  clientContext?: string;
  /** RequestResponse only: where a streamed response goes as the function writes it (see runtime ResponseStreamSink). */
  responseStream?: ResponseStreamSink;
}

export interface CallResult {
  result: InvocationResult;
  /** The version that ran ("$LATEST" or a number). */
  executedVersion: string;
  requestId: string;
}

export interface FunctionCalls {
  /** Runs the function and answers its result. FlintError FUNCTION_NOT_FOUND, TOO_MANY_REQUESTS (details.reason). */
  invoke(call: FunctionCall): Promise<CallResult>;
  /** Checks the function exists (FUNCTION_NOT_FOUND), stores the event durably and resolves once it is stored. */
  accept(call: FunctionCall): Promise<{ requestId: string }>;
}

/** A run of a function about to be asked of the invoker. */
export interface CallStart {
  functionName: string;
  version: string;
  mode: InvocationMode;
  requestId: string;
  payload: Buffer;
}

/** A run of a function that ended: its result, or why it did not run (a throttle, a node shutting down). */
export interface CallRecord extends CallStart {
  /** Clock time (epoch ms) the run was asked for and ended. */
  startedAt: number;
  endedAt: number;
  result?: InvocationResult;
  error?: unknown;
}

/** Told about every run, sync and async, and how each Event call ended after its retries (tests, metrics). */
export interface CallObserver {
  started?(run: CallStart): void;
  ended?(record: CallRecord): void;
  /** An Event call's final outcome, once its destination (if any) has been sent. */
  settled?(event: AsyncEvent, outcome: AsyncOutcome, result: InvocationResult | undefined): void;
}

export interface FunctionCallerOptions {
  targets: FunctionTargets;
  invoker: Pick<Invoker, 'invoke'>;
  queues: QueueStore;
  clock: Clock;
  logger: Logger;
  /** Per-function async settings (retries, maximum age, destinations). */
  settings?: { settings(functionName: string, qualifier: string | undefined): Promise<AsyncSettings> };
  destinations?: DestinationSender;
  observer?: CallObserver;
  /** The async queue's own settings (retry delays, parallelism...), for tests. */
  async?: Partial<Pick<AsyncInvocationOptions, 'maxRetryAttempts' | 'maxEventAgeMs' | 'retryDelaysMs' | 'parallel' | 'leaseMs'>>;
}

export class FunctionCaller implements FunctionCalls {
  /** The durable queue behind `accept`; its lifecycle (start, close) is the caller's owner's. */
  readonly async: AsyncInvocations;

  constructor(private readonly options: FunctionCallerOptions) {
    this.async = new AsyncInvocations({
      ...options.async,
      queues: options.queues,
      invoker: { invoke: (target, request, mode = 'async') => this.run(target, request, mode) },
      clock: options.clock,
      logger: options.logger,
      resolve: (name, qualifier) => options.targets.resolve(name, qualifier),
      settings: options.settings,
      destinations: options.destinations,
      onFinal: (event, result, outcome) => options.observer?.settled?.(event, outcome, result),
    });
  }

  async invoke(call: FunctionCall): Promise<CallResult> {
    const requestId = call.requestId ?? newRequestId();
    const target = await this.options.targets.resolve(call.functionName, call.qualifier);
    const result = await this.run(target, { requestId, payload: bytes(call.payload), invokedArn: target.arn, clientContext: call.clientContext, responseStream: call.responseStream }, 'sync');
    return { result, executedVersion: target.version, requestId };
  }

  async accept(call: FunctionCall): Promise<{ requestId: string }> {
    const requestId = call.requestId ?? newRequestId();
    await this.options.targets.resolve(call.functionName, call.qualifier); // FUNCTION_NOT_FOUND now, not at delivery
    await this.async.accept({ requestId, functionName: call.functionName, qualifier: call.qualifier, payload: bytes(call.payload), clientContext: call.clientContext });
    return { requestId };
  }

  /** Runs a resolved target on the invoker, telling the observer how it went. */
  private async run(target: InvokeTarget & { version?: string }, request: InvokeRequest, mode: InvocationMode): Promise<InvocationResult> {
    const observer = this.options.observer;
    if (!observer) return this.options.invoker.invoke(target, request, mode);
    const run: CallStart = { functionName: target.config.functionName, version: target.config.version, mode, requestId: request.requestId, payload: request.payload };
    const startedAt = this.options.clock.now();
    observer.started?.(run);
    try {
      const result = await this.options.invoker.invoke(target, request, mode);
      observer.ended?.({ ...run, startedAt, endedAt: this.options.clock.now(), result });
      return result;
    } catch (error) {
      observer.ended?.({ ...run, startedAt, endedAt: this.options.clock.now(), error });
      throw error;
    }
  }
}

function bytes(payload: Uint8Array): Buffer {
  return Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}
