import { describe, expect, it } from 'vitest';
import type { NewLogRecord } from '../../../src/storage/index.js';
import { expectFlintError, type StorageContext } from './context.js';

function line(message: string, time: number, extra: Partial<NewLogRecord> = {}): NewLogRecord {
  return { time, functionName: 'f', version: '$LATEST', message, ...extra };
}

export function logConformance(ctx: StorageContext): void {
  describe('logs', () => {
    const logs = () => ctx.storage.logs;
    const messages = async (query: Parameters<typeof ctx.storage.logs.query>[0]) => (await logs().query(query)).map((r) => r.message);
    /** Appends m0..m(n-1) for function f at times 1000, 1010, ... */
    const appendLines = (n: number) => logs().append(Array.from({ length: n }, (_, i) => line(`m${i}`, 1000 + 10 * i)));

    it('returns appended records in order with increasing ids and every field', async () => {
      await logs().append([line('start', 1, { requestId: 'r1', instanceId: 'i1' }), line('plain', 2)]);
      const records = await logs().query({ functionName: 'f' });
      expect(records).toEqual([
        { id: expect.any(Number), time: 1, functionName: 'f', version: '$LATEST', requestId: 'r1', instanceId: 'i1', message: 'start' },
        { id: expect.any(Number), time: 2, functionName: 'f', version: '$LATEST', message: 'plain' },
      ]);
      expect(records[1]?.requestId).toBeUndefined();
      expect(records[1]!.id).toBeGreaterThan(records[0]!.id);
    });

    it('keeps functions apart and accepts an empty batch', async () => {
      await logs().append([line('mine', 1), line('theirs', 1, { functionName: 'g' })]);
      await logs().append([]);
      expect(await messages({ functionName: 'f' })).toEqual(['mine']);
      expect(await messages({ functionName: 'g' })).toEqual(['theirs']);
      expect(await messages({ functionName: 'none' })).toEqual([]);
    });

    it('returns the newest `limit` records, oldest first, when there is no cursor', async () => {
      await appendLines(10);
      expect(await messages({ functionName: 'f', limit: 3 })).toEqual(['m7', 'm8', 'm9']);
      expect(await messages({ functionName: 'f', limit: 0 })).toEqual([]);
    });

    it('follows a stream with afterId, the oldest `limit` after the cursor each time', async () => {
      await appendLines(7);
      const seen: string[] = [];
      let afterId = 0;
      for (;;) {
        const page = await logs().query({ functionName: 'f', afterId, limit: 3 });
        if (page.length === 0) break;
        seen.push(...page.map((r) => r.message));
        afterId = page.at(-1)!.id;
      }
      expect(seen).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
      await logs().append([line('late', 2000)]);
      expect(await messages({ functionName: 'f', afterId })).toEqual(['late']);
    });

    it('filters by time with since (inclusive), oldest first under a limit', async () => {
      await appendLines(10);
      expect(await messages({ functionName: 'f', since: 1070 })).toEqual(['m7', 'm8', 'm9']);
      expect(await messages({ functionName: 'f', since: 1020, limit: 2 })).toEqual(['m2', 'm3']);
    });

    it('finds time bounds exactly among many records, across gaps left by a prune and by other functions', async () => {
      // Times rise with appends, several records share a time, and function g's records interleave.
      const batch = Array.from({ length: 600 }, (_, i) => line(`m${i}`, 1000 + Math.floor(i / 3), i % 4 === 3 ? { functionName: 'g' } : {}));
      await logs().append(batch);
      const expected = (from: number) => batch.filter((r, i) => r.functionName === 'f' && 1000 + Math.floor(i / 3) >= from).map((r) => r.message);
      expect(await messages({ functionName: 'f', since: 1100 })).toEqual(expected(1100));
      expect(await messages({ functionName: 'f', since: 999 })).toEqual(expected(999));
      expect(await messages({ functionName: 'f', since: 1200 })).toEqual([]);
      expect(await logs().prune({ before: 1050 })).toBe(150);
      expect(await messages({ functionName: 'f', since: 1051, limit: 2 })).toEqual(expected(1051).slice(0, 2));
      expect(await messages({ functionName: 'f', since: 1000 })).toEqual(expected(1050));
      expect(await logs().prune({ before: 1050 })).toBe(0);
    });

    it('filters by request id', async () => {
      await logs().append([line('a', 1, { requestId: 'r1' }), line('b', 2, { requestId: 'r2' }), line('c', 3, { requestId: 'r1' })]);
      expect(await messages({ functionName: 'f', requestId: 'r1' })).toEqual(['a', 'c']);
      expect(await messages({ functionName: 'f', requestId: 'r1', limit: 1 })).toEqual(['c']);
    });

    it('prunes records older than a time and never reuses their ids', async () => {
      await appendLines(5);
      const lastId = (await logs().query({ functionName: 'f' })).at(-1)!.id;
      expect(await logs().prune({ before: 1030 })).toBe(3);
      expect(await messages({ functionName: 'f' })).toEqual(['m3', 'm4']);
      expect(await logs().prune({ before: 10_000 })).toBe(2);
      await logs().append([line('after prune', 5000)]);
      const [record] = await logs().query({ functionName: 'f' });
      expect(record?.id).toBeGreaterThan(lastId);
    });

    it('prunes all but the newest records, in steps of at most `max`, oldest first', async () => {
      await appendLines(10);
      expect(await logs().prune({ keepNewest: 6, max: 3 })).toBe(3);
      expect(await messages({ functionName: 'f' })).toEqual(['m3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
      expect(await logs().prune({ keepNewest: 6, max: 3 })).toBe(1);
      expect(await logs().prune({ keepNewest: 6 })).toBe(0);
      // Both limits: whichever removes more.
      expect(await logs().prune({ before: 1080, keepNewest: 5 })).toBe(4);
      expect(await messages({ functionName: 'f' })).toEqual(['m8', 'm9']);
      expect(await logs().prune({ keepNewest: 0 })).toBe(2);
      expect(await logs().prune({ keepNewest: 0 })).toBe(0);
      await expectFlintError(logs().prune({ keepNewest: -1 }), 'INVALID_PARAMETER');
    });

    it('lists the functions that have records and the instances that wrote them', async () => {
      await logs().append([
        line('a1', 10, { instanceId: 'i1' }),
        line('b1', 11, { functionName: 'g', instanceId: 'i9' }),
        line('a2', 12, { instanceId: 'i2', version: '3' }),
        line('ä3', 13, { instanceId: 'i1' }),
      ]);
      expect(await logs().functions()).toEqual(['f', 'g']);
      expect(await logs().instances('f')).toEqual([
        { instanceId: 'i1', version: '$LATEST', firstId: expect.any(Number), lastId: expect.any(Number), firstTime: 10, lastTime: 13, records: 2, bytes: 5 },
        { instanceId: 'i2', version: '3', firstId: expect.any(Number), lastId: expect.any(Number), firstTime: 12, lastTime: 12, records: 1, bytes: 2 },
      ]);
      expect(await messages({ functionName: 'f', instanceIds: ['i1'] })).toEqual(['a1', 'ä3']);
      expect(await messages({ functionName: 'f', instanceIds: [] })).toEqual([]);
      expect(await logs().deleteFunction('f', 'i2')).toBe(1);
      expect(await logs().deleteFunction('f')).toBe(2);
      expect(await logs().functions()).toEqual(['g']);
    });

    it('pages backwards and bounds time from above with until', async () => {
      await appendLines(6);
      const all = await logs().query({ functionName: 'f' });
      expect(await messages({ functionName: 'f', beforeId: all[4]!.id, limit: 2 })).toEqual(['m2', 'm3']);
      expect(await messages({ functionName: 'f', until: 1030 })).toEqual(['m0', 'm1', 'm2']);
      expect(await messages({ functionName: 'f', since: 1010, until: 1050, limit: 2, newest: true })).toEqual(['m3', 'm4']);
    });

    it("prunes one function's records, or all but some functions'", async () => {
      await logs().append([line('f1', 1), line('g1', 2, { functionName: 'g' }), line('f2', 3), line('g2', 4, { functionName: 'g' })]);
      expect(await logs().prune({ before: 4, except: ['f'] })).toBe(1);
      expect(await messages({ functionName: 'g' })).toEqual(['g2']);
      expect(await logs().prune({ functionName: 'f', before: 2 })).toBe(1);
      expect(await messages({ functionName: 'f' })).toEqual(['f2']);
    });

    it('keeps the events of custom log groups by stream, in timestamp order', async () => {
      const event = (stream: string, timestamp: number, message: string) => ({ group: 'app', stream, timestamp, ingestionTime: 500, message });
      await logs().appendEvents([event('s1', 30, 'c'), event('s2', 10, 'a'), event('s1', 20, 'b'), { ...event('s1', 5, 'x'), group: 'other' }]);
      const texts = async (query: Parameters<typeof ctx.storage.logs.queryEvents>[0]) => (await logs().queryEvents(query)).map((e) => e.message);
      expect(await texts({ group: 'app' })).toEqual(['a', 'b', 'c']);
      expect(await texts({ group: 'app', streams: ['s1'] })).toEqual(['b', 'c']);
      expect(await texts({ group: 'app', streamPrefix: 's2' })).toEqual(['a']);
      expect(await texts({ group: 'app', limit: 2, newest: true })).toEqual(['b', 'c']);
      const [first] = await logs().queryEvents({ group: 'app' });
      expect(await texts({ group: 'app', after: first! })).toEqual(['b', 'c']);
      expect(await texts({ group: 'app', from: 20, to: 30 })).toEqual(['b']);
      expect(await logs().eventStreams('app')).toEqual([
        { stream: 's1', firstTimestamp: 20, lastTimestamp: 30, lastIngestionTime: 500, events: 2, bytes: 2 },
        { stream: 's2', firstTimestamp: 10, lastTimestamp: 10, lastIngestionTime: 500, events: 1, bytes: 1 },
      ]);
      expect(await logs().pruneEvents('app', 25)).toBe(2);
      expect(await logs().deleteEvents('app', 's1')).toBe(1);
      expect(await logs().deleteEvents('other')).toBe(1);
      expect(await texts({ group: 'app' })).toEqual([]);
    });

    it('rejects a missing function name and a negative limit', async () => {
      await expectFlintError(logs().query({ functionName: '' }), 'INVALID_PARAMETER');
      await expectFlintError(logs().query({ functionName: 'f', limit: -2 }), 'INVALID_PARAMETER');
    });
  });
}
