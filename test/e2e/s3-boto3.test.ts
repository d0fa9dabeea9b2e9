import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3 } from '../services/s3/clients.js';
import { startS3, type S3Node } from '../services/s3/harness.js';

const CLIENT = `
import boto3, json, os
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'])
`;

describe("S3 with Debian's boto3", () => {
  let node: S3Node;
  let home: string;
  const run = <T>(script: string) => boto3<T>(node.url, home, CLIENT + script);

  beforeAll(async () => {
    node = await startS3();
    home = await mkdtemp(join(tmpdir(), 'flint-s3-boto3-'));
    await run(`s3.create_bucket(Bucket='py-bucket'); print('{}')`);
  });
  afterAll(async () => {
    await node?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('uploads and downloads files (multipart above 8 MB) and lists them', { timeout: 60_000 }, async () => {
    const big = randomBytes(10 * 1024 * 1024 + 3);
    await writeFile(join(home, 'big.bin'), big);
    const result = await run<{ keys: string[]; etag: string; count: number }>(`
s3.upload_file('big.bin', 'py-bucket', 'files/big.bin')
s3.upload_file('big.bin', 'py-bucket', 'files/copy of big.bin')
s3.download_file('py-bucket', 'files/big.bin', 'back.bin')
listed = s3.list_objects_v2(Bucket='py-bucket', Prefix='files/')
head = s3.head_object(Bucket='py-bucket', Key='files/big.bin')
print(json.dumps({'keys': [o['Key'] for o in listed['Contents']], 'etag': head['ETag'], 'count': listed['KeyCount']}))
`);
    expect(result.keys).toEqual(['files/big.bin', 'files/copy of big.bin']);
    expect(result.count).toBe(2);
    expect(result.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect((await readFile(join(home, 'back.bin'))).equals(big)).toBe(true);
  });

  it('puts and gets objects with metadata, ranges and errors', async () => {
    const result = await run<Record<string, unknown>>(`
s3.put_object(Bucket='py-bucket', Key='a b+c.txt', Body=b'hello boto', Metadata={'foo': 'bar'}, ContentType='text/plain')
got = s3.get_object(Bucket='py-bucket', Key='a b+c.txt')
part = s3.get_object(Bucket='py-bucket', Key='a b+c.txt', Range='bytes=6-9')
try:
    s3.get_object(Bucket='py-bucket', Key='missing')
    error = None
except s3.exceptions.NoSuchKey as e:
    error = e.response['Error']
print(json.dumps({'body': got['Body'].read().decode(), 'meta': got['Metadata'], 'type': got['ContentType'],
                  'part': part['Body'].read().decode(), 'range': part['ContentRange'], 'error': error}))
`);
    expect(result).toEqual({
      body: 'hello boto',
      meta: { foo: 'bar' },
      type: 'text/plain',
      part: 'boto',
      range: 'bytes 6-9/10',
      error: { Code: 'NoSuchKey', Message: 'The specified key does not exist.', Key: 'missing' },
    });
  });

  it("serves presigned GET and PUT URLs made by boto3's generate_presigned_url, fetched from Node", async () => {
    const urls = await run<{ get: string; put: string }>(`
v4 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], config=Config(signature_version='s3v4'))
s3.put_object(Bucket='py-bucket', Key='shared doc.txt', Body=b'presigned body')
print(json.dumps({
  'get': v4.generate_presigned_url('get_object', Params={'Bucket': 'py-bucket', 'Key': 'shared doc.txt'}, ExpiresIn=300),
  'put': v4.generate_presigned_url('put_object', Params={'Bucket': 'py-bucket', 'Key': 'dropped.txt'}, ExpiresIn=300),
}))
`);
    expect(urls.get).toContain('X-Amz-Signature=');
    const got = await fetch(urls.get);
    expect([got.status, await got.text()]).toEqual([200, 'presigned body']);
    const put = await fetch(urls.put, { method: 'PUT', body: 'uploaded through a URL' });
    expect(put.status).toBe(200);
    const check = await run<{ body: string }>(`print(json.dumps({'body': s3.get_object(Bucket='py-bucket', Key='dropped.txt')['Body'].read().decode()}))`);
    expect(check.body).toBe('uploaded through a URL');
  });
});
