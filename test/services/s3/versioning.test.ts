import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type ListObjectVersionsCommandOutput,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3EventRecord } from '../../../src/services/s3/index.js';
import { s3Failure, startS3, startS3Unit, type S3Node, type S3Unit } from './harness.js';
import { raw } from './http.js';

/** Versions and markers of a listing as "key:VersionId:latest|old", markers as "key:marker:...". */
function summary(page: ListObjectVersionsCommandOutput): string[] {
  const entries = [
    ...(page.Versions ?? []).map((v) => ({ key: v.Key!, text: `${v.Key}:${v.VersionId}:${v.IsLatest ? 'latest' : 'old'}` })),
    ...(page.DeleteMarkers ?? []).map((m) => ({ key: m.Key!, text: `${m.Key}:marker:${m.IsLatest ? 'latest' : 'old'}` })),
  ];
  return entries.map((entry) => entry.text);
}

describe('S3 versioning', () => {
  let node: S3Node;
  let s3: S3Client;
  const put = async (Bucket: string, Key: string, Body: string) => (await s3.send(new PutObjectCommand({ Bucket, Key, Body }))).VersionId;
  const read = async (Bucket: string, Key: string, VersionId?: string) => (await s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString();
  const enable = (Bucket: string, Status: 'Enabled' | 'Suspended' = 'Enabled') => s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
  });
  afterAll(async () => node?.close());

  it('turns versioning on and suspends it, refusing what S3 refuses', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'states' }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'states' }))).Status).toBeUndefined();
    await enable('states', 'Suspended');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'states' }))).Status).toBe('Suspended');
    await enable('states');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'states' }))).Status).toBe('Enabled');
    // test_s3_api.py test_bucket_versioning_crud: lowercase and "Disabled" are MalformedXML, no Status is its own error.
    for (const Status of ['enabled', 'Disabled']) {
      const bad = await s3Failure(s3.send(new PutBucketVersioningCommand({ Bucket: 'states', VersioningConfiguration: { Status: Status as 'Enabled' } })));
      expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(['MalformedXML', 400]);
    }
    const empty = await s3Failure(s3.send(new PutBucketVersioningCommand({ Bucket: 'states', VersioningConfiguration: {} })));
    expect([empty.name, empty.message]).toEqual(['IllegalVersioningConfigurationException', 'The Versioning element must be specified']);
    const missing = await s3Failure(s3.send(new GetBucketVersioningCommand({ Bucket: 'no-such-bucket' })));
    expect(missing.name).toBe('NoSuchBucket');
  });

  it('keeps a version per put, reads each by id, and shows "null" for objects from before versioning', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'history' }));
    // test_s3.py test_s3_put_object_versioned: no VersionId before versioning, "null" for that object after.
    expect(await put('history', 'k', 'v0')).toBeUndefined();
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'history', Key: 'k' }))).VersionId).toBeUndefined();
    await enable('history');
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'history', Key: 'k' }))).VersionId).toBe('null');
    const one = await put('history', 'k', 'v1');
    const two = await put('history', 'k', 'v2');
    expect(one).toMatch(/^[\w.]{32}$/);
    expect(two).not.toBe(one);
    expect(await read('history', 'k')).toBe('v2');
    expect(await read('history', 'k', one)).toBe('v1');
    expect(await read('history', 'k', 'null')).toBe('v0');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'history', Key: 'k', VersionId: one }));
    expect(got.VersionId).toBe(one);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'history' }));
    expect(summary(listed)).toEqual([`k:${two}:latest`, `k:${one}:old`, 'k:null:old']);
    expect(listed.Versions?.[0]).toMatchObject({ ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/), Size: 2, StorageClass: 'STANDARD', Owner: { ID: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    // A well-formed id that names no version, and one that is not well formed (test_delete_object_versioned).
    const gone = await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'history', Key: 'k', VersionId: 'A'.repeat(32) })));
    expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(['InvalidArgument', 400]);
    await s3.send(new DeleteObjectCommand({ Bucket: 'history', Key: 'k', VersionId: one }));
    const deleted = await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'history', Key: 'k', VersionId: one })));
    expect([deleted.name, deleted.message, deleted.$metadata.httpStatusCode]).toEqual(['NoSuchVersion', 'The specified version does not exist.', 404]);
  });

  it('refuses version ids on a bucket that was never versioned, but takes "null"', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
    await put('plain', 'k', 'x');
    // test_s3_api.py test_get_object_with_version_unversioned_bucket.
    const bad = await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'plain', Key: 'k', VersionId: 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD' })));
    expect([bad.name, bad.message]).toEqual(['InvalidArgument', 'Invalid version id specified']);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'plain', Key: 'k', VersionId: 'null' }));
    expect(got.VersionId).toBeUndefined();
    expect(await got.Body!.transformToString()).toBe('x');
    // test_list_object_versions_order_unversioned: every object as its null version.
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'plain' }));
    expect(summary(listed)).toEqual(['k:null:latest']);
    expect([listed.KeyMarker, listed.VersionIdMarker, listed.MaxKeys, listed.IsTruncated]).toEqual(['', '', 1000, false]);
  });

  it('adds delete markers, answers reads of the key and of the marker as S3 does, and restores by deleting the marker', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'markers' }));
    await enable('markers');
    const one = await put('markers', 'doc', 'first');
    const removed = await s3.send(new DeleteObjectCommand({ Bucket: 'markers', Key: 'doc' }));
    expect(removed.DeleteMarker).toBe(true);
    expect(removed.VersionId).toMatch(/^[\w.]{32}$/);
    const hidden = await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'markers', Key: 'doc' })));
    expect([hidden.name, hidden.$metadata.httpStatusCode]).toEqual(['NoSuchKey', 404]);
    // The 404 says why: x-amz-delete-marker and the marker's id (S3 API reference, GetObject).
    const rawGet = await raw(node.url, { path: '/markers/doc' });
    expect([rawGet.status, rawGet.headers['x-amz-delete-marker'], rawGet.headers['x-amz-version-id']]).toEqual([404, 'true', removed.VersionId]);
    // test_delete_object_versioned get-delete-marker: reading the marker by id is 405 with ResourceType DeleteMarker.
    const byId = await raw(node.url, { path: `/markers/doc?versionId=${removed.VersionId}` });
    expect(byId.status).toBe(405);
    expect(byId.text).toContain('<Code>MethodNotAllowed</Code>');
    expect(byId.text).toContain('<ResourceType>DeleteMarker</ResourceType>');
    expect(byId.headers['x-amz-delete-marker']).toBe('true');
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'markers' }))).KeyCount).toBe(0);
    // Deleting a missing key still adds a marker (delete-wrong-key).
    expect((await s3.send(new DeleteObjectCommand({ Bucket: 'markers', Key: 'never' }))).DeleteMarker).toBe(true);
    const unmarked = await s3.send(new DeleteObjectCommand({ Bucket: 'markers', Key: 'doc', VersionId: removed.VersionId }));
    expect([unmarked.DeleteMarker, unmarked.VersionId]).toEqual([true, removed.VersionId]);
    expect(await read('markers', 'doc')).toBe('first');
    const dropped = await s3.send(new DeleteObjectCommand({ Bucket: 'markers', Key: 'doc', VersionId: one }));
    expect([dropped.DeleteMarker, dropped.VersionId]).toEqual([undefined, one]);
    // A mistyped id (test_delete_object_versioned delete-with-bad-version).
    const bad = await s3Failure(s3.send(new DeleteObjectCommand({ Bucket: 'markers', Key: 'doc', VersionId: `${one!.slice(0, -4)}ABCD` })));
    expect([bad.name, bad.message]).toEqual(['InvalidArgument', 'Invalid version id specified']);
  });

  it('replaces the null version while Suspended, and makes null delete markers', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'paused' }));
    await enable('paused');
    const one = await put('paused', 'k', 'v1');
    await enable('paused', 'Suspended');
    expect(await put('paused', 'k', 'v2')).toBe('null');
    expect(await put('paused', 'k', 'v3')).toBe('null');
    expect(summary(await s3.send(new ListObjectVersionsCommand({ Bucket: 'paused' })))).toEqual(['k:null:latest', `k:${one}:old`]);
    const removed = await s3.send(new DeleteObjectCommand({ Bucket: 'paused', Key: 'k' }));
    expect([removed.DeleteMarker, removed.VersionId]).toEqual([true, 'null']);
    expect(summary(await s3.send(new ListObjectVersionsCommand({ Bucket: 'paused' })))).toEqual([`k:${one}:old`, 'k:marker:latest']);
  });

  it('deletes versions and adds markers in DeleteObjects, reporting them as S3 does', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'batch' }));
    await enable('batch');
    const one = await put('batch', 'a', 'x');
    // test_s3_api.py test_delete_objects_versioned.
    const marked = await s3.send(new DeleteObjectsCommand({ Bucket: 'batch', Delete: { Objects: [{ Key: 'a' }, { Key: 'missing' }] } }));
    expect(marked.Deleted?.map((d) => [d.Key, d.DeleteMarker, typeof d.DeleteMarkerVersionId, d.VersionId])).toEqual([
      ['a', true, 'string', undefined],
      ['missing', true, 'string', undefined],
    ]);
    const markerId = marked.Deleted![0]!.DeleteMarkerVersionId!;
    const wrong = await s3.send(new DeleteObjectsCommand({ Bucket: 'batch', Delete: { Objects: [{ Key: 'a', VersionId: 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD' }] } }));
    expect(wrong.Errors?.map((e) => [e.Key, e.Code, e.Message, e.VersionId])).toEqual([['a', 'NoSuchVersion', 'The specified version does not exist.', 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD']]);
    const byId = await s3.send(new DeleteObjectsCommand({ Bucket: 'batch', Delete: { Objects: [{ Key: 'a', VersionId: markerId }, { Key: 'a', VersionId: one }] } }));
    expect(byId.Deleted).toEqual([
      { Key: 'a', VersionId: markerId, DeleteMarker: true, DeleteMarkerVersionId: markerId },
      { Key: 'a', VersionId: one },
    ]);
    // test_delete_versioned_bucket_with_objects: a marker alone keeps the bucket.
    const notEmpty = await s3Failure(s3.send(new DeleteBucketCommand({ Bucket: 'batch' })));
    expect([notEmpty.name, notEmpty.message]).toEqual(['BucketNotEmpty', 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.']);
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket: 'batch' }));
    await s3.send(new DeleteObjectsCommand({ Bucket: 'batch', Delete: { Objects: (rest.DeleteMarkers ?? []).map((m) => ({ Key: m.Key!, VersionId: m.VersionId! })) } }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'batch' }));
  });

  it('pages ListObjectVersions by key and version-id markers, with prefixes, delimiters and url encoding', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'pages' }));
    await enable('pages');
    for (const key of ['a', 'a', 'dir/x', 'dir/y', 'z z']) await put('pages', key, key);
    await s3.send(new DeleteObjectCommand({ Bucket: 'pages', Key: 'a' }));
    const all = summary(await s3.send(new ListObjectVersionsCommand({ Bucket: 'pages' })));
    expect(all).toHaveLength(6);
    const seen: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (let page = 0; page < 10; page++) {
      const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'pages', MaxKeys: 2, ...markers }));
      seen.push(...summary(listed));
      if (!listed.IsTruncated) break;
      markers = { KeyMarker: listed.NextKeyMarker, VersionIdMarker: listed.NextVersionIdMarker };
    }
    expect(seen.sort()).toEqual([...all].sort());
    const folded = await s3.send(new ListObjectVersionsCommand({ Bucket: 'pages', Delimiter: '/' }));
    expect(folded.CommonPrefixes).toEqual([{ Prefix: 'dir/' }]);
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: 'pages', Prefix: 'dir/' }))).Versions?.map((v) => v.Key)).toEqual(['dir/x', 'dir/y']);
    const encoded = await raw(node.url, { path: '/pages?versions&encoding-type=url&prefix=z' });
    expect(encoded.text).toContain('<Key>z+z</Key>');
    expect(encoded.text).toContain('<ListVersionsResult');
    const noKey = await s3Failure(s3.send(new ListObjectVersionsCommand({ Bucket: 'pages', VersionIdMarker: 'null' })));
    expect(noKey.name).toBe('InvalidArgument');
    const badEncoding = await s3Failure(s3.send(new ListObjectVersionsCommand({ Bucket: 'pages', EncodingType: 'value' as 'url' })));
    expect([badEncoding.name, badEncoding.message]).toEqual(['InvalidArgument', 'Invalid Encoding Method specified in Request']);
  });

  it('copies a chosen version and versions copies and completed uploads', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'copies' }));
    await enable('copies');
    const one = await put('copies', 'src', 'old');
    await put('copies', 'src', 'new');
    const copied = await s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'dst', CopySource: `copies/src?versionId=${one}` }));
    expect(copied.CopySourceVersionId).toBe(one);
    expect(copied.VersionId).toMatch(/^[\w.]{32}$/);
    expect(await read('copies', 'dst')).toBe('old');
    // Restoring an old version: copying it onto its own key (User Guide, "Restoring previous versions").
    const restored = await s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'src', CopySource: `copies/src?versionId=${one}` }));
    expect(restored.VersionId).not.toBe(one);
    expect(await read('copies', 'src')).toBe('old');
    const { DeleteMarker, VersionId: markerId } = await s3.send(new DeleteObjectCommand({ Bucket: 'copies', Key: 'src' }));
    expect(DeleteMarker).toBe(true);
    const fromMarker = await s3Failure(s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'dst', CopySource: `copies/src?versionId=${markerId}` })));
    expect(fromMarker.name).toBe('InvalidRequest');
    const fromLatest = await s3Failure(s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'dst', CopySource: 'copies/src' })));
    expect(fromLatest.name).toBe('NoSuchKey');
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'copies', Key: 'big' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'copies', Key: 'big', UploadId: upload.UploadId, PartNumber: 1, Body: 'part' }));
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'copies', Key: 'big', UploadId: upload.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(done.VersionId).toMatch(/^[\w.]{32}$/);
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'copies', Key: 'big' }))).VersionId).toBe(done.VersionId);
  });
});

describe('S3 versioning notifications', () => {
  let unit: S3Unit;
  let s3: S3Client;
  const records = (): S3EventRecord[] => unit.sink.delivered.flatMap(({ event }) => ('Records' in event ? event.Records : []));

  beforeAll(async () => {
    unit = await startS3Unit();
    s3 = unit.client();
  });
  afterAll(async () => unit?.close());

  it('names the version in records of a versioned bucket, and sends DeleteMarkerCreated for a marker', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'evented' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'evented', VersioningConfiguration: { Status: 'Enabled' } }));
    const QueueArn = 'arn:aws:sqs:us-east-1:000000000000:versions';
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'evented', NotificationConfiguration: { QueueConfigurations: [{ QueueArn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }] } }));
    unit.sink.delivered.length = 0;
    const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: 'evented', Key: 'k', Body: 'x' }));
    const removed = await s3.send(new DeleteObjectCommand({ Bucket: 'evented', Key: 'k' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'evented', Key: 'k', VersionId }));
    expect(records().map((r) => [r.eventName, r.s3.object.versionId])).toEqual([
      ['ObjectCreated:Put', VersionId],
      ['ObjectRemoved:DeleteMarkerCreated', removed.VersionId],
      ['ObjectRemoved:Delete', VersionId],
    ]);
  });
});
