import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FlintError, shortId } from '../core/index.js';
import type { BlobStore } from './ports.js';
import { fsErrors, isNotFound } from './fs-errors.js';

const fsFailure = fsErrors('blob');

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Blobs as files: `<root>/<first two hex>/<sha256>`. A blob is written to a temp file in the same folder, synced,
 * then renamed, so a crash never leaves a partial file under a final name; temp names start with a dot and can
 * never be mistaken for an address.
 */
export class FileBlobStore implements BlobStore {
  private closed = false;

  constructor(readonly root: string) {}

  async put(data: Uint8Array): Promise<{ sha256: string; size: number }> {
    this.assertOpen();
    const sha256 = createHash('sha256').update(data).digest('hex');
    const path = this.pathOf(sha256);
    if (!(await exists(path))) await fsFailure.call('write', () => writeAtomically(path, data));
    return { sha256, size: data.byteLength };
  }

  async get(sha256: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(sha256);
    try {
      const buffer = await readFile(path);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw fsFailure.failed('read', error);
    }
  }

  async has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  async delete(sha256: string): Promise<void> {
    const path = this.pathOf(sha256);
    await fsFailure.call('delete', () => rm(path, { force: true }));
  }

  close(): void {
    this.closed = true;
  }

  private pathOf(sha256: string): string {
    this.assertOpen();
    if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
      throw new FlintError('INVALID_PARAMETER', `not a blob address (lowercase hex SHA-256): ${String(sha256)}`);
    }
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  private assertOpen(): void {
    if (this.closed) throw new FlintError('STORAGE_FAILED', `storage is closed (${this.root})`, { path: this.root });
  }
}

async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.tmp-${shortId()}`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Same content under the same name: if another writer won the race, replacing its file changes nothing.
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw fsFailure.failed('stat', error);
  }
}
