import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/protocol/index.js';
import { STORAGE_CLASS_ERROR_TYPES } from '../../../src/services/s3/storage-class.js';
import { expectErrorsInModel } from '../../protocol/error-contract.js';
import { aws, boto3 } from './clients.js';
import { startS3, type S3Node } from './harness.js';

const CLI_TIMEOUT_MS = 120_000;
const MIB = 1024 * 1024;

function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'succeeded',
    (error: unknown) => error,
  );
}

/**
 * Storage classes kept per version and GetObjectAttributes' part list, as LocalStack's recordings of S3 show them
 * (tests/aws/services/s3/test_s3.snapshot.json: test_put_object_storage_class, _outposts, test_s3_copy_object_storage_class,
 * test_s3_copy_object_in_place_storage_class, test_complete_multipart_parts_checksum_composite).
 */
describe('S3 storage classes and object parts', () => {
  let node: S3Node;
  let s3: S3Client;
  let home: string;

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    home = await mkdtemp(join(tmpdir(), 'flint-s3-class-'));
    await s3.send(new CreateBucketCommand({ Bucket: 'classes' }));
  });
  afterAll(async () => {
    await node?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('keeps the class of each object and reports it where S3 does', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'classes', Key: 'ia', Body: 'body-test', StorageClass: 'STANDARD_IA' }));
    await s3.send(new PutObjectCommand({ Bucket: 'classes', Key: 'std', Body: 'body-test', StorageClass: 'STANDARD' }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'classes', Key: 'ia' }))).StorageClass).toBe('STANDARD_IA');
    // S3 leaves x-amz-storage-class out for STANDARD.
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'classes', Key: 'std' }))).StorageClass).toBeUndefined();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'classes', Key: 'ia' }));
    expect([got.StorageClass, await got.Body?.transformToString()]).toEqual(['STANDARD_IA', 'body-test']);
    expect((await s3.send(new GetObjectAttributesCommand({ Bucket: 'classes', Key: 'ia', ObjectAttributes: ['StorageClass'] }))).StorageClass).toBe('STANDARD_IA');
    const classes = (contents: { Key?: string; StorageClass?: string }[] | undefined) => Object.fromEntries((contents ?? []).map((entry) => [entry.Key, entry.StorageClass]));
    expect(classes((await s3.send(new ListObjectsV2Command({ Bucket: 'classes' }))).Contents)).toMatchObject({ ia: 'STANDARD_IA', std: 'STANDARD' });
    expect(classes((await s3.send(new ListObjectsCommand({ Bucket: 'classes' }))).Contents)).toMatchObject({ ia: 'STANDARD_IA', std: 'STANDARD' });
    expect(classes((await s3.send(new ListObjectVersionsCommand({ Bucket: 'classes' }))).Versions)).toMatchObject({ ia: 'STANDARD_IA', std: 'STANDARD' });
  });

  it('refuses unknown classes and OUTPOSTS with InvalidStorageClass', async () => {
    for (const storageClass of ['OUTPOSTS', 'FakeClass']) {
      const error = await failure(s3.send(new PutObjectCommand({ Bucket: 'classes', Key: 'bad', Body: 'x', StorageClass: storageClass as 'STANDARD' })));
      expect(error).toMatchObject({ name: 'InvalidStorageClass', message: 'The storage class you specified is not valid', StorageClassRequested: storageClass, $metadata: { httpStatusCode: 400 } });
    }
    const multipart = await failure(s3.send(new CreateMultipartUploadCommand({ Bucket: 'classes', Key: 'bad', StorageClass: 'OUTPOSTS' })));
    expect(multipart).toMatchObject({ name: 'InvalidStorageClass', StorageClassRequested: 'OUTPOSTS' });
  });

  it('gives a copy the class it asks for, and allows a copy onto itself that changes only the class', async () => {
    await s3.send(new CopyObjectCommand({ Bucket: 'classes', Key: 'ia-copy', CopySource: 'classes/ia' }));
    expect((await s3.send(new GetObjectAttributesCommand({ Bucket: 'classes', Key: 'ia-copy', ObjectAttributes: ['StorageClass'] }))).StorageClass).toBe('STANDARD');
    const inPlace = await failure(s3.send(new CopyObjectCommand({ Bucket: 'classes', Key: 'ia', CopySource: 'classes/ia' })));
    expect(inPlace).toMatchObject({ name: 'InvalidRequest' });
    await s3.send(new CopyObjectCommand({ Bucket: 'classes', Key: 'ia', CopySource: 'classes/ia', StorageClass: 'ONEZONE_IA' }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'classes', Key: 'ia' }))).StorageClass).toBe('ONEZONE_IA');
  });

  it('refuses to GET archived objects until restored, and HEAD still answers (test_put_object_storage_class[GLACIER])', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'classes', Key: 'cold', Body: 'body-test', StorageClass: 'DEEP_ARCHIVE' }));
    const error = await failure(s3.send(new GetObjectCommand({ Bucket: 'classes', Key: 'cold' })));
    expect(error).toMatchObject({ name: 'InvalidObjectState', message: "The operation is not valid for the object's storage class", StorageClass: 'DEEP_ARCHIVE', $metadata: { httpStatusCode: 403 } });
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'classes', Key: 'cold' }))).StorageClass).toBe('DEEP_ARCHIVE');
  });

  it('keeps the class of a multipart upload and lists its parts with their checksums', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'classes', Key: 'mpu', StorageClass: 'GLACIER_IR', ChecksumAlgorithm: 'CRC32' }));
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'classes' }))).Uploads?.map((upload) => upload.StorageClass)).toEqual(['GLACIER_IR']);
    const bodies = ['a'.repeat(5 * MIB), 'b'.repeat(5 * MIB), 'tail'];
    const parts = [];
    for (const [index, body] of bodies.entries()) {
      const part = await s3.send(new UploadPartCommand({ Bucket: 'classes', Key: 'mpu', UploadId, PartNumber: index + 1, Body: body, ChecksumAlgorithm: 'CRC32' }));
      parts.push({ PartNumber: index + 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 });
    }
    expect((await s3.send(new ListPartsCommand({ Bucket: 'classes', Key: 'mpu', UploadId }))).StorageClass).toBe('GLACIER_IR');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'classes', Key: 'mpu', UploadId, MultipartUpload: { Parts: parts } }));
    const all = await s3.send(new GetObjectAttributesCommand({ Bucket: 'classes', Key: 'mpu', ObjectAttributes: ['ObjectParts', 'StorageClass'] }));
    expect(all.StorageClass).toBe('GLACIER_IR');
    expect(all.ObjectParts).toEqual({
      TotalPartsCount: 3,
      // The model types both markers as strings; S3 sends numbers, which the SDK hands over as text.
      PartNumberMarker: '0',
      NextPartNumberMarker: '3',
      MaxParts: 1000,
      IsTruncated: false,
      Parts: parts.map((part, index) => ({ PartNumber: part.PartNumber, Size: bodies[index]!.length, ChecksumCRC32: part.ChecksumCRC32 })),
    });
    const page = await s3.send(new GetObjectAttributesCommand({ Bucket: 'classes', Key: 'mpu', ObjectAttributes: ['ObjectParts'], MaxParts: 1, PartNumberMarker: '1' }));
    expect(page.ObjectParts).toMatchObject({ PartNumberMarker: '1', NextPartNumberMarker: '2', MaxParts: 1, IsTruncated: true, Parts: [{ PartNumber: 2, Size: 5 * MIB }] });
  });

  it('counts the parts without listing them for an upload without checksums (test_get_object_attributes)', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'classes', Key: 'plain-mpu' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'classes', Key: 'plain-mpu', UploadId, PartNumber: 1, Body: 'x'.repeat(65) }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'classes', Key: 'plain-mpu', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    const answer = await s3.send(new GetObjectAttributesCommand({ Bucket: 'classes', Key: 'plain-mpu', ObjectAttributes: ['ObjectParts'], MaxParts: 3 }));
    expect(answer.ObjectParts).toEqual({ TotalPartsCount: 1 });
  });

  it("works from Debian's aws CLI and boto3", async () => {
    await aws(node.url, home, ['s3api', 'put-object', '--bucket', 'classes', '--key', 'cli', '--body', '/etc/hostname', '--storage-class', 'REDUCED_REDUNDANCY']);
    const head = JSON.parse(await aws(node.url, home, ['s3api', 'head-object', '--bucket', 'classes', '--key', 'cli', '--output', 'json'])) as Record<string, unknown>;
    expect(head.StorageClass).toBe('REDUCED_REDUNDANCY');
    const fromBoto = await boto3<Record<string, unknown>>(
      node.url,
      home,
      `
import boto3, json, os
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
s3.put_object(Bucket='classes', Key='boto', Body=b'x', StorageClass='INTELLIGENT_TIERING')
listed = s3.list_objects_v2(Bucket='classes', Prefix='boto')['Contents'][0]
print(json.dumps({'StorageClass': listed['StorageClass']}))
`,
    );
    expect(fromBoto).toEqual({ StorageClass: 'INTELLIGENT_TIERING' });
  }, CLI_TIMEOUT_MS);

  it('sends only codes of the model or codes S3 documents', () => {
    expectErrorsInModel(loadModel('s3'), STORAGE_CLASS_ERROR_TYPES, {
      InvalidStorageClass: "documented in the S3 API reference's error code list (400); a class the model does not list, or one a general purpose bucket cannot take",
    });
  });
});
