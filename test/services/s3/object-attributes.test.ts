import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectAttributesCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, boto3 } from './clients.js';
import { startS3, type S3Node } from './harness.js';

const CLI_TIMEOUT_MS = 120_000;

/**
 * GetObjectAttributes as LocalStack's recordings of S3 show it (tests/aws/services/s3/test_s3.snapshot.json:
 * test_get_object_attributes, _versioned, _with_space): only the attributes asked for, the ETag without quotes, ObjectParts
 * for multipart objects, NoSuchKey behind a delete marker.
 */
describe('S3 GetObjectAttributes', () => {
  let node: S3Node;
  let s3: S3Client;
  let home: string;

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    home = await mkdtemp(join(tmpdir(), 'flint-s3-attrs-'));
    await s3.send(new CreateBucketCommand({ Bucket: 'attrs' }));
  });
  afterAll(async () => {
    await node?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('answers the attributes asked for, with the checksum the object was stored with', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'attrs', Key: 'plain', Body: 'test-body', ChecksumAlgorithm: 'SHA256' }));
    const all = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'plain', ObjectAttributes: ['StorageClass', 'ETag', 'ObjectSize', 'ObjectParts', 'Checksum'] }));
    expect(all).toMatchObject({
      ETag: '70b68ae721a61941a1a62724dde5d5e4',
      ObjectSize: 9,
      StorageClass: 'STANDARD',
      Checksum: { ChecksumSHA256: '2dhlzFTsYGePGxGQhK15rn+TV9HEUZxkV94zFLf7uoo=', ChecksumType: 'FULL_OBJECT' },
    });
    expect(all.ObjectParts).toBeUndefined();
    expect(all.LastModified).toBeInstanceOf(Date);
    const some = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'plain', ObjectAttributes: ['ObjectSize'] }));
    expect(some.ObjectSize).toBe(9);
    expect(some.ETag).toBeUndefined();
    expect(some.Checksum).toBeUndefined();
  });

  it('counts the parts of an object completed from a multipart upload', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'attrs', Key: 'parts' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'attrs', Key: 'parts', UploadId, PartNumber: 1, Body: 'x'.repeat(65) }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'attrs', Key: 'parts', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    const answer = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'parts', ObjectAttributes: ['StorageClass', 'ETag', 'ObjectSize', 'ObjectParts'] }));
    expect(answer).toMatchObject({ ObjectParts: { TotalPartsCount: 1 }, ObjectSize: 65, StorageClass: 'STANDARD' });
    expect(answer.ETag).toMatch(/^[0-9a-f]{32}-1$/);
  });

  it('reads a version by id, and answers NoSuchKey when the latest is a delete marker', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'attrs-versions' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'attrs-versions', VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await s3.send(new PutObjectCommand({ Bucket: 'attrs-versions', Key: 'k', Body: 'v1-body' }));
    await s3.send(new PutObjectCommand({ Bucket: 'attrs-versions', Key: 'k', Body: 'v2-body!!' }));
    const latest = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs-versions', Key: 'k', ObjectAttributes: ['ObjectSize'] }));
    expect(latest.ObjectSize).toBe(9);
    await s3.send(new DeleteObjectCommand({ Bucket: 'attrs-versions', Key: 'k' }));
    const gone = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs-versions', Key: 'k', ObjectAttributes: ['ObjectSize'] })).catch((e: unknown) => e);
    expect(gone).toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    const old = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs-versions', Key: 'k', VersionId: first.VersionId, ObjectAttributes: ['ObjectSize', 'StorageClass'] }));
    expect(old).toMatchObject({ ObjectSize: 7, StorageClass: 'STANDARD', VersionId: first.VersionId });
  });

  it("works from Debian's aws CLI and boto3", async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'attrs', Key: 'cli', Body: 'hello' }));
    const cli = JSON.parse(await aws(node.url, home, ['s3api', 'get-object-attributes', '--bucket', 'attrs', '--key', 'cli', '--object-attributes', 'ETag', 'ObjectSize', '--output', 'json'])) as Record<string, unknown>;
    expect(cli).toMatchObject({ ETag: '5d41402abc4b2a76b9719d911017c592', ObjectSize: 5 });
    const fromBoto = await boto3<Record<string, unknown>>(
      node.url,
      home,
      `
import boto3, json, os
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
answer = s3.get_object_attributes(Bucket='attrs', Key='cli', ObjectAttributes=['StorageClass', 'ObjectSize'])
print(json.dumps({'StorageClass': answer['StorageClass'], 'ObjectSize': answer['ObjectSize']}))
`,
    );
    expect(fromBoto).toEqual({ StorageClass: 'STANDARD', ObjectSize: 5 });
  }, CLI_TIMEOUT_MS);
});
