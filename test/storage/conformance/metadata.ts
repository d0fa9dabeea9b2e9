import { describe, expect, it } from 'vitest';
import { expectFlintError, type StorageContext } from './context.js';

export function metadataConformance(ctx: StorageContext): void {
  describe('metadata', () => {
    const meta = () => ctx.storage.metadata;

    it('stores a document at revision 1 and reads it back with its write time', async () => {
      const value = { name: 'hello', memory: 128, tags: ['a', 'b'], nested: { ok: true, none: null }, text: 'héllo ✓ 🚀' };
      expect(await meta().put('functions', 'hello', value)).toBe(1);
      expect(await meta().get('functions', 'hello')).toEqual({ key: 'hello', value, revision: 1, updatedAt: ctx.clock.now() });
    });

    it('stores strings, numbers, booleans, arrays and null as they are', async () => {
      for (const [key, value] of Object.entries({ s: 'text', n: 42.5, b: false, a: [1, 'x'], z: null })) {
        await meta().put('scalars', key, value);
        expect((await meta().get('scalars', key))?.value).toEqual(value);
      }
    });

    it('replaces a document, increasing its revision and write time', async () => {
      await meta().put('functions', 'f', { v: 1 });
      await ctx.clock.advance(1000);
      expect(await meta().put('functions', 'f', { v: 2 })).toBe(2);
      expect(await meta().get('functions', 'f')).toEqual({ key: 'f', value: { v: 2 }, revision: 2, updatedAt: ctx.clock.now() });
    });

    it('returns undefined for a missing key and keeps collections apart', async () => {
      await meta().put('functions', 'same', 'function');
      await meta().put('aliases', 'same', 'alias');
      expect(await meta().get('functions', 'missing')).toBeUndefined();
      expect(await meta().get('other', 'same')).toBeUndefined();
      expect((await meta().get('functions', 'same'))?.value).toBe('function');
      expect((await meta().get('aliases', 'same'))?.value).toBe('alias');
    });

    it('writes when ifRevision matches and rejects a stale revision without changing anything', async () => {
      await meta().put('c', 'k', 'one');
      expect(await meta().put('c', 'k', 'two', { ifRevision: 1 })).toBe(2);
      await expectFlintError(meta().put('c', 'k', 'stale', { ifRevision: 1 }), 'PRECONDITION_FAILED');
      expect(await meta().get('c', 'k')).toMatchObject({ value: 'two', revision: 2 });
    });

    it('treats ifRevision 0 as "create only if absent"', async () => {
      expect(await meta().put('c', 'new', 'first', { ifRevision: 0 })).toBe(1);
      await expectFlintError(meta().put('c', 'new', 'second', { ifRevision: 0 }), 'PRECONDITION_FAILED');
      await expectFlintError(meta().put('c', 'absent', 'x', { ifRevision: 3 }), 'PRECONDITION_FAILED');
      expect((await meta().get('c', 'new'))?.value).toBe('first');
      expect(await meta().get('c', 'absent')).toBeUndefined();
    });

    it('lets exactly one of two writers with the same expected revision win', async () => {
      await meta().put('c', 'k', 0);
      const results = await Promise.allSettled([meta().put('c', 'k', 'a', { ifRevision: 1 }), meta().put('c', 'k', 'b', { ifRevision: 1 })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect((await meta().get('c', 'k'))?.revision).toBe(2);
    });

    it('deletes, reporting whether there was anything, and honours ifRevision', async () => {
      await meta().put('c', 'k', 'v');
      await meta().put('c', 'k', 'v2');
      await expectFlintError(meta().delete('c', 'k', { ifRevision: 1 }), 'PRECONDITION_FAILED');
      await expectFlintError(meta().delete('c', 'k', { ifRevision: 0 }), 'PRECONDITION_FAILED');
      expect(await meta().get('c', 'k')).toBeDefined();
      expect(await meta().delete('c', 'k', { ifRevision: 2 })).toBe(true);
      expect(await meta().get('c', 'k')).toBeUndefined();
      expect(await meta().delete('c', 'k')).toBe(false);
      expect(await meta().delete('c', 'never', { ifRevision: 0 })).toBe(false);
    });

    it('starts again at revision 1 after a delete', async () => {
      await meta().put('c', 'k', 'v');
      await meta().put('c', 'k', 'v');
      await meta().delete('c', 'k');
      expect(await meta().put('c', 'k', 'again', { ifRevision: 0 })).toBe(1);
    });

    it('rejects values that are not JSON and negative revisions', async () => {
      await expectFlintError(meta().put('c', 'k', undefined), 'INVALID_PARAMETER');
      await expectFlintError(meta().put('c', 'k', 'v', { ifRevision: -1 }), 'INVALID_PARAMETER');
      expect(await meta().get('c', 'k')).toBeUndefined();
    });

    it('commits an outbox with a put, given the new revision, and nothing when the put is refused', async () => {
      const outbox = { queue: 'work', items: (revision: number) => [{ id: `r${revision}`, body: String(revision) }] };
      expect(await meta().put('c', 'k', 'v1', { ifRevision: 0, outbox })).toBe(1);
      await expectFlintError(meta().put('c', 'k', 'v2', { ifRevision: 0, outbox }), 'PRECONDITION_FAILED');
      expect(await meta().put('c', 'k', 'v2', { ifRevision: 1, outbox })).toBe(2);
      const claimed = await ctx.storage.queues.claim('work', { max: 10, leaseMs: 1000 });
      expect(claimed.map((lease) => [lease.item.id, lease.item.body])).toEqual([
        ['r1', '1'],
        ['r2', '2'],
      ]);
    });

    listConformance(ctx);
    sequenceConformance(ctx);
  });
}

function listConformance(ctx: StorageContext): void {
  describe('list', () => {
    const meta = () => ctx.storage.metadata;
    const keys = async (collection: string, options?: Parameters<typeof ctx.storage.metadata.list>[1]) =>
      (await meta().list(collection, options)).map((doc) => doc.key);

    it('returns a collection sorted by key, with values and revisions', async () => {
      for (const key of ['b', 'a', 'c/2', 'c/1', 'B']) await meta().put('c', key, key.toUpperCase());
      await meta().put('other', 'a', 'not mine');
      expect(await keys('c')).toEqual(['B', 'a', 'b', 'c/1', 'c/2']);
      expect((await meta().list('c'))[0]).toEqual({ key: 'B', value: 'B', revision: 1, updatedAt: ctx.clock.now() });
      expect(await meta().list('empty')).toEqual([]);
    });

    it('filters by prefix, literally', async () => {
      for (const key of ['app/a', 'app/b', 'app%x', 'app_y', 'apple', 'ap', 'b']) await meta().put('c', key, 1);
      expect(await keys('c', { prefix: 'app/' })).toEqual(['app/a', 'app/b']);
      expect(await keys('c', { prefix: 'app%' })).toEqual(['app%x']);
      expect(await keys('c', { prefix: 'app_' })).toEqual(['app_y']);
      expect(await keys('c', { prefix: 'app' })).toEqual(['app%x', 'app/a', 'app/b', 'app_y', 'apple']);
      expect(await keys('c', { prefix: 'zzz' })).toEqual([]);
      expect(await keys('c', { prefix: '' })).toHaveLength(7);
    });

    it('matches prefixes that end in non-ASCII characters', async () => {
      for (const key of ['é/1', 'é/2', 'ê', '🚀a', '🚀b', '🚁']) await meta().put('c', key, 1);
      expect(await keys('c', { prefix: 'é' })).toEqual(['é/1', 'é/2']);
      expect(await keys('c', { prefix: '🚀' })).toEqual(['🚀a', '🚀b']);
    });

    it('pages with after and limit until every key was seen once', async () => {
      const all = Array.from({ length: 25 }, (_, i) => `key-${String(i).padStart(2, '0')}`);
      for (const key of [...all].reverse()) await meta().put('c', key, key);
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await keys('c', { after, limit: 10 });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(10);
        seen.push(...page);
        after = page.at(-1);
      }
      expect(seen).toEqual(all);
      expect(await keys('c', { limit: 0 })).toEqual([]);
    });

    it('combines prefix, after and limit', async () => {
      for (const key of ['a/1', 'a/2', 'a/3', 'a/4', 'b/1']) await meta().put('c', key, 1);
      expect(await keys('c', { prefix: 'a/', after: 'a/1', limit: 2 })).toEqual(['a/2', 'a/3']);
      expect(await keys('c', { prefix: 'a/', after: 'a/4' })).toEqual([]);
      expect(await keys('c', { prefix: 'b/', after: 'a' })).toEqual(['b/1']);
    });

    it('rejects a negative limit', async () => {
      await expectFlintError(meta().list('c', { limit: -1 }), 'INVALID_PARAMETER');
    });
  });
}

function sequenceConformance(ctx: StorageContext): void {
  describe('nextSequence', () => {
    const meta = () => ctx.storage.metadata;

    it('counts from 1, separately per name', async () => {
      expect(await meta().nextSequence('versions/f')).toBe(1);
      expect(await meta().nextSequence('versions/f')).toBe(2);
      expect(await meta().nextSequence('versions/g')).toBe(1);
      expect(await meta().nextSequence('versions/f')).toBe(3);
    });

    it('never hands out the same number twice to concurrent callers', async () => {
      const values = await Promise.all(Array.from({ length: 50 }, () => meta().nextSequence('n')));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });
  });
}
