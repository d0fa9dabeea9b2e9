import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Failure, startS3, type S3Node } from './harness.js';
import { raw, xmlText } from './http.js';

const MB = 1024 * 1024;
const part = (fill: string, size = 5 * MB) => Buffer.alloc(size, fill);
const md5 = (data: Buffer) => createHash('md5').update(data).digest();

describe('S3 multipart uploads', () => {
  let node: S3Node;
  let s3: S3Client;
  const create = async (Key: string, extra: Partial<ConstructorParameters<typeof CreateMultipartUploadCommand>[0]> = {}) =>
    (await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key, ...extra }))).UploadId!;
  const upload = async (Key: string, UploadId: string, PartNumber: number, Body: Buffer) =>
    (await s3.send(new UploadPartCommand({ Bucket: 'multi', Key, UploadId, PartNumber, Body }))).ETag!;

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'multi' }));
  });
  afterAll(async () => node?.close());

  it('assembles parts into one object with the "-N" ETag, its metadata and per-part reads', async () => {
    const uploadId = await create('big.bin', { ContentType: 'application/x-big', Metadata: { kind: 'multi' } });
    const bodies = [part('a'), part('b'), part('c', 1234)];
    const etags = [];
    for (const [index, body] of bodies.entries()) etags.push(await upload('big.bin', uploadId, index + 1, body));
    expect(etags[0]).toBe(`"${md5(bodies[0]!).toString('hex')}"`);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'big.bin', UploadId: uploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
    );
    const expected = `"${createHash('md5').update(Buffer.concat(bodies.map(md5))).digest('hex')}-3"`;
    expect(done).toMatchObject({ Bucket: 'multi', Key: 'big.bin', ETag: expected, Location: `${node.url}/multi/big.bin` });
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'multi', Key: 'big.bin' }));
    expect(head).toMatchObject({ ContentLength: 10 * MB + 1234, ETag: expected, ContentType: 'application/x-big', Metadata: { kind: 'multi' } });
    const whole = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'big.bin' }))).Body!.transformToByteArray());
    expect(whole.equals(Buffer.concat(bodies))).toBe(true);
    const second = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'big.bin', PartNumber: 2 }));
    expect([second.PartsCount, second.ContentRange, second.ContentLength]).toEqual([3, `bytes ${5 * MB}-${10 * MB - 1}/${10 * MB + 1234}`, 5 * MB]);
    await second.Body?.transformToByteArray();
    const across = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'big.bin', Range: `bytes=${5 * MB - 2}-${5 * MB + 1}` }));
    expect(await across.Body?.transformToString()).toBe('aabb');
  });

  it('lists parts and uploads, with paging', async () => {
    const uploadId = await create('listed');
    for (const n of [3, 1, 2]) await upload('listed', uploadId, n, part(String(n), 10));
    const parts = await s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'listed', UploadId: uploadId, MaxParts: 2 }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 10],
      [2, 10],
    ]);
    expect([parts.IsTruncated, parts.NextPartNumberMarker]).toEqual([true, '2']);
    const rest = await s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'listed', UploadId: uploadId, PartNumberMarker: '2' }));
    expect(rest.Parts?.map((p) => p.PartNumber)).toEqual([3]);
    const other = await create('listed');
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'multi', Prefix: 'listed' }));
    expect(uploads.Uploads?.map((u) => u.UploadId).sort()).toEqual([uploadId, other].sort());
    expect(uploads.Uploads?.[0]).toMatchObject({ Key: 'listed', StorageClass: 'STANDARD' });
    const paged = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'multi', Prefix: 'listed', MaxUploads: 1 }));
    expect([paged.IsTruncated, paged.NextKeyMarker]).toEqual([true, 'listed']);
    const next = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'multi', Prefix: 'listed', KeyMarker: paged.NextKeyMarker, UploadIdMarker: paged.NextUploadIdMarker }));
    expect(next.Uploads?.map((u) => u.UploadId)).toEqual([uploads.Uploads?.map((u) => u.UploadId).find((id) => id !== paged.Uploads?.[0]?.UploadId)]);
  });

  it('refuses parts under 5 MB except the last, unknown or changed parts, and parts out of order', async () => {
    const uploadId = await create('small-parts');
    const first = await upload('small-parts', uploadId, 1, part('x', 100));
    const second = await upload('small-parts', uploadId, 2, part('y', 100));
    const complete = (Parts: { ETag: string; PartNumber: number }[]) =>
      s3Failure(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'small-parts', UploadId: uploadId, MultipartUpload: { Parts } })));
    const tooSmall = await complete([
      { ETag: first, PartNumber: 1 },
      { ETag: second, PartNumber: 2 },
    ]);
    // test_s3.py test_multipart_complete_multipart_too_small (complete-exc-too-small).
    expect([tooSmall.name, tooSmall.message]).toEqual(['EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size']);
    const unknown = await complete([{ ETag: '"0123456789abcdef0123456789abcdef"', PartNumber: 1 }]);
    expect(unknown.name).toBe('InvalidPart');
    const order = await complete([
      { ETag: second, PartNumber: 2 },
      { ETag: first, PartNumber: 1 },
    ]);
    expect([order.name, order.message]).toEqual(['InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.']);
    const single = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'small-parts', UploadId: uploadId, MultipartUpload: { Parts: [{ ETag: first, PartNumber: 1 }] } }));
    expect(single.ETag).toMatch(/-1"$/);
    const again = await complete([{ ETag: first, PartNumber: 1 }]);
    expect(again.name).toBe('NoSuchUpload');
  });

  it('aborts uploads and answers NoSuchUpload afterwards; refuses bad part numbers', async () => {
    const uploadId = await create('aborted');
    await upload('aborted', uploadId, 1, part('z', 10));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'aborted', UploadId: uploadId }));
    const gone = await s3Failure(s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'aborted', UploadId: uploadId, PartNumber: 2, Body: 'x' })));
    expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(['NoSuchUpload', 404]);
    const wrongKey = await s3Failure(s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'other', UploadId: uploadId })));
    expect(wrongKey.name).toBe('NoSuchUpload');
    const live = await create('numbers');
    const bad = await raw(node.url, { method: 'PUT', path: `/multi/numbers?partNumber=10001&uploadId=${live}`, body: 'x' });
    expect([bad.status, xmlText(bad.text, 'Message')]).toEqual([400, 'Part number must be an integer between 1 and 10000, inclusive']);
    const empty = await raw(node.url, { method: 'POST', path: `/multi/numbers?uploadId=${live}`, body: '<CompleteMultipartUpload></CompleteMultipartUpload>' });
    expect(xmlText(empty.text, 'Code')).toBe('MalformedXML');
  });

  it('copies byte ranges of existing objects into parts', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'multi', Key: 'source', Body: Buffer.concat([part('s'), Buffer.from('tail')]) }));
    const uploadId = await create('assembled');
    const copied = await s3.send(
      new UploadPartCopyCommand({ Bucket: 'multi', Key: 'assembled', UploadId: uploadId, PartNumber: 1, CopySource: 'multi/source', CopySourceRange: `bytes=0-${5 * MB - 1}` }),
    );
    const tail = await s3.send(
      new UploadPartCopyCommand({ Bucket: 'multi', Key: 'assembled', UploadId: uploadId, PartNumber: 2, CopySource: 'multi/source', CopySourceRange: `bytes=${5 * MB}-${5 * MB + 3}` }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'multi',
        Key: 'assembled',
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ ETag: copied.CopyPartResult?.ETag, PartNumber: 1 }, { ETag: tail.CopyPartResult?.ETag, PartNumber: 2 }] },
      }),
    );
    const range = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'assembled', Range: `bytes=${5 * MB - 1}-` }));
    expect(await range.Body?.transformToString()).toBe('stail');
    const fresh = await create('assembled');
    const bad = await s3Failure(
      s3.send(new UploadPartCopyCommand({ Bucket: 'multi', Key: 'assembled', UploadId: fresh, PartNumber: 1, CopySource: 'multi/source', CopySourceRange: 'bytes=0-99999999' })),
    );
    expect([bad.name, bad.message]).toEqual(['InvalidArgument', `Range specified is not valid for source object of size: ${5 * MB + 4}`]);
  });

  it('keeps composite checksums when the upload names an algorithm', async () => {
    const uploadId = await create('summed', { ChecksumAlgorithm: 'SHA256' });
    const bodies = [part('1'), part('2', 10)];
    const results = [];
    for (const [i, Body] of bodies.entries()) {
      results.push(await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'summed', UploadId: uploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'SHA256' })));
    }
    const partSums = bodies.map((body) => createHash('sha256').update(body).digest());
    expect(results.map((r) => r.ChecksumSHA256)).toEqual(partSums.map((sum) => sum.toString('base64')));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'multi',
        Key: 'summed',
        UploadId: uploadId,
        MultipartUpload: { Parts: results.map((r, i) => ({ ETag: r.ETag, PartNumber: i + 1, ChecksumSHA256: r.ChecksumSHA256 })) },
      }),
    );
    const composite = `${createHash('sha256').update(Buffer.concat(partSums)).digest('base64')}-2`;
    expect(done.ChecksumSHA256).toBe(composite);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'summed', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumSHA256).toBe(composite);
    expect((await got.Body!.transformToByteArray()).length).toBe(5 * MB + 10);
  });
});
