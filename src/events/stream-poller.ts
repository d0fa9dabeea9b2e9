/**
 * Reads one DynamoDB stream for one event source mapping, as Lambda does: batches in stream order (a stream has
 * one shard here, so order holds per key and overall), one invocation at a time. A failing batch blocks the shard
 * and is retried (with backoff) until it succeeds, MaximumRetryAttempts is used up or its oldest record is older
 * than MaximumRecordAgeInSeconds (-1: until the record would leave the stream, 24 hours); then the batch is
 * skipped and described to the OnFailure destination. BisectBatchOnFunctionError halves a failing batch before
 * retrying (halving does not count as a retry); ReportBatchItemFailures moves past the records before the lowest
 * reported sequence number. The position is stored after every batch, so a restart resumes after the last one
 * that was done with.
 */
import { isFlintError, requestId, type Clock, type Logger } from '../core/index.js';
import type { InvocationResult } from '../invoker/index.js';
import { failedItems } from './batch-response.js';
import { cappedBackoff } from './backoff.js';
import { RecordFilter } from './mapping-filters.js';
import { NO_RECORDS, type MappingStore } from './mapping-store.js';
import { REPORT_BATCH_ITEM_FAILURES, type MappingRecord } from './mapping-types.js';
import type { DestinationSender, StreamEntry, StreamSource } from './ports.js';
import type { FunctionCalls } from './function-calls.js';

/** Lambda polls a DynamoDB stream shard four times a second. */
const POLL_MS = 250;
/** DynamoDB keeps stream records for 24 hours. */
const RETENTION_MS = 24 * 3600_000;
const BACKOFF = { first: 1_000, max: 60_000 };

export interface StreamPollerParts {
  calls: FunctionCalls;
  clock: Clock;
  logger: Logger;
  store: MappingStore;
  destinations?: DestinationSender;
  /** The mapping's function ARN, as failure records name it. */
  functionArn: string;
}

interface Attempt {
  outcome: 'success' | 'partial' | 'failed' | 'throttled' | 'stopped';
  requestId: string;
  result?: InvocationResult;
  executedVersion?: string;
  /** For 'partial': records before this index are done with. */
  doneBefore?: number;
}

export class StreamPoller {
  private stopped = false;
  private running: Promise<void> | undefined;
  private position = { after: 0, lastProcessingResult: NO_RECORDS };
  private wake: (() => void) | undefined;
  private readonly filter: RecordFilter;

  constructor(
    private readonly mapping: MappingRecord,
    private readonly streams: StreamSource,
    private readonly parts: StreamPollerParts,
  ) {
    this.filter = new RecordFilter(mapping.filters);
  }

  get lastProcessingResult(): string {
    return this.position.lastProcessingResult;
  }

  start(): void {
    this.running = this.run().catch((error: unknown) => this.parts.logger.error('stream poller stopped', { mapping: this.mapping.uuid, error: String(error) }));
  }

  /** Stops after the invocation in flight, if any; its batch is finished or left for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    const stored = await this.parts.store.position(this.mapping.uuid);
    if (stored) this.position = stored;
    let windowStart: number | undefined;
    let problems = 0;
    while (!this.stopped) {
      let records: StreamEntry[];
      try {
        records = await this.streams.read(this.mapping.eventSourceArn, this.position.after, this.mapping.batchSize);
        problems = 0;
      } catch (error) {
        problems++;
        this.parts.logger.warn('event source mapping cannot read its stream', { mapping: this.mapping.uuid, error: String(error) });
        await this.pause(backoff(problems));
        continue;
      }
      if (records.length === 0) {
        await this.pause(POLL_MS);
        continue;
      }
      const now = this.parts.clock.now();
      windowStart ??= now;
      const windowEnd = windowStart + this.mapping.maximumBatchingWindowInSeconds * 1000;
      if (records.length < this.mapping.batchSize && now < windowEnd) {
        await this.pause(Math.min(POLL_MS, windowEnd - now));
        continue;
      }
      windowStart = undefined;
      // Records no filter matches are passed over, as Lambda drops them, and the position moves past them.
      const passing = this.filter.active ? records.filter((entry) => this.filter.passes(this.lambdaRecord(entry))) : records;
      if (passing.length === 0) await this.advance(records[records.length - 1]!.sequence, this.position.lastProcessingResult);
      else await this.deliver(passing);
    }
  }

  /** Works through one batch: retries, halves and skips as configured, moving the position as parts are done. */
  private async deliver(batch: StreamEntry[]): Promise<void> {
    let pending = batch;
    let limit = pending.length;
    let attempts = 0;
    while (pending.length > 0 && !this.stopped) {
      const chunk = pending.slice(0, limit);
      const attempt = await this.invoke(chunk);
      if (attempt.outcome === 'stopped') return;
      if (attempt.outcome === 'throttled') {
        await this.pause(BACKOFF.first);
        continue;
      }
      if (attempt.outcome === 'success') {
        await this.advance(chunk[chunk.length - 1]!.sequence, 'OK');
        pending = pending.slice(chunk.length);
        [limit, attempts] = [pending.length, 0];
        continue;
      }
      if (attempt.outcome === 'partial' && attempt.doneBefore! > 0) {
        await this.advance(chunk[attempt.doneBefore! - 1]!.sequence, 'OK');
        pending = pending.slice(attempt.doneBefore);
        limit = pending.length;
      }
      if (attempt.outcome === 'failed' && this.stream.bisectBatchOnFunctionError && chunk.length > 1) {
        limit = Math.ceil(chunk.length / 2);
        continue;
      }
      attempts++;
      const retryChunk = pending.slice(0, limit);
      const given = this.givenUp(retryChunk, attempts);
      if (given) {
        await this.reportFailure(retryChunk, attempt, attempts, given);
        await this.advance(retryChunk[retryChunk.length - 1]!.sequence, 'PROBLEM: Function call failed');
        pending = pending.slice(retryChunk.length);
        [limit, attempts] = [pending.length, 0];
        continue;
      }
      this.position.lastProcessingResult = 'PROBLEM: Function call failed';
      await this.pause(backoff(attempts));
    }
  }

  private get stream(): NonNullable<MappingRecord['stream']> {
    // A dynamodb mapping always has stream settings; the defaults stand in for a record that somehow lacks them.
    return this.mapping.stream ?? { startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: -1, maximumRecordAgeInSeconds: -1, bisectBatchOnFunctionError: false, parallelizationFactor: 1, tumblingWindowInSeconds: 0 };
  }

  /** Why a failing chunk is skipped now, or undefined to retry it. */
  private givenUp(chunk: StreamEntry[], attempts: number): 'RetryAttemptsExhausted' | 'RecordAgeExceeded' | undefined {
    const { maximumRetryAttempts, maximumRecordAgeInSeconds } = this.stream;
    const maxAge = maximumRecordAgeInSeconds === -1 ? RETENTION_MS : maximumRecordAgeInSeconds * 1000;
    if (this.parts.clock.now() - chunk[0]!.createdAt > maxAge) return 'RecordAgeExceeded';
    if (maximumRetryAttempts !== -1 && attempts > maximumRetryAttempts) return 'RetryAttemptsExhausted';
    return undefined;
  }

  private async invoke(chunk: StreamEntry[]): Promise<Attempt> {
    const id = requestId();
    const records = chunk.map((entry) => this.lambdaRecord(entry));
    try {
      const { result, executedVersion } = await this.parts.calls.invoke({
        functionName: this.mapping.functionName,
        qualifier: this.mapping.qualifier,
        requestId: id,
        payload: Buffer.from(JSON.stringify({ Records: records })),
      });
      if (result.status !== 'success') return { outcome: 'failed', requestId: id, result, executedVersion };
      if (!this.mapping.functionResponseTypes.includes(REPORT_BATCH_ITEM_FAILURES)) return { outcome: 'success', requestId: id, result, executedVersion };
      return this.partialOutcome(chunk, { requestId: id, result, executedVersion });
    } catch (error) {
      if (isFlintError(error, 'TOO_MANY_REQUESTS')) return { outcome: 'throttled', requestId: id };
      if (isFlintError(error, 'SHUTTING_DOWN')) return { outcome: 'stopped', requestId: id };
      this.parts.logger.warn('event source mapping could not invoke its function', { mapping: this.mapping.uuid, function: this.mapping.functionName, error: String(error) });
      return { outcome: 'failed', requestId: id };
    }
  }

  /** Partial batch responses name sequence numbers; the lowest one failed and everything from it is retried. */
  private partialOutcome(chunk: StreamEntry[], base: Omit<Attempt, 'outcome'>): Attempt {
    const ids = chunk.map((entry) => sequenceText(entry));
    const failed = failedItems(base.result!.payload, new Set(ids));
    if (failed === 'invalid') return { ...base, outcome: 'failed' };
    if (failed.length === 0) return { ...base, outcome: 'success' };
    const firstFailed = Math.min(...failed.map((id) => ids.indexOf(id)));
    return { ...base, outcome: 'partial', doneBefore: firstFailed };
  }

  /** A stream record as the function gets it. */
  private lambdaRecord(entry: StreamEntry): Record<string, unknown> {
    return { ...entry.record, eventSourceARN: this.mapping.eventSourceArn };
  }

  private async advance(sequence: number, result: string): Promise<void> {
    this.position = { after: sequence, lastProcessingResult: result };
    await this.parts.store.savePosition(this.mapping.uuid, this.position);
  }

  /** Describes a skipped batch to the OnFailure destination, as Lambda's stream failure record does. */
  private async reportFailure(chunk: StreamEntry[], attempt: Attempt, attempts: number, condition: string): Promise<void> {
    const destination = this.stream.onFailure;
    const { destinations, logger, clock } = this.parts;
    logger.warn('event source mapping skipped a failing batch', { mapping: this.mapping.uuid, records: chunk.length, condition });
    if (!destination || !destinations) return;
    const description = await this.streams.describe(this.mapping.eventSourceArn).catch(() => undefined);
    const first = chunk[0]!;
    const last = chunk[chunk.length - 1]!;
    const record = {
      requestContext: { requestId: attempt.requestId, functionArn: this.parts.functionArn, condition, approximateInvokeCount: attempts },
      responseContext: {
        statusCode: attempt.result ? 200 : 500,
        executedVersion: attempt.executedVersion ?? '$LATEST',
        functionError: attempt.result && attempt.result.status !== 'success' ? 'Unhandled' : null,
      },
      version: '1.0',
      timestamp: new Date(clock.now()).toISOString(),
      DDBStreamBatchInfo: {
        shardId: description?.shardId ?? '',
        startSequenceNumber: sequenceText(first),
        endSequenceNumber: sequenceText(last),
        approximateArrivalOfFirstRecord: secondsIso(first.createdAt),
        approximateArrivalOfLastRecord: secondsIso(last.createdAt),
        batchSize: chunk.length,
        streamArn: this.mapping.eventSourceArn,
      },
    };
    await destinations.send(destination, JSON.stringify(record)).catch((error: unknown) => {
      logger.error('event source mapping could not send to its OnFailure destination', { mapping: this.mapping.uuid, error: String(error) });
    });
  }

  /** Waits on the clock; stop() cuts the wait short. */
  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.parts.clock.setTimer(ms, () => {
        this.wake = undefined;
        resolve();
      });
      this.wake = () => {
        timer.cancel();
        this.wake = undefined;
        resolve();
      };
    });
  }
}

function backoff(attempt: number): number {
  return cappedBackoff(attempt, BACKOFF.first, BACKOFF.max);
}

/** The record's SequenceNumber as DynamoDB writes it (the record carries it under dynamodb). */
function sequenceText(entry: StreamEntry): string {
  const dynamodb = entry.record.dynamodb as { SequenceNumber?: unknown } | undefined;
  return typeof dynamodb?.SequenceNumber === 'string' ? dynamodb.SequenceNumber : String(entry.sequence);
}

function secondsIso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
