import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';

async function* text(value: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(value);
}

/** Every body file under <dir>/objects/, as "<shard>/<id>". */
async function bodyFiles(dir: string): Promise<string[]> {
  const root = join(dir, 'objects');
  const shards = await readdir(root);
  const files = await Promise.all(shards.map(async (shard) => (await readdir(join(root, shard))).map((file) => `${shard}/${file}`)));
  return files.flat().sort();
}

describe('SQLite objects store: body files', () => {
  let dir: string;
  let clock: FakeClock;
  let storage: Storage;
  const put = async (key: string, value: string) => storage.objects.putObject({ bucket: 'b', key, body: await storage.objects.writeBody(text(value)), etag: 'e', attributes: { metadata: {} } });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flint-objects-files-'));
    clock = new FakeClock();
    storage = await openSqliteStorage({ dir, clock, inlineBodyBytes: 0 });
    await storage.objects.createBucket('b', 'us-east-1');
  });
  afterEach(async () => {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps exactly one file per live body: overwrites and deletes leave no orphans', async () => {
    await put('a', 'one');
    await put('a', 'two');
    await put('b', 'three');
    expect(await bodyFiles(dir)).toHaveLength(2);
    await storage.objects.deleteObject('b', 'a');
    expect(await bodyFiles(dir)).toHaveLength(1);
    const dropped = await storage.objects.writeBody(text('dropped'));
    await storage.objects.discardBody(dropped);
    expect(await bodyFiles(dir)).toHaveLength(1);
  });

  it('drops the files of replaced, unused and aborted parts', async () => {
    const upload = await storage.objects.createUpload('b', 'm', { metadata: {} });
    const part = async (n: number, value: string) =>
      storage.objects.putPart({ uploadId: upload.uploadId, partNumber: n, body: await storage.objects.writeBody(text(value)), etag: `e${n}` });
    await part(1, 'first draft');
    await part(1, 'first');
    await part(2, 'second');
    await part(3, 'unused');
    expect(await bodyFiles(dir)).toHaveLength(3);
    await storage.objects.completeUpload({ uploadId: upload.uploadId, parts: [{ partNumber: 1, etag: 'e1' }, { partNumber: 2, etag: 'e2' }], etag: 'x-2' });
    expect(await bodyFiles(dir)).toHaveLength(2);
    const aborted = await storage.objects.createUpload('b', 'n', { metadata: {} });
    await storage.objects.putPart({ uploadId: aborted.uploadId, partNumber: 1, body: await storage.objects.writeBody(text('p')), etag: 'e' });
    await storage.objects.abortUpload(aborted.uploadId);
    await storage.objects.deleteObject('b', 'm');
    expect(await bodyFiles(dir)).toEqual([]);
  });

  it('removes, at the next open, a body a crash left half-written or retired but not yet deleted', async () => {
    await put('kept', 'kept');
    const kept = await bodyFiles(dir);
    await storage.objects.writeBody(text('written when the process died'));
    await storage.close();
    // A retirement interrupted between commit and unlink: the file is listed as loose since 0.
    const db = new Database(join(dir, 'flint.db'));
    db.prepare('INSERT INTO object_loose_files (file, since) VALUES (?, 0)').run('ffretired0000000000000000');
    db.close();
    await mkdir(join(dir, 'objects', 'ff'), { recursive: true });
    await writeFile(join(dir, 'objects', 'ff', 'ffretired0000000000000000'), 'old bytes');
    expect(await bodyFiles(dir)).toHaveLength(3);
    storage = await openSqliteStorage({ dir, clock, inlineBodyBytes: 0 });
    // The recent staged write could still belong to a live process; the retired file goes at once.
    expect(await bodyFiles(dir)).toHaveLength(2);
    await storage.close();
    await clock.advance(25 * 60 * 60 * 1000);
    storage = await openSqliteStorage({ dir, clock, inlineBodyBytes: 0 });
    expect(await bodyFiles(dir)).toEqual(kept);
    const object = await storage.objects.getObject('b', 'kept');
    expect(object?.size).toBe(4);
  });
});
