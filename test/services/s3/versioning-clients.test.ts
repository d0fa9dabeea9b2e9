import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetObjectAclCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, boto3 } from './clients.js';
import { startS3, type S3Node } from './harness.js';

/** Each aws CLI run starts a Python interpreter: seconds apiece on a loaded two-core machine. */
const CLI_TIMEOUT_MS = 120_000;

/** Debian's aws CLI and boto3 against the node: the versioning, tagging and ACL calls tools and fixtures make. */
describe('S3 versions with the aws CLI and boto3', () => {
  let node: S3Node;
  let s3: S3Client;
  let home: string;
  const cli = async <T>(...args: string[]): Promise<T> => {
    const out = await aws(node.url, home, [...args, '--output', 'json']);
    return (out.trim() === '' ? {} : JSON.parse(out)) as T;
  };
  const cliFails = async (...args: string[]): Promise<string> => {
    const error = await aws(node.url, home, args).then(
      () => undefined,
      (e: { stderr?: string }) => e,
    );
    expect(error, `aws ${args.join(' ')} should fail`).toBeDefined();
    return error?.stderr ?? '';
  };

  beforeAll(async () => {
    node = await startS3();
    s3 = node.client();
    home = await mkdtemp(join(tmpdir(), 'flint-s3-cli-'));
  });
  afterAll(async () => {
    await node?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('versions a bucket with s3api and lists its versions and delete markers', async () => {
    // ACLs enabled and public ones allowed, for the put-object-acl below (new buckets have neither).
    await s3.send(new CreateBucketCommand({ Bucket: 'cli-versions', ObjectOwnership: 'ObjectWriter' }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'cli-versions' }));
    await cli('s3api', 'put-bucket-versioning', '--bucket', 'cli-versions', '--versioning-configuration', 'Status=Enabled');
    expect(await cli('s3api', 'get-bucket-versioning', '--bucket', 'cli-versions')).toEqual({ Status: 'Enabled' });
    const first = await s3.send(new PutObjectCommand({ Bucket: 'cli-versions', Key: 'k', Body: 'one', Tagging: 'a=1' }));
    await s3.send(new PutObjectCommand({ Bucket: 'cli-versions', Key: 'k', Body: 'two' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'cli-versions', Key: 'k' }));
    const listed = await cli<{ Versions: { VersionId: string; IsLatest: boolean }[]; DeleteMarkers: { IsLatest: boolean }[] }>('s3api', 'list-object-versions', '--bucket', 'cli-versions');
    expect(listed.Versions.map((v) => v.IsLatest)).toEqual([false, false]);
    expect(listed.Versions.at(-1)?.VersionId).toBe(first.VersionId);
    expect(listed.DeleteMarkers.map((m) => m.IsLatest)).toEqual([true]);
    const tagging = await cli<{ TagSet: unknown[]; VersionId: string }>('s3api', 'get-object-tagging', '--bucket', 'cli-versions', '--key', 'k', '--version-id', first.VersionId!);
    expect(tagging).toEqual({ TagSet: [{ Key: 'a', Value: '1' }], VersionId: first.VersionId });
    await cli('s3api', 'put-object-acl', '--bucket', 'cli-versions', '--key', 'k', '--version-id', first.VersionId!, '--acl', 'public-read');
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: 'cli-versions', Key: 'k', VersionId: first.VersionId }));
    expect(acl.Grants?.map((g) => g.Permission)).toEqual(['FULL_CONTROL', 'READ']);
  }, CLI_TIMEOUT_MS);

  it('syncs a folder, and rb --force empties and removes an unversioned bucket but not a versioned one, as on AWS', async () => {
    const folder = join(home, 'site');
    await mkdir(join(folder, 'css'), { recursive: true });
    await writeFile(join(folder, 'index.html'), '<h1>hi</h1>');
    await writeFile(join(folder, 'css', 'main.css'), 'h1 {}');
    for (const Bucket of ['cli-plain', 'cli-kept']) await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'cli-kept', VersioningConfiguration: { Status: 'Enabled' } }));
    for (const bucket of ['cli-plain', 'cli-kept']) await aws(node.url, home, ['s3', 'sync', folder, `s3://${bucket}`]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'cli-plain' }))).Contents?.map((o) => o.Key)).toEqual(['css/main.css', 'index.html']);
    await aws(node.url, home, ['s3', 'rb', 's3://cli-plain', '--force']);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).not.toContain('cli-plain');
    // rb --force removes the latest objects only: on a versioned bucket their versions remain, and S3 refuses.
    const refused = await cliFails('s3', 'rb', 's3://cli-kept', '--force');
    expect(refused).toContain('BucketNotEmpty');
    const left = await s3.send(new ListObjectVersionsCommand({ Bucket: 'cli-kept' }));
    expect(left.DeleteMarkers).toHaveLength(2);
    const objects = [...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({ Key: Key!, VersionId }));
    await s3.send(new DeleteObjectsCommand({ Bucket: 'cli-kept', Delete: { Objects: objects } }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'cli-kept' }));
  }, CLI_TIMEOUT_MS);

  it("empties a versioned bucket with boto3's object_versions.delete(), as test fixtures do", async () => {
    const result = await boto3<{ status: string; versions: number; latest: string; after: number; tags: unknown[] }>(
      node.url,
      home,
      `
import json, os, boto3
s3 = boto3.resource('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
client = s3.meta.client
bucket = s3.create_bucket(Bucket='py-versions')
bucket.Versioning().enable()
status = client.get_bucket_versioning(Bucket='py-versions')['Status']
for body in (b'one', b'two'):
    bucket.put_object(Key='k', Body=body)
client.put_object_tagging(Bucket='py-versions', Key='k', Tagging={'TagSet': [{'Key': 'x', 'Value': 'y'}]})
tags = client.get_object_tagging(Bucket='py-versions', Key='k')['TagSet']
client.delete_object(Bucket='py-versions', Key='k')
versions = list(bucket.object_versions.all())
latest = client.list_object_versions(Bucket='py-versions')['DeleteMarkers'][0]['IsLatest']
bucket.object_versions.delete()
after = len(list(bucket.object_versions.all()))
bucket.delete()
print(json.dumps({'status': status, 'versions': len(versions), 'latest': str(latest), 'after': after, 'tags': tags}))
`,
    );
    expect(result).toEqual({ status: 'Enabled', versions: 3, latest: 'True', after: 0, tags: [{ Key: 'x', Value: 'y' }] });
  }, CLI_TIMEOUT_MS);
});
