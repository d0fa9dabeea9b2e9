import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { awsCli, boto3 } from '../ssm/support.js';

/** Secrets Manager through Debian's AWS CLI 2.9 and boto3 1.26 (json 1.1, `secretsmanager.*` targets). */
let test: TestNode;

beforeAll(async () => {
  test = await startTestNode();
});
afterAll(async () => {
  await test.close();
});

const aws = (...args: string[]): Promise<Record<string, unknown>> => awsCli(test, ['secretsmanager', ...args]);
const python = (script: string): Promise<string> => boto3(test, 'secretsmanager', 'sm', script);

describe('Secrets Manager with the AWS CLI and boto3', () => {
  // Each CLI run starts a Python interpreter (seconds on a busy machine), so each test makes two or three.
  let arn: string;

  it('creates and reads a secret with the CLI', async () => {
    const created = await aws('create-secret', '--name', 'cli/token', '--secret-string', 'abc', '--description', 'from the CLI');
    expect(created).toMatchObject({ Name: 'cli/token', ARN: expect.stringMatching(/:secret:cli\/token-[A-Za-z0-9]{6}$/) });
    arn = created.ARN as string;
    expect(await aws('get-secret-value', '--secret-id', 'cli/token')).toMatchObject({ SecretString: 'abc', VersionStages: ['AWSCURRENT'] });
  });

  it('puts a new value by ARN and reads the previous one with the CLI', async () => {
    await aws('put-secret-value', '--secret-id', arn, '--secret-string', 'def');
    expect(await aws('get-secret-value', '--secret-id', 'cli/token', '--version-stage', 'AWSPREVIOUS')).toMatchObject({ SecretString: 'abc' });
  });

  it('lists secrets by a filter and answers a missing one in Secrets Manager words with the CLI', async () => {
    const listed = (await aws('list-secrets', '--filters', 'Key=name,Values=cli/')) as { SecretList: { Name: string; Description: string }[] };
    expect(listed.SecretList.map((s) => [s.Name, s.Description])).toEqual([['cli/token', 'from the CLI']]);
    const missing = await aws('describe-secret', '--secret-id', 'cli/none').catch((error: { stderr: string }) => error.stderr);
    expect(missing).toContain("An error occurred (ResourceNotFoundException) when calling the DescribeSecret operation: Secrets Manager can't find the specified secret.");
  });

  it('creates binary secrets, generates passwords and deletes with boto3', async () => {
    const out = await python(`
sm.create_secret(Name='boto/key', SecretBinary=b'\\x00\\xff')
value = sm.get_secret_value(SecretId='boto/key')['SecretBinary']
password = sm.get_random_password(PasswordLength=16, ExcludeNumbers=True)['RandomPassword']
deleted = sm.delete_secret(SecretId='boto/key', ForceDeleteWithoutRecovery=True)
try:
    sm.get_secret_value(SecretId='boto/key')
    gone = None
except sm.exceptions.ResourceNotFoundException as error:
    gone = error.response['Error']['Message']
print(json.dumps({'value': list(value), 'length': len(password), 'digits': any(c.isdigit() for c in password), 'deleted': deleted['Name'], 'gone': gone}))
`);
    expect(JSON.parse(out)).toEqual({ value: [0, 255], length: 16, digits: false, deleted: 'boto/key', gone: "Secrets Manager can't find the specified secret." });
  });
});
