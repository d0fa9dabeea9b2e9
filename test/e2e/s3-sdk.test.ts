import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns';
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, type S3Node } from '../services/s3/harness.js';

/** Resolves every *.localhost name to 127.0.0.1 (systemd does, glibc on this image does not) and records the names. */
function localhostAgent(looked: string[]): Agent {
  const resolve: LookupFunction = (hostname, options, callback) => {
    looked.push(hostname);
    if (!hostname.endsWith('.localhost')) return lookup(hostname, options, callback);
    if (options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
    callback(null, '127.0.0.1', 4);
  };
  return new Agent({ keepAlive: true, lookup: resolve });
}

describe('S3 with the AWS SDK for JavaScript v3', () => {
  let node: S3Node;

  beforeAll(async () => {
    node = await startS3();
  });
  afterAll(async () => node?.close());

  async function roundTrip(s3: S3Client, bucket: string): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/hello world.txt', Body: 'hello', ContentType: 'text/plain', Metadata: { foo: 'bar' } }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/hello world.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    expect(got.Metadata).toEqual({ foo: 'bar' });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dir/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['dir/hello world.txt']);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'dir/hello world.txt' }));
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  }

  it('works path-style (forcePathStyle: true)', async () => {
    await roundTrip(node.client({ forcePathStyle: true }), 'path-style');
  });

  it('works virtual-hosted on localhost (forcePathStyle: false)', async () => {
    const looked: string[] = [];
    const s3 = node.client({ endpoint: `http://localhost:${node.port}`, forcePathStyle: false, requestHandler: { httpAgent: localhostAgent(looked) } });
    await roundTrip(s3, 'hosted-style');
    expect(looked).toContain('hosted-style.localhost');
  });

  it('uploads in parts with the low-level multipart commands', async () => {
    const s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-multipart' }));
    const parts = [randomBytes(6 * 1024 * 1024), randomBytes(1024)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-multipart', Key: 'big', ContentType: 'application/x-test' }));
    const etags: string[] = [];
    for (const [i, Body] of parts.entries()) etags.push((await s3.send(new UploadPartCommand({ Bucket: 'sdk-multipart', Key: 'big', UploadId, PartNumber: i + 1, Body }))).ETag!);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'sdk-multipart', Key: 'big', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
    );
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'sdk-multipart', Key: 'big' }));
    expect([head.ContentLength, head.ContentType]).toEqual([6 * 1024 * 1024 + 1024, 'application/x-test']);
    const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'sdk-multipart', Key: 'big' }))).Body!.transformToByteArray());
    expect(body.equals(Buffer.concat(parts))).toBe(true);
  });

  it('uploads with Upload from @aws-sdk/lib-storage (concurrent multipart)', async () => {
    const s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-storage' }));
    const body = randomBytes(11 * 1024 * 1024);
    await new Upload({ client: s3, params: { Bucket: 'lib-storage', Key: 'managed', Body: body } }).done();
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'lib-storage', Key: 'managed' }))).Body!.transformToByteArray());
    expect(got.equals(body)).toBe(true);
  });
});
