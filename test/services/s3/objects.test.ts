import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Failure, startS3, type S3Node } from './harness.js';
import { raw, xmlText } from './http.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('S3 objects', () => {
  let node: S3Node;
  let s3: S3Client;
  const get = async (Key: string, Bucket = 'objects') => (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString();

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
  });
  afterAll(async () => node?.close());

  it('stores an object with its metadata and content headers and returns them on GET and HEAD', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'doc.txt',
        Body: 'hello',
        ContentType: 'text/plain',
        ContentEncoding: 'identity',
        ContentDisposition: 'attachment; filename="doc.txt"',
        ContentLanguage: 'en',
        CacheControl: 'max-age=60',
        Expires: new Date('2030-01-01T00:00:00Z'),
        Metadata: { owner: 'ann', 'x-tag': 'v1' },
      }),
    );
    expect(put.ETag).toBe(`"${md5('hello')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'doc.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    expect(got).toMatchObject({
      ETag: `"${md5('hello')}"`,
      ContentType: 'text/plain',
      ContentEncoding: 'identity',
      ContentDisposition: 'attachment; filename="doc.txt"',
      ContentLanguage: 'en',
      CacheControl: 'max-age=60',
      ContentLength: 5,
      AcceptRanges: 'bytes',
      Metadata: { owner: 'ann', 'x-tag': 'v1' },
    });
    expect(got.ExpiresString).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
    expect(got.LastModified).toBeInstanceOf(Date);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'doc.txt' }));
    expect(head).toMatchObject({ ContentLength: 5, ETag: got.ETag, ContentType: 'text/plain', Metadata: { owner: 'ann', 'x-tag': 'v1' } });
  });

  it('defaults the content type as S3 does and applies response-* overrides on GET', async () => {
    await raw(node.url, { method: 'PUT', path: '/objects/plain', body: 'x' });
    const plain = await raw(node.url, { path: '/objects/plain' });
    expect(plain.headers['content-type']).toBe('binary/octet-stream');
    const overridden = await s3.send(
      new GetObjectCommand({ Bucket: 'objects', Key: 'plain', ResponseContentType: 'image/png', ResponseContentDisposition: 'inline', ResponseCacheControl: 'no-cache' }),
    );
    expect(overridden).toMatchObject({ ContentType: 'image/png', ContentDisposition: 'inline', CacheControl: 'no-cache' });
  });

  it('round-trips keys with spaces, plus signs, unicode, percent signs and slashes', async () => {
    const keys = ['a b.txt', 'a+b.txt', 'ünï/cødé 😀.txt', '100% done', 'dir//double/', '?#[]@!$&\'()*,;=.txt'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: key, Body: key }));
    for (const key of keys) expect(await get(key)).toBe(key);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'objects' }));
    for (const key of keys) expect(listed.Contents?.map((c) => c.Key)).toContain(key);
  });

  it('addresses buckets by virtual host as well as by path', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'hosted.txt', Body: 'by host' }));
    for (const host of [`objects.localhost:${node.port}`, 'objects.s3.localhost', 'objects.s3.us-east-1.amazonaws.com', 'objects.s3.amazonaws.com']) {
      const response = await raw(node.url, { path: '/hosted.txt', headers: { host } });
      expect([host, response.status, response.text]).toEqual([host, 200, 'by host']);
    }
    const listing = await raw(node.url, { path: '/?list-type=2&prefix=hosted', headers: { host: 'objects.s3.localhost' } });
    expect(xmlText(listing.text, 'Key')).toBe('hosted.txt');
    const pathStyle = await raw(node.url, { path: '/objects/hosted.txt', headers: { host: 's3.us-east-1.amazonaws.com' } });
    expect(pathStyle.text).toBe('by host');
  });

  it('answers NoSuchKey with the key, and 404 without body on HEAD', async () => {
    const error = await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'missing/key' })));
    expect(error).toBeInstanceOf(NoSuchKey);
    expect(error.message).toBe('The specified key does not exist.');
    const response = await raw(node.url, { path: '/objects/missing%20key' });
    expect(response.status).toBe(404);
    expect(xmlText(response.text, 'Key')).toBe('missing key');
    const head = await raw(node.url, { method: 'HEAD', path: '/objects/missing' });
    expect([head.status, head.body.length]).toEqual([404, 0]);
    const noBucket = await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'nobucket', Key: 'k' })));
    expect(noBucket.name).toBe('NoSuchBucket');
  });

  it('overwrites and deletes objects; deleting a missing key succeeds', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'v', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'v', Body: 'two' }));
    expect(await get('v')).toBe('two');
    expect((await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'v' }))).$metadata.httpStatusCode).toBe(204);
    await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'v' })));
    expect((await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'v' }))).$metadata.httpStatusCode).toBe(204);
  });

  it('deletes many objects at once, reporting each, or only errors when quiet', async () => {
    for (const key of ['d1', 'd2', 'd3']) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: key, Body: key }));
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: 'objects', Delete: { Objects: [{ Key: 'd1' }, { Key: 'd2' }, { Key: 'never' }, { Key: 'x'.repeat(1100) }] } }));
    expect(result.Deleted?.map((d) => d.Key)).toEqual(['d1', 'd2', 'never']);
    expect(result.Errors).toEqual([{ Key: 'x'.repeat(1100), Code: 'KeyTooLongError', Message: 'Your key is too long' }]);
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: 'objects', Delete: { Quiet: true, Objects: [{ Key: 'd3' }] } }));
    expect(quiet.Deleted).toBeUndefined();
    await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'd3' })));
    const malformed = await raw(node.url, { method: 'POST', path: '/objects?delete', headers: { 'content-md5': createHash('md5').update('<Delete/>').digest('base64') }, body: '<Delete/>' });
    expect(xmlText(malformed.text, 'Code')).toBe('MalformedXML');
    const unsigned = await raw(node.url, { method: 'POST', path: '/objects?delete', body: '<Delete><Object><Key>a</Key></Object></Delete>' });
    expect([unsigned.status, xmlText(unsigned.text, 'Message')]).toEqual([400, 'Missing required header for this request: Content-MD5']);
  });

  it('copies objects, keeping metadata with COPY and replacing it with REPLACE', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'src key+1', Body: 'source', ContentType: 'text/x-src', Metadata: { origin: 'src' } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'copy', CopySource: 'objects/src%20key%2B1' }));
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5('source')}"`);
    expect(copied.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const copy = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'copy' }));
    expect(copy).toMatchObject({ ContentType: 'text/x-src', Metadata: { origin: 'src' } });
    await s3.send(
      new CopyObjectCommand({ Bucket: 'objects', Key: 'replaced', CopySource: '/objects/src%20key%2B1', MetadataDirective: 'REPLACE', ContentType: 'text/new', Metadata: { fresh: '1' } }),
    );
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'replaced' }));
    expect(replaced).toMatchObject({ ContentType: 'text/new', Metadata: { fresh: '1' } });
    expect(await get('replaced')).toBe('source');
  });

  it('refuses copies S3 refuses: onto itself unchanged, from a missing source, failed copy conditions', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'self', Body: 'me' }));
    const self = await s3Failure(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'self', CopySource: 'objects/self' })));
    expect(self.name).toBe('InvalidRequest');
    expect(self.message).toMatch(/^This copy request is illegal because it is trying to copy an object to itself/);
    await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'self', CopySource: 'objects/self', MetadataDirective: 'REPLACE', Metadata: { a: 'b' } }));
    expect((await s3Failure(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'x', CopySource: 'objects/none' })))).name).toBe('NoSuchKey');
    const condition = await s3Failure(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'x', CopySource: 'objects/self', CopySourceIfMatch: '"nope"' })));
    expect([condition.name, condition.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
    const badSource = await raw(node.url, { method: 'PUT', path: '/objects/x', headers: { 'x-amz-copy-source': 'nobucketkey' } });
    expect(xmlText(badSource.text, 'Message')).toBe('Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
  });

  it('refuses keys longer than 1024 bytes and metadata beyond 2 KB', async () => {
    const long = await s3Failure(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'k'.repeat(1025), Body: 'x' })));
    expect(long.name).toBe('KeyTooLongError');
    const metadata = await s3Failure(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'meta', Body: 'x', Metadata: { big: 'v'.repeat(2100) } })));
    expect(metadata.name).toBe('MetadataTooLarge');
  });

  it('supports conditional writes with If-None-Match: *', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'once', Body: 'first', IfNoneMatch: '*' }));
    const second = await s3Failure(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'once', Body: 'second', IfNoneMatch: '*' })));
    expect([second.name, second.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
    expect(await get('once')).toBe('first');
  });

  it('rejects versions other than "null" on unversioned buckets', async () => {
    const response = await raw(node.url, { path: '/objects/doc.txt?versionId=abc' });
    expect([response.status, xmlText(response.text, 'Code'), xmlText(response.text, 'Message')]).toEqual([400, 'InvalidArgument', 'Invalid version id specified']);
    expect((await raw(node.url, { path: '/objects/doc.txt?versionId=null' })).status).toBe(200);
  });
});
