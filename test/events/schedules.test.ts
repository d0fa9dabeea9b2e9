import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, isFlintError, silentLogger } from '../../src/core/index.js';
import { Scheduler, type FunctionCall } from '../../src/events/index.js';
import { openSqliteStorage, type Storage } from '../../src/storage/index.js';
import { EventsHarness } from './harness.js';

interface Fired {
  at: string;
  functionName: string;
  requestId: string;
  event: Record<string, unknown>;
}

describe('schedules', () => {
  let dir: string;
  let storage: Storage;
  let clock: FakeClock;
  let fired: Fired[];
  let scheduler: Scheduler;

  const open = () =>
    new Scheduler({
      metadata: storage.metadata,
      calls: {
        accept: async (call: FunctionCall) => {
          fired.push({
            at: new Date(clock.now()).toISOString(),
            functionName: call.functionName,
            requestId: call.requestId ?? '',
            event: JSON.parse(Buffer.from(call.payload).toString('utf8')) as Record<string, unknown>,
          });
          return { requestId: call.requestId ?? '' };
        },
      },
      clock,
      logger: silentLogger,
      region: 'us-east-1',
      accountId: '000000000000',
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-schedules-'));
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'), 1);
    storage = await openSqliteStorage({ dir, clock });
    fired = [];
    scheduler = open();
    await scheduler.start();
  });
  afterEach(async () => {
    scheduler.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires rate schedules every period with the Scheduled Event shape', async () => {
    await scheduler.setSchedules('shop', [{ functionName: 'tick', expression: 'rate(5 minutes)' }]);
    await clock.advance(4 * 60_000);
    expect(fired).toEqual([]);
    await clock.advance(60_000);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toEqual({
      at: '2026-01-01T00:05:00.000Z',
      functionName: 'tick',
      requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      event: {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: '2026-01-01T00:05:00Z',
        region: 'us-east-1',
        resources: ['arn:aws:events:us-east-1:000000000000:rule/shop-tick-schedule-1'],
        detail: {},
      },
    });
    await clock.advance(10 * 60_000);
    expect(fired.map((f) => f.at)).toEqual(['2026-01-01T00:05:00.000Z', '2026-01-01T00:10:00.000Z', '2026-01-01T00:15:00.000Z']);
    expect(new Set(fired.map((f) => f.event.id)).size).toBe(3);
  });

  it('fires cron schedules at the minutes they name, in UTC', async () => {
    await scheduler.setSchedules('shop', [{ functionName: 'report', expression: 'cron(30 9 ? * MON-FRI *)' }]);
    await clock.advance(7 * 86_400_000);
    // 2026-01-01 is a Thursday.
    expect(fired.map((f) => f.at)).toEqual(['2026-01-01T09:30:00.000Z', '2026-01-02T09:30:00.000Z', '2026-01-05T09:30:00.000Z', '2026-01-06T09:30:00.000Z', '2026-01-07T09:30:00.000Z']);
    expect(fired.map((f) => f.event.time)).toEqual(['2026-01-01T09:30:00Z', '2026-01-02T09:30:00Z', '2026-01-05T09:30:00Z', '2026-01-06T09:30:00Z', '2026-01-07T09:30:00Z']);
  });

  it('re-arms timers for firings further away than a platform timer reaches', async () => {
    await scheduler.setSchedules('shop', [{ functionName: 'yearly', expression: 'cron(0 0 1 JAN ? *)' }]);
    expect(scheduler.upcoming('shop')[0]?.next).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect(clock.nextAt()).toBe(Date.parse('2026-01-02T00:00:00Z'));
    await clock.advance(366 * 86_400_000);
    expect(fired.map((f) => f.at)).toEqual(['2027-01-01T00:00:00.000Z']);
  });

  it('replaces an app’s schedules on redeploy, keeping a rate’s phase, and removes them with []', async () => {
    await scheduler.setSchedules('shop', [{ functionName: 'tick', expression: 'rate(10 minutes)' }]);
    await clock.advance(13 * 60_000);
    await scheduler.setSchedules('shop', [
      { functionName: 'tick', expression: 'rate(10 minutes)' },
      { functionName: 'tick', expression: 'rate(1 hour)' },
    ]);
    await clock.advance(7 * 60_000);
    expect(fired.map((f) => `${f.at} ${String((f.event.resources as string[])[0]).split('/')[1]}`)).toEqual([
      '2026-01-01T00:10:00.000Z shop-tick-schedule-1',
      '2026-01-01T00:20:00.000Z shop-tick-schedule-1',
    ]);
    await scheduler.setSchedules('shop', []);
    await clock.advance(3 * 3600_000);
    expect(fired).toHaveLength(2);
    expect(await storage.metadata.list('schedules')).toEqual([]);
  });

  it('does not replay firings missed while the node was down, and keeps the rate’s phase after a restart', async () => {
    await scheduler.setSchedules('shop', [{ functionName: 'tick', expression: 'rate(15 minutes)' }]);
    await clock.advance(16 * 60_000);
    expect(fired).toHaveLength(1);
    scheduler.close();

    await clock.advance(60 * 60_000); // down from 00:16 to 01:16: four firings missed
    scheduler = open();
    await scheduler.start();
    await clock.advance(14 * 60_000);
    expect(fired.map((f) => f.at)).toEqual(['2026-01-01T00:15:00.000Z', '2026-01-01T01:30:00.000Z']);
  });

  it('refuses expressions EventBridge refuses, before changing anything', async () => {
    await scheduler.setSchedules('shop', [{ functionName: 'tick', expression: 'rate(5 minutes)' }]);
    const refused = await scheduler.setSchedules('shop', [{ functionName: 'tick', expression: 'cron(0 12 * * * *)' }]).catch((error: unknown) => error);
    expect(isFlintError(refused, 'INVALID_PARAMETER')).toBe(true);
    await clock.advance(5 * 60_000);
    expect(fired).toHaveLength(1);
  });
});

describe('schedules through the async invocation queue', () => {
  let h: EventsHarness;
  beforeEach(async () => {
    h = await EventsHarness.open();
  });
  afterEach(async () => {
    await h.close();
  });

  it('invoke the function with the scheduled event, durably and once per firing', async () => {
    await h.deploy('tick', "exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); return {}; };");
    const scheduler = new Scheduler({ metadata: h.storage.metadata, calls: h.node.events.calls, clock: h.clock, logger: silentLogger, region: 'us-east-1', accountId: '000000000000' });
    await scheduler.start();
    await scheduler.setSchedules('app', [{ functionName: 'tick', expression: 'rate(1 minute)' }]);
    // A second node sharing the store fires the same instants; each firing still runs once.
    const otherNode = new Scheduler({ metadata: h.storage.metadata, calls: h.node.events.calls, clock: h.clock, logger: silentLogger, region: 'us-east-1', accountId: '000000000000' });
    await otherNode.start();
    await h.clock.advance(60_000);
    await expect.poll(() => h.finals.map((f) => f.reason)).toEqual(['success']);
    // Both nodes have fired by now (the same instant); nothing is left to run.
    expect(await h.storage.queues.counts('lambda-async')).toEqual({ available: 0, leased: 0, delayed: 0 });
    expect(h.finals).toHaveLength(1);
    otherNode.close();
    const logged = h.logs.messages(h.finals[0]!.event.requestId).find((m) => m.includes('EVENT '))!;
    expect(JSON.parse(logged.slice(logged.indexOf('EVENT ') + 'EVENT '.length))).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-01-01T00:01:00Z' });
    scheduler.close();
  });
});
