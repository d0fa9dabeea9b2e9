import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, requestId, silentLogger } from '../../src/core/index.js';
import { AsyncInvocations, type AsyncEvent } from '../../src/events/index.js';
import { Invoker, type InvocationResult } from '../../src/invoker/index.js';
import { openSqliteStorage, type Storage } from '../../src/storage/index.js';
import { createHarness, type Harness } from '../runtime/harness.js';

interface Final {
  event: AsyncEvent;
  result: InvocationResult | undefined;
  reason: string;
}

describe('async invocations', () => {
  let h: Harness;
  let dataDir: string;
  let storage: Storage;
  let invoker: Invoker;
  let events: AsyncInvocations;
  let finals: Final[];
  const clock = () => h.clock as FakeClock;

  const open = async () => {
    storage = await openSqliteStorage({ dir: dataDir, clock: h.clock });
    invoker = new Invoker(h.host, h.clock, silentLogger);
    finals = [];
    events = new AsyncInvocations({
      queues: storage.queues,
      invoker,
      clock: h.clock,
      logger: silentLogger,
      resolve: async (functionName) => ({ key: functionName, arn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`, config: h.config({ fixture: 'node-flaky', functionName }) }),
      onFinal: (event, result, reason) => finals.push({ event, result, reason }),
    });
  };
  const shut = async () => {
    await events.close();
    await invoker.close();
    await storage.close();
  };
  const event = (payload: unknown): AsyncEvent => ({ requestId: requestId(), functionName: 'flaky', payload: Buffer.from(JSON.stringify(payload)) });
  const attempts = (id: string) => h.logs.messages(id).filter((m) => m.startsWith('START')).length;

  afterEach(async () => {
    await shut();
    h.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers an accepted event once, with its request id', async () => {
    h = createHarness('process', { fake: true });
    dataDir = mkdtempSync(join(tmpdir(), 'flint-async-'));
    await open();
    events.start();
    const accepted = event({ hello: 1 });
    await events.accept(accepted);
    await expect.poll(() => finals.length).toBe(1);
    expect(finals[0]!.reason).toBe('success');
    expect(JSON.parse(finals[0]!.result!.payload.toString())).toEqual({ ok: true, requestId: accepted.requestId });
    expect(await storage.queues.counts('lambda-async')).toEqual({ available: 0, leased: 0, delayed: 0 });
  });

  it('drops an unreadable stored event and goes on delivering the rest', async () => {
    h = createHarness('process', { fake: true });
    dataDir = mkdtempSync(join(tmpdir(), 'flint-async-'));
    await open();
    await storage.queues.enqueue('lambda-async', [{ id: 'garbage', body: 'not json {' }]);
    events.start();
    const good = event({ hello: 2 });
    await events.accept(good);
    await expect.poll(() => finals.length).toBe(1);
    expect(finals[0]!.event.requestId).toBe(good.requestId);
    await expect.poll(async () => storage.queues.counts('lambda-async')).toEqual({ available: 0, leased: 0, delayed: 0 });
  });

  it('retries a failing event twice, one and two minutes apart, keeping its id', async () => {
    h = createHarness('process', { fake: true });
    dataDir = mkdtempSync(join(tmpdir(), 'flint-async-'));
    await open();
    events.start();
    const failing = event({ fail: true });
    const waitingForRetry = async () => expect.poll(async () => (await storage.queues.counts('lambda-async')).delayed, { timeout: 10_000 }).toBe(1);
    await events.accept(failing);
    await waitingForRetry();
    expect(attempts(failing.requestId)).toBe(1);
    await clock().advance(59_000);
    expect(attempts(failing.requestId)).toBe(1);
    await clock().advance(1_000);
    await expect.poll(() => attempts(failing.requestId), { timeout: 10_000 }).toBe(2);
    await waitingForRetry();
    await clock().advance(119_000);
    expect(attempts(failing.requestId)).toBe(2);
    await clock().advance(1_000);
    await expect.poll(() => finals.length, { timeout: 10_000 }).toBe(1);
    expect(attempts(failing.requestId)).toBe(3);
    expect(finals[0]!.reason).toBe('retries-exhausted');
    expect(finals[0]!.result!.errorType).toBe('Error');
  });

  it('delivers events accepted before a restart', async () => {
    h = createHarness('process', { fake: true });
    dataDir = mkdtempSync(join(tmpdir(), 'flint-async-'));
    await open();
    const accepted = [event({ n: 1 }), event({ n: 2 })];
    // Stored as the release before payload bytes stored them (base64 in the JSON body): an upgrade still delivers them.
    for (const e of accepted) await storage.queues.enqueue('lambda-async', [{ id: e.requestId, body: JSON.stringify({ ...e, payload: e.payload.toString('base64') }) }]);
    await shut();
    await open();
    events.start();
    await expect.poll(() => finals.length).toBe(2);
    expect(finals.map((f) => f.event.requestId).sort()).toEqual(accepted.map((e) => e.requestId).sort());
  });

  it('drops events older than the maximum event age', async () => {
    h = createHarness('process', { fake: true });
    dataDir = mkdtempSync(join(tmpdir(), 'flint-async-'));
    await open();
    const old = event({ n: 1 });
    const { payload, ...envelope } = old;
    await storage.queues.enqueue('lambda-async', [{ id: old.requestId, body: JSON.stringify(envelope), payload }]);
    await clock().advance(6 * 3600_000 + 1);
    events.start();
    await expect.poll(() => finals.length).toBe(1);
    expect(attempts(old.requestId)).toBe(0);
    expect(finals[0]!.reason).toBe('too-old');
  });
});
