import { describe, expect, it } from 'vitest';
import { expectFlintError, type StorageContext } from './context.js';

const LEASE = 30_000;

export function queueConformance(ctx: StorageContext): void {
  describe('queues', () => {
    claimConformance(ctx);
    leaseConformance(ctx);
    delayConformance(ctx);
    idConformance(ctx);
    countConformance(ctx);
  });
}

function claimConformance(ctx: StorageContext): void {
  const queues = () => ctx.storage.queues;
  const claimIds = async (queue: string, max = 100) => (await queues().claim(queue, { max, leaseMs: LEASE })).map((l) => l.item.id);

  it('claims items oldest first, with their body, enqueue time and first attempt', async () => {
    const [a] = await queues().enqueue('q', [{ body: 'a' }]);
    const enqueuedAt = ctx.clock.now();
    await ctx.clock.advance(5);
    const [b, c] = await queues().enqueue('q', [{ body: 'b' }, { body: 'c' }]);
    const leases = await queues().claim('q', { max: 10, leaseMs: LEASE });
    expect(leases.map((l) => l.item.id)).toEqual([a, b, c]);
    expect(leases[0]).toEqual({
      item: { id: a, queue: 'q', body: 'a', enqueuedAt, attempts: 1 },
      token: expect.any(String),
      leaseUntil: ctx.clock.now() + LEASE,
    });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('keeps the payload bytes of an item as they were given, beside its body', async () => {
    const bytes = Buffer.from([0, 255, 10, 13, 0x7b]);
    await queues().enqueue('q', [{ id: 'bin', body: '{"kind":"event"}', payload: bytes }]);
    await ctx.reopen();
    const [lease] = await queues().claim('q', { max: 1, leaseMs: LEASE });
    expect(lease?.item.body).toBe('{"kind":"event"}');
    expect(lease?.item.payload).toEqual(bytes);
  });

  it('claims at most max items and never the same item twice while leased', async () => {
    await queues().enqueue('q', ['1', '2', '3', '4', '5'].map((body) => ({ body })));
    const first = await claimIds('q', 2);
    const second = await claimIds('q', 2);
    const third = await claimIds('q', 2);
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(third).toHaveLength(1);
    expect(new Set([...first, ...second, ...third]).size).toBe(5);
    expect(await claimIds('q')).toEqual([]);
    expect(await claimIds('q', 0)).toEqual([]);
  });

  it('hands each item to exactly one of many concurrent claimers', async () => {
    const ids = await queues().enqueue('q', Array.from({ length: 200 }, (_, i) => ({ body: String(i) })));
    const claims = await Promise.all(Array.from({ length: 20 }, () => claimIds('q', 15)));
    const claimed = claims.flat();
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed)).toEqual(new Set(ids));
  });

  it('keeps queues apart', async () => {
    const [a] = await queues().enqueue('a', [{ body: 'for a' }]);
    const [b] = await queues().enqueue('b', [{ body: 'for b' }]);
    expect(await claimIds('b')).toEqual([b]);
    expect(await claimIds('a')).toEqual([a]);
    expect(await claimIds('c')).toEqual([]);
  });

  it('deletes an item on ack, and a second ack or an ack in another queue is refused', async () => {
    await queues().enqueue('q', [{ body: 'x' }]);
    const [lease] = await queues().claim('q', { max: 1, leaseMs: LEASE });
    expect(await queues().ack('other', lease!.item.id, lease!.token)).toBe(false);
    expect(await queues().ack('q', lease!.item.id, 'not-the-token')).toBe(false);
    expect(await queues().ack('q', lease!.item.id, lease!.token)).toBe(true);
    expect(await queues().ack('q', lease!.item.id, lease!.token)).toBe(false);
    await ctx.clock.advance(LEASE * 2);
    expect(await claimIds('q')).toEqual([]);
    expect(await queues().nextDue('q')).toBeUndefined();
  });

  it('rejects a negative max or lease', async () => {
    await expectFlintError(queues().claim('q', { max: -1, leaseMs: LEASE }), 'INVALID_PARAMETER');
    await expectFlintError(queues().claim('q', { max: 1.5, leaseMs: LEASE }), 'INVALID_PARAMETER');
    await expectFlintError(queues().claim('q', { max: 1, leaseMs: -1 }), 'INVALID_PARAMETER');
  });
}

function leaseConformance(ctx: StorageContext): void {
  const queues = () => ctx.storage.queues;
  const claimOne = async () => (await queues().claim('q', { max: 1, leaseMs: LEASE }))[0];

  it('redelivers an item whose lease expired, counting the attempt', async () => {
    const [id] = await queues().enqueue('q', [{ body: 'work' }]);
    await claimOne();
    await ctx.clock.advance(LEASE - 1);
    expect(await claimOne()).toBeUndefined();
    await ctx.clock.advance(1);
    const again = await claimOne();
    expect(again?.item).toMatchObject({ id, body: 'work', attempts: 2 });
    await ctx.clock.advance(LEASE);
    expect((await claimOne())?.item.attempts).toBe(3);
  });

  it('refuses the stale token after the item was claimed again', async () => {
    await queues().enqueue('q', [{ body: 'work' }]);
    const first = (await claimOne())!;
    await ctx.clock.advance(LEASE);
    const second = (await claimOne())!;
    expect(second.token).not.toBe(first.token);
    const { id } = first.item;
    expect(await queues().ack('q', id, first.token)).toBe(false);
    expect(await queues().release('q', id, first.token)).toBe(false);
    expect(await queues().extend('q', id, first.token, LEASE)).toBe(false);
    expect(await queues().extend('q', id, second.token, LEASE)).toBe(true);
    expect(await queues().ack('q', id, second.token)).toBe(true);
  });

  it('still accepts an ack after expiry if nobody claimed the item again', async () => {
    await queues().enqueue('q', [{ body: 'slow' }]);
    const lease = (await claimOne())!;
    await ctx.clock.advance(LEASE + 5000);
    expect(await queues().ack('q', lease.item.id, lease.token)).toBe(true);
    expect(await claimOne()).toBeUndefined();
  });

  it('extends a lease from now', async () => {
    await queues().enqueue('q', [{ body: 'long' }]);
    const lease = (await claimOne())!;
    await ctx.clock.advance(LEASE - 1000);
    expect(await queues().extend('q', lease.item.id, lease.token, LEASE)).toBe(true);
    await ctx.clock.advance(LEASE - 1);
    expect(await claimOne()).toBeUndefined();
    expect(await queues().nextDue('q')).toBe(ctx.clock.now() + 1);
    await ctx.clock.advance(1);
    expect((await claimOne())?.item.attempts).toBe(2);
  });

  it('makes a released item claimable again at once', async () => {
    const [id] = await queues().enqueue('q', [{ body: 'retry' }]);
    const lease = (await claimOne())!;
    expect(await queues().release('q', id!, lease.token)).toBe(true);
    expect(await queues().release('q', id!, lease.token)).toBe(false);
    const again = (await claimOne())!;
    expect(again.item).toMatchObject({ id, attempts: 2 });
    expect(await queues().ack('q', id!, lease.token)).toBe(false);
  });

  it('keeps a released item back for the given delay', async () => {
    const [id] = await queues().enqueue('q', [{ body: 'backoff' }]);
    const lease = (await claimOne())!;
    expect(await queues().release('q', id!, lease.token, 10_000)).toBe(true);
    expect(await queues().counts('q')).toEqual({ available: 0, leased: 0, delayed: 1 });
    expect(await queues().nextDue('q')).toBe(ctx.clock.now() + 10_000);
    await ctx.clock.advance(9_999);
    expect(await claimOne()).toBeUndefined();
    await ctx.clock.advance(1);
    expect((await claimOne())?.item).toMatchObject({ id, attempts: 2 });
  });
}

function delayConformance(ctx: StorageContext): void {
  const queues = () => ctx.storage.queues;
  const claimIds = async () => (await queues().claim('q', { max: 100, leaseMs: LEASE })).map((l) => l.item.id);

  it('holds a delayed item back until it is due, then orders by due time', async () => {
    const [late] = await queues().enqueue('q', [{ body: 'late', delayMs: 5000 }]);
    const [soon] = await queues().enqueue('q', [{ body: 'soon', delayMs: 1000 }]);
    const [now] = await queues().enqueue('q', [{ body: 'now' }]);
    expect(await claimIds()).toEqual([now]);
    await ctx.clock.advance(6000);
    expect(await claimIds()).toEqual([soon, late]);
  });

  it('reports when the next item is due', async () => {
    expect(await queues().nextDue('q')).toBeUndefined();
    const start = ctx.clock.now();
    await queues().enqueue('q', [{ body: 'later', delayMs: 5000 }]);
    expect(await queues().nextDue('q')).toBe(start + 5000);
    await queues().enqueue('q', [{ body: 'sooner', delayMs: 2000 }]);
    expect(await queues().nextDue('q')).toBe(start + 2000);
    await ctx.clock.advance(3000);
    await queues().enqueue('q', [{ body: 'now' }]);
    expect(await queues().nextDue('q')).toBeLessThanOrEqual(ctx.clock.now());
    await queues().claim('q', { max: 10, leaseMs: LEASE });
    expect(await queues().nextDue('q')).toBe(start + 5000);
  });

  it('rejects a negative delay', async () => {
    await expectFlintError(queues().enqueue('q', [{ body: 'x', delayMs: -5 }]), 'INVALID_PARAMETER');
    expect(await queues().nextDue('q')).toBeUndefined();
  });
}

function idConformance(ctx: StorageContext): void {
  const queues = () => ctx.storage.queues;

  it('keeps caller-given ids and treats a repeated id as already accepted', async () => {
    expect(await queues().enqueue('q', [{ id: 'evt-1', body: 'first' }, { body: 'generated' }])).toEqual(['evt-1', expect.any(String)]);
    expect(await queues().enqueue('q', [{ id: 'evt-1', body: 'retry' }, { id: 'evt-1', body: 'again' }])).toEqual(['evt-1', 'evt-1']);
    const leases = await queues().claim('q', { max: 10, leaseMs: LEASE });
    expect(leases).toHaveLength(2);
    expect(leases[0]?.item).toMatchObject({ id: 'evt-1', body: 'first' });
    expect(await queues().enqueue('q', [{ id: 'evt-1', body: 'while leased' }])).toEqual(['evt-1']);
    expect(await queues().counts('q')).toEqual({ available: 0, leased: 2, delayed: 0 });
  });

  it('accepts an id again once its item is gone, and the same id in another queue', async () => {
    await queues().enqueue('q', [{ id: 'x', body: 'one' }]);
    await queues().enqueue('other', [{ id: 'x', body: 'elsewhere' }]);
    const [lease] = await queues().claim('q', { max: 1, leaseMs: LEASE });
    await queues().ack('q', 'x', lease!.token);
    await queues().enqueue('q', [{ id: 'x', body: 'two' }]);
    expect((await queues().claim('q', { max: 5, leaseMs: LEASE })).map((l) => l.item.body)).toEqual(['two']);
    expect((await queues().claim('other', { max: 5, leaseMs: LEASE })).map((l) => l.item.body)).toEqual(['elsewhere']);
  });

  it('generates distinct ids and returns nothing for an empty batch', async () => {
    const ids = await queues().enqueue('q', Array.from({ length: 100 }, () => ({ body: '' })));
    expect(new Set(ids).size).toBe(100);
    expect(await queues().enqueue('q', [])).toEqual([]);
    expect((await queues().claim('q', { max: 1, leaseMs: LEASE }))[0]?.item.body).toBe('');
  });
}

function countConformance(ctx: StorageContext): void {
  const queues = () => ctx.storage.queues;

  it('counts available, leased and delayed items, expired leases as available', async () => {
    expect(await queues().counts('q')).toEqual({ available: 0, leased: 0, delayed: 0 });
    await queues().enqueue('q', [{ body: 'a' }, { body: 'b' }, { body: 'c' }, { body: 'd', delayMs: 60_000 }]);
    expect(await queues().counts('q')).toEqual({ available: 3, leased: 0, delayed: 1 });
    await queues().claim('q', { max: 2, leaseMs: LEASE });
    expect(await queues().counts('q')).toEqual({ available: 1, leased: 2, delayed: 1 });
    await ctx.clock.advance(LEASE);
    expect(await queues().counts('q')).toEqual({ available: 3, leased: 0, delayed: 1 });
    await ctx.clock.advance(60_000);
    expect(await queues().counts('q')).toEqual({ available: 4, leased: 0, delayed: 0 });
    expect(await queues().counts('other')).toEqual({ available: 0, leased: 0, delayed: 0 });
  });

  it('purges every item of one queue, leased ones included', async () => {
    await queues().enqueue('q', [{ body: 'a' }, { body: 'b' }, { body: 'c', delayMs: 1000 }]);
    await queues().enqueue('keep', [{ body: 'k' }]);
    const [lease] = await queues().claim('q', { max: 1, leaseMs: LEASE });
    expect(await queues().purge('q')).toBe(3);
    expect(await queues().counts('q')).toEqual({ available: 0, leased: 0, delayed: 0 });
    expect(await queues().ack('q', lease!.item.id, lease!.token)).toBe(false);
    expect(await queues().purge('q')).toBe(0);
    expect(await queues().counts('keep')).toEqual({ available: 1, leased: 0, delayed: 0 });
  });
}
