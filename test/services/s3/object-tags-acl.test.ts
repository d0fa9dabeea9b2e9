import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Failure, startS3, type S3Node } from './harness.js';
import { raw } from './http.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

describe('S3 object tagging', () => {
  let node: S3Node;
  let s3: S3Client;
  const tags = async (Key: string, VersionId?: string) => (await s3.send(new GetObjectTaggingCommand({ Bucket: 'tags', Key, VersionId }))).TagSet;

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'tags' }));
  });
  afterAll(async () => node?.close());

  it('takes tags with the upload, counts them on GET and HEAD, and replaces or removes them', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'k', Body: 'x', Tagging: 'team=blue&stage=prod%20one&empty=' }));
    expect(await tags('k')).toEqual([
      { Key: 'team', Value: 'blue' },
      { Key: 'stage', Value: 'prod one' },
      { Key: 'empty', Value: '' },
    ]);
    // test_s3_api.py test_head_object_with_tags: x-amz-tagging-count.
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'tags', Key: 'k' }))).TagCount).toBe(3);
    expect((await s3.send(new GetObjectCommand({ Bucket: 'tags', Key: 'k' }))).TagCount).toBe(3);
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'k', Tagging: { TagSet: [{ Key: 'only', Value: 'one' }] } }));
    expect(await tags('k')).toEqual([{ Key: 'only', Value: 'one' }]);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: 'tags', Key: 'k' }));
    expect(await tags('k')).toEqual([]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'tags', Key: 'k' }))).TagCount).toBeUndefined();
    // Overwriting an object drops its tags (test_object_tags_delete_or_overwrite_object).
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'k', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }));
    await s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'k', Body: 'y' }));
    expect(await tags('k')).toEqual([]);
  });

  it('refuses tags as S3 does', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'v', Body: 'x' }));
    // test_s3_api.py test_object_tagging_exc and test_tagging_validation.
    const duplicate = await s3Failure(s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'v', Body: 'x', Tagging: 'key1=val1&key1=val2' })));
    expect([duplicate.name, duplicate.message]).toEqual(['InvalidArgument', "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates."]);
    const cases: [tags: { Key: string; Value: string }[], code: string, message: string][] = [
      [[{ Key: 'Key1', Value: 'a' }, { Key: 'Key1', Value: 'b' }], 'InvalidTag', 'Cannot provide multiple Tags with the same key'],
      [[{ Key: 'Key1,Key2', Value: 'a' }], 'InvalidTag', 'The TagKey you have provided is invalid'],
      [[{ Key: 'Key1', Value: 'Val1,Val2' }], 'InvalidTag', 'The TagValue you have provided is invalid'],
      [[{ Key: 'aws:prefixed', Value: 'a' }], 'InvalidTag', 'Your TagKey cannot be prefixed with aws:'],
      [[{ Key: 'k'.repeat(129), Value: 'a' }], 'InvalidTag', 'The TagKey you have provided is invalid'],
      [[{ Key: 'long', Value: 'v'.repeat(257) }], 'InvalidTag', 'The TagValue you have provided is invalid'],
      [Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })), 'BadRequest', 'Object tags cannot be greater than 10'],
    ];
    for (const [TagSet, code, message] of cases) {
      const refused = await s3Failure(s3.send(new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'v', Tagging: { TagSet } })));
      expect([refused.name, refused.message, refused.$metadata.httpStatusCode]).toEqual([code, message, 400]);
    }
    // Unicode counts by characters: 128 of them fit however many bytes they take.
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'v', Tagging: { TagSet: [{ Key: 'é'.repeat(128), Value: 'ü'.repeat(256) }] } }));
    const missing = await s3Failure(s3.send(new GetObjectTaggingCommand({ Bucket: 'tags', Key: 'fake-key' })));
    expect(missing.name).toBe('NoSuchKey');
  });

  it('copies tags or replaces them by x-amz-tagging-directive, and carries them through multipart uploads', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'src', Body: 'x', Tagging: 'key1=value1' }));
    await s3.send(new CopyObjectCommand({ Bucket: 'tags', Key: 'copied', CopySource: 'tags/src' }));
    expect(await tags('copied')).toEqual([{ Key: 'key1', Value: 'value1' }]);
    // test_s3.py test_s3_copy_tagging_directive[REPLACE].
    await s3.send(new CopyObjectCommand({ Bucket: 'tags', Key: 'replaced', CopySource: 'tags/src', TaggingDirective: 'REPLACE', Tagging: 'key2=value2' }));
    expect(await tags('replaced')).toEqual([{ Key: 'key2', Value: 'value2' }]);
    await s3.send(new CopyObjectCommand({ Bucket: 'tags', Key: 'emptied', CopySource: 'tags/src', TaggingDirective: 'REPLACE' }));
    expect(await tags('emptied')).toEqual([]);
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'tags', Key: 'multi', Tagging: 'from=upload' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'tags', Key: 'multi', UploadId: upload.UploadId, PartNumber: 1, Body: 'p' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'tags', Key: 'multi', UploadId: upload.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(await tags('multi')).toEqual([{ Key: 'from', Value: 'upload' }]);
  });

  it('tags each version on its own, and refuses delete markers (test_s3_api.py test_object_tagging_versioned)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'tagged-versions' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'tagged-versions', VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await s3.send(new PutObjectCommand({ Bucket: 'tagged-versions', Key: 'k', Body: '1', Tagging: 'test_tag=tagv1' }));
    const second = await s3.send(new PutObjectCommand({ Bucket: 'tagged-versions', Key: 'k', Body: '2' }));
    const put = await s3.send(new PutObjectTaggingCommand({ Bucket: 'tagged-versions', Key: 'k', Tagging: { TagSet: [{ Key: 'tag3', Value: 'tag3' }] } }));
    expect(put.VersionId).toBe(second.VersionId);
    const previous = await s3.send(new GetObjectTaggingCommand({ Bucket: 'tagged-versions', Key: 'k', VersionId: first.VersionId }));
    expect([previous.VersionId, previous.TagSet]).toEqual([first.VersionId, [{ Key: 'test_tag', Value: 'tagv1' }]]);
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'tagged-versions', Key: 'k' }));
    for (const VersionId of [marker.VersionId, undefined]) {
      const refused = await s3Failure(s3.send(new GetObjectTaggingCommand({ Bucket: 'tagged-versions', Key: 'k', VersionId })));
      expect([refused.name, refused.$metadata.httpStatusCode]).toEqual(['MethodNotAllowed', 405]);
    }
  });
});

/**
 * A bucket that takes object ACLs, public ones included, as test_s3.py's allow_bucket_acl fixture makes them: ACLs
 * enabled (ObjectWriter) and the public access block removed, since new buckets have neither.
 */
async function aclBucket(s3: S3Client, name: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name, ObjectOwnership: 'ObjectWriter' }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: name }));
}

describe('S3 object ACLs', () => {
  let node: S3Node;
  let s3: S3Client;
  let ownerId: string;
  const acl = (Key: string) => s3.send(new GetObjectAclCommand({ Bucket: 'acls', Key }));

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await aclBucket(s3, 'acls');
    ownerId = (await s3.send(new ListBucketsCommand({}))).Owner!.ID!;
  });
  afterAll(async () => node?.close());

  it('gives the owner FULL_CONTROL by default and applies canned ACLs, grant headers and documents (test_s3.py test_s3_object_acl)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'acls', Key: 'k', Body: 'x' }));
    const initial = await acl('k');
    expect(initial.Owner).toEqual({ ID: ownerId });
    expect(initial.Grants).toEqual([{ Grantee: { ID: ownerId, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }]);
    await s3.send(new PutObjectAclCommand({ Bucket: 'acls', Key: 'k', ACL: 'public-read' }));
    expect((await acl('k')).Grants).toEqual([
      { Grantee: { ID: ownerId, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
    ]);
    await s3.send(new PutObjectAclCommand({ Bucket: 'acls', Key: 'k', GrantRead: `uri="${LOG_DELIVERY}"` }));
    expect((await acl('k')).Grants).toEqual([{ Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'READ' }]);
    await s3.send(
      new PutObjectAclCommand({
        Bucket: 'acls',
        Key: 'k',
        AccessControlPolicy: {
          Owner: { ID: ownerId },
          Grants: [
            { Grantee: { ID: ownerId, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
            { Grantee: { URI: LOG_DELIVERY, Type: 'Group' }, Permission: 'WRITE' },
          ],
        },
      }),
    );
    expect((await acl('k')).Grants?.map((g) => g.Permission)).toEqual(['FULL_CONTROL', 'WRITE']);
    await s3.send(new PutObjectCommand({ Bucket: 'acls', Key: 'public', Body: 'x', ACL: 'public-read-write' }));
    expect((await acl('public')).Grants?.map((g) => [g.Grantee?.URI, g.Permission])).toEqual([
      [undefined, 'FULL_CONTROL'],
      [ALL_USERS, 'READ'],
      [ALL_USERS, 'WRITE'],
    ]);
    await s3.send(new CopyObjectCommand({ Bucket: 'acls', Key: 'copy', CopySource: 'acls/public' }));
    expect((await acl('copy')).Grants).toHaveLength(1);
    const document = await raw(node.url, { path: '/acls/k?acl' });
    expect(document.text).toContain('xsi:type="CanonicalUser"');
  });

  it('refuses ACLs as S3 does (test_s3.py test_s3_object_acl_exceptions)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'acls', Key: 'e', Body: 'x' }));
    const canned = await s3Failure(s3.send(new PutObjectCommand({ Bucket: 'acls', Key: 'e', Body: 'x', ACL: 'fake-acl' as 'private' })));
    expect(canned.name).toBe('InvalidArgument');
    const cases: [Partial<ConstructorParameters<typeof PutObjectAclCommand>[0]>, string, string][] = [
      [{ GrantWrite: 'uri="http://acs.amazonaws.com/groups/s3/FakeGroup"' }, 'InvalidArgument', 'Invalid group uri'],
      [{ GrantWrite: 'fakekey="1234"' }, 'InvalidArgument', 'Argument format not recognized'],
      [{ GrantWrite: 'id="wrong-id"' }, 'InvalidArgument', 'Invalid id'],
      [{ AccessControlPolicy: { Grants: [{ Grantee: { URI: LOG_DELIVERY, Type: 'Group' }, Permission: 'WRITE' }] } }, 'MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema'],
      [{ AccessControlPolicy: { Owner: { ID: 'wrong-id' }, Grants: [] } }, 'InvalidArgument', 'Invalid id'],
      [{}, 'MissingSecurityHeader', 'Your request was missing a required header'],
      [{ ACL: 'private', GrantRead: `uri="${LOG_DELIVERY}"` }, 'InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed'],
    ];
    for (const [input, code, message] of cases) {
      const refused = await s3Failure(s3.send(new PutObjectAclCommand({ Bucket: 'acls', Key: 'e', ...input })));
      expect([refused.name, refused.message, refused.$metadata.httpStatusCode]).toEqual([code, message, 400]);
    }
  });

  it('has no ACL on a delete marker (test_s3.py test_put_object_acl_on_delete_marker)', async () => {
    await aclBucket(s3, 'acl-versions');
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'acl-versions', VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: 'acl-versions', Key: 'k', Body: 'x' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'acl-versions', Key: 'k' }));
    const put = await s3Failure(s3.send(new PutObjectAclCommand({ Bucket: 'acl-versions', Key: 'k', ACL: 'private' })));
    expect([put.name, put.$metadata.httpStatusCode]).toEqual(['MethodNotAllowed', 405]);
    const get = await s3Failure(s3.send(new GetObjectAclCommand({ Bucket: 'acl-versions', Key: 'k' })));
    expect(get.name).toBe('NoSuchKey');
    const byId = await s3Failure(s3.send(new GetObjectAclCommand({ Bucket: 'acl-versions', Key: 'k', VersionId: marker.VersionId })));
    expect([byId.name, byId.$metadata.httpStatusCode]).toEqual(['MethodNotAllowed', 405]);
  });
});
