import { readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, isFlintError, silentLogger } from '../../src/core/index.js';
import { Invoker, type InvokeTarget, type StemCellOptions } from '../../src/invoker/index.js';
import { createHarness, json, request, type Harness } from '../runtime/harness.js';

interface Timing {
  pid: number;
  start: number;
  end: number;
  version?: string;
}

function maxOverlap(timings: Timing[]): number {
  const edges = timings.flatMap((t) => [
    { at: t.start, delta: 1 },
    { at: t.end, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let max = 0;
  for (const edge of edges) max = Math.max(max, (current += edge.delta));
  return max;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes whose working directory is `dir`: a function's instances in the process sandbox. */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('invoker', () => {
  let h: Harness;
  let invoker: Invoker;
  const setup = (options: { fake?: boolean; keepAliveMs?: number; nodeConcurrency?: number; stemCells?: StemCellOptions | false } = {}) => {
    h = createHarness('process', { fake: options.fake });
    invoker = new Invoker(h.host, h.clock, silentLogger, { keepAliveMs: options.keepAliveMs, nodeConcurrency: options.nodeConcurrency, stemCells: options.stemCells ?? false });
  };
  const target = (overrides: Partial<InvokeTarget['config']> & { fixture?: string } = {}, key = 'fn:$LATEST:r1'): InvokeTarget => ({
    key,
    config: h.config({ fixture: 'node-timing', ...overrides }),
  });
  afterEach(async () => {
    await invoker.close();
    h.cleanup();
  });

  it('reuses a warm instance for the same function version', async () => {
    setup();
    const first = await invoker.invoke(target(), request({ ms: 1 }));
    const second = await invoker.invoke(target(), request({ ms: 1 }));
    expect(first.start).toBe('cold');
    expect(second.start).toBe('warm');
    expect(second.instanceId).toBe(first.instanceId);
    expect((json(second.payload) as Timing).pid).toBe((json(first.payload) as Timing).pid);
    expect(invoker.stats()).toMatchObject({ pools: 1, idle: 1, busy: 0 });
  });

  it('scales out under concurrent load and back in to idle instances', async () => {
    setup();
    const results = await Promise.all(Array.from({ length: 4 }, () => invoker.invoke(target(), request({ ms: 300 }))));
    const pids = new Set(results.map((r) => (json(r.payload) as Timing).pid));
    expect(pids.size).toBe(4);
    expect(invoker.stats()).toMatchObject({ idle: 4, busy: 0 });
  });

  it('throttles synchronous calls beyond reserved concurrency exactly, with Lambda reason', async () => {
    setup();
    invoker.limits.setReserved('fn', 3);
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => invoker.invoke(target(), request({ ms: 300 }))));
    const ok = settled.filter((s) => s.status === 'fulfilled');
    const throttled = settled.filter((s) => s.status === 'rejected' && isFlintError(s.reason, 'TOO_MANY_REQUESTS'));
    expect(ok).toHaveLength(3);
    expect(throttled).toHaveLength(7);
    expect((throttled[0] as PromiseRejectedResult).reason.details).toEqual({ reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    expect((throttled[0] as PromiseRejectedResult).reason.message).toBe('Rate Exceeded.');
  });

  it('throttles everything when reserved concurrency is zero, and shares the node limit among the others', async () => {
    setup({ nodeConcurrency: 3 });
    invoker.limits.setReserved('blocked', 0);
    await expect(invoker.invoke(target({ functionName: 'blocked' }, 'blocked:1'), request({}))).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    invoker.limits.setReserved('reserved', 1);
    const settled = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => invoker.invoke(target({ functionName: 'shared' }, 'shared:1'), request({ ms: 300 }))),
    ]);
    // node limit 3, minus 1 reserved for another function, leaves 2 for everyone else
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(2);
    expect(settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason.details)).toEqual([
      { reason: 'ConcurrentInvocationLimitExceeded' },
      { reason: 'ConcurrentInvocationLimitExceeded' },
    ]);
  });

  it('makes async work wait for a slot instead of throttling it', async () => {
    setup();
    invoker.limits.setReserved('fn', 2);
    const results = await Promise.all(Array.from({ length: 6 }, () => invoker.invoke(target(), request({ ms: 150 }), 'async')));
    expect(results.every((r) => r.status === 'success')).toBe(true);
    expect(maxOverlap(results.map((r) => json(r.payload) as Timing))).toBe(2);
  });

  it('stops idle instances after the keep-alive, leaving no function processes', async () => {
    setup({ fake: true, keepAliveMs: 60_000 });
    const clock = h.clock as FakeClock;
    const result = await invoker.invoke(target(), request({ ms: 1 }));
    const pid = (json(result.payload) as Timing).pid;
    await clock.advance(59_999);
    expect(invoker.stats().idle).toBe(1);
    await clock.advance(1);
    await expect.poll(() => alive(pid)).toBe(false);
    expect(invoker.stats()).toMatchObject({ idle: 0, busy: 0 });
  });

  it('lets in-flight requests finish on old code when a function is redeployed', async () => {
    setup();
    const old = target({ environment: { CODE_VERSION: 'old' } }, 'fn:$LATEST:r1');
    await invoker.invoke(old, request({ ms: 1 }));
    const inFlight = invoker.invoke(old, request({ ms: 300 }));
    await expect.poll(() => invoker.stats().busy).toBe(1);
    const fresh = target({ environment: { CODE_VERSION: 'new' } }, 'fn:$LATEST:r2');
    invoker.retire('fn', '$LATEST', fresh.key);
    const next = await invoker.invoke(fresh, request({ ms: 1 }));
    expect((json(next.payload) as Timing).version).toBe('new');
    const finished = await inFlight;
    expect(finished.status).toBe('success');
    expect((json(finished.payload) as Timing).version).toBe('old');
    await expect.poll(() => alive((json(finished.payload) as Timing).pid)).toBe(false);
    expect(invoker.stats()).toMatchObject({ pools: 1, idle: 1 });
  });

  it('replaces a crashed instance instead of reusing it', async () => {
    setup();
    const crashing = target({ fixture: 'node-cjs', handler: 'index.exit' }, 'crash:1');
    const first = await invoker.invoke(crashing, request({ code: 1 }));
    expect(first.status).toBe('crash');
    expect(invoker.stats()).toMatchObject({ idle: 0, busy: 0 });
    const second = await invoker.invoke(crashing, request({ code: 1 }));
    expect(second.start).not.toBe('warm');
    expect(second.instanceId).not.toBe(first.instanceId);
  });

  it('specialises a stem cell when no warm instance exists, and refills the pool behind it', async () => {
    setup({ stemCells: { size: { nodejs: 2, python: 0 } } });
    invoker.prepare(target());
    await expect.poll(() => invoker.stemCells!.count('nodejs')).toBe(2);
    const first = await invoker.invoke(target(), request({ ms: 1 }));
    expect(first.start).toBe('stem-cell');
    expect(first.logTail).toMatch(/Init Duration: [\d.]+ ms\tStart: stem-cell/);
    await expect.poll(() => invoker.stemCells!.count('nodejs')).toBe(2);
    const warm = await invoker.invoke(target(), request({ ms: 1 }));
    expect(warm.start).toBe('warm');
    expect(warm.logTail).toMatch(/Start: warm/);
    expect(warm.logTail).not.toContain('Init Duration');
  });

  it('starts no stem cells when their pool size is zero', async () => {
    setup({ stemCells: { size: { nodejs: 0, python: 0 } } });
    invoker.prepare(target());
    const first = await invoker.invoke(target(), request({ ms: 1 }));
    expect(first.start).toBe('cold');
    expect(invoker.stats().stemCells).toBe(0);
  });

  it('empties the stem cell pool when the node is idle', async () => {
    setup({ fake: true, keepAliveMs: 60_000, stemCells: { size: { nodejs: 1 }, idleMs: 120_000 } });
    const clock = h.clock as FakeClock;
    invoker.prepare(target());
    await expect.poll(() => invoker.stemCells!.count('nodejs')).toBe(1);
    await clock.advance(119_000);
    expect(invoker.stemCells!.count('nodejs')).toBe(1);
    await clock.advance(1_000);
    await expect.poll(() => invoker.stemCells!.count()).toBe(0);
  });

  it('stops instances still initialising when it closes', async () => {
    setup();
    const slow = target({ fixture: 'node-slow-init', handler: 'index.handler', environment: { INIT_MS: '10000' } });
    const provisioning = invoker.provision(slow, 1);
    await expect.poll(() => processesIn(slow.config.codeDir).length).toBe(1);
    await invoker.close();
    expect(processesIn(slow.config.codeDir)).toEqual([]);
    await provisioning;
  });

  it('keeps provisioned instances initialised, warm and replaced, and serves from them first', async () => {
    setup({ fake: true, keepAliveMs: 1_000 });
    const clock = h.clock as FakeClock;
    const provisioned = target({ fixture: 'node-cjs', handler: 'index.handler', version: '1' }, 'fn:1:r1');
    await invoker.provision(provisioned, 2);
    expect(invoker.provisionedReady(provisioned.key)).toBe(2);
    const result = await invoker.invoke(provisioned, request({}));
    expect(result.start).toBe('provisioned');
    expect(result.initDurationMs).toBeUndefined();
    expect(result.logTail).toMatch(/Start: provisioned/);
    const env = (json(result.payload) as { env: Record<string, string> }).env;
    expect(env).toMatchObject({ AWS_LAMBDA_FUNCTION_VERSION: '1', AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency' });
    await clock.advance(60 * 60_000);
    expect(invoker.provisionedReady(provisioned.key)).toBe(2);
    const crashed = await invoker.invoke({ ...provisioned, config: { ...provisioned.config, handler: 'index.exit' } }, request({ code: 1 }));
    expect(crashed.start).toBe('provisioned');
    await expect.poll(() => invoker.provisionedReady(provisioned.key)).toBe(2);
    await invoker.provision(provisioned, 0);
    await expect.poll(() => invoker.provisionedReady(provisioned.key)).toBe(0);
  });
});
