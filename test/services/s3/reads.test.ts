import { createHash } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateConditions, parseRange } from '../../../src/services/s3/conditions.js';
import { startS3, type S3Node } from './harness.js';
import { raw, xmlText } from './http.js';

const BODY = '0123456789abcdefghij';
const ETAG = `"${createHash('md5').update(BODY).digest('hex')}"`;

describe('S3 ranged and conditional reads', () => {
  let node: S3Node;
  let s3: S3Client;
  let lastModified: string;
  const read = (headers: Record<string, string>, method = 'GET') => raw(node.url, { method, path: '/reads/obj', headers });

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'reads' }));
    await s3.send(new PutObjectCommand({ Bucket: 'reads', Key: 'obj', Body: BODY }));
    lastModified = String((await read({})).headers['last-modified']);
  });
  afterAll(async () => node?.close());

  it('answers bytes=a-b, a- and -n with 206 and Content-Range', async () => {
    const cases: [string, string, string][] = [
      ['bytes=0-3', '0123', 'bytes 0-3/20'],
      ['bytes=15-', 'fghij', 'bytes 15-19/20'],
      ['bytes=-3', 'hij', 'bytes 17-19/20'],
      ['bytes=18-100', 'ij', 'bytes 18-19/20'],
      ['bytes=-50', BODY, 'bytes 0-19/20'],
    ];
    for (const [range, text, contentRange] of cases) {
      const response = await read({ range });
      expect([range, response.status, response.text, response.headers['content-range'], response.headers['content-length']]).toEqual([
        range,
        206,
        text,
        contentRange,
        String(text.length),
      ]);
    }
    const sdk = await s3.send(new GetObjectCommand({ Bucket: 'reads', Key: 'obj', Range: 'bytes=2-4' }));
    expect([await sdk.Body?.transformToString(), sdk.ContentRange, sdk.ContentLength]).toEqual(['234', 'bytes 2-4/20', 3]);
  });

  it('answers an unsatisfiable range with 416 InvalidRange and ignores ranges S3 ignores', async () => {
    const beyond = await read({ range: 'bytes=20-30' });
    expect([beyond.status, xmlText(beyond.text, 'Code'), xmlText(beyond.text, 'Message')]).toEqual([416, 'InvalidRange', 'The requested range is not satisfiable']);
    expect(xmlText(beyond.text, 'ActualObjectSize')).toBe('20');
    expect((await read({ range: 'bytes=-0' })).status).toBe(416);
    for (const ignored of ['bytes=5-2', 'bytes=0-1,4-5', 'items=0-3', 'bytes=abc']) {
      const response = await read({ range: ignored });
      expect([ignored, response.status, response.text]).toEqual([ignored, 200, BODY]);
    }
  });

  it('answers If-None-Match and If-Modified-Since with 304, If-Match and If-Unmodified-Since with 412', async () => {
    expect((await read({ 'if-none-match': ETAG })).status).toBe(304);
    expect((await read({ 'if-none-match': '"other"' })).status).toBe(200);
    expect((await read({ 'if-modified-since': lastModified })).status).toBe(304);
    expect((await read({ 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' })).status).toBe(200);
    const failedMatch = await read({ 'if-match': '"other"' });
    expect([failedMatch.status, xmlText(failedMatch.text, 'Code'), xmlText(failedMatch.text, 'Condition')]).toEqual([412, 'PreconditionFailed', 'If-Match']);
    expect((await read({ 'if-match': ETAG })).status).toBe(200);
    expect((await read({ 'if-match': '*' })).status).toBe(200);
    const unmodified = await read({ 'if-unmodified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' });
    expect([unmodified.status, xmlText(unmodified.text, 'Condition')]).toEqual([412, 'If-Unmodified-Since']);
    const notModified = await read({ 'if-none-match': ETAG });
    expect(notModified.headers.etag).toBe(ETAG);
    expect(notModified.body.length).toBe(0);
    expect((await read({ 'if-match': '"other"' }, 'HEAD')).status).toBe(412);
    expect((await read({ 'if-none-match': ETAG }, 'HEAD')).status).toBe(304);
  });

  it('follows S3 precedence: a true If-Match wins over If-Unmodified-Since, a false If-None-Match over If-Modified-Since', async () => {
    expect((await read({ 'if-match': ETAG, 'if-unmodified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' })).status).toBe(200);
    expect((await read({ 'if-none-match': '"other"', 'if-modified-since': lastModified })).status).toBe(200);
    const t = Date.parse('2026-01-01T00:00:10Z');
    expect(evaluateConditions({ ifModifiedSince: 'Thu, 01 Jan 2026 00:00:10 GMT' }, 'e', t + 999)).toEqual({ kind: 'not-modified' });
    expect(evaluateConditions({ ifUnmodifiedSince: 'garbage' }, 'e', t)).toEqual({ kind: 'proceed' });
  });

  it('parses ranges against the object size', () => {
    expect(parseRange('bytes=0-0', 1)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(parseRange(undefined, 10)).toBeUndefined();
  });
});
