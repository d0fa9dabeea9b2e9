import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, boto3 } from './clients.js';
import { startS3, type S3Node } from './harness.js';

const CLI_TIMEOUT_MS = 180_000;

/** Object lock from Debian's aws CLI and boto3 1.26, as users script it (test_s3_api.py TestS3ObjectLock's calls). */
describe('S3 object lock from the aws CLI and boto3', () => {
  let node: S3Node;
  let home: string;

  beforeAll(async () => {
    node = await startS3();
    home = await mkdtemp(join(tmpdir(), 'flint-s3-lock-cli-'));
  });
  afterAll(async () => {
    await node?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('configures a locked bucket, retains and holds a version with the aws CLI', async () => {
    const cli = (...args: string[]) => aws(node.url, home, ['s3api', ...args, '--output', 'json']);
    await cli('create-bucket', '--bucket', 'cli-lock', '--object-lock-enabled-for-bucket');
    await cli(
      'put-object-lock-configuration',
      '--bucket',
      'cli-lock',
      '--object-lock-configuration',
      '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":1}}}',
    );
    const config = JSON.parse(await cli('get-object-lock-configuration', '--bucket', 'cli-lock')) as Record<string, unknown>;
    expect(config).toEqual({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } });
    const put = JSON.parse(await cli('put-object', '--bucket', 'cli-lock', '--key', 'k', '--body', '/etc/hostname')) as { VersionId: string };
    const until = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString();
    await cli('put-object-retention', '--bucket', 'cli-lock', '--key', 'k', '--version-id', put.VersionId, '--retention', `{"Mode":"GOVERNANCE","RetainUntilDate":"${until}"}`);
    await cli('put-object-legal-hold', '--bucket', 'cli-lock', '--key', 'k', '--legal-hold', '{"Status":"ON"}');
    const hold = JSON.parse(await cli('get-object-legal-hold', '--bucket', 'cli-lock', '--key', 'k')) as Record<string, unknown>;
    expect(hold).toEqual({ LegalHold: { Status: 'ON' } });
    const refused = await cli('delete-object', '--bucket', 'cli-lock', '--key', 'k', '--version-id', put.VersionId, '--bypass-governance-retention').catch((error: { stderr?: string }) => error.stderr ?? '');
    expect(refused).toContain('AccessDenied');
  }, CLI_TIMEOUT_MS);

  it('does the same from boto3', async () => {
    const answer = await boto3<Record<string, unknown>>(
      node.url,
      home,
      `
import boto3, json, os, datetime
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
s3.create_bucket(Bucket='boto-lock', ObjectLockEnabledForBucket=True)
until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)
put = s3.put_object(Bucket='boto-lock', Key='k', Body=b'x', ObjectLockMode='COMPLIANCE', ObjectLockRetainUntilDate=until)
head = s3.head_object(Bucket='boto-lock', Key='k')
retention = s3.get_object_retention(Bucket='boto-lock', Key='k')['Retention']
try:
    s3.delete_object(Bucket='boto-lock', Key='k', VersionId=put['VersionId'], BypassGovernanceRetention=True)
    refused = None
except ClientError as error:
    refused = error.response['Error']['Code']
marker = s3.delete_object(Bucket='boto-lock', Key='k')
print(json.dumps({'mode': head['ObjectLockMode'], 'retention': retention['Mode'], 'refused': refused, 'marker': marker.get('DeleteMarker')}))
`,
    );
    expect(answer).toEqual({ mode: 'COMPLIANCE', retention: 'COMPLIANCE', refused: 'AccessDenied', marker: true });
  }, CLI_TIMEOUT_MS);
});
