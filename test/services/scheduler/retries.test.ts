import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bufferBody, FakeClock, FlintError, responseBytes, silentLogger } from '../../../src/core/index.js';
import { INVOCATION_QUEUE, SchedulerService, type SchedulerTargets, type StringAttribute } from '../../../src/services/scheduler/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';

/**
 * Scheduler's delivery on its own: the service over SQLite storage on a FakeClock, called in process through its seam,
 * with targets that record (and fail on demand). Retries follow the target's RetryPolicy; a delivery that runs out of
 * attempts or age goes to the dead-letter queue with the condition that ended it.
 */

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:work';
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dead';
const ROLE = 'arn:aws:iam::000000000000:role/scheduler';

interface Sent {
  arn: string;
  body: string;
  attributes?: Record<string, StringAttribute>;
}

class Recorder implements SchedulerTargets {
  readonly sent: Sent[] = [];
  readonly attempts = new Map<string, number>();
  /** Targets that fail this many more times. */
  readonly failures = new Map<string, number>();

  async invokeFunction(arn: string, payload: string): Promise<void> {
    this.attempt(arn);
    this.sent.push({ arn, body: payload });
  }

  async sendToQueue(arn: string, body: string, options: { attributes?: Record<string, StringAttribute> } = {}): Promise<void> {
    this.attempt(arn);
    this.sent.push({ arn, body, attributes: options.attributes });
  }

  async publish(arn: string, message: string): Promise<void> {
    this.attempt(arn);
    this.sent.push({ arn, body: message });
  }

  private attempt(arn: string): void {
    this.attempts.set(arn, (this.attempts.get(arn) ?? 0) + 1);
    const left = this.failures.get(arn) ?? 0;
    if (left > 0) {
      this.failures.set(arn, left - 1);
      throw new FlintError('INTERNAL', 'target unavailable');
    }
  }
}

let dir: string;
let clock: FakeClock;
let storage: Storage;
let targets: Recorder;
let service: SchedulerService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flint-scheduler-'));
  clock = new FakeClock(Date.UTC(2026, 0, 1), 5);
  storage = await openSqliteStorage({ dir, clock });
  targets = new Recorder();
  service = new SchedulerService({ metadata: storage.metadata, queues: storage.queues }, { region: 'us-east-1', accountId: '000000000000', clock, logger: silentLogger, targets });
  await service.start();
});
afterEach(async () => {
  await service.close();
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

async function create(name: string, target: Record<string, unknown>): Promise<void> {
  const response = await service.handle({
    method: 'POST',
    rawPath: `/schedules/${name}`,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json' },
    rawHeaders: ['content-type', 'application/json'],
    body: bufferBody(JSON.stringify({ ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { RoleArn: ROLE, ...target } })),
    requestId: 'req-1',
    host: 'localhost:4566',
    baseUrl: 'http://localhost:4566',
    sourceIp: '127.0.0.1',
  });
  if (response.status !== 200) throw new Error(`CreateSchedule failed: ${(await responseBytes(response.body)).toString()}`);
}

const delivered = (arn: string): Sent[] => targets.sent.filter((s) => s.arn === arn);

describe('delivery retries', () => {
  it('retries a failing target with a growing backoff until it takes the invocation', async () => {
    targets.failures.set(QUEUE, 3);
    await create('flaky', { Arn: QUEUE, Input: 'attempt <aws.scheduler.attempt-number>' });
    await expect.poll(() => targets.attempts.get(QUEUE)).toBe(1);
    await clock.advance(1000);
    await expect.poll(() => targets.attempts.get(QUEUE)).toBe(2);
    await clock.advance(1999);
    expect(targets.attempts.get(QUEUE)).toBe(2);
    await clock.advance(1);
    await expect.poll(() => targets.attempts.get(QUEUE)).toBe(3);
    await clock.advance(4000);
    await expect.poll(() => delivered(QUEUE).map((s) => s.body)).toEqual(['attempt 4']);
    await expect.poll(() => storage.queues.counts(INVOCATION_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 0 });
  });

  it('gives up after MaximumRetryAttempts and sends the input to the dead-letter queue', async () => {
    targets.failures.set(QUEUE, 100);
    await create('doomed', { Arn: QUEUE, Input: 'payload', RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: DLQ } });
    await clock.advance(1000);
    await clock.advance(2000);
    await expect.poll(() => delivered(DLQ).length).toBe(1);
    expect(targets.attempts.get(QUEUE)).toBe(3);
    expect(delivered(DLQ)[0]).toMatchObject({
      body: 'payload',
      attributes: {
        ERROR_CODE: { DataType: 'String', StringValue: 'INTERNAL' },
        ERROR_MESSAGE: { DataType: 'String', StringValue: 'target unavailable' },
        EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: 'MaximumRetryAttempts' },
        RETRY_ATTEMPTS: { DataType: 'Number', StringValue: '2' },
        SCHEDULE_ARN: { DataType: 'String', StringValue: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/doomed' },
        TARGET_ARN: { DataType: 'String', StringValue: QUEUE },
      },
    });
  });

  it('gives up once the next retry would be older than MaximumEventAgeInSeconds', async () => {
    targets.failures.set(QUEUE, 1000);
    await create('aged', { Arn: QUEUE, Input: 'old', RetryPolicy: { MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: DLQ } });
    for (let i = 0; i < 8; i++) await clock.advance(16_000);
    await expect.poll(() => delivered(DLQ).length).toBe(1);
    expect(delivered(DLQ)[0]?.attributes?.EXHAUSTED_RETRY_CONDITION?.StringValue).toBe('MaximumEventAgeInSeconds');
    // 0, 1, 3, 7, 15 and 31 s after the instant; the next (63 s) would be past 60 s.
    expect(targets.attempts.get(QUEUE)).toBe(6);
  });

  it('stores an invocation before it is attempted: one left undelivered at close is delivered after a restart', async () => {
    targets.failures.set(QUEUE, 1);
    await create('durable', { Arn: QUEUE, Input: 'kept' });
    await expect.poll(() => targets.attempts.get(QUEUE)).toBe(1);
    await service.close();
    expect((await storage.queues.counts(INVOCATION_QUEUE)).delayed).toBe(1);
    service = new SchedulerService({ metadata: storage.metadata, queues: storage.queues }, { region: 'us-east-1', accountId: '000000000000', clock, logger: silentLogger, targets });
    await service.start();
    await clock.advance(1000);
    await expect.poll(() => delivered(QUEUE).map((s) => s.body)).toEqual(['kept']);
    // The rate's next instant is a day after the first; restarting did not fire it again.
    expect(targets.attempts.get(QUEUE)).toBe(2);
  });

  it('fires an instant once when two nodes share the store', async () => {
    await create('shared', { Arn: QUEUE, Input: 'once' });
    await expect.poll(() => delivered(QUEUE).length).toBe(1);
    // A second node on the same store arms the same schedule; at the next instant both timers fire.
    const other = new SchedulerService({ metadata: storage.metadata, queues: storage.queues }, { region: 'us-east-1', accountId: '000000000000', clock, logger: silentLogger, targets });
    await other.start();
    try {
      await clock.advance(86_400_000);
      await expect.poll(() => delivered(QUEUE).length).toBe(2);
      await expect.poll(() => storage.queues.counts(INVOCATION_QUEUE)).toEqual({ available: 0, leased: 0, delayed: 0 });
      expect(delivered(QUEUE)).toHaveLength(2);
    } finally {
      await other.close();
    }
  });
});
