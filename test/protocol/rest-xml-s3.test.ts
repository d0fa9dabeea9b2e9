import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEnv, startTestNode, type TestNode } from '../helpers/node.js';
import { AWS_CLI, DEBIAN_PYTHON } from '../helpers/clients.js';

/**
 * rest-xml, as S3 speaks it, on the node the product assembles, with the three clients people use: parse (a
 * CreateBucketConfiguration and a Delete document, header bindings such as Content-Type, Cache-Control and
 * x-amz-meta-*, query bindings such as prefix, delimiter and max-keys), S3's errors in its own words, and
 * serialisation (headers, ListBucketResult, DeleteResult, GetBucketLocation's bare constraint).
 *
 * What AWS answers comes from LocalStack's snapshot tests, recordings of real S3
 * (localstack/localstack tests/aws/services/s3/):
 * - test_s3.snapshot.json, TestS3::test_s3_uppercase_bucket_name: InvalidBucketName, "The specified bucket is not
 *   valid.", with BucketName;
 * - test_s3_list_operations.snapshot.json, TestS3ListObjectsV2::test_list_ops_encoding_type_validation:
 *   InvalidArgument, "Invalid Encoding Method specified in Request", ArgumentName encoding-type, ArgumentValue;
 * - test_s3.snapshot.json, TestS3::test_get_object_no_such_bucket and the NoSuchKey records: "The specified key
 *   does not exist." / "The specified bucket does not exist";
 * - test_s3.snapshot.json, TestS3::test_s3_batch_delete_objects: DeleteObjects answers Deleted with each Key.
 */

const run = promisify(execFile);

/** What every client must see, whatever its language. */
const EXPECTED = {
  location: 'eu-west-1',
  head: { ContentType: 'text/plain', CacheControl: 'max-age=60', Metadata: { color: 'blue' }, ContentLength: 5 },
  page: { KeyCount: 2, IsTruncated: true, Keys: ['dir/a.txt'], Prefixes: ['dir/sub/'] },
  deleted: ['dir/a.txt', 'dir/z.txt'],
  invalidBucket: { Code: 'InvalidBucketName', Message: 'The specified bucket is not valid.', BucketName: 'Bad_Bucket' },
  invalidEncoding: { Code: 'InvalidArgument', Message: 'Invalid Encoding Method specified in Request', ArgumentName: 'encoding-type', ArgumentValue: 'bogus' },
  noSuchKey: { Code: 'NoSuchKey', Message: 'The specified key does not exist.', Key: 'missing.txt' },
};

describe('rest-xml (S3) with SDK v3, boto3 and the AWS CLI', () => {
  let test: TestNode;
  let home: string;

  beforeAll(async () => {
    test = await startTestNode();
    home = await mkdtemp(join(tmpdir(), 'flint-s3-protocol-'));
    await writeFile(join(home, 'hello.txt'), 'hello');
  });
  afterAll(async () => {
    await test?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('SDK v3: parses bindings and documents, words S3 errors, serialises outputs', async () => {
    const s3 = new S3Client({ ...test.config, forcePathStyle: true, maxAttempts: 1 });
    const Bucket = 'sdk-proto';
    await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint).toBe(EXPECTED.location);
    for (const Key of ['dir/a.txt', 'dir/z.txt', 'dir/sub/c.txt']) {
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'hello', ContentType: 'text/plain', CacheControl: 'max-age=60', Metadata: { color: 'blue' } }));
    }
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dir/a.txt' }));
    expect({ ContentType: head.ContentType, CacheControl: head.CacheControl, Metadata: head.Metadata, ContentLength: head.ContentLength }).toEqual(EXPECTED.head);
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'dir/', Delimiter: '/', MaxKeys: 2 }));
    expect({ KeyCount: page.KeyCount, IsTruncated: page.IsTruncated, Keys: page.Contents?.map((o) => o.Key), Prefixes: page.CommonPrefixes?.map((p) => p.Prefix) }).toEqual(EXPECTED.page);
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'dir/a.txt' }, { Key: 'dir/z.txt' }] } }));
    expect(deleted.Deleted?.map((d) => d.Key)).toEqual(EXPECTED.deleted);

    const sdkError = async (promise: Promise<unknown>): Promise<Record<string, unknown>> => {
      const error = await promise.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(S3ServiceException);
      return error as Record<string, unknown>;
    };
    const badName = await sdkError(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Bucket' })));
    expect({ Code: badName.name, Message: badName.message, BucketName: badName.BucketName }).toEqual(EXPECTED.invalidBucket);
    const badEncoding = await sdkError(s3.send(new ListObjectsV2Command({ Bucket, EncodingType: 'bogus' as 'url' })));
    expect({ Code: badEncoding.name, Message: badEncoding.message, ArgumentName: badEncoding.ArgumentName, ArgumentValue: badEncoding.ArgumentValue }).toEqual(EXPECTED.invalidEncoding);
    const missing = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'missing.txt' })));
    expect({ Code: missing.name, Message: missing.message, Key: missing.Key }).toEqual(EXPECTED.noSuchKey);
    expect((missing.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(404);
    s3.destroy();
  });

  it("Debian's boto3: the same parse, errors and outputs", { timeout: 60_000 }, async () => {
    const script = `
import boto3, json, os
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
B = 'py-proto'
s3.create_bucket(Bucket=B, CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
out = {'location': s3.get_bucket_location(Bucket=B)['LocationConstraint']}
for key in ['dir/a.txt', 'dir/z.txt', 'dir/sub/c.txt']:
    s3.put_object(Bucket=B, Key=key, Body=b'hello', ContentType='text/plain', CacheControl='max-age=60', Metadata={'color': 'blue'})
h = s3.head_object(Bucket=B, Key='dir/a.txt')
out['head'] = {'ContentType': h['ContentType'], 'CacheControl': h['CacheControl'], 'Metadata': h['Metadata'], 'ContentLength': h['ContentLength']}
p = s3.list_objects_v2(Bucket=B, Prefix='dir/', Delimiter='/', MaxKeys=2)
out['page'] = {'KeyCount': p['KeyCount'], 'IsTruncated': p['IsTruncated'], 'Keys': [o['Key'] for o in p['Contents']], 'Prefixes': [c['Prefix'] for c in p['CommonPrefixes']]}
d = s3.delete_objects(Bucket=B, Delete={'Objects': [{'Key': 'dir/a.txt'}, {'Key': 'dir/z.txt'}]})
out['deleted'] = [x['Key'] for x in d['Deleted']]
def error(call):
    try:
        call()
    except ClientError as e:
        return e.response['Error']
out['invalidBucket'] = error(lambda: s3.create_bucket(Bucket='Bad_Bucket'))
out['invalidEncoding'] = error(lambda: s3.list_objects_v2(Bucket=B, EncodingType='bogus'))
out['noSuchKey'] = error(lambda: s3.get_object(Bucket=B, Key='missing.txt'))
print(json.dumps(out))
`;
    const { stdout } = await run(DEBIAN_PYTHON, ['-c', script], { env: { ...clientEnv(test.node), ENDPOINT: test.node.url }, cwd: home });
    const out = JSON.parse(stdout) as Record<string, Record<string, unknown>>;
    expect(out).toMatchObject(EXPECTED);
  });

  it("Debian's AWS CLI (s3api): the same parse, errors and outputs", { timeout: 120_000 }, async () => {
    const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
      const { stdout } = await run(AWS_CLI, ['--endpoint-url', test.node.url, '--output', 'json', 's3api', ...args], { env: clientEnv(test.node), cwd: home });
      return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
    };
    const awsError = async (...args: string[]): Promise<string> => {
      const failed = await aws(...args).then(
        () => undefined,
        (error: { stderr: string }) => error.stderr,
      );
      expect(failed).toBeDefined();
      return failed!;
    };
    const bucket = 'cli-proto';
    await aws('create-bucket', '--bucket', bucket, '--create-bucket-configuration', 'LocationConstraint=eu-west-1');
    expect((await aws('get-bucket-location', '--bucket', bucket)).LocationConstraint).toBe(EXPECTED.location);
    for (const key of ['dir/a.txt', 'dir/z.txt', 'dir/sub/c.txt']) {
      await aws('put-object', '--bucket', bucket, '--key', key, '--body', 'hello.txt', '--content-type', 'text/plain', '--cache-control', 'max-age=60', '--metadata', 'color=blue');
    }
    const head = await aws('head-object', '--bucket', bucket, '--key', 'dir/a.txt');
    expect({ ContentType: head.ContentType, CacheControl: head.CacheControl, Metadata: head.Metadata, ContentLength: head.ContentLength }).toEqual(EXPECTED.head);
    const page = (await aws('list-objects-v2', '--bucket', bucket, '--prefix', 'dir/', '--delimiter', '/', '--max-keys', '2', '--no-paginate')) as {
      KeyCount: number;
      IsTruncated: boolean;
      Contents: { Key: string }[];
      CommonPrefixes: { Prefix: string }[];
    };
    expect({ KeyCount: page.KeyCount, IsTruncated: page.IsTruncated, Keys: page.Contents.map((o) => o.Key), Prefixes: page.CommonPrefixes.map((p) => p.Prefix) }).toEqual(EXPECTED.page);
    const deleted = (await aws('delete-objects', '--bucket', bucket, '--delete', JSON.stringify({ Objects: [{ Key: 'dir/a.txt' }, { Key: 'dir/z.txt' }] }))) as { Deleted: { Key: string }[] };
    expect(deleted.Deleted.map((d) => d.Key)).toEqual(EXPECTED.deleted);

    // The CLI prints "An error occurred (<Code>) when calling the <Operation> operation: <Message>".
    const worded = (error: { Code: string; Message: string }, operation: string) => `An error occurred (${error.Code}) when calling the ${operation} operation: ${error.Message}`;
    expect(await awsError('create-bucket', '--bucket', 'Bad_Bucket')).toContain(worded(EXPECTED.invalidBucket, 'CreateBucket'));
    expect(await awsError('list-objects-v2', '--bucket', bucket, '--encoding-type', 'bogus')).toContain(worded(EXPECTED.invalidEncoding, 'ListObjectsV2'));
    expect(await awsError('get-object', '--bucket', bucket, '--key', 'missing.txt', 'out.txt')).toContain(worded(EXPECTED.noSuchKey, 'GetObject'));
  });
});
