import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ObjectAttributes, ObjectInfo, ObjectStore, StagedBody } from '../../../src/storage/index.js';
import { expectFlintError, type StorageContext } from './context.js';
import { objectVersionsConformance } from './object-versions.js';

const ATTRIBUTES: ObjectAttributes = { contentType: 'text/plain', cacheControl: 'max-age=60', metadata: { owner: 'ann' } };

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

async function* failingAfter(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
  throw new Error('client went away');
}

async function readAll(stream: Readable | undefined): Promise<string> {
  if (!stream) throw new Error('no body');
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** Writes and attaches a body in one go, as PutObject does. */
async function put(objects: ObjectStore, bucket: string, key: string, text: string, attributes = ATTRIBUTES): Promise<ObjectInfo> {
  const body = await objects.writeBody(chunks(text));
  return (await objects.putObject({ bucket, key, body, etag: md5(text), attributes })).object;
}

async function text(objects: ObjectStore, bucket: string, key: string): Promise<string | undefined> {
  const object = await objects.getObject(bucket, key);
  return object && readAll(await objects.openBody(object));
}

export function objectsConformance(ctx: StorageContext): void {
  describe('objects', () => {
    bucketConformance(ctx);
    objectConformance(ctx);
    replaceConformance(ctx);
    listingConformance(ctx);
    multipartConformance(ctx);
    outboxConformance(ctx);
    objectVersionsConformance(ctx);
  });
}

/** Writes that carry an outbox commit their work items with them, and only when they succeed. */
function outboxConformance(ctx: StorageContext): void {
  const objects = () => ctx.storage.objects;
  const claimed = async () => (await ctx.storage.queues.claim('events', { max: 10, leaseMs: 1000 })).map((lease) => JSON.parse(lease.item.body) as unknown);

  it('enqueues an outbox item with a put, a completed upload and a delete, from the write it commits with', async () => {
    await objects().createBucket('b', 'us-east-1');
    const outbox = { queue: 'events', items: (result: { sequence: number; object?: { key: string } }) => [{ body: JSON.stringify({ key: result.object?.key, sequence: result.sequence }) }] };
    const body = await objects().writeBody(chunks('hello'));
    const put = await objects().putObject({ bucket: 'b', key: 'k', body, etag: md5('hello'), attributes: ATTRIBUTES, outbox });
    const upload = await objects().createUpload('b', 'm', ATTRIBUTES);
    const part = await objects().putPart({ uploadId: upload.uploadId, partNumber: 1, body: await objects().writeBody(chunks('part')), etag: md5('part') });
    const done = await objects().completeUpload({ uploadId: upload.uploadId, parts: [{ partNumber: 1, etag: part.etag }], etag: `${md5('part')}-1`, outbox });
    const deleted = await objects().deleteObject('b', 'k', { outbox: { queue: 'events', items: (result) => [{ body: JSON.stringify({ gone: result.deleted?.key, sequence: result.sequence }) }] } });
    expect(await claimed()).toEqual([
      { key: 'k', sequence: put.sequence },
      { key: 'm', sequence: done.sequence },
      { gone: 'k', sequence: deleted.sequence },
    ]);
  });

  it('enqueues nothing for a write that fails, and keeps what committed across a reopen', async () => {
    await objects().createBucket('b', 'us-east-1');
    const outbox = { queue: 'events', items: () => [{ id: 'one', body: '{}' }] };
    const body = await objects().writeBody(chunks('x'));
    await expectFlintError(objects().putObject({ bucket: 'b', key: 'k', body, etag: md5('x'), attributes: ATTRIBUTES, ifMatch: '"nope"', outbox }), 'NOT_FOUND');
    await expectFlintError(objects().deleteObject('missing', 'k', { outbox }), 'NOT_FOUND');
    expect(await ctx.storage.queues.counts('events')).toEqual({ available: 0, leased: 0, delayed: 0 });
    await objects().putObject({ bucket: 'b', key: 'k', body: await objects().writeBody(chunks('y')), etag: md5('y'), attributes: ATTRIBUTES, outbox });
    const reopened = await ctx.reopen();
    expect(await reopened.queues.counts('events')).toEqual({ available: 1, leased: 0, delayed: 0 });
  });
}

function bucketConformance(ctx: StorageContext): void {
  const objects = () => ctx.storage.objects;

  it('creates buckets once and lists them by name with their region and creation time', async () => {
    expect(await objects().createBucket('zeta', 'us-east-1')).toBe(true);
    await ctx.clock.advance(1000);
    expect(await objects().createBucket('alpha', 'eu-west-1')).toBe(true);
    expect(await objects().createBucket('alpha', 'us-east-1')).toBe(false);
    expect(await objects().getBucket('alpha')).toEqual({ name: 'alpha', region: 'eu-west-1', createdAt: ctx.clock.now(), configs: {} });
    expect(await objects().getBucket('missing')).toBeUndefined();
    expect((await objects().listBuckets()).map((b) => b.name)).toEqual(['alpha', 'zeta']);
  });

  it('keeps per-bucket configuration documents', async () => {
    await objects().createBucket('b', 'us-east-1');
    await objects().setBucketConfig('b', 'notification', '{"x":1}');
    await objects().setBucketConfig('b', 'other', 'y');
    await objects().setBucketConfig('b', 'other', undefined);
    expect((await objects().getBucket('b'))?.configs).toEqual({ notification: '{"x":1}' });
    await expectFlintError(objects().setBucketConfig('missing', 'notification', '{}'), 'NOT_FOUND');
  });

  it('deletes only empty buckets, and aborts their multipart uploads', async () => {
    await objects().createBucket('b', 'us-east-1');
    await put(objects(), 'b', 'k', 'x');
    await expectFlintError(objects().deleteBucket('b'), 'RESOURCE_CONFLICT');
    await objects().deleteObject('b', 'k');
    const upload = await objects().createUpload('b', 'big', { metadata: {} });
    await objects().putPart({ uploadId: upload.uploadId, partNumber: 1, body: await objects().writeBody(chunks('part')), etag: md5('part') });
    await objects().deleteBucket('b');
    expect(await objects().getBucket('b')).toBeUndefined();
    expect(await objects().getUpload(upload.uploadId)).toBeUndefined();
    await expectFlintError(objects().deleteBucket('b'), 'NOT_FOUND');
  });
}

function objectConformance(ctx: StorageContext): void {
  const objects = () => ctx.storage.objects;

  it('stores a streamed body with its attributes and returns the same bytes, whole or in ranges', async () => {
    await objects().createBucket('b', 'us-east-1');
    const body = await objects().writeBody(chunks('hello ', 'streamed ', 'world'));
    expect(body.size).toBe(20);
    const attributes: ObjectAttributes = { ...ATTRIBUTES, checksum: { algorithm: 'CRC32', value: 'AAAAAA==', type: 'FULL_OBJECT' } };
    const { object } = await objects().putObject({ bucket: 'b', key: 'dir/k', body, etag: 'e1', attributes });
    expect(object).toMatchObject({ bucket: 'b', key: 'dir/k', size: 20, etag: 'e1', lastModified: ctx.clock.now(), attributes, checksumAlgorithm: 'CRC32', checksumType: 'FULL_OBJECT' });
    const got = await objects().getObject('b', 'dir/k');
    expect(got).toEqual(object);
    expect(await readAll(await objects().openBody(object))).toBe('hello streamed world');
    expect(await readAll(await objects().openBody(object, { start: 6, end: 13 }))).toBe('streamed');
    expect(await readAll(await objects().openBody(object, { start: 19, end: 19 }))).toBe('d');
    expect((await objects().readBody(object))?.toString()).toBe('hello streamed world');
    expect((await objects().readBody(object, { start: 6, end: 13 }))?.toString()).toBe('streamed');
  });

  it('stores empty bodies and large multi-chunk bodies', async () => {
    await objects().createBucket('b', 'us-east-1');
    const empty = await put(objects(), 'b', 'empty', '');
    expect(empty.size).toBe(0);
    expect(await readAll(await objects().openBody(empty))).toBe('');
    expect((await objects().readBody(empty))?.length).toBe(0);
    const piece = Buffer.alloc(256 * 1024, 'x');
    const big = await objects().writeBody(chunks(...Array.from({ length: 20 }, () => piece)));
    const { object } = await objects().putObject({ bucket: 'b', key: 'big', body: big, etag: 'e', attributes: { metadata: {} } });
    expect(object.size).toBe(20 * piece.length);
    expect((await readAll(await objects().openBody(object))).length).toBe(20 * piece.length);
  });

  it('refuses writes to a missing bucket and leaves the staged body unattached', async () => {
    const body = await objects().writeBody(chunks('x'));
    await expectFlintError(objects().putObject({ bucket: 'missing', key: 'k', body, etag: 'e', attributes: { metadata: {} } }), 'NOT_FOUND');
    await objects().createBucket('b', 'us-east-1');
    await objects().putObject({ bucket: 'b', key: 'k', body, etag: 'e', attributes: { metadata: {} } });
    expect(await text(objects(), 'b', 'k')).toBe('x');
  });

  it('attaches a staged body once, and never after it was discarded', async () => {
    await objects().createBucket('b', 'us-east-1');
    const body = await objects().writeBody(chunks('once'));
    await objects().putObject({ bucket: 'b', key: 'a', body, etag: 'e', attributes: { metadata: {} } });
    await expectFlintError(objects().putObject({ bucket: 'b', key: 'b', body, etag: 'e', attributes: { metadata: {} } }), 'INVALID_PARAMETER');
    const dropped = await objects().writeBody(chunks('dropped'));
    await objects().discardBody(dropped);
    await expectFlintError(objects().putObject({ bucket: 'b', key: 'c', body: dropped, etag: 'e', attributes: { metadata: {} } }), 'INVALID_PARAMETER');
    expect(await objects().getObject('b', 'c')).toBeUndefined();
  });

  it('honours If-None-Match and If-Match on writes', async () => {
    await objects().createBucket('b', 'us-east-1');
    const first = await objects().writeBody(chunks('1'));
    await objects().putObject({ bucket: 'b', key: 'k', body: first, etag: 'e1', attributes: { metadata: {} }, ifNoneMatch: true });
    const second = await objects().writeBody(chunks('2'));
    await expectFlintError(objects().putObject({ bucket: 'b', key: 'k', body: second, etag: 'e2', attributes: { metadata: {} }, ifNoneMatch: true }), 'PRECONDITION_FAILED');
    await expectFlintError(objects().putObject({ bucket: 'b', key: 'k', body: second, etag: 'e2', attributes: { metadata: {} }, ifMatch: 'other' }), 'PRECONDITION_FAILED');
    await expectFlintError(objects().putObject({ bucket: 'b', key: 'new', body: second, etag: 'e2', attributes: { metadata: {} }, ifMatch: 'e1' }), 'NOT_FOUND');
    await objects().putObject({ bucket: 'b', key: 'k', body: second, etag: 'e2', attributes: { metadata: {} }, ifMatch: 'e1' });
    expect(await text(objects(), 'b', 'k')).toBe('2');
  });

  it('deletes objects, reports what went, and orders writes with a growing sequence', async () => {
    await objects().createBucket('b', 'us-east-1');
    const body = await objects().writeBody(chunks('x'));
    const written = await objects().putObject({ bucket: 'b', key: 'k', body, etag: 'e', attributes: { metadata: {} } });
    const removed = await objects().deleteObject('b', 'k');
    expect(removed.deleted).toMatchObject({ key: 'k', size: 1, etag: 'e' });
    expect(removed.sequence).toBeGreaterThan(written.sequence);
    expect(await objects().getObject('b', 'k')).toBeUndefined();
    expect((await objects().deleteObject('b', 'k')).deleted).toBeUndefined();
    await expectFlintError(objects().deleteObject('missing', 'k'), 'NOT_FOUND');
  });

  it('keeps buckets, objects and uploads across reopen', async () => {
    await objects().createBucket('b', 'eu-west-1');
    await put(objects(), 'b', 'k', 'persisted');
    const upload = await objects().createUpload('b', 'u', ATTRIBUTES);
    const storage = await ctx.reopen();
    expect((await storage.objects.getBucket('b'))?.region).toBe('eu-west-1');
    expect(await text(storage.objects, 'b', 'k')).toBe('persisted');
    expect((await storage.objects.getObject('b', 'k'))?.attributes).toEqual(ATTRIBUTES);
    expect(await storage.objects.getUpload(upload.uploadId)).toEqual(upload);
  });
}

function replaceConformance(ctx: StorageContext): void {
  const objects = () => ctx.storage.objects;

  it('replaces atomically: a reader of the old version keeps reading it, new readers get the new one', async () => {
    await objects().createBucket('b', 'us-east-1');
    const old = await put(objects(), 'b', 'k', 'old version');
    const reading = await objects().openBody(old);
    await put(objects(), 'b', 'k', 'new version');
    expect(await readAll(reading)).toBe('old version');
    expect(await text(objects(), 'b', 'k')).toBe('new version');
    expect(await objects().openBody(old)).toBeUndefined();
    expect(await objects().readBody(old)).toBeUndefined();
  });

  it('leaves the old object intact when the new body fails half-way', async () => {
    await objects().createBucket('b', 'us-east-1');
    await put(objects(), 'b', 'k', 'intact');
    await expect(objects().writeBody(failingAfter('half of a new bo'))).rejects.toThrow('client went away');
    expect(await text(objects(), 'b', 'k')).toBe('intact');
    expect((await objects().listObjects('b', { limit: 10 })).objects.map((o) => o.key)).toEqual(['k']);
  });

  it('never shows a body that was staged but not attached before a crash', async () => {
    await objects().createBucket('b', 'us-east-1');
    await put(objects(), 'b', 'k', 'before crash');
    const staged: StagedBody = await objects().writeBody(chunks('written, never committed'));
    expect(staged.size).toBeGreaterThan(0);
    const storage = await ctx.reopen();
    expect(await text(storage.objects, 'b', 'k')).toBe('before crash');
    expect((await storage.objects.listObjects('b', { limit: 10 })).objects).toHaveLength(1);
  });

  it('drops a crashed write for good once it is stale', async () => {
    await objects().createBucket('b', 'us-east-1');
    const staged = await objects().writeBody(chunks('abandoned'));
    await ctx.clock.advance(25 * 60 * 60 * 1000);
    const storage = await ctx.reopen();
    await expectFlintError(storage.objects.putObject({ bucket: 'b', key: 'k', body: staged, etag: 'e', attributes: { metadata: {} } }), 'INVALID_PARAMETER');
    expect(await storage.objects.getObject('b', 'k')).toBeUndefined();
  });

  it('serves many concurrent overwrites of one key with one complete winner', async () => {
    await objects().createBucket('b', 'us-east-1');
    const versions = Array.from({ length: 20 }, (_, i) => `version ${i} `.repeat(100));
    await Promise.all(versions.map((v) => put(objects(), 'b', 'k', v)));
    expect(versions).toContain(await text(objects(), 'b', 'k'));
  });
}

function listingConformance(ctx: StorageContext): void {
  const objects = () => ctx.storage.objects;
  const keys = async (query: Parameters<ObjectStore['listObjects']>[1]) => {
    const page = await objects().listObjects('b', query);
    return { keys: page.objects.map((o) => o.key), prefixes: page.commonPrefixes, truncated: page.truncated };
  };
  const fill = async (names: string[]) => {
    await objects().createBucket('b', 'us-east-1');
    for (const name of names) await put(objects(), 'b', name, name);
  };

  it('lists keys in UTF-8 byte order with size, ETag and time', async () => {
    await fill(['b', 'a', 'é', 'Z', '\u{1F600}', '\uFFFD', 'a/b']);
    const page = await objects().listObjects('b', { limit: 100 });
    expect(page.objects.map((o) => o.key)).toEqual(['Z', 'a', 'a/b', 'b', 'é', '\uFFFD', '\u{1F600}']);
    expect(page.objects[1]).toEqual({ key: 'a', size: 1, etag: md5('a'), lastModified: ctx.clock.now() });
    expect(page.truncated).toBe(false);
  });

  it('filters by a literal prefix', async () => {
    await fill(['p%x', 'p_y', 'pa', 'q']);
    expect((await keys({ prefix: 'p%', limit: 10 })).keys).toEqual(['p%x']);
    expect((await keys({ prefix: 'p_', limit: 10 })).keys).toEqual(['p_y']);
    expect((await keys({ prefix: 'p', limit: 10 })).keys).toEqual(['p%x', 'p_y', 'pa']);
  });

  it('rolls keys up into common prefixes, counting them against the limit, and pages through both', async () => {
    await fill(['a.txt', 'dir/1', 'dir/2', 'dir/sub/3', 'e.txt', 'photos/x', 'z']);
    expect(await keys({ delimiter: '/', limit: 100 })).toEqual({ keys: ['a.txt', 'e.txt', 'z'], prefixes: ['dir/', 'photos/'], truncated: false });
    expect(await keys({ prefix: 'dir/', delimiter: '/', limit: 100 })).toEqual({ keys: ['dir/1', 'dir/2'], prefixes: ['dir/sub/'], truncated: false });
    const first = await keys({ delimiter: '/', limit: 2 });
    expect(first).toEqual({ keys: ['a.txt'], prefixes: ['dir/'], truncated: true });
    const second = await keys({ delimiter: '/', after: 'dir/', limit: 2 });
    expect(second).toEqual({ keys: ['e.txt'], prefixes: ['photos/'], truncated: true });
    const third = await keys({ delimiter: '/', after: 'photos/', limit: 2 });
    expect(third).toEqual({ keys: ['z'], prefixes: [], truncated: false });
  });

  it('pages through plain keys with after and limit', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    await fill(names);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await objects().listObjects('b', { after, limit: 10 });
      seen.push(...page.objects.map((o) => o.key));
      if (!page.truncated) break;
      after = page.objects.at(-1)?.key;
    }
    expect(seen).toEqual(names);
    expect(await keys({ after: 'k23', limit: 10 })).toEqual({ keys: ['k24'], prefixes: [], truncated: false });
    expect(await keys({ after: 'k24', limit: 10 })).toEqual({ keys: [], prefixes: [], truncated: false });
  });

  it('skips a common prefix that starts before `after`, and handles multi-character delimiters', async () => {
    await fill(['a--1', 'a--2', 'b--1', 'c']);
    expect(await keys({ delimiter: '--', limit: 10 })).toEqual({ keys: ['c'], prefixes: ['a--', 'b--'], truncated: false });
    expect(await keys({ delimiter: '--', after: 'a--1', limit: 10 })).toEqual({ keys: ['c'], prefixes: ['b--'], truncated: false });
  });

  it('refuses to list a missing bucket', async () => {
    await expectFlintError(objects().listObjects('missing', { limit: 10 }), 'NOT_FOUND');
  });
}

function multipartConformance(ctx: StorageContext): void {
  const objects = () => ctx.storage.objects;
  const part = async (uploadId: string, partNumber: number, content: string) =>
    objects().putPart({ uploadId, partNumber, body: await objects().writeBody(chunks(content)), etag: md5(content), checksum: `c${partNumber}` });

  it('assembles the listed parts in order into one object; other parts are dropped', async () => {
    await objects().createBucket('b', 'us-east-1');
    await put(objects(), 'b', 'k', 'previous');
    const upload = await objects().createUpload('b', 'k', ATTRIBUTES);
    expect(upload).toMatchObject({ bucket: 'b', key: 'k', initiated: ctx.clock.now(), attributes: ATTRIBUTES });
    await part(upload.uploadId, 3, 'three');
    await part(upload.uploadId, 1, 'one-');
    await part(upload.uploadId, 2, 'draft');
    await part(upload.uploadId, 2, 'two-');
    await part(upload.uploadId, 5, 'unused');
    const checksum = { algorithm: 'SHA256' as const, value: 'abc=-3', type: 'COMPOSITE' as const };
    const done = await objects().completeUpload({
      uploadId: upload.uploadId,
      parts: [1, 2, 3].map((n) => ({ partNumber: n, etag: md5(['one-', 'two-', 'three'][n - 1]!) })),
      etag: 'multi-3',
      checksum,
    });
    expect(done.object).toMatchObject({ size: 13, etag: 'multi-3', partSizes: [4, 4, 5], attributes: { ...ATTRIBUTES, checksum } });
    expect(await text(objects(), 'b', 'k')).toBe('one-two-three');
    const object = (await objects().getObject('b', 'k'))!;
    // Each part's checksum is kept in part order, for GetObjectAttributes' part list.
    expect(object.partChecksums).toEqual(['c1', 'c2', 'c3']);
    expect(await readAll(await objects().openBody(object, { start: 2, end: 9 }))).toBe('e-two-th');
    expect(await readAll(await objects().openBody(object, { start: 8, end: 12 }))).toBe('three');
    expect((await objects().readBody(object, { start: 2, end: 9 }))?.toString()).toBe('e-two-th');
    expect(await objects().getUpload(upload.uploadId)).toBeUndefined();
    await expectFlintError(objects().listParts(upload.uploadId, { limit: 10 }), 'NOT_FOUND');
  });

  it('lists parts in order with paging, each with size, ETag and checksum', async () => {
    await objects().createBucket('b', 'us-east-1');
    const upload = await objects().createUpload('b', 'k', { metadata: {} });
    for (const n of [4, 1, 3, 2]) await part(upload.uploadId, n, `part${n}`);
    const first = await objects().listParts(upload.uploadId, { limit: 3 });
    expect(first.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(first.truncated).toBe(true);
    expect(first.parts[0]).toEqual({ partNumber: 1, size: 5, etag: md5('part1'), lastModified: ctx.clock.now(), checksum: 'c1' });
    const rest = await objects().listParts(upload.uploadId, { after: 3, limit: 3 });
    expect(rest).toMatchObject({ parts: [{ partNumber: 4 }], truncated: false });
  });

  it('refuses to complete with a missing or changed part, and after the upload ended', async () => {
    await objects().createBucket('b', 'us-east-1');
    const upload = await objects().createUpload('b', 'k', { metadata: {} });
    await part(upload.uploadId, 1, 'one');
    await expectFlintError(objects().completeUpload({ uploadId: upload.uploadId, parts: [{ partNumber: 1, etag: 'stale' }], etag: 'e-1' }), 'PRECONDITION_FAILED');
    await expectFlintError(objects().completeUpload({ uploadId: upload.uploadId, parts: [{ partNumber: 2, etag: md5('one') }], etag: 'e-1' }), 'PRECONDITION_FAILED');
    expect(await objects().abortUpload(upload.uploadId)).toBe(true);
    expect(await objects().abortUpload(upload.uploadId)).toBe(false);
    await expectFlintError(objects().completeUpload({ uploadId: upload.uploadId, parts: [{ partNumber: 1, etag: md5('one') }], etag: 'e-1' }), 'NOT_FOUND');
    const body = await objects().writeBody(chunks('late'));
    await expectFlintError(objects().putPart({ uploadId: upload.uploadId, partNumber: 2, body, etag: md5('late') }), 'NOT_FOUND');
    await expectFlintError(objects().createUpload('missing', 'k', { metadata: {} }), 'NOT_FOUND');
  });

  it('lists uploads by key then initiation, with prefix and markers', async () => {
    await objects().createBucket('b', 'us-east-1');
    const b1 = await objects().createUpload('b', 'b', { metadata: {} });
    await ctx.clock.advance(10);
    const a1 = await objects().createUpload('b', 'a', { metadata: {} });
    await ctx.clock.advance(10);
    const b2 = await objects().createUpload('b', 'b', { metadata: {} });
    const c1 = await objects().createUpload('b', 'c/x', { metadata: {} });
    const ids = async (query: Parameters<ObjectStore['listUploads']>[1]) => (await objects().listUploads('b', query)).uploads.map((u) => u.uploadId);
    expect(await ids({ limit: 10 })).toEqual([a1.uploadId, b1.uploadId, b2.uploadId, c1.uploadId]);
    expect(await objects().listUploads('b', { limit: 2 })).toMatchObject({ truncated: true });
    expect(await ids({ keyMarker: 'a', limit: 10 })).toEqual([b1.uploadId, b2.uploadId, c1.uploadId]);
    expect(await ids({ keyMarker: 'b', uploadIdMarker: b1.uploadId, limit: 10 })).toEqual([b2.uploadId, c1.uploadId]);
    expect(await ids({ prefix: 'c/', limit: 10 })).toEqual([c1.uploadId]);
    await expectFlintError(objects().listUploads('missing', { limit: 10 }), 'NOT_FOUND');
  });
}
