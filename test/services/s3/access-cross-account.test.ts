import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Failure, startS3, type S3Node } from './harness.js';

/**
 * A principal of another account (a session of arn:aws:iam::111111111111:role/X, from STS AssumeRole) gets only
 * what the bucket's policy or ACLs grant it; the node's own account keeps doing everything
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html).
 */
const OTHER_ACCOUNT = '111111111111';
const ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/X`;

let node: S3Node;
let owner: S3Client;
let outsider: S3Client;

beforeAll(async () => {
  node = await startS3();
  owner = node.client();
  const sts = new STSClient({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const { Credentials: credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'visitor' }));
  sts.destroy();
  outsider = node.client({ credentials: { accessKeyId: credentials!.AccessKeyId!, secretAccessKey: credentials!.SecretAccessKey!, sessionToken: credentials!.SessionToken! } });
});
afterAll(async () => {
  await node?.close();
});

async function bucketWith(name: string, key: string): Promise<void> {
  await owner.send(new CreateBucketCommand({ Bucket: name }));
  await owner.send(new PutObjectCommand({ Bucket: name, Key: key, Body: `body of ${key}` }));
}

const text = async (bucket: string, key: string): Promise<string> => (await (await outsider.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString());

describe('a principal of another account', () => {
  it('is denied by default and sees none of the owner’s buckets', async () => {
    await bucketWith('xacct-private', 'doc.txt');
    const denied = await s3Failure(outsider.send(new GetObjectCommand({ Bucket: 'xacct-private', Key: 'doc.txt' })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    expect((await s3Failure(outsider.send(new PutObjectCommand({ Bucket: 'xacct-private', Key: 'x', Body: 'x' })))).name).toBe('AccessDenied');
    expect((await s3Failure(outsider.send(new ListObjectsV2Command({ Bucket: 'xacct-private' })))).name).toBe('AccessDenied');

    const listed = await outsider.send(new ListBucketsCommand({}));
    expect(listed.Buckets ?? []).toEqual([]);
    expect(listed.Owner?.ID).not.toBe((await owner.send(new ListBucketsCommand({}))).Owner?.ID);
  });

  it('gets what a policy naming its account allows, and nothing more', async () => {
    await bucketWith('xacct-policy', 'doc.txt');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::xacct-policy/*' },
        { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::xacct-policy', Condition: { StringEquals: { 'aws:PrincipalAccount': OTHER_ACCOUNT } } },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 's3:GetBucketPolicy', Resource: 'arn:aws:s3:::xacct-policy' },
      ],
    });
    // Naming an account is not public: BlockPublicPolicy (on for new buckets) lets it through.
    await owner.send(new PutBucketPolicyCommand({ Bucket: 'xacct-policy', Policy: policy }));

    expect(await text('xacct-policy', 'doc.txt')).toBe('body of doc.txt');
    await outsider.send(new PutObjectCommand({ Bucket: 'xacct-policy', Key: 'from-outside.txt', Body: 'hello' }));
    expect(await text('xacct-policy', 'from-outside.txt')).toBe('hello');
    expect((await outsider.send(new ListObjectsV2Command({ Bucket: 'xacct-policy' }))).KeyCount).toBe(2);
    expect((await s3Failure(outsider.send(new DeleteObjectCommand({ Bucket: 'xacct-policy', Key: 'doc.txt' })))).name).toBe('AccessDenied');
    // Only the bucket owner's account may read a policy, even when the policy allows it: 405, as the API reference says.
    const policyRead = await s3Failure(outsider.send(new GetBucketPolicyCommand({ Bucket: 'xacct-policy' })));
    expect(policyRead.name).toBe('MethodNotAllowed');
    expect(policyRead.$metadata.httpStatusCode).toBe(405);
  });

  it('is not matched by a policy naming another account or role', async () => {
    await bucketWith('xacct-elsewhere', 'doc.txt');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ['222222222222', `arn:aws:iam::${OTHER_ACCOUNT}:role/Y`] }, Action: 's3:*', Resource: 'arn:aws:s3:::xacct-elsewhere/*' }],
    });
    await owner.send(new PutBucketPolicyCommand({ Bucket: 'xacct-elsewhere', Policy: policy }));
    expect((await s3Failure(outsider.send(new GetObjectCommand({ Bucket: 'xacct-elsewhere', Key: 'doc.txt' })))).name).toBe('AccessDenied');
  });

  it('gets what an object ACL grants its canonical id', async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'xacct-acl' }));
    await owner.send(new PutBucketOwnershipControlsCommand({ Bucket: 'xacct-acl', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    await owner.send(new PutObjectCommand({ Bucket: 'xacct-acl', Key: 'granted.txt', Body: 'granted' }));
    // Its canonical id, as ListBuckets shows it to that account.
    const id = (await outsider.send(new ListBucketsCommand({}))).Owner!.ID!;
    expect((await s3Failure(outsider.send(new GetObjectCommand({ Bucket: 'xacct-acl', Key: 'granted.txt' })))).name).toBe('AccessDenied');
    await owner.send(new PutObjectAclCommand({ Bucket: 'xacct-acl', Key: 'granted.txt', GrantRead: `id="${id}"` }));
    expect(await text('xacct-acl', 'granted.txt')).toBe('granted');
  });
});
