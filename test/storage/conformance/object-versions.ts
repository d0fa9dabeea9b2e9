import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isVersionId, type ObjectAttributes, type ObjectInfo, type ObjectStore, type VersionQuery } from '../../../src/storage/index.js';
import { expectFlintError, type StorageContext } from './context.js';

const ATTRIBUTES: ObjectAttributes = { contentType: 'text/plain', metadata: {} };
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

async function* chunks(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

async function put(objects: ObjectStore, key: string, text: string, attributes = ATTRIBUTES): Promise<ObjectInfo> {
  const body = await objects.writeBody(chunks(text));
  return (await objects.putObject({ bucket: 'b', key, body, etag: md5(text), attributes })).object;
}

async function bytes(objects: ObjectStore, object: ObjectInfo | undefined): Promise<string | undefined> {
  return object && (await objects.readBody(object))?.toString();
}

/** Each listed version as "key:text-or-marker:latest", text standing for the version's ETag. */
async function history(objects: ObjectStore, query: Partial<VersionQuery> = {}): Promise<string[]> {
  const page = await objects.listVersions('b', { limit: 100, ...query });
  return page.versions.map((v) => `${v.key}:${v.deleteMarker ? 'marker' : v.etag}:${v.isLatest ? 'latest' : 'old'}`);
}

/** Versioning, delete markers and per-version tags and ACLs: what S3's versioned buckets need of the store. */
export function objectVersionsConformance(ctx: StorageContext): void {
  const objects = () => ctx.storage.objects;

  describe('object versions', () => {
    it('keeps every version while Enabled, newest first, with ids the store makes', async () => {
      await objects().createBucket('b', 'us-east-1');
      const legacy = await put(objects(), 'k', 'v0');
      expect(legacy.versionId).toBeUndefined();
      await objects().setBucketVersioning('b', 'Enabled');
      expect((await objects().getBucket('b'))?.versioning).toBe('Enabled');
      const one = await put(objects(), 'k', 'v1');
      const two = await put(objects(), 'k', 'v2');
      expect(isVersionId(one.versionId!)).toBe(true);
      expect(two.versionId).not.toBe(one.versionId);
      expect(await history(objects())).toEqual([`k:${md5('v2')}:latest`, `k:${md5('v1')}:old`, `k:${md5('v0')}:old`]);
      expect(await bytes(objects(), await objects().getObject('b', 'k'))).toBe('v2');
      expect(await bytes(objects(), await objects().getVersion('b', 'k', one.versionId))).toBe('v1');
      expect(await bytes(objects(), await objects().getVersion('b', 'k', 'null'))).toBe('v0');
      expect(await objects().getVersion('b', 'k', 'no-such-version')).toBeUndefined();
      // Only the latest versions are listed as objects.
      expect((await objects().listObjects('b', { limit: 10 })).objects.map((o) => o.etag)).toEqual([md5('v2')]);
    });

    it('adds a delete marker on delete, hides the key, and brings the previous version back when the marker goes', async () => {
      await objects().createBucket('b', 'us-east-1');
      await objects().setBucketVersioning('b', 'Enabled');
      const one = await put(objects(), 'k', 'v1');
      const removed = await objects().deleteObject('b', 'k');
      expect(removed.deleted).toBeUndefined();
      expect(removed.marker).toMatchObject({ key: 'k', deleteMarker: true });
      expect(await objects().getObject('b', 'k')).toBeUndefined();
      expect(await objects().getVersion('b', 'k')).toMatchObject({ deleteMarker: true, versionId: removed.marker?.versionId });
      expect((await objects().listObjects('b', { limit: 10 })).objects).toEqual([]);
      expect(await history(objects())).toEqual(['k:marker:latest', `k:${md5('v1')}:old`]);
      // A marker is removed like any version, by its id.
      const unmarked = await objects().deleteObject('b', 'k', { versionId: removed.marker!.versionId });
      expect(unmarked.deleted).toMatchObject({ deleteMarker: true });
      expect(await bytes(objects(), await objects().getObject('b', 'k'))).toBe('v1');
      await objects().deleteObject('b', 'k', { versionId: one.versionId });
      expect(await history(objects())).toEqual([]);
      expect((await objects().deleteObject('b', 'k', { versionId: one.versionId })).deleted).toBeUndefined();
    });

    it('removing the latest version by id makes the next one latest; removing an older one changes nothing else', async () => {
      await objects().createBucket('b', 'us-east-1');
      await objects().setBucketVersioning('b', 'Enabled');
      const one = await put(objects(), 'k', 'v1');
      const two = await put(objects(), 'k', 'v2');
      const three = await put(objects(), 'k', 'v3');
      await objects().deleteObject('b', 'k', { versionId: two.versionId });
      expect(await bytes(objects(), await objects().getObject('b', 'k'))).toBe('v3');
      const gone = await objects().deleteObject('b', 'k', { versionId: three.versionId });
      expect(gone.deleted?.versionId).toBe(three.versionId);
      expect((await objects().getObject('b', 'k'))?.versionId).toBe(one.versionId);
      expect(await history(objects())).toEqual([`k:${md5('v1')}:latest`]);
    });

    it('replaces the null version while Suspended, wherever it is in the history', async () => {
      await objects().createBucket('b', 'us-east-1');
      await put(objects(), 'k', 'v0');
      await objects().setBucketVersioning('b', 'Enabled');
      await put(objects(), 'k', 'v1');
      await objects().setBucketVersioning('b', 'Suspended');
      const suspended = await put(objects(), 'k', 'v2');
      expect(suspended.versionId).toBeUndefined();
      expect(await history(objects())).toEqual([`k:${md5('v2')}:latest`, `k:${md5('v1')}:old`]);
      const again = await put(objects(), 'k', 'v3');
      expect(again.versionId).toBeUndefined();
      expect(await history(objects())).toEqual([`k:${md5('v3')}:latest`, `k:${md5('v1')}:old`]);
      // A Suspended delete makes a null marker, which also replaces the null version.
      const removed = await objects().deleteObject('b', 'k');
      expect(removed.marker).toMatchObject({ deleteMarker: true });
      expect(removed.marker?.versionId).toBeUndefined();
      expect(await history(objects())).toEqual(['k:marker:latest', `k:${md5('v1')}:old`]);
    });

    it('keeps a versioned bucket that holds only markers from being deleted', async () => {
      await objects().createBucket('b', 'us-east-1');
      await objects().setBucketVersioning('b', 'Enabled');
      const one = await put(objects(), 'k', 'v1');
      const { marker } = await objects().deleteObject('b', 'k');
      await objects().deleteObject('b', 'k', { versionId: one.versionId });
      await expectFlintError(objects().deleteBucket('b'), 'RESOURCE_CONFLICT');
      await objects().deleteObject('b', 'k', { versionId: marker!.versionId });
      await objects().deleteBucket('b');
      await expectFlintError(objects().setBucketVersioning('b', 'Enabled'), 'NOT_FOUND');
    });

    it('lists versions in pages by key and version-id markers, with prefixes and common prefixes', async () => {
      await objects().createBucket('b', 'us-east-1');
      await objects().setBucketVersioning('b', 'Enabled');
      const a1 = await put(objects(), 'a', 'a1');
      await put(objects(), 'a', 'a2');
      await objects().deleteObject('b', 'a');
      await put(objects(), 'dir/x', 'x1');
      await put(objects(), 'dir/y', 'y1');
      await put(objects(), 'z', 'z1');
      const all = await history(objects());
      expect(all).toEqual(['a:marker:latest', `a:${md5('a2')}:old`, `a:${md5('a1')}:old`, `dir/x:${md5('x1')}:latest`, `dir/y:${md5('y1')}:latest`, `z:${md5('z1')}:latest`]);
      const first = await objects().listVersions('b', { limit: 2 });
      expect(first.truncated).toBe(true);
      const last = first.versions.at(-1)!;
      const rest = await history(objects(), { keyMarker: last.key, versionIdMarker: last.versionId ?? 'null' });
      expect(rest).toEqual(all.slice(2));
      expect(await history(objects(), { keyMarker: 'a' })).toEqual(all.slice(3));
      expect(await history(objects(), { prefix: 'dir/' })).toEqual(all.slice(3, 5));
      const folded = await objects().listVersions('b', { delimiter: '/', limit: 100 });
      expect(folded.commonPrefixes).toEqual(['dir/']);
      expect(folded.versions.map((v) => v.key)).toEqual(['a', 'a', 'a', 'z']);
      expect((await objects().listVersions('b', { delimiter: '/', keyMarker: 'dir/', limit: 100 })).versions.map((v) => v.key)).toEqual(['z']);
      await expectFlintError(objects().listVersions('b', { keyMarker: 'a', versionIdMarker: 'gone', limit: 10 }), 'NOT_FOUND');
      expect(a1.versionId).toBeDefined();
    });

    it('lists every object of an unversioned bucket as its null version', async () => {
      await objects().createBucket('b', 'us-east-1');
      await put(objects(), 'k', 'v');
      const page = await objects().listVersions('b', { limit: 10 });
      expect(page.versions).toEqual([{ key: 'k', size: 1, etag: md5('v'), lastModified: ctx.clock.now(), isLatest: true, deleteMarker: false }]);
    });

    it('changes tags and ACL of one version in place, and refuses a delete marker', async () => {
      await objects().createBucket('b', 'us-east-1');
      await objects().setBucketVersioning('b', 'Enabled');
      const one = await put(objects(), 'k', 'v1', { ...ATTRIBUTES, tags: [{ key: 'a', value: '1' }] });
      await put(objects(), 'k', 'v2');
      const patched = await objects().patchObject('b', 'k', one.versionId, { tags: [{ key: 'b', value: '2' }] });
      expect(patched.attributes.tags).toEqual([{ key: 'b', value: '2' }]);
      expect((await objects().getVersion('b', 'k', one.versionId))?.attributes).toEqual({ ...ATTRIBUTES, tags: [{ key: 'b', value: '2' }] });
      const acl = [{ grantee: { type: 'Group' as const, uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }];
      await objects().patchObject('b', 'k', undefined, { acl });
      expect((await objects().getObject('b', 'k'))?.attributes.acl).toEqual(acl);
      await objects().patchObject('b', 'k', one.versionId, { tags: [] });
      expect((await objects().getVersion('b', 'k', one.versionId))?.attributes.tags).toBeUndefined();
      const { marker } = await objects().deleteObject('b', 'k');
      await expectFlintError(objects().patchObject('b', 'k', marker!.versionId, { tags: [] }), 'METHOD_NOT_ALLOWED');
      await expectFlintError(objects().patchObject('b', 'other', undefined, { tags: [] }), 'NOT_FOUND');
    });

    it('versions completed multipart uploads like puts, and keeps it all across a reopen', async () => {
      await objects().createBucket('b', 'us-east-1');
      await objects().setBucketVersioning('b', 'Enabled');
      const first = await put(objects(), 'k', 'single');
      const upload = await objects().createUpload('b', 'k', ATTRIBUTES);
      const part = await objects().putPart({ uploadId: upload.uploadId, partNumber: 1, body: await objects().writeBody(chunks('part')), etag: md5('part') });
      const done = await objects().completeUpload({ uploadId: upload.uploadId, parts: [{ partNumber: 1, etag: part.etag }], etag: `${md5('part')}-1` });
      expect(done.object.versionId).toBeDefined();
      const storage = await ctx.reopen();
      expect((await storage.objects.getBucket('b'))?.versioning).toBe('Enabled');
      expect(await bytes(storage.objects, await storage.objects.getObject('b', 'k'))).toBe('part');
      expect(await bytes(storage.objects, await storage.objects.getVersion('b', 'k', first.versionId))).toBe('single');
    });

    it("keeps each version's storage class in its summaries, and its retention and legal hold as patched", async () => {
      await objects().createBucket('b', 'us-east-1');
      await objects().setBucketVersioning('b', 'Enabled');
      const cold = await put(objects(), 'k', 'v1', { ...ATTRIBUTES, storageClass: 'GLACIER' });
      await put(objects(), 'k', 'v2');
      expect(cold.storageClass).toBe('GLACIER');
      const listed = await objects().listVersions('b', { limit: 10 });
      expect(listed.versions.map((v) => v.storageClass)).toEqual([undefined, 'GLACIER']);
      expect((await objects().listObjects('b', { limit: 10 })).objects[0]?.storageClass).toBeUndefined();
      const retention = { mode: 'COMPLIANCE' as const, until: 1_900_000_000_000 };
      await objects().patchObject('b', 'k', cold.versionId, { retention, legalHold: 'ON' });
      expect((await objects().getVersion('b', 'k', cold.versionId))?.attributes).toMatchObject({ storageClass: 'GLACIER', retention, legalHold: 'ON' });
      await objects().patchObject('b', 'k', cold.versionId, { retention: null });
      const patched = await objects().getVersion('b', 'k', cold.versionId);
      expect([patched?.attributes.retention, patched?.attributes.legalHold, patched?.storageClass]).toEqual([undefined, 'ON', 'GLACIER']);
    });
  });
}
