import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectFlintError, type StorageContext } from './context.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const bytes = (text: string) => new TextEncoder().encode(text);

export function blobConformance(ctx: StorageContext): void {
  describe('blobs', () => {
    const blobs = () => ctx.storage.blobs;

    it('addresses content by its lowercase hex SHA-256 and returns the same bytes', async () => {
      const data = bytes('exports.handler = async () => 42;');
      const stored = await blobs().put(data);
      expect(stored).toEqual({ sha256: sha256(data), size: data.byteLength });
      expect(await blobs().has(stored.sha256)).toBe(true);
      expect(Array.from((await blobs().get(stored.sha256)) ?? [])).toEqual(Array.from(data));
    });

    it('treats storing the same content again as a no-op with the same address', async () => {
      const first = await blobs().put(bytes('same'));
      const second = await blobs().put(bytes('same'));
      expect(second).toEqual(first);
      expect(new TextDecoder().decode(await blobs().get(first.sha256))).toBe('same');
    });

    it('stores empty and multi-megabyte blobs', async () => {
      const empty = await blobs().put(new Uint8Array(0));
      expect(empty.size).toBe(0);
      expect((await blobs().get(empty.sha256))?.byteLength).toBe(0);
      const large = randomBytes(5 * 1024 * 1024);
      const stored = await blobs().put(large);
      const back = await blobs().get(stored.sha256);
      expect(back && sha256(back)).toBe(stored.sha256);
    });

    it('reports unknown addresses as absent', async () => {
      const unknown = sha256(bytes('never stored'));
      expect(await blobs().get(unknown)).toBeUndefined();
      expect(await blobs().has(unknown)).toBe(false);
    });

    it('deletes a blob, and deleting an absent one is harmless', async () => {
      const { sha256: address } = await blobs().put(bytes('to delete'));
      await blobs().delete(address);
      expect(await blobs().has(address)).toBe(false);
      expect(await blobs().get(address)).toBeUndefined();
      await blobs().delete(address);
      expect((await blobs().put(bytes('to delete'))).sha256).toBe(address);
      expect(await blobs().has(address)).toBe(true);
    });

    it('rejects strings that are not blob addresses', async () => {
      for (const bad of ['../../flint.db', 'ABC', sha256(bytes('x')).toUpperCase(), '']) {
        await expectFlintError(blobs().get(bad), 'INVALID_PARAMETER');
        await expectFlintError(blobs().has(bad), 'INVALID_PARAMETER');
        await expectFlintError(blobs().delete(bad), 'INVALID_PARAMETER');
      }
    });
  });
}
