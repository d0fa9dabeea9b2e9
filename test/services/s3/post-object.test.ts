import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import { startS3, type S3Node } from './harness.js';
import { xmlText } from './http.js';

/**
 * POST Object (browser form uploads, https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html), sent as a
 * browser sends it: unsigned multipart/form-data with a base64 policy. Errors as LocalStack's recordings of AWS show
 * them (tests/aws/services/s3/test_s3.snapshot.json, tests named below).
 */
const NOW = Date.parse('2026-05-01T12:00:00Z');
const Bucket = 'uploads';

function encodePolicy(conditions: unknown[], expiration = '2026-05-01T13:00:00Z'): string {
  return Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
}

/** The signature fields of a SigV4 POST (their values are not checked by Flint). */
const SIGV4 = {
  'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
  'X-Amz-Credential': 'browser/20260501/us-east-1/s3/aws4_request',
  'X-Amz-Date': '20260501T120000Z',
};
const SIGNED = [{ 'x-amz-algorithm': SIGV4['X-Amz-Algorithm'] }, { 'x-amz-credential': SIGV4['X-Amz-Credential'] }, { 'x-amz-date': SIGV4['X-Amz-Date'] }];

function form(fields: Record<string, string>, file: { name?: string; body: string; type?: string } | undefined = { name: 'photo.jpg', body: 'image bytes' }): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  if (file) data.append('file', new Blob([file.body], { type: file.type ?? 'image/jpeg' }), file.name ?? 'upload.bin');
  return data;
}

describe('S3 POST Object', () => {
  let node: S3Node;
  let s3: S3Client;
  const post = (data: FormData) => fetch(`${node.url}/${Bucket}`, { method: 'POST', body: data, redirect: 'manual' });

  beforeAll(async () => {
    node = await startS3({ clock: new FakeClock(NOW) });
    s3 = node.client();
    await s3.send(new CreateBucketCommand({ Bucket }));
  });
  afterAll(async () => node?.close());

  it('stores the file under the key with ${filename}, its metadata and type, answering 201 with a PostResponse', async () => {
    const policy = encodePolicy([{ bucket: Bucket }, ['starts-with', '$key', 'user/'], ['starts-with', '$Content-Type', 'image/'], ['eq', '$x-amz-meta-owner', 'ana'], ['eq', '$success_action_status', '201'], ...SIGNED]);
    const answer = await post(form({ key: 'user/${filename}', 'Content-Type': 'image/jpeg', 'x-amz-meta-owner': 'ana', success_action_status: '201', ...SIGV4, Policy: policy, 'X-Amz-Signature': 'f'.repeat(64) }));
    expect(answer.status).toBe(201);
    const body = await answer.text();
    expect([xmlText(body, 'Bucket'), xmlText(body, 'Key'), xmlText(body, 'Location')]).toEqual([Bucket, 'user/photo.jpg', `${node.url}/${Bucket}/user/photo.jpg`]);
    expect(xmlText(body, 'ETag')).toBe(answer.headers.get('etag')?.replace(/"/g, '&quot;'));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'user/photo.jpg' }));
    expect([head.ContentType, head.Metadata, head.ContentLength]).toEqual(['image/jpeg', { owner: 'ana' }, 11]);
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'user/photo.jpg' }))).Body?.transformToString()).toBe('image bytes');
  });

  it('answers 204 by default, 200 when asked, and redirects to success_action_redirect with bucket, key and etag', async () => {
    const plain = await post(form({ key: 'a.txt', ...SIGV4, Policy: encodePolicy([{ bucket: Bucket }, { key: 'a.txt' }, ...SIGNED]), 'X-Amz-Signature': 'sig' }));
    expect(plain.status).toBe(204);
    expect(plain.headers.get('location')).toBe(`${node.url}/${Bucket}/a.txt`);
    expect(plain.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    const ok = await post(form({ key: 'b.txt', success_action_status: '200', ...SIGV4, Policy: encodePolicy([{ bucket: Bucket }, { key: 'b.txt' }, { success_action_status: '200' }, ...SIGNED]), 'X-Amz-Signature': 'sig' }));
    expect(ok.status).toBe(200);
    const redirect = 'https://app.example/done?from=form';
    const moved = await post(form({ key: 'c.txt', success_action_redirect: redirect, ...SIGV4, Policy: encodePolicy([{ bucket: Bucket }, { key: 'c.txt' }, { success_action_redirect: redirect }, ...SIGNED]), 'X-Amz-Signature': 'sig' }));
    expect(moved.status).toBe(303);
    const target = new URL(moved.headers.get('location')!);
    expect([target.origin + target.pathname, target.searchParams.get('from'), target.searchParams.get('bucket'), target.searchParams.get('key'), target.searchParams.get('etag')]).toEqual([
      'https://app.example/done',
      'form',
      Bucket,
      'c.txt',
      moved.headers.get('etag'),
    ]);
  });

  it('refuses what the policy does not allow, in S3’s words', async () => {
    const refusal = async (data: FormData) => {
      const answer = await post(data);
      const body = await answer.text();
      return [answer.status, xmlText(body, 'Code'), xmlText(body, 'Message')?.replace(/&quot;/g, '"').replace(/&apos;/g, "'")];
    };
    const base = { key: 'x.txt', ...SIGV4, 'X-Amz-Signature': 'sig' };
    // test_post_request_expires
    expect(await refusal(form({ ...base, Policy: encodePolicy([{ bucket: Bucket }, ...SIGNED], '2026-05-01T11:00:00Z') }))).toEqual([403, 'AccessDenied', 'Invalid according to Policy: Policy expired.']);
    // test_post_object_policy_conditions_validation_eq
    expect(await refusal(form({ ...base, Policy: encodePolicy([{ bucket: Bucket }, ['eq', '$key', 'other.txt'], ...SIGNED]) }))).toEqual([
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "other.txt"]',
    ]);
    expect(await refusal(form({ ...base, 'x-amz-meta-extra': '1', Policy: encodePolicy([{ bucket: Bucket }, { key: 'x.txt' }, ...SIGNED]) }))).toEqual([
      403,
      'AccessDenied',
      'Invalid according to Policy: Extra input fields: x-amz-meta-extra',
    ]);
    expect(await refusal(form({ ...base, Policy: encodePolicy([{ bucket: Bucket, key: 'x.txt' }]) }))).toEqual([
      400,
      'InvalidPolicyDocument',
      'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    ]);
    // test_post_request_missing_signature
    expect(await refusal(form({ key: 'x.txt', ...SIGV4, Policy: encodePolicy([{ bucket: Bucket }]) }))).toEqual([
      400,
      'InvalidArgument',
      "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields.",
    ]);
    // test_post_request_missing_fields: no signature fields and no policy is an anonymous upload.
    expect(await refusal(form({ key: 'x.txt' }))).toEqual([403, 'AccessDenied', 'Access Denied']);
  });

  it('checks content-length-range with EntityTooLarge and EntityTooSmall (test_post_object_policy_validation_size)', async () => {
    const policy = encodePolicy([{ bucket: Bucket }, { key: 'sized' }, ['content-length-range', 5, 10], ...SIGNED]);
    const fields = { key: 'sized', ...SIGV4, Policy: policy, 'X-Amz-Signature': 'sig' };
    const big = await post(form(fields, { body: 'a'.repeat(12) }));
    const bigBody = await big.text();
    expect([big.status, xmlText(bigBody, 'Code'), xmlText(bigBody, 'ProposedSize'), xmlText(bigBody, 'MaxSizeAllowed')]).toEqual([400, 'EntityTooLarge', '12', '10']);
    const small = await post(form(fields, { body: 'a' }));
    const smallBody = await small.text();
    expect([small.status, xmlText(smallBody, 'Code'), xmlText(smallBody, 'Message'), xmlText(smallBody, 'MinSizeAllowed')]).toEqual([400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', '5']);
    expect((await post(form(fields, { body: 'a'.repeat(10) }))).status).toBe(204);
  });
});
