import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../services/s3/clients.js';
import { startS3, type S3Node } from '../services/s3/harness.js';

describe("S3 with Debian's AWS CLI v2", () => {
  let node: S3Node;
  let home: string;
  const cli = (...args: string[]) => aws(node.url, home, args);

  beforeAll(async () => {
    node = await startS3();
    home = await mkdtemp(join(tmpdir(), 'flint-s3-cli-'));
  });
  afterAll(async () => {
    await node?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('makes a bucket, copies a multipart-sized file up and down, lists and removes recursively', { timeout: 120_000 }, async () => {
    await cli('s3', 'mb', 's3://cli-bucket');
    // Larger than the CLI's 8 MB multipart threshold, so it uploads and downloads in parts.
    const big = randomBytes(9 * 1024 * 1024 + 17);
    await writeFile(join(home, 'big.bin'), big);
    await writeFile(join(home, 'small file.txt'), 'hello\n');
    await cli('s3', 'cp', join(home, 'big.bin'), 's3://cli-bucket/dir/big.bin', '--no-progress');
    await cli('s3', 'cp', join(home, 'small file.txt'), 's3://cli-bucket/dir/small file+1.txt', '--no-progress');
    await cli('s3', 'cp', 's3://cli-bucket/dir/big.bin', join(home, 'back.bin'), '--no-progress');
    expect((await readFile(join(home, 'back.bin'))).equals(big)).toBe(true);

    const head = JSON.parse(await cli('s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'dir/big.bin')) as { ETag: string; ContentLength: number };
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect(head.ContentLength).toBe(big.length);

    const listing = await cli('s3', 'ls', 's3://cli-bucket/dir/');
    expect(listing).toMatch(/\s9437201 big\.bin/);
    expect(listing).toContain('small file+1.txt');
    expect(await cli('s3', 'ls')).toContain('cli-bucket');

    const v2 = JSON.parse(await cli('s3api', 'list-objects-v2', '--bucket', 'cli-bucket', '--delimiter', '/')) as { CommonPrefixes: { Prefix: string }[] };
    expect(v2.CommonPrefixes).toEqual([{ Prefix: 'dir/' }]);
    const keys = JSON.parse(await cli('s3api', 'list-objects-v2', '--bucket', 'cli-bucket', '--prefix', 'dir/')) as { Contents: { Key: string }[]; KeyCount: number };
    expect(keys.Contents.map((c) => c.Key)).toEqual(['dir/big.bin', 'dir/small file+1.txt']);

    const removed = await cli('s3', 'rm', 's3://cli-bucket', '--recursive');
    expect(removed).toContain('delete: s3://cli-bucket/dir/big.bin');
    expect((await cli('s3', 'ls', 's3://cli-bucket', '--recursive')).trim()).toBe('');
    await cli('s3', 'rb', 's3://cli-bucket');
    expect(await cli('s3', 'ls')).not.toContain('cli-bucket');
  });

  it('puts and gets objects with metadata through s3api, and reports S3 errors', async () => {
    await cli('s3', 'mb', 's3://api-bucket');
    await writeFile(join(home, 'body.txt'), 'api body');
    const put = JSON.parse(
      await cli('s3api', 'put-object', '--bucket', 'api-bucket', '--key', 'k', '--body', join(home, 'body.txt'), '--metadata', 'foo=bar', '--content-type', 'text/plain'),
    ) as { ETag: string };
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = JSON.parse(await cli('s3api', 'get-object', '--bucket', 'api-bucket', '--key', 'k', join(home, 'out.txt'))) as { Metadata: object; ContentType: string };
    expect(got).toMatchObject({ Metadata: { foo: 'bar' }, ContentType: 'text/plain' });
    expect(await readFile(join(home, 'out.txt'), 'utf8')).toBe('api body');
    await expect(cli('s3api', 'get-object', '--bucket', 'api-bucket', '--key', 'missing', join(home, 'none.txt'))).rejects.toThrow(/NoSuchKey/);
    await expect(cli('s3', 'rb', 's3://api-bucket')).rejects.toThrow(/BucketNotEmpty/);
  });
});
