import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { createZip } from '../../src/functions/index.js';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { FakeClock } from '../../src/core/index.js';
import { FlintClient } from '../../src/cli/client.js';
import { ROOT_KEY_FILE } from '../../src/gateway/index.js';
import { AWS_CLI, DEBIAN_PYTHON } from '../helpers/clients.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { startAppNode } from '../helpers/app-node.js';
import { Sha256 } from '../helpers/sha256.js';

const run = promisify(execFile);

/**
 * Server mode with the real clients: SDK v3, Debian's AWS CLI 2.9 and boto3 1.26. A key Flint issued (an IAM
 * user's, an STS session's, the root key) works; anything else gets the error AWS sends for it (names and shapes:
 * src/gateway/auth/errors.ts cites the sources). The node runs on a FakeClock set to the real time, so tests move
 * it to expire URLs and skew requests.
 */
describe('server mode', () => {
  let t: TestNode;
  let clock: FakeClock;
  let user: { accessKeyId: string; secretAccessKey: string };
  let home: string;
  const region = 'us-east-1';

  const s3 = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new S3Client({ endpoint: t.node.url, region, credentials, forcePathStyle: true, maxAttempts: 1 });
  const ddb = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => new DynamoDBClient({ endpoint: t.node.url, region, credentials, maxAttempts: 1 });
  const env = (credentials: { accessKeyId: string; secretAccessKey: string }) => ({
    PATH: '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_PAGER: '',
  });
  const python = async (script: string, credentials = user) => (await run(DEBIAN_PYTHON, ['-c', script, t.node.url], { env: env(credentials), cwd: home })).stdout;

  beforeAll(async () => {
    clock = new FakeClock(Date.now(), 1);
    t = await startTestNode({ auth: true, clock });
    home = mkdtempSync(join(tmpdir(), 'flint-auth-home-'));
    const root = t.node.auth.rootKey!;
    const iam = new IAMClient({ endpoint: t.node.url, region, credentials: root });
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    // Server mode also evaluates IAM policies: alice is an administrator, so what is tested here is her signature.
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    user = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    await s3(user).send(new CreateBucketCommand({ Bucket: 'signed' }));
  });

  afterAll(async () => {
    await t.close();
  });

  it('makes a root key at first start, readable only by its owner', () => {
    expect(t.node.auth).toMatchObject({ mode: 'server', rootKey: { created: true } });
    expect(statSync(join(t.node.dataDir, ROOT_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  describe('S3', () => {
    it("takes an issued key's uploads (the SDK's aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER with a checksum) and reads", async () => {
      const client = s3(user);
      await client.send(new PutObjectCommand({ Bucket: 'signed', Key: 'a b+c.txt', Body: 'hello signed world', ChecksumAlgorithm: 'CRC32' }));
      const got = await client.send(new GetObjectCommand({ Bucket: 'signed', Key: 'a b+c.txt' }));
      expect(await got.Body!.transformToString()).toBe('hello signed world');
    });

    it('refuses a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId', async () => {
      await expect(s3({ ...user, secretAccessKey: 'wrong' }).send(new GetObjectCommand({ Bucket: 'signed', Key: 'a b+c.txt' }))).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(s3({ accessKeyId: 'AKIANOTISSUEDBYFLINT', secretAccessKey: 'x' }).send(new GetObjectCommand({ Bucket: 'signed', Key: 'a b+c.txt' }))).rejects.toMatchObject({
        name: 'InvalidAccessKeyId',
      });
    });

    it("answers presigned GETs by boto3 (SigV2, its default, and SigV4) and SDK v3's signer, until they expire", async () => {
      await s3(user).send(new PutObjectCommand({ Bucket: 'signed', Key: 'shared.txt', Body: 'presigned' }));
      const urls = JSON.parse(
        await python(`
import json, sys, boto3
from botocore.client import Config
session = boto3.session.Session(region_name='us-east-1')
v2 = session.client('s3', endpoint_url=sys.argv[1])
v4 = session.client('s3', endpoint_url=sys.argv[1], config=Config(signature_version='s3v4'))
args = {'Params': {'Bucket': 'signed', 'Key': 'shared.txt'}, 'ExpiresIn': 60}
print(json.dumps([v2.generate_presigned_url('get_object', **args), v4.generate_presigned_url('get_object', **args)]))
`),
      ) as string[];
      expect(urls[0]).toContain('AWSAccessKeyId=');
      expect(urls[1]).toContain('X-Amz-Signature=');
      // What @aws-sdk/s3-request-presigner does: S3's signer (path not encoded twice), the payload UNSIGNED-PAYLOAD.
      const signer = new SignatureV4({ credentials: user, region, service: 's3', sha256: Sha256, uriEscapePath: false });
      const url = new URL(`${t.node.url}/signed/shared.txt`);
      const presigned = await signer.presign(
        { method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, query: {} },
        { expiresIn: 60 },
      );
      urls.push(`${t.node.url}${presigned.path}?${new URLSearchParams(presigned.query as Record<string, string>)}`);
      for (const link of urls) expect(await (await fetch(link)).text()).toBe('presigned');

      const tampered = urls[1]!.replace('shared.txt', 'other.txt');
      const refused = await fetch(tampered);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code>.*<CanonicalRequest>/s);

      await clock.advance(2 * 60 * 1000);
      for (const link of urls) {
        const late = await fetch(link);
        expect(late.status).toBe(403);
        // S3's recording: test_presigned_url_signature_authentication_expired (AccessDenied, "Request has expired").
        expect(await late.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
      }
    });

    it('takes a POST policy upload signed by boto3 and refuses one whose policy was changed', async () => {
      const post = JSON.parse(
        await python(`
import json, sys, boto3
from botocore.client import Config
s3 = boto3.session.Session(region_name='us-east-1').client('s3', endpoint_url=sys.argv[1], config=Config(signature_version='s3v4'))
print(json.dumps(s3.generate_presigned_post('signed', 'posted.txt', Conditions=[['content-length-range', 1, 100]], ExpiresIn=300)))
`),
      ) as { url: string; fields: Record<string, string> };
      const send = (fields: Record<string, string>) => {
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        form.append('file', new Blob(['from a form']), 'posted.txt');
        return fetch(`${t.node.url}/signed`, { method: 'POST', body: form });
      };
      expect((await send(post.fields)).status).toBe(204);
      const changed = Buffer.from(Buffer.from(post.fields.policy!, 'base64').toString('utf8').replace('100', '1000000')).toString('base64');
      const refused = await send({ ...post.fields, policy: changed });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
      const got = await s3(user).send(new GetObjectCommand({ Bucket: 'signed', Key: 'posted.txt' }));
      expect(await got.Body!.transformToString()).toBe('from a form');
    });
  });

  describe('DynamoDB, SQS and STS', () => {
    it("take an issued user's key and an STS session's credentials", async () => {
      await ddb(user).send(new CreateTableCommand({ TableName: 'things', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
      await ddb(user).send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'one' } } }));
      const sts = new STSClient({ endpoint: t.node.url, region, credentials: user });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toMatch(/:user\/alice$/);
      const { Credentials } = await sts.send(new GetSessionTokenCommand({}));
      const session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
      expect((await ddb(session).send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'one' } } }))).Item).toEqual({ id: { S: 'one' } });
      // A session's key with another token is not that session (DynamoDB: UnrecognizedClientException).
      await expect(ddb({ ...session, sessionToken: 'forged' }).send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'one' } } }))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it("refuse a wrong secret and an unknown key each in the API's own terms", async () => {
      const get = new GetItemCommand({ TableName: 'things', Key: { id: { S: 'one' } } });
      await expect(ddb({ ...user, secretAccessKey: 'wrong' }).send(get)).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
      await expect(ddb({ accessKeyId: 'AKIANOTISSUEDBYFLINT', secretAccessKey: 'x' }).send(get)).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
      const sts = new STSClient({ endpoint: t.node.url, region, credentials: { accessKeyId: 'AKIANOTISSUEDBYFLINT', secretAccessKey: 'x' }, maxAttempts: 1 });
      await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
      const sqs = new SQSClient({ endpoint: t.node.url, region, credentials: { ...user, secretAccessKey: 'wrong' }, maxAttempts: 1 });
      await expect(sqs.send(new CreateQueueCommand({ QueueName: 'nope' }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    });

    it('every other API takes the issued key and refuses a wrong secret', async () => {
      const calls = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
        const config = { endpoint: t.node.url, region, credentials, maxAttempts: 1 };
        return {
          lambda: () => new LambdaClient(config).send(new ListFunctionsCommand({})),
          sns: () => new SNSClient(config).send(new ListTopicsCommand({})),
          iam: () => new IAMClient(config).send(new ListUsersCommand({})),
          logs: () => new CloudWatchLogsClient(config).send(new DescribeLogGroupsCommand({})),
          events: () => new EventBridgeClient(config).send(new ListEventBusesCommand({})),
          scheduler: () => new SchedulerClient(config).send(new ListSchedulesCommand({})),
          ssm: () => new SSMClient(config).send(new DescribeParametersCommand({})),
          secretsmanager: () => new SecretsManagerClient(config).send(new ListSecretsCommand({})),
        };
      };
      const good = calls(user);
      const bad = calls({ ...user, secretAccessKey: 'wrong' });
      for (const [name, call] of Object.entries(good)) {
        await expect(call(), name).resolves.toBeDefined();
        const refused = await bad[name as keyof typeof bad]().then(
          () => undefined,
          (error: { name: string; $metadata?: { httpStatusCode?: number } }) => ({ name: error.name, status: error.$metadata?.httpStatusCode }),
        );
        expect(refused, name).toMatchObject({ name: expect.stringMatching(/^(SignatureDoesNotMatch|InvalidSignatureException)$/) });
      }
    });

    it("take SQS over JSON (SDK v3) and over the query protocol (Debian's AWS CLI), and refuse the CLI's wrong secret", async () => {
      const sqs = new SQSClient({ endpoint: t.node.url, region, credentials: user });
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'signed-queue' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'json' }));
      const cli = (credentials: { accessKeyId: string; secretAccessKey: string }, ...args: string[]) => run(AWS_CLI, ['--endpoint-url', t.node.url, 'sqs', ...args], { env: env(credentials) });
      const { stdout } = await cli(user, 'receive-message', '--queue-url', QueueUrl!);
      expect((JSON.parse(stdout) as { Messages: { Body: string }[] }).Messages[0]!.Body).toBe('json');
      await expect(cli({ ...user, secretAccessKey: 'wrong' }, 'list-queues')).rejects.toMatchObject({ stderr: expect.stringContaining('SignatureDoesNotMatch') });
    });

    it('refuse requests without credentials: MissingAuthenticationTokenException (DynamoDB, Lambda)', async () => {
      const json = await fetch(t.node.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
      expect(json.status).toBe(400);
      expect(await json.json()).toMatchObject({ __type: expect.stringContaining('MissingAuthenticationTokenException'), message: 'Request is missing Authentication Token' });
      const incomplete = await fetch(t.node.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `AWS4-HMAC-SHA256 Credential=${user.accessKeyId}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host` },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(incomplete.status).toBe(403);
      expect(await incomplete.text()).toContain('<Code>IncompleteSignature</Code>');
      const lambda = await fetch(`${t.node.url}/2015-03-31/functions/`);
      expect(lambda.status).toBe(403);
      expect(lambda.headers.get('x-amzn-errortype')).toContain('MissingAuthenticationTokenException');
    });
  });

  describe('an AWS_IAM function URL', () => {
    it('runs for a signature that verifies and answers 403 to one that does not', async () => {
      const lambda = new LambdaClient({ endpoint: t.node.url, region, credentials: user });
      const code = createZip([{ path: 'index.py', data: Buffer.from("def handler(event, context):\n    return {'statusCode': 200, 'body': 'ran'}\n"), mode: 0o644 }]);
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'iam-url', Runtime: 'python3.11', Role: 'arn:aws:iam::000000000000:role/url', Handler: 'index.handler', Code: { ZipFile: code } }));
      const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'iam-url', AuthType: 'AWS_IAM' }));
      const url = new URL(`${t.node.url}/_flint/url/${new URL(FunctionUrl!).hostname.split('.')[0]}/`);
      const call = async (credentials: { accessKeyId: string; secretAccessKey: string }) => {
        const signer = new SignatureV4({ service: 'lambda', region, credentials, sha256: Sha256 });
        const signed = await signer.sign({ method: 'GET', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host } });
        return fetch(url, { headers: signed.headers as Record<string, string> });
      };
      const ran = await call(user);
      expect(await ran.text()).toBe('ran');
      expect((await call({ ...user, secretAccessKey: 'wrong' })).status).toBe(403);
    });
  });

  describe("Flint's CLI", () => {
    it('signs its admin and Lambda calls with the root key; unsigned admin calls are refused', async () => {
      await expect(new FlintClient(t.node.url, t.node.auth.rootKey).functions()).resolves.toBeInstanceOf(Array);
      await expect(new FlintClient(t.node.url, undefined).functions()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      expect((await fetch(`${t.node.url}/_flint/health`)).status).toBe(200);
    });
  });

  describe('time', () => {
    it('refuses requests dated beyond the allowed skew (S3: RequestTimeTooSkewed, 15 min) and expired sessions (ExpiredToken)', async () => {
      const sts = new STSClient({ endpoint: t.node.url, region, credentials: user });
      const { Credentials } = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
      const session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
      const ahead = 20 * 60 * 1000;
      await clock.advance(ahead);
      await expect(s3(user).send(new GetObjectCommand({ Bucket: 'signed', Key: 'shared.txt' }))).rejects.toMatchObject({ name: 'RequestTimeTooSkewed', $metadata: { httpStatusCode: 403 } });
      // A client whose clock agrees with the node's: the signature is on time, the 15-minute session is over.
      const onTime = new DynamoDBClient({ endpoint: t.node.url, region, credentials: session, maxAttempts: 1, systemClockOffset: clock.now() - Date.now() });
      await expect(onTime.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'ExpiredTokenException', message: 'The security token included in the request is expired' });
      // DynamoDB's window is 5 minutes: "Signature expired" as InvalidSignatureException.
      await expect(ddb(user).send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than/) });
    });
  });
});

describe('local mode', () => {
  it('accepts any credentials, as before', async () => {
    const t = await startTestNode();
    try {
      expect(t.node.auth.mode).toBe('local');
      const client = new DynamoDBClient({ endpoint: t.node.url, region: 'us-east-1', credentials: { accessKeyId: 'anything', secretAccessKey: 'at all' } });
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe("functions' own SDK calls in server mode", () => {
  it("are signed with their role's session, which the node accepts and holds to the role's policies", async () => {
    const handler = `import os, boto3
def handler(event, context):
    endpoint = os.environ['AWS_ENDPOINT_URL']
    who = boto3.client('sts', endpoint_url=endpoint).get_caller_identity()['Arn']
    tables = boto3.client('dynamodb', endpoint_url=endpoint).list_tables()['TableNames']
    return {'statusCode': 200, 'body': who + ' ' + str(len(tables))}
`;
    const app = await startAppNode(
      {
        'flint.yaml': 'app: signed\nfunctions:\n  who:\n    runtime: python3.11\n    handler: handler.handler\n    policies:\n      - { Effect: Allow, Action: dynamodb:ListTables, Resource: "*" }\n    events:\n      - http: GET /who\n',
        'handler.py': handler,
      },
      { auth: true },
    );
    try {
      const answer = await fetch(`${app.node.url}/who`);
      // Server mode evaluates policies: the role allows ListTables, so the call succeeds as the role's session.
      expect(await answer.text()).toBe('arn:aws:sts::000000000000:assumed-role/signed-who-role/who 0');
    } finally {
      await app.close();
    }
  });
});
