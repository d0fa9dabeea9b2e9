import { CreateBucketCommand, ListObjectsCommand, ListObjectsV2Command, paginateListObjectsV2, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, type S3Node } from './harness.js';
import { raw, xmlText } from './http.js';

const KEYS = ['a.txt', 'docs/guide.md', 'docs/intro.md', 'docs/img/logo.png', 'photos/2026/01/x.jpg', 'photos/2026/02/y.jpg', 'readme', 'sp ace+plus.txt', 'z/'];

describe('S3 listings', () => {
  let node: S3Node;
  let s3: S3Client;

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    for (const key of KEYS) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: key, Body: key }));
  });
  afterAll(async () => node?.close());

  it('lists every key in order with size, ETag, time and storage class', async () => {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: 'listing' }));
    expect(page.Contents?.map((c) => c.Key)).toEqual([...KEYS].sort());
    expect(page).toMatchObject({ KeyCount: KEYS.length, IsTruncated: false, MaxKeys: 1000, Name: 'listing', Prefix: '' });
    expect(page.Contents?.[0]).toMatchObject({ Key: 'a.txt', Size: 5, StorageClass: 'STANDARD' });
    expect(page.Contents?.[0]?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(page.Contents?.[0]?.LastModified).toBeInstanceOf(Date);
    expect(page.Contents?.[0]?.Owner).toBeUndefined();
    const withOwner = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', FetchOwner: true, MaxKeys: 1 }));
    expect(withOwner.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rolls keys up into common prefixes with a delimiter, within a prefix', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect(top.Contents?.map((c) => c.Key)).toEqual(['a.txt', 'readme', 'sp ace+plus.txt']);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['docs/', 'photos/', 'z/']);
    expect(top.KeyCount).toBe(6);
    const docs = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'docs/', Delimiter: '/' }));
    expect(docs.Contents?.map((c) => c.Key)).toEqual(['docs/guide.md', 'docs/intro.md']);
    expect(docs.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['docs/img/']);
    const months = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'photos/2026/', Delimiter: '/' }));
    expect(months.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/2026/01/', 'photos/2026/02/']);
  });

  it('pages with max-keys and continuation tokens, counting common prefixes', async () => {
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: 'listing', Delimiter: '/' })) {
      expect((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0)).toBeLessThanOrEqual(2);
      seen.push(...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
    }
    expect(seen.sort()).toEqual(['a.txt', 'docs/', 'photos/', 'readme', 'sp ace+plus.txt', 'z/']);
    const first = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 3 }));
    expect(first.IsTruncated).toBe(true);
    const second = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 3, ContinuationToken: first.NextContinuationToken }));
    expect(second.ContinuationToken).toBe(first.NextContinuationToken);
    expect(second.Contents?.[0]?.Key).toBe([...KEYS].sort()[3]);
  });

  it('starts after a key with start-after', async () => {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'photos/2026/01/x.jpg' }));
    expect(page.Contents?.map((c) => c.Key)).toEqual(['photos/2026/02/y.jpg', 'readme', 'sp ace+plus.txt', 'z/']);
    expect(page.StartAfter).toBe('photos/2026/01/x.jpg');
  });

  it('URL-encodes keys and prefixes with encoding-type=url', async () => {
    const response = await raw(node.url, { path: '/listing?list-type=2&prefix=sp%20&encoding-type=url' });
    expect(xmlText(response.text, 'Key')).toBe('sp+ace%2Bplus.txt');
    expect(xmlText(response.text, 'Prefix')).toBe('sp+');
    expect(xmlText(response.text, 'EncodingType')).toBe('url');
  });

  it('pages ListObjects version 1 with marker, returning NextMarker when a delimiter is given', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket: 'listing', MaxKeys: 2, Delimiter: '/' }));
    expect(first.Contents?.map((c) => c.Key)).toEqual(['a.txt']);
    expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['docs/']);
    expect([first.IsTruncated, first.NextMarker]).toEqual([true, 'docs/']);
    const second = await s3.send(new ListObjectsCommand({ Bucket: 'listing', MaxKeys: 2, Delimiter: '/', Marker: first.NextMarker }));
    expect(second.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/']);
    expect(second.Contents?.map((c) => c.Key)).toEqual(['readme']);
    const plain = await s3.send(new ListObjectsCommand({ Bucket: 'listing', MaxKeys: 2 }));
    expect([plain.IsTruncated, plain.NextMarker, plain.Contents?.[0]?.Owner?.ID?.length]).toEqual([true, undefined, 64]);
  });

  it('refuses bad max-keys, tokens and encoding types as S3 does', async () => {
    const notNumber = await raw(node.url, { path: '/listing?list-type=2&max-keys=abc' });
    expect([notNumber.status, xmlText(notNumber.text, 'Message')]).toEqual([400, 'Provided max-keys not an integer or within integer range']);
    const token = await raw(node.url, { path: '/listing?list-type=2&continuation-token=%25%25' });
    expect(xmlText(token.text, 'Message')).toBe('The continuation token provided is incorrect');
    const encoding = await raw(node.url, { path: '/listing?list-type=2&encoding-type=base64' });
    expect(xmlText(encoding.text, 'Message')).toBe('Invalid Encoding Method specified in Request');
    const zero = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 0 }));
    expect([zero.KeyCount, zero.IsTruncated]).toEqual([0, false]);
  });
});
