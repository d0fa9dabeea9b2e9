import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { startS3, type S3Node } from './harness.js';

/**
 * Bucket configurations through Debian's AWS CLI 2.9 (`aws s3api put-bucket-tagging`, `put-bucket-cors`,
 * `put-bucket-policy`, `get-bucket-*`) and boto3 1.26, whose botocore adds the Content-MD5 these operations require
 * and reads S3's answers its own way (GetBucketPolicy's bare JSON body, the not-found error codes).
 */
const execFileAsync = promisify(execFile);
/** Each CLI or Python start takes seconds on a busy machine; a test runs several. */
const CLI_TIMEOUT = 180_000;

let node: S3Node;
let home: string;

beforeAll(async () => {
  node = await startS3();
  home = mkdtempSync(join(tmpdir(), 'flint-s3-config-clients-'));
});
afterAll(async () => {
  await node?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("bucket configurations with Debian's AWS CLI", () => {
  const env = () => ({ PATH: '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' });
  const s3api = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await execFileAsync(AWS_CLI, ['s3api', ...args, '--endpoint-url', node.url, '--output', 'json'], { env: env(), cwd: home });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  };
  const refusal = (...args: string[]): Promise<string> =>
    execFileAsync(AWS_CLI, ['s3api', ...args, '--endpoint-url', node.url], { env: env(), cwd: home }).then(
      () => 'accepted',
      (error: { stderr: string }) => error.stderr.trim(),
    );

  it('puts and gets tags, CORS rules and a policy', { timeout: CLI_TIMEOUT }, async () => {
    await s3api('create-bucket', '--bucket', 'cli-config');
    await s3api('put-bucket-tagging', '--bucket', 'cli-config', '--tagging', 'TagSet=[{Key=team,Value=web},{Key=env,Value=dev}]');
    expect(await s3api('get-bucket-tagging', '--bucket', 'cli-config')).toEqual({ TagSet: [{ Key: 'team', Value: 'web' }, { Key: 'env', Value: 'dev' }] });

    const cors = { CORSRules: [{ AllowedOrigins: ['https://app.example'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], MaxAgeSeconds: 600 }] };
    await s3api('put-bucket-cors', '--bucket', 'cli-config', '--cors-configuration', JSON.stringify(cors));
    expect(await s3api('get-bucket-cors', '--bucket', 'cli-config')).toEqual(cors);

    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'owner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 's3:*', Resource: 'arn:aws:s3:::cli-config/*' }] });
    await s3api('put-bucket-policy', '--bucket', 'cli-config', '--policy', policy);
    expect(await s3api('get-bucket-policy', '--bucket', 'cli-config')).toEqual({ Policy: policy });

    expect(await s3api('get-bucket-encryption', '--bucket', 'cli-config')).toEqual({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] },
    });
    expect(await s3api('get-bucket-ownership-controls', '--bucket', 'cli-config')).toEqual({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
  });

  it('prints S3’s errors for a missing configuration and a malformed policy', { timeout: CLI_TIMEOUT }, async () => {
    await s3api('create-bucket', '--bucket', 'cli-empty');
    expect(await refusal('get-bucket-tagging', '--bucket', 'cli-empty')).toContain('An error occurred (NoSuchTagSet) when calling the GetBucketTagging operation: The TagSet does not exist');
    expect(await refusal('get-bucket-cors', '--bucket', 'cli-empty')).toContain('(NoSuchCORSConfiguration) when calling the GetBucketCors operation: The CORS configuration does not exist');
    expect(await refusal('get-bucket-policy', '--bucket', 'cli-empty')).toContain('(NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist');
    expect(await refusal('put-bucket-policy', '--bucket', 'cli-empty', '--policy', 'nope')).toContain(
      "(MalformedPolicy) when calling the PutBucketPolicy operation: Policies must be valid JSON and the first byte must be '{'",
    );
  });
});

describe("bucket configurations with Debian's boto3", () => {
  const PRELUDE = `
import json, sys, boto3, botocore.exceptions
session = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1')
s3 = session.client('s3', endpoint_url=sys.argv[1])
def error(call):
    try:
        call()
        return None
    except botocore.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
`;
  const python = async (script: string): Promise<unknown> => {
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', PRELUDE + script, node.url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
    return JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
  };

  it('reads every configuration Terraform reads, and writes lifecycle, public access block and ACL settings', { timeout: CLI_TIMEOUT }, async () => {
    const result = await python(`
s3.create_bucket(Bucket='py-config')
out = {}
out['lifecycle'] = error(lambda: s3.get_bucket_lifecycle_configuration(Bucket='py-config'))
s3.put_bucket_lifecycle_configuration(Bucket='py-config', LifecycleConfiguration={'Rules': [{'ID': 'tmp', 'Status': 'Enabled', 'Filter': {'Prefix': 'tmp/'}, 'Expiration': {'Days': 3}}]})
out['rules'] = s3.get_bucket_lifecycle_configuration(Bucket='py-config')['Rules']
out['replication'] = error(lambda: s3.get_bucket_replication(Bucket='py-config'))
out['lock'] = error(lambda: s3.get_object_lock_configuration(Bucket='py-config'))
out['website'] = error(lambda: s3.get_bucket_website(Bucket='py-config'))
out['block'] = s3.get_public_access_block(Bucket='py-config')['PublicAccessBlockConfiguration']
s3.put_public_access_block(Bucket='py-config', PublicAccessBlockConfiguration={'BlockPublicAcls': False, 'IgnorePublicAcls': False, 'BlockPublicPolicy': True, 'RestrictPublicBuckets': True})
s3.put_bucket_ownership_controls(Bucket='py-config', OwnershipControls={'Rules': [{'ObjectOwnership': 'ObjectWriter'}]})
s3.put_bucket_acl(Bucket='py-config', ACL='public-read')
out['grants'] = [g['Grantee'].get('URI', g['Grantee']['Type']) + ':' + g['Permission'] for g in s3.get_bucket_acl(Bucket='py-config')['Grants']]
out['payer'] = s3.get_bucket_request_payment(Bucket='py-config')['Payer']
out['accelerate'] = s3.get_bucket_accelerate_configuration(Bucket='py-config').get('Status')
out['versioning'] = s3.get_bucket_versioning(Bucket='py-config').get('Status')
out['logging'] = s3.get_bucket_logging(Bucket='py-config').get('LoggingEnabled')
print(json.dumps(out))
`);
    expect(result).toEqual({
      lifecycle: ['NoSuchLifecycleConfiguration', 404],
      rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 3 } }],
      replication: ['ReplicationConfigurationNotFoundError', 404],
      lock: ['ObjectLockConfigurationNotFoundError', 404],
      website: ['NoSuchWebsiteConfiguration', 404],
      block: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      grants: ['CanonicalUser:FULL_CONTROL', 'http://acs.amazonaws.com/groups/global/AllUsers:READ'],
      payer: 'BucketOwner',
      accelerate: null,
      versioning: null,
      logging: null,
    });
  });
});
