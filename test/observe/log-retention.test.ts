import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, silentLogger } from '../../src/core/index.js';
import { LogRetention } from '../../src/observe/index.js';
import { openSqliteStorage, type NewLogRecord, type Storage } from '../../src/storage/index.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('log retention', () => {
  let dir: string;
  let clock: FakeClock;
  let storage: Storage;
  let retention: LogRetention | undefined;

  const records = (count: number, time: number, prefix: string): NewLogRecord[] =>
    Array.from({ length: count }, (_, i) => ({ time, functionName: 'f', version: '$LATEST', message: `${prefix}${i}` }));
  const remaining = async () => (await storage.logs.query({ functionName: 'f' })).map((r) => r.message);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-retention-'));
    clock = new FakeClock(Date.UTC(2026, 0, 10));
    storage = await openSqliteStorage({ dir, clock });
  });

  afterEach(async () => {
    await retention?.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('removes records older than the maximum age once a minute, and keeps the rest', async () => {
    await storage.logs.append([...records(3, clock.now() - 8 * DAY, 'old'), ...records(2, clock.now() - DAY, 'recent')]);
    retention = new LogRetention(storage.logs, clock, silentLogger, { maxAgeMs: 7 * DAY });
    retention.start();
    await clock.advance(MINUTE - 1);
    expect(await remaining()).toHaveLength(5);
    await clock.advance(1);
    await expect.poll(remaining).toEqual(['recent0', 'recent1']);
  });

  it('keeps the newest records under the count limit, removing a backlog in steps', async () => {
    await storage.logs.append(records(250, clock.now(), 'm'));
    retention = new LogRetention(storage.logs, clock, silentLogger, { maxRecords: 100, step: 30 });
    expect(await retention.prune()).toBe(150);
    expect(await remaining()).toEqual(records(100, 0, 'm').map((_, i) => `m${150 + i}`));
    expect(await retention.prune()).toBe(0);
  });

  it('stops pruning once closed', async () => {
    retention = new LogRetention(storage.logs, clock, silentLogger, { maxRecords: 1 });
    retention.start();
    await retention.close();
    await storage.logs.append(records(3, clock.now(), 'm'));
    await clock.advance(5 * MINUTE);
    expect(await remaining()).toHaveLength(3);
  });
});
