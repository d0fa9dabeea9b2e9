import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, boto3 } from './clients.js';
import { raw, xmlText, type RawResponse } from './http.js';
import { startS3, type S3Node } from './harness.js';

/**
 * Unsigned requests (no Authorization, no presigned query), as a browser or curl sends them. S3 answers them 403
 * AccessDenied ("Access Denied", with RequestId and HostId) unless the bucket policy or an ACL lets everyone in
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html, "Granting read-only permission
 * to a public anonymous user"; https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html). New buckets
 * block public access and disable ACLs, so each test first turns that off with the SDK, as a user must.
 */
let node: S3Node;
let s3: S3Client;
let home: string;

beforeAll(async () => {
  node = await startS3();
  s3 = node.client();
  home = mkdtempSync(join(tmpdir(), 'flint-s3-anonymous-'));
});
afterAll(async () => {
  await node?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** An unsigned fetch() of a path-style URL on the node. */
const anonymous = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${node.url}${path}`, init);

/** An unsigned request to a virtual-hosted address (bucket.s3.localhost), which fetch() cannot name. */
const hosted = (host: string, path: string, method = 'GET', body?: string): Promise<RawResponse> =>
  raw(node.url, { method, path, unsigned: true, headers: { host: `${host}:${node.port}` }, body });

async function bucketWithObjects(name: string, keys: string[]): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: `body of ${key}` }));
}

const publicRead = (bucket: string, extra: object[] = []): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }, ...extra],
  });

async function expectDenied(response: Response | RawResponse): Promise<void> {
  const text = response instanceof Response ? await response.text() : response.text;
  expect(response.status).toBe(403);
  expect(xmlText(text, 'Code')).toBe('AccessDenied');
  expect(xmlText(text, 'Message')).toBe('Access Denied');
  expect(xmlText(text, 'RequestId')).toBeTruthy();
  expect(xmlText(text, 'HostId')).toBeTruthy();
}

describe('anonymous requests by default', () => {
  it('are denied GET, HEAD and PUT on objects and listing, path style and virtual-hosted', async () => {
    await bucketWithObjects('anon-private', ['doc.txt']);
    await expectDenied(await anonymous('/anon-private/doc.txt'));
    const head = await anonymous('/anon-private/doc.txt', { method: 'HEAD' });
    expect(head.status).toBe(403);
    expect(head.headers.get('x-amz-request-id')).toBeTruthy();
    await expectDenied(await anonymous('/anon-private/new.txt', { method: 'PUT', body: 'x' }));
    await expectDenied(await anonymous('/anon-private?list-type=2'));
    await expectDenied(await hosted('anon-private.s3.localhost', '/doc.txt'));
    await expectDenied(await hosted('anon-private.localhost', '/doc.txt'));
    await expectDenied(await hosted('anon-private.s3.us-east-1.amazonaws.com', '/doc.txt', 'PUT', 'x'));
    // ListBuckets is never anonymous.
    await expectDenied(await hosted('s3.localhost', '/'));
  });

  it('answer NoSuchBucket for a bucket that does not exist, on an S3 host', async () => {
    const response = await hosted('no-such-bucket-here.s3.localhost', '/key');
    expect(response.status).toBe(404);
    expect(xmlText(response.text, 'Code')).toBe('NoSuchBucket');
  });

  it('leave unsigned requests that name no bucket to the HTTP APIs (their 404)', async () => {
    const response = await anonymous('/not-a-bucket/anything');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });
});

describe('a public-read bucket policy', () => {
  it('lets anyone GET and HEAD objects, not PUT or list; RestrictPublicBuckets takes it back', async () => {
    await bucketWithObjects('anon-policy', ['site/index.html']);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'anon-policy' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'anon-policy', Policy: publicRead('anon-policy') }));

    const got = await anonymous('/anon-policy/site/index.html');
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('body of site/index.html');
    expect((await anonymous('/anon-policy/site/index.html', { method: 'HEAD' })).status).toBe(200);
    expect((await hosted('anon-policy.s3.localhost', '/site/index.html')).text).toBe('body of site/index.html');
    await expectDenied(await anonymous('/anon-policy/site/new.html', { method: 'PUT', body: 'x' }));
    await expectDenied(await anonymous('/anon-policy?list-type=2'));
    // Without s3:ListBucket, a missing key is 403, not 404 (S3 does not tell outsiders what exists).
    await expectDenied(await anonymous('/anon-policy/site/missing.html'));

    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'anon-policy', PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    await expectDenied(await anonymous('/anon-policy/site/index.html'));
  });

  it('loses to an explicit Deny', async () => {
    await bucketWithObjects('anon-deny', ['open/a.txt', 'secret/b.txt']);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'anon-deny' }));
    const deny = { Sid: 'NoSecrets', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:Get*', Resource: 'arn:aws:s3:::anon-deny/secret/*' };
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'anon-deny', Policy: publicRead('anon-deny', [deny]) }));
    expect((await anonymous('/anon-deny/open/a.txt')).status).toBe(200);
    await expectDenied(await anonymous('/anon-deny/secret/b.txt'));
  });

  it('applies only where its conditions hold (s3:prefix, aws:SourceIp)', async () => {
    await bucketWithObjects('anon-conditions', ['public/a.txt', 'private/b.txt']);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'anon-conditions' }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::anon-conditions', Condition: { StringLike: { 's3:prefix': 'public/*' } } },
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::anon-conditions/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::anon-conditions/public/*', Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } },
      ],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'anon-conditions', Policy: policy }));

    const listed = await anonymous('/anon-conditions?list-type=2&prefix=public/');
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain('<Key>public/a.txt</Key>');
    await expectDenied(await anonymous('/anon-conditions?list-type=2'));
    await expectDenied(await anonymous('/anon-conditions?list-type=2&prefix=private/'));
    // The node sees this test's requests from loopback: only the loopback statement's objects are readable.
    expect((await anonymous('/anon-conditions/public/a.txt')).status).toBe(200);
    await expectDenied(await anonymous('/anon-conditions/private/b.txt'));
  });
});

describe('public ACLs', () => {
  it('let anyone read an object with a public-read ACL once ACLs are enabled; IgnorePublicAcls takes it back', async () => {
    await bucketWithObjects('anon-acl', []);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'anon-acl' }));
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: 'anon-acl', OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await s3.send(new PutObjectCommand({ Bucket: 'anon-acl', Key: 'shared.txt', Body: 'shared', ACL: 'public-read' }));
    await s3.send(new PutObjectCommand({ Bucket: 'anon-acl', Key: 'own.txt', Body: 'own' }));

    const shared = await anonymous('/anon-acl/shared.txt');
    expect(shared.status).toBe(200);
    expect(await shared.text()).toBe('shared');
    await expectDenied(await anonymous('/anon-acl/own.txt'));
    // READ_ACP was not granted.
    await expectDenied(await anonymous('/anon-acl/shared.txt?acl'));

    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'anon-acl', PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    await expectDenied(await anonymous('/anon-acl/shared.txt'));
  });

  it('let anyone list and write a bucket with a public-read-write ACL', async () => {
    await bucketWithObjects('anon-acl-write', []);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'anon-acl-write' }));
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: 'anon-acl-write', OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await s3.send(new PutBucketAclCommand({ Bucket: 'anon-acl-write', ACL: 'public-read-write' }));

    expect((await anonymous('/anon-acl-write/dropped.txt', { method: 'PUT', body: 'from anyone' })).status).toBe(200);
    const listed = await anonymous('/anon-acl-write?list-type=2');
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain('<Key>dropped.txt</Key>');
    expect((await hosted('anon-acl-write.localhost', '/second.txt', 'PUT', 'again')).status).toBe(200);
    // The bucket ACL grants WRITE, not READ on the objects written.
    await expectDenied(await anonymous('/anon-acl-write/dropped.txt'));
    expect((await anonymous('/anon-acl-write/dropped.txt', { method: 'DELETE' })).status).toBe(204);
  });

  it('do not count while the bucket owner enforces ownership (ACLs disabled)', async () => {
    await bucketWithObjects('anon-acl-enforced', []);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'anon-acl-enforced' }));
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: 'anon-acl-enforced', OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await s3.send(new PutObjectCommand({ Bucket: 'anon-acl-enforced', Key: 'was-public.txt', Body: 'x', ACL: 'public-read' }));
    expect((await anonymous('/anon-acl-enforced/was-public.txt')).status).toBe(200);
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: 'anon-acl-enforced', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
    await expectDenied(await anonymous('/anon-acl-enforced/was-public.txt'));
  });
});

describe("anonymous clients (aws --no-sign-request, boto3's UNSIGNED)", () => {
  it('read a public object and are refused a private one', { timeout: 180_000 }, async () => {
    await bucketWithObjects('anon-tools', ['public/a.txt', 'private/b.txt']);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'anon-tools' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'anon-tools', Policy: publicRead('anon-tools').replace('anon-tools/*', 'anon-tools/public/*') }));

    const out = join(home, 'a.txt');
    await aws(node.url, home, ['--no-sign-request', 's3', 'cp', 's3://anon-tools/public/a.txt', out]);
    const refused = await aws(node.url, home, ['--no-sign-request', 's3api', 'get-object', '--bucket', 'anon-tools', '--key', 'private/b.txt', join(home, 'b.txt')]).then(
      () => 'accepted',
      (error: { stderr: string }) => error.stderr,
    );
    expect(refused).toContain('An error occurred (AccessDenied) when calling the GetObject operation: Access Denied');

    const script = `
import json, os, boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], config=Config(signature_version=UNSIGNED))
body = s3.get_object(Bucket='anon-tools', Key='public/a.txt')['Body'].read().decode()
try:
    s3.get_object(Bucket='anon-tools', Key='private/b.txt')
    error = None
except ClientError as e:
    error = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({'body': body, 'error': error}))
`;
    expect(await boto3(node.url, home, script)).toEqual({ body: 'body of public/a.txt', error: ['AccessDenied', 403] });
  });
});
