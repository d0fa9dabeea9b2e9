import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, type S3Node } from './harness.js';
import { raw, S3_AUTH } from './http.js';

const GB = 1024 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const MAX_GROWTH = 200 * 1024 * 1024;

/** Samples this process's RSS until stopped; returns the peak. */
function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** A 1 MiB block whose bytes depend on its index, so a misplaced block changes the digest. */
function block(index: number, scratch: Buffer): Buffer {
  scratch.fill(index % 251);
  scratch.writeUInt32BE(index, 0);
  return scratch;
}

function upload(url: string, path: string, size: number): Promise<{ status: number; etag: string; md5: string }> {
  return new Promise((resolve, reject) => {
    const md5 = createHash('md5');
    const req = request(new URL(path, url), { method: 'PUT', headers: { authorization: S3_AUTH, 'content-length': String(size) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag), md5: md5.digest('hex') }));
    });
    req.on('error', reject);
    const scratch = Buffer.alloc(CHUNK);
    let index = 0;
    const pump = (): void => {
      while (index < size / CHUNK) {
        const data = block(index++, scratch);
        md5.update(data);
        if (!req.write(Buffer.from(data))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function download(url: string, path: string): Promise<{ size: number; md5: string }> {
  return new Promise((resolve, reject) => {
    const md5 = createHash('md5');
    let size = 0;
    request(new URL(path, url), { headers: { authorization: S3_AUTH } }, (res) => {
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        md5.update(chunk);
      });
      res.on('end', () => resolve({ size, md5: md5.digest('hex') }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('S3 memory use with a 1 GB object', () => {
  let node: S3Node;

  beforeAll(async () => {
    // tmpfs keeps the gigabyte off the disk and the test quick.
    const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    node = await startS3({ dir: await mkdtemp(join(base, 'flint-s3-memory-')) });
    await raw(node.url, { method: 'PUT', path: '/big' });
  });
  afterAll(async () => {
    await node?.close();
    if (node) await rm(node.dir, { recursive: true, force: true });
  });

  it('streams a 1 GB upload and download through the gateway in far less memory than the object', { timeout: 180_000 }, async () => {
    const before = process.memoryUsage.rss();
    const sampler = sampleRss();
    const put = await upload(node.url, '/big/one-gigabyte.bin', GB);
    const got = await download(node.url, '/big/one-gigabyte.bin');
    const peak = sampler.stop();
    expect(put.status).toBe(200);
    expect(put.etag).toBe(`"${put.md5}"`);
    expect(got).toEqual({ size: GB, md5: put.md5 });
    expect(peak - before).toBeLessThan(MAX_GROWTH);
  });
});
