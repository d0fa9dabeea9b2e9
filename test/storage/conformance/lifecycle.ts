import { describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/storage/index.js';
import { isFlintError } from '../../../src/core/index.js';
import type { StorageContext } from './context.js';

const ADDRESS = 'a'.repeat(64);

/** One call per port method, to prove each one refuses to run on a closed storage. */
const CALLS: Record<string, (s: Storage) => Promise<unknown>> = {
  'metadata.get': (s) => s.metadata.get('c', 'k'),
  'metadata.list': (s) => s.metadata.list('c'),
  'metadata.put': (s) => s.metadata.put('c', 'k', 1),
  'metadata.delete': (s) => s.metadata.delete('c', 'k'),
  'metadata.nextSequence': (s) => s.metadata.nextSequence('n'),
  'blobs.put': (s) => s.blobs.put(new Uint8Array([1])),
  'blobs.get': (s) => s.blobs.get(ADDRESS),
  'blobs.has': (s) => s.blobs.has(ADDRESS),
  'blobs.delete': (s) => s.blobs.delete(ADDRESS),
  'logs.append': (s) => s.logs.append([{ time: 1, functionName: 'f', version: '1', message: 'm' }]),
  'logs.query': (s) => s.logs.query({ functionName: 'f' }),
  'logs.prune': (s) => s.logs.prune({ before: 1 }),
  'queues.enqueue': (s) => s.queues.enqueue('q', [{ body: 'b' }]),
  'queues.claim': (s) => s.queues.claim('q', { max: 1, leaseMs: 1000 }),
  'queues.ack': (s) => s.queues.ack('q', 'id', 'token'),
  'queues.release': (s) => s.queues.release('q', 'id', 'token'),
  'queues.extend': (s) => s.queues.extend('q', 'id', 'token', 1000),
  'queues.nextDue': (s) => s.queues.nextDue('q'),
  'queues.counts': (s) => s.queues.counts('q'),
  'queues.purge': (s) => s.queues.purge('q'),
};

export function lifecycleConformance(ctx: StorageContext): void {
  describe('lifecycle', () => {
    it('describes itself for startup logs', () => {
      expect(ctx.storage.description).toMatch(/\S/);
    });

    it('keeps everything across close and reopen of the same directory', async () => {
      const { storage: before, clock } = ctx;
      await before.metadata.put('functions', 'f', { memory: 256 });
      await before.metadata.put('functions', 'f', { memory: 512 });
      await before.metadata.nextSequence('versions');
      const blob = await before.blobs.put(new TextEncoder().encode('code'));
      await before.logs.append([{ time: 1, functionName: 'f', version: '1', message: 'hello' }]);
      const [logBefore] = await before.logs.query({ functionName: 'f' });
      await before.queues.enqueue('q', [{ id: 'leased', body: 'l' }, { id: 'waiting', body: 'w', delayMs: 1000 }]);
      const [lease] = await before.queues.claim('q', { max: 1, leaseMs: 5000 });

      const after = await ctx.reopen();
      expect(await after.metadata.get('functions', 'f')).toMatchObject({ value: { memory: 512 }, revision: 2 });
      expect(await after.metadata.nextSequence('versions')).toBe(2);
      expect(new TextDecoder().decode(await after.blobs.get(blob.sha256))).toBe('code');
      await after.logs.append([{ time: 2, functionName: 'f', version: '1', message: 'again' }]);
      const records = await after.logs.query({ functionName: 'f' });
      expect(records.map((r) => r.message)).toEqual(['hello', 'again']);
      expect(records[1]!.id).toBeGreaterThan(logBefore!.id);
      expect(await after.queues.counts('q')).toEqual({ available: 0, leased: 1, delayed: 1 });
      await clock.advance(5000);
      const redelivered = await after.queues.claim('q', { max: 5, leaseMs: 5000 });
      expect(redelivered.map((l) => [l.item.id, l.item.attempts])).toEqual([
        ['waiting', 1],
        ['leased', 2],
      ]);
      expect(await after.queues.ack('q', 'leased', lease!.token)).toBe(false);
    });

    it('fails every method with STORAGE_FAILED once closed, and closes twice harmlessly', async () => {
      const { storage } = ctx;
      await storage.close();
      await storage.close();
      for (const [name, call] of Object.entries(CALLS)) {
        const error = await call(storage).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isFlintError(error, 'STORAGE_FAILED'), `${name} after close: ${String(error)}`).toBe(true);
      }
    });
  });
}
