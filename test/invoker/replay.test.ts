import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock, requestId, silentLogger } from '../../src/core/index.js';
import { FixedKeepAlive, HybridHistogramKeepAlive, Invoker, loadAzureTrace, replayTrace } from '../../src/invoker/index.js';
import { SimulatedFactory } from '../../src/invoker/replay/simulated-instance.js';

const TRACE = resolve(import.meta.dirname, '../fixtures/traces/10_inv.csv');
const MINUTE = 60_000;

describe('trace replay through the real invoker', () => {
  it('reads the Azure trace sample with durations and memory', async () => {
    const trace = await loadAzureTrace(TRACE);
    expect(trace.functions).toHaveLength(10);
    expect(trace.minutes).toBe(1440);
    expect(trace.functions[0]).toMatchObject({ averageDurationMs: expect.any(Number), memoryMb: expect.any(Number) });
    expect(trace.functions.reduce((sum, f) => sum + f.perMinute.reduce((a, b) => a + b, 0), 0)).toBe(28432);
  });

  it('counts cold starts, instance starts and idle memory-time per policy', async () => {
    const trace = await loadAzureTrace(TRACE);
    const short = await replayTrace(trace, new FixedKeepAlive(1 * MINUTE));
    const long = await replayTrace(trace, new FixedKeepAlive(60 * MINUTE));
    for (const r of [short, long]) {
      expect(r.invocations).toBe(28432);
      expect(r.coldStarts).toBeGreaterThanOrEqual(10); // every function starts cold once
      expect(r.instanceStarts).toBe(r.coldStarts); // fixed policies never pre-warm
    }
    // Keeping instances longer trades memory for cold starts.
    expect(long.coldStarts).toBeLessThan(short.coldStarts);
    expect(long.idleGbSeconds).toBeGreaterThan(short.idleGbSeconds);
    const adaptive = await replayTrace(trace, new HybridHistogramKeepAlive());
    expect(adaptive.invocations).toBe(28432);
    expect(adaptive.policy).toBe('adaptive');
  });

  it('pre-warms an instance before the expected next call when the policy says so', async () => {
    const clock = new FakeClock(0, 1);
    const factory = new SimulatedFactory(clock, new Map([['f', { durationMs: 1000, memoryMb: 1024 }]]), 100);
    const policy = new HybridHistogramKeepAlive({ strategy: 'percentile' });
    for (let i = 0; i < 40; i++) policy.observe('f', 1, 30 * MINUTE);
    const invoker = new Invoker(factory, clock, silentLogger, { keepAlive: policy, stemCells: false });
    const target = { key: 'f', config: { functionName: 'f', version: '$LATEST', runtime: 'nodejs20.x', handler: 'h', memorySize: 1024, timeout: 900, ephemeralStorage: 512, environment: {}, codeDir: '/x' } };
    const call = () => invoker.invoke(target, { requestId: requestId(), payload: Buffer.alloc(0), invokedArn: 'f' });
    const first = call();
    await clock.advance(2000);
    expect((await first).start).toBe('cold');
    expect(invoker.stats().idle).toBe(0); // unloaded at once: the next call is half an hour away
    await clock.advance(27 * MINUTE);
    expect(invoker.stats().idle).toBe(1); // pre-warmed ahead of it
    const second = call();
    await clock.advance(2000);
    expect((await second).start).toBe('warm');
    expect(factory.meters.instanceStarts).toBe(2);
    await invoker.close();
  });
});
