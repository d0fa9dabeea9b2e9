import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text as readText } from 'node:stream/consumers';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import { openSqliteStorage, type Storage } from '../../../src/storage/index.js';

const LIMIT = 1024;

async function* chunks(...values: string[]): AsyncGenerator<Uint8Array> {
  for (const value of values) yield Buffer.from(value);
}

async function* failing(): AsyncGenerator<Uint8Array> {
  yield Buffer.from('half');
  throw new Error('client went away');
}

describe('SQLite objects store: small bodies inside the database', () => {
  let dir: string;
  let storage: Storage;
  const objects = () => storage.objects;
  const put = async (key: string, ...values: string[]) =>
    objects().putObject({ bucket: 'b', key, body: await objects().writeBody(chunks(...values)), etag: 'e', attributes: { metadata: {} } });
  const fileCount = async () => (await Promise.all((await readdir(join(dir, 'objects'))).map(async (shard) => (await readdir(join(dir, 'objects', shard))).length))).reduce((a, b) => a + b, 0);
  const inlineRows = () => {
    const db = new Database(join(dir, 'flint.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM object_inline').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flint-objects-inline-'));
    storage = await openSqliteStorage({ dir, clock: new FakeClock(), inlineBodyBytes: LIMIT });
    await objects().createBucket('b', 'us-east-1');
  });
  afterEach(async () => {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps bodies up to the limit out of the file system, whole and in ranges, streamed or read', async () => {
    const exact = 'x'.repeat(LIMIT - 3);
    const { object } = await put('small', exact.slice(0, 100), exact.slice(100), 'end');
    expect(object.size).toBe(LIMIT);
    expect(await fileCount()).toBe(0);
    expect((await objects().readBody(object))?.toString()).toBe(exact + 'end');
    expect((await objects().readBody(object, { start: LIMIT - 3, end: LIMIT - 1 }))?.toString()).toBe('end');
    expect(await readText((await objects().openBody(object, { start: 0, end: 1 }))!)).toBe('xx');
    const empty = await put('empty');
    expect((await objects().readBody(empty.object))?.length).toBe(0);
  });

  it('writes a body one byte over the limit to a file, all of it', async () => {
    const { object } = await put('large', 'a'.repeat(LIMIT), 'b');
    expect(await fileCount()).toBe(1);
    expect(await objects().readBody(object)).toEqual(Buffer.from('a'.repeat(LIMIT) + 'b'));
  });

  it('drops a replaced or deleted body with the entry, so the old version reads as gone', async () => {
    const first = await put('k', 'one');
    await put('k', 'two');
    expect(await objects().readBody(first.object)).toBeUndefined();
    expect(await objects().openBody(first.object)).toBeUndefined();
    await put('k', 'y'.repeat(LIMIT + 1));
    await put('k', 'three');
    expect(inlineRows()).toBe(1);
    expect(await fileCount()).toBe(0);
    await objects().deleteObject('b', 'k');
    expect(inlineRows()).toBe(0);
  });

  it('stores nothing for a body that is discarded, fails mid-way or meets a failed condition', async () => {
    await objects().discardBody(await objects().writeBody(chunks('dropped')));
    await expect(objects().writeBody(failing())).rejects.toThrow('client went away');
    await put('exists', 'here');
    const body = await objects().writeBody(chunks('refused'));
    await expect(objects().putObject({ bucket: 'b', key: 'exists', body, etag: 'e', attributes: { metadata: {} }, ifNoneMatch: true })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await objects().discardBody(body);
    expect(inlineRows()).toBe(1);
    expect(await fileCount()).toBe(0);
  });

  it('turns a small part into a file, so a multipart object reads as one sequence', async () => {
    const upload = await objects().createUpload('b', 'm', { metadata: {} });
    const part = async (n: number, value: string) => objects().putPart({ uploadId: upload.uploadId, partNumber: n, body: await objects().writeBody(chunks(value)), etag: `e${n}` });
    await part(1, 'p'.repeat(LIMIT + 10));
    await part(2, 'tail');
    const { object } = await objects().completeUpload({ uploadId: upload.uploadId, parts: [{ partNumber: 1, etag: 'e1' }, { partNumber: 2, etag: 'e2' }], etag: 'x-2' });
    expect(await fileCount()).toBe(2);
    expect(inlineRows()).toBe(0);
    expect((await objects().readBody(object))?.toString()).toBe('p'.repeat(LIMIT + 10) + 'tail');
  });

  it('keeps inline objects across a restart', async () => {
    await put('kept', 'survives');
    await storage.close();
    storage = await openSqliteStorage({ dir, clock: new FakeClock(), inlineBodyBytes: LIMIT });
    const object = await objects().getObject('b', 'kept');
    expect((await objects().readBody(object!))?.toString()).toBe('survives');
  });
});
