import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, FakeClock } from '../../src/core/index.js';
import { LeaseWorker } from '../../src/events/index.js';
import { openSqliteStorage, type Lease, type Storage } from '../../src/storage/index.js';

describe('lease worker', () => {
  let dir: string;
  let clock: FakeClock;
  let storage: Storage;
  let worker: LeaseWorker;
  let lines: string[];

  const startWorker = (handle: (lease: Lease) => Promise<void>) => {
    worker = new LeaseWorker({
      queues: storage.queues,
      queue: 'work',
      clock,
      logger: createLogger({ write: (line) => lines.push(line) }),
      label: 'test work',
      parallel: 4,
      leaseMs: 10_000,
      handle,
    });
    worker.start();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-lease-'));
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    storage = await openSqliteStorage({ dir, clock });
    lines = [];
  });

  afterEach(async () => {
    await worker.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs a handler that throws, keeps the node running, and claims the item again when its lease lapses', async () => {
    const seen: number[] = [];
    startWorker(async (lease) => {
      seen.push(lease.item.attempts);
      if (lease.item.attempts === 1) throw new Error('handler bug');
      await storage.queues.ack('work', lease.item.id, lease.token);
    });
    await storage.queues.enqueue('work', [{ id: 'a', body: '{}' }]);
    worker.wake();
    await expect.poll(() => lines.some((line) => line.includes('test work failed unexpectedly') && line.includes('handler bug'))).toBe(true);
    expect(seen).toEqual([1]);
    await clock.advance(10_000);
    await expect.poll(() => seen).toEqual([1, 2]);
    await expect.poll(() => storage.queues.counts('work')).toEqual({ available: 0, leased: 0, delayed: 0 });
  });

  it('handles at most `parallel` items at once and takes the rest as room frees up', async () => {
    let active = 0;
    let peak = 0;
    const done: string[] = [];
    const gates: Array<() => void> = [];
    startWorker(async (lease) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((resolve) => gates.push(resolve));
      active--;
      done.push(lease.item.id);
      await storage.queues.ack('work', lease.item.id, lease.token);
    });
    await storage.queues.enqueue('work', Array.from({ length: 10 }, (_, i) => ({ id: `i${i}`, body: '{}' })));
    worker.wake();
    for (let released = 0; released < 10; released++) {
      await expect.poll(() => gates.length).toBeGreaterThan(0);
      gates.shift()!();
    }
    await expect.poll(() => done.length).toBe(10);
    expect(peak).toBe(4);
    expect(done.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `i${i}`).sort());
  });

  it('close waits for items being handled', async () => {
    let release!: () => void;
    let finished = false;
    startWorker(async (lease) => {
      await new Promise<void>((resolve) => (release = resolve));
      await storage.queues.ack('work', lease.item.id, lease.token);
      finished = true;
    });
    await storage.queues.enqueue('work', [{ id: 'slow', body: '{}' }]);
    worker.wake();
    await expect.poll(() => release !== undefined).toBe(true);
    const closing = worker.close();
    release();
    await closing;
    expect(finished).toBe(true);
  });
});
