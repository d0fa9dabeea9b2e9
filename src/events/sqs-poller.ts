/**
 * Polls one SQS queue for one event source mapping, as Lambda does: long polls for messages, gathers up to
 * BatchSize within MaximumBatchingWindowInSeconds (and Lambda's 6 MB payload), invokes the function synchronously
 * with the SQS event, and deletes the batch when the function succeeds. On a function error the messages are left
 * alone: they reappear after the queue's visibility timeout, and the queue's redrive policy moves them to its
 * dead-letter queue after maxReceiveCount receives. With ReportBatchItemFailures only the reported messages stay.
 *
 * Pollers scale with the backlog: a full batch starts another concurrent poller (up to MaximumConcurrency, by
 * default MAX_LANES below); an empty receive or a throttled invocation stops one, down to one. Throttled batches are left for later, as on AWS.
 */
import { availableParallelism } from 'node:os';
import { isFlintError, LIMITS, type Clock, type Logger } from '../core/index.js';
import { failedItems } from './batch-response.js';
import { cappedBackoff } from './backoff.js';
import { RecordFilter } from './mapping-filters.js';
import { REPORT_BATCH_ITEM_FAILURES, type MappingRecord } from './mapping-types.js';
import type { QueueRecord, QueueSource } from './ports.js';
import type { FunctionCalls } from './function-calls.js';

/** SQS's longest long poll. */
const LONG_POLL_MS = 20_000;
const SQS_RECEIVE_MAX = 10;
/** Room left in the 6 MB invoke payload for the event's own JSON around the bodies. */
const PAYLOAD_BUDGET = LIMITS.syncPayloadBytes - 256 * 1024;
/**
 * Concurrent pollers per mapping unless its MaximumConcurrency says otherwise. Lambda scales SQS pollers into
 * the hundreds across its fleet, and so does Flint while the function is slow (waiting on I/O, where overlap
 * pays). For a quick function, lanes beyond the machine's cores only add processes competing for the same
 * CPUs as the queue itself (measured: 19 lanes on 2 cores sent ten times fewer messages than 2).
 */
const MAX_LANES = { quick: Math.max(2, availableParallelism()), slow: 1000 };
/** An invocation this long is mostly waiting, not computing, for the purpose of adding pollers. */
const SLOW_INVOCATION_MS = 50;
const BACKOFF_MS = { throttled: 1_000, problem: 5_000, max: 60_000 };

export interface PollerParts {
  calls: FunctionCalls;
  clock: Clock;
  logger: Logger;
}

export class SqsPoller {
  private lanes = 0;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private problems = 0;
  private lastDurationMs = 0;
  private readonly filter: RecordFilter;

  constructor(
    private readonly mapping: MappingRecord,
    private readonly queues: QueueSource,
    private readonly parts: PollerParts,
  ) {
    this.filter = new RecordFilter(mapping.filters);
  }

  start(): void {
    this.spawn();
  }

  /** Stops polling; batches being processed finish (their messages are deleted or left as usual). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.inFlight);
  }

  private get maxLanes(): number {
    return this.mapping.maximumConcurrency ?? (this.lastDurationMs >= SLOW_INVOCATION_MS ? MAX_LANES.slow : MAX_LANES.quick);
  }

  private spawn(): void {
    this.lanes++;
    void this.lane();
  }

  /** A lane that is not needed leaves, unless it is the last one; decided and counted at once, so lanes never all go. */
  private leave(): boolean {
    if (this.lanes <= 1) return false;
    this.lanes--;
    return true;
  }

  private async lane(): Promise<void> {
    try {
      await this.poll();
    } catch (error) {
      this.lanes--;
      this.parts.logger.error('an SQS poller lane failed', { mapping: this.mapping.uuid, error: String(error) });
      if (!this.stopped && this.lanes === 0) this.spawn();
    }
  }

  /** Returns when the lane leaves; a stopped lane leaves too (the count no longer matters then). */
  private async poll(): Promise<void> {
    while (!this.stopped) {
      const batch = await this.gather().catch((error: unknown) => this.problem(error));
      if (this.stopped) return this.release(batch);
      if (batch.length === 0) {
        if (this.leave()) return;
        continue;
      }
      if (batch.length >= this.mapping.batchSize && this.lanes < this.maxLanes) this.spawn();
      const work = this.process(batch);
      this.inFlight.add(work);
      const outcome = await work.finally(() => this.inFlight.delete(work));
      if (outcome === 'throttled' || outcome === 'problem') {
        if (outcome === 'throttled' && this.leave()) return;
        await this.parts.clock.sleep(outcome === 'throttled' ? BACKOFF_MS.throttled : BACKOFF_MS.problem);
      }
    }
  }

  /** One long poll, then more receives until the batch is full or the batching window closes. */
  private async gather(): Promise<QueueRecord[]> {
    const { clock } = this.parts;
    const started = clock.now();
    const first = await this.receive(this.mapping.batchSize, LONG_POLL_MS);
    this.problems = 0;
    if (first.length === 0) {
      // A receive that ends early with nothing (a closing queue service) must not become a busy loop.
      if (!this.stopped && clock.now() - started < LONG_POLL_MS) await clock.sleep(BACKOFF_MS.throttled);
      return [];
    }
    const batch = [...first];
    const deadline = clock.now() + this.mapping.maximumBatchingWindowInSeconds * 1000;
    let bytes = sizeOf(batch);
    while (batch.length < this.mapping.batchSize && bytes < PAYLOAD_BUDGET && !this.stopped) {
      const wait = deadline - clock.now();
      if (wait <= 0) break;
      const more = await this.receive(this.mapping.batchSize - batch.length, wait);
      if (more.length === 0) break;
      batch.push(...more);
      bytes += sizeOf(more);
    }
    return this.fitPayload(batch);
  }

  /**
   * Receives messages that pass the mapping's filters. Those that do not are deleted, as Lambda deletes filtered-out
   * SQS messages, and receiving goes on within the wait, so a batch is made of messages that pass.
   */
  private async receive(wanted: number, waitMs: number): Promise<QueueRecord[]> {
    const { clock } = this.parts;
    const deadline = clock.now() + waitMs;
    for (;;) {
      const received = await this.queues.receive(this.mapping.eventSourceArn, { max: Math.min(SQS_RECEIVE_MAX, wanted), waitMs: Math.max(0, deadline - clock.now()) });
      // A stopping poller hands everything back untouched: the mapping's next poller may filter differently.
      if (!this.filter.active || this.stopped) return received;
      const passing = received.filter((record) => this.filter.passesQueueRecord(eventRecord(record)));
      await this.delete(received.filter((record) => !passing.includes(record)));
      if (passing.length > 0 || received.length === 0) return passing;
    }
  }

  /** Keeps the batch within Lambda's payload limit; what does not fit goes back to the queue at once. */
  private async fitPayload(batch: QueueRecord[]): Promise<QueueRecord[]> {
    let bytes = 0;
    const fits = batch.findIndex((record) => (bytes += Buffer.byteLength(record.body)) > PAYLOAD_BUDGET);
    if (fits <= 0) return batch;
    await this.release(batch.slice(fits));
    return batch.slice(0, fits);
  }

  private async process(batch: QueueRecord[]): Promise<'done' | 'left' | 'throttled' | 'problem'> {
    const { calls, logger } = this.parts;
    const payload = Buffer.from(JSON.stringify({ Records: batch.map(eventRecord) }));
    try {
      const { result } = await calls.invoke({ functionName: this.mapping.functionName, qualifier: this.mapping.qualifier, payload });
      this.lastDurationMs = result.durationMs;
      if (result.status !== 'success') return 'left';
      const failed = this.mapping.functionResponseTypes.includes(REPORT_BATCH_ITEM_FAILURES) ? failedItems(result.payload, new Set(batch.map((r) => r.messageId))) : [];
      if (failed === 'invalid') {
        logger.warn('invalid partial batch response; the whole batch will be retried', { mapping: this.mapping.uuid });
        return 'left';
      }
      const keep = new Set(failed);
      await this.delete(batch.filter((r) => !keep.has(r.messageId)));
      return 'done';
    } catch (error) {
      if (isFlintError(error, 'TOO_MANY_REQUESTS')) return 'throttled';
      logger.warn('event source mapping could not invoke its function', { mapping: this.mapping.uuid, function: this.mapping.functionName, error: String(error) });
      return 'problem';
    }
  }

  private async delete(records: QueueRecord[]): Promise<void> {
    if (records.length === 0) return;
    const refused = await this.queues.deleteBatch(this.mapping.eventSourceArn, records.map((r) => r.receiptHandle));
    if (refused.length > 0) this.parts.logger.warn('some processed messages could not be deleted', { mapping: this.mapping.uuid, count: refused.length });
  }

  /** Makes received messages visible again at once (the poller is stopping, or they did not fit). */
  private async release(records: QueueRecord[]): Promise<void> {
    for (const record of records) {
      await this.queues.changeVisibility(this.mapping.eventSourceArn, record.receiptHandle, 0).catch(() => undefined);
    }
  }

  /** A failing queue (deleted, storage trouble): back off, up to a minute between tries. */
  private async problem(error: unknown): Promise<QueueRecord[]> {
    if (this.stopped) return [];
    this.problems++;
    this.parts.logger.warn('event source mapping cannot read its queue', { mapping: this.mapping.uuid, queue: this.mapping.eventSourceArn, error: String(error) });
    await this.parts.clock.sleep(cappedBackoff(this.problems, BACKOFF_MS.problem, BACKOFF_MS.max));
    return [];
  }
}

function sizeOf(records: QueueRecord[]): number {
  return records.reduce((sum, r) => sum + Buffer.byteLength(r.body), 0);
}

/** A record of Lambda's SQS event, field for field; md5OfMessageAttributes is null without attributes, as on AWS. */
function eventRecord(record: QueueRecord): Record<string, unknown> {
  return {
    messageId: record.messageId,
    receiptHandle: record.receiptHandle,
    body: record.body,
    attributes: record.attributes,
    messageAttributes: record.messageAttributes,
    md5OfMessageAttributes: record.md5OfMessageAttributes ?? null,
    md5OfBody: record.md5OfBody,
    eventSource: record.eventSource,
    eventSourceARN: record.eventSourceARN,
    awsRegion: record.awsRegion,
  };
}
