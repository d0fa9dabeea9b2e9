import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAclCommand,
  PutBucketOwnershipControlsCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from './clients.js';
import { s3Failure, startS3, type S3Node } from './harness.js';

/**
 * With ObjectOwnership BucketOwnerEnforced (every new bucket's default since April 2023) ACLs are disabled: writes
 * that set an object ACL other than bucket-owner-full-control, and every PutObjectAcl, fail with 400
 * AccessControlListNotSupported "The bucket does not allow ACLs"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ensure-object-ownership.html).
 */
const CLI_TIMEOUT = 180_000;

let node: S3Node;
let s3: S3Client;
let home: string;

beforeAll(async () => {
  node = await startS3();
  s3 = node.client();
  home = mkdtempSync(join(tmpdir(), 'flint-s3-ownership-'));
  await s3.send(new CreateBucketCommand({ Bucket: 'enforced' }));
  await s3.send(new PutObjectCommand({ Bucket: 'enforced', Key: 'doc.txt', Body: 'doc' }));
});
afterAll(async () => {
  await node?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function expectAclsRefused(call: Promise<unknown>): Promise<void> {
  const error = await s3Failure(call);
  expect(error.name).toBe('AccessControlListNotSupported');
  expect(error.message).toBe('The bucket does not allow ACLs');
  expect(error.$metadata.httpStatusCode).toBe(400);
}

describe('a bucket whose owner enforces ownership (SDK v3)', () => {
  it('refuses object ACLs on writes but takes bucket-owner-full-control', async () => {
    await expectAclsRefused(s3.send(new PutObjectCommand({ Bucket: 'enforced', Key: 'a.txt', Body: 'a', ACL: 'public-read' })));
    await expectAclsRefused(s3.send(new PutObjectCommand({ Bucket: 'enforced', Key: 'a.txt', Body: 'a', GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })));
    await expectAclsRefused(s3.send(new CopyObjectCommand({ Bucket: 'enforced', Key: 'b.txt', CopySource: 'enforced/doc.txt', ACL: 'private' })));
    await expectAclsRefused(s3.send(new CreateMultipartUploadCommand({ Bucket: 'enforced', Key: 'c.txt', ACL: 'authenticated-read' })));
    await s3.send(new PutObjectCommand({ Bucket: 'enforced', Key: 'd.txt', Body: 'd', ACL: 'bucket-owner-full-control' }));
    await s3.send(new PutObjectCommand({ Bucket: 'enforced', Key: 'e.txt', Body: 'e' }));
  });

  it('refuses PutObjectAcl and still answers GetObjectAcl', async () => {
    await expectAclsRefused(s3.send(new PutObjectAclCommand({ Bucket: 'enforced', Key: 'doc.txt', ACL: 'public-read' })));
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: 'enforced', Key: 'doc.txt' }));
    expect(acl.Grants).toEqual([{ Grantee: { ID: acl.Owner?.ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }]);
  });

  it('takes object ACLs once ownership is ObjectWriter', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'writer-owned' }));
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: 'writer-owned', OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await s3.send(new PutObjectCommand({ Bucket: 'writer-owned', Key: 'a.txt', Body: 'a', ACL: 'private' }));
    await s3.send(new PutObjectAclCommand({ Bucket: 'writer-owned', Key: 'a.txt', ACL: 'private' }));
    // Public ACLs stay refused while BlockPublicAcls (on for new buckets) is on: 403 AccessDenied.
    const blocked = await s3Failure(s3.send(new PutObjectAclCommand({ Bucket: 'writer-owned', Key: 'a.txt', ACL: 'public-read' })));
    expect(blocked.name).toBe('AccessDenied');
  });
});

describe("a bucket whose owner enforces ownership (Debian's AWS CLI)", () => {
  const refusal = (args: string[]): Promise<string> =>
    aws(node.url, home, args).then(
      () => 'accepted',
      (error: { stderr: string }) => error.stderr.trim(),
    );

  it('refuses put-object --acl, put-object-acl and s3 cp --acl', { timeout: CLI_TIMEOUT }, async () => {
    expect(await refusal(['s3api', 'put-object', '--bucket', 'enforced', '--key', 'cli.txt', '--acl', 'public-read'])).toContain(
      'An error occurred (AccessControlListNotSupported) when calling the PutObject operation: The bucket does not allow ACLs',
    );
    expect(await refusal(['s3api', 'put-object-acl', '--bucket', 'enforced', '--key', 'doc.txt', '--acl', 'private'])).toContain(
      'An error occurred (AccessControlListNotSupported) when calling the PutObjectAcl operation: The bucket does not allow ACLs',
    );
    const file = join(home, 'upload.txt');
    writeFileSync(file, 'upload');
    expect(await refusal(['s3', 'cp', file, 's3://enforced/upload.txt', '--acl', 'public-read'])).toContain('AccessControlListNotSupported');
    expect(await refusal(['s3api', 'put-object', '--bucket', 'enforced', '--key', 'cli.txt', '--acl', 'bucket-owner-full-control'])).toBe('accepted');
  });
});
