import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import { startS3, type S3Node } from './harness.js';
import { raw, xmlText } from './http.js';

/** A SigV4 presigned query as SDKs build it; Flint checks its expiry, not its signature. */
function presigned(path: string, signedAt: string, expires: number): string {
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': 'test/20260101/us-east-1/s3/aws4_request',
    'X-Amz-Date': signedAt,
    'X-Amz-Expires': String(expires),
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': 'f'.repeat(64),
  });
  return `${path}?${query.toString()}`;
}

describe('S3 presigned URLs', () => {
  let node: S3Node;
  let clock: FakeClock;

  beforeAll(async () => {
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    node = await startS3({ clock });
    await raw(node.url, { method: 'PUT', path: '/signed' });
    await raw(node.url, { method: 'PUT', path: '/signed/doc.txt', body: 'shared' });
  });
  afterAll(async () => node?.close());

  it('serves GET and PUT through a presigned URL until it expires, by the injected clock', async () => {
    const get = presigned('/signed/doc.txt', '20260101T000000Z', 60);
    expect((await raw(node.url, { path: get, unsigned: true })).text).toBe('shared');
    const put = presigned('/signed/uploaded.txt', '20260101T000000Z', 60);
    expect((await raw(node.url, { method: 'PUT', path: put, unsigned: true, body: 'via url' })).status).toBe(200);
    expect((await raw(node.url, { path: '/signed/uploaded.txt' })).text).toBe('via url');
    await clock.advance(60_000);
    expect((await raw(node.url, { path: get, unsigned: true })).status).toBe(200);
    await clock.advance(1000);
    const expired = await raw(node.url, { path: get, unsigned: true });
    expect([expired.status, xmlText(expired.text, 'Code'), xmlText(expired.text, 'Message')]).toEqual([403, 'AccessDenied', 'Request has expired']);
    expect(xmlText(expired.text, 'X-Amz-Expires')).toBe('60');
    expect(xmlText(expired.text, 'Expires')).toBe('2026-01-01T00:01:00Z');
    expect(xmlText(expired.text, 'ServerTime')).toBe('2026-01-01T00:01:01Z');
  });

  it('refuses an expiry beyond a week and a query missing its date', async () => {
    const long = await raw(node.url, { path: presigned('/signed/doc.txt', '20260101T000000Z', 604_801), unsigned: true });
    expect([long.status, xmlText(long.text, 'Code'), xmlText(long.text, 'Message')]).toEqual([
      400,
      'AuthorizationQueryParametersError',
      'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    ]);
    const undated = await raw(node.url, { path: presigned('/signed/doc.txt', 'yesterday', 60), unsigned: true });
    expect(xmlText(undated.text, 'Code')).toBe('AuthorizationQueryParametersError');
  });
});

describe('S3 presigned URLs, signature version 2', () => {
  // Debian's boto3 presigns S3 URLs with SigV2 by default (AWSAccessKeyId, Signature, Expires): the gateway sends
  // them to S3 by those parameters, with no SigV4 credential scope.
  let node: S3Node;
  let url: string;
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));

  beforeAll(async () => {
    node = await startS3({ clock });
    url = node.url;
    await node.storage.objects.createBucket('b', 'us-east-1');
  });
  afterAll(async () => node?.close());

  it('honours Expires (epoch seconds)', async () => {
    const expires = Math.floor(clock.now() / 1000) + 10;
    const path = `/b/missing?AWSAccessKeyId=test&Signature=abc&Expires=${expires}`;
    expect(xmlText((await raw(url, { path, unsigned: true })).text, 'Code')).toBe('NoSuchKey');
    await clock.advance(11_000);
    const expired = await raw(url, { path, unsigned: true });
    expect([expired.status, xmlText(expired.text, 'Message')]).toEqual([403, 'Request has expired']);
  });
});
