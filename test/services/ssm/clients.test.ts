import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../../src/functions/index.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { awsCli, boto3 } from './support.js';

/**
 * Parameter Store through Debian's AWS CLI 2.9 and boto3 1.26 (json 1.1, `AmazonSSM.*` targets), a Lambda function
 * that reads its configuration from a parameter and a secret with boto3 as Lambda apps do, and parameters and secrets
 * surviving a restart of the node.
 */
let test: TestNode;

beforeAll(async () => {
  test = await startTestNode();
});
afterAll(async () => {
  await test.close();
});

const aws = (...args: string[]): Promise<Record<string, unknown>> => awsCli(test, args);
const python = (script: string): Promise<string> => boto3(test, 'ssm', 'ssm', script);

describe('Parameter Store with the AWS CLI and boto3', () => {
  // Each CLI run starts a Python interpreter (seconds on a busy machine), so each test makes two or three.
  it('puts and gets parameters by path with the CLI', async () => {
    expect(await aws('ssm', 'put-parameter', '--name', '/cli/db/url', '--value', 'postgres://db', '--type', 'String')).toEqual({ Version: 1, Tier: 'Standard' });
    await aws('ssm', 'put-parameter', '--name', '/cli/db/password', '--value', 'hunter2', '--type', 'SecureString');
    const byPath = (await aws('ssm', 'get-parameters-by-path', '--path', '/cli', '--recursive', '--with-decryption')) as { Parameters: { Name: string; Value: string }[] };
    expect(byPath.Parameters.map((p) => [p.Name, p.Value])).toEqual([
      ['/cli/db/password', 'hunter2'],
      ['/cli/db/url', 'postgres://db'],
    ]);
  });

  it('refuses to replace a parameter without --overwrite, in SSM words, with the CLI', async () => {
    const refused = await aws('ssm', 'put-parameter', '--name', '/cli/db/url', '--value', 'x', '--type', 'String').catch((error: { stderr: string }) => error.stderr);
    expect(refused).toContain('An error occurred (ParameterAlreadyExists) when calling the PutParameter operation: The parameter already exists.');
  });

  it('reads parameters, labels and history with boto3', async () => {
    const out = await python(`
ssm.put_parameter(Name='/boto/flag', Value='on', Type='String')
ssm.put_parameter(Name='/boto/flag', Value='off', Type='String', Overwrite=True)
ssm.label_parameter_version(Name='/boto/flag', ParameterVersion=1, Labels=['stable'])
got = ssm.get_parameters(Names=['/boto/flag:stable', '/boto/none'])
history = ssm.get_parameter_history(Name='/boto/flag')['Parameters']
try:
    ssm.get_parameter(Name='/boto/none')
    missing = None
except ssm.exceptions.ParameterNotFound as error:
    missing = error.response['Error']['Code']
print(json.dumps({'values': [p['Value'] for p in got['Parameters']], 'invalid': got['InvalidParameters'], 'labels': [h['Labels'] for h in history], 'missing': missing}))
`);
    expect(JSON.parse(out)).toEqual({ values: ['on'], invalid: ['/boto/none'], labels: [['stable'], []], missing: 'ParameterNotFound' });
  });
});

describe('a function reading its configuration', () => {
  it('reads a SecureString parameter and a secret with boto3 inside the function', async () => {
    const ssm = new SSMClient(test.config);
    const sm = new SecretsManagerClient(test.config);
    const lambda = new LambdaClient(test.config);
    await ssm.send(new PutParameterCommand({ Name: '/shop/api-key', Value: 'key-123', Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/shop/region', Value: 'eu', Type: 'String' }));
    await sm.send(new CreateSecretCommand({ Name: 'shop/db', SecretString: JSON.stringify({ password: 'pw' }) }));
    const source = [
      'import json, os, boto3',
      'ssm = boto3.client("ssm")',
      'secrets = boto3.client("secretsmanager")',
      'def handler(event, context):',
      '    config = {p["Name"]: p["Value"] for p in ssm.get_parameters_by_path(Path="/shop", WithDecryption=True)["Parameters"]}',
      '    db = json.loads(secrets.get_secret_value(SecretId=os.environ["DB_SECRET"])["SecretString"])',
      '    return {"config": config, "password": db["password"]}',
    ].join('\n');
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'shop',
        Runtime: 'python3.12',
        Role: 'arn:aws:iam::000000000000:role/shop',
        Handler: 'app.handler',
        Code: { ZipFile: createZip([{ path: 'app.py', data: Buffer.from(source), mode: 0o644 }]) },
        Environment: { Variables: { DB_SECRET: 'shop/db' } },
        Timeout: 30,
      }),
    );
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'shop', Payload: Buffer.from('{}') }));
    expect(answer.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(answer.Payload!).toString('utf8'))).toEqual({ config: { '/shop/api-key': 'key-123', '/shop/region': 'eu' }, password: 'pw' });
    ssm.destroy();
    sm.destroy();
    lambda.destroy();
  });
});

describe('persistence', () => {
  it('keeps parameters and secrets across a restart of the node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-ssm-restart-'));
    try {
      const first = await startTestNode({ dataDir: dir });
      const ssm = new SSMClient(first.config);
      const sm = new SecretsManagerClient(first.config);
      await ssm.send(new PutParameterCommand({ Name: '/kept/value', Value: 'v1', Type: 'String' }));
      await ssm.send(new PutParameterCommand({ Name: '/kept/value', Value: 'v2', Type: 'String', Overwrite: true }));
      const created = await sm.send(new CreateSecretCommand({ Name: 'kept', SecretString: 's' }));
      ssm.destroy();
      sm.destroy();
      await first.close();
      const second = await startTestNode({ dataDir: dir });
      const ssm2 = new SSMClient(second.config);
      const sm2 = new SecretsManagerClient(second.config);
      expect((await ssm2.send(new GetParameterCommand({ Name: '/kept/value' }))).Parameter).toMatchObject({ Value: 'v2', Version: 2 });
      expect(await sm2.send(new GetSecretValueCommand({ SecretId: created.ARN }))).toMatchObject({ SecretString: 's', VersionId: created.VersionId });
      ssm2.destroy();
      sm2.destroy();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
