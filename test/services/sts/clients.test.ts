import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * STS with Debian's AWS CLI 2.9 and boto3 1.26: the first command of most scripts, and the credentials an
 * assume-role hands back used for the next call. AssumeRoleWithWebIdentity goes unsigned, as botocore sends it.
 */
const execFileAsync = promisify(execFile);
/** Each start of the CLI or Python costs seconds on a loaded machine; these tests start several. */
const CLI_TIMEOUT = 120_000;
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }] });

let testNode: TestNode;
let home: string;
let url: string;

beforeAll(async () => {
  testNode = await startTestNode();
  url = testNode.node.url;
  home = mkdtempSync(join(tmpdir(), 'flint-sts-clients-'));
  const iam = new IAMClient(testNode.config);
  for (const name of ['cli-role', 'py-role']) await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }));
  iam.destroy();
});
afterAll(async () => {
  await testNode?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function aws(args: string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const { stdout } = await execFileAsync(AWS_CLI, ['--endpoint-url', url, '--output', 'json', ...args], { env: { ...clientEnv(testNode.node), HOME: home, ...env }, cwd: home });
  return JSON.parse(stdout);
}

describe("Debian's AWS CLI", () => {
  it('answers get-caller-identity, and assume-role credentials answer as the assumed role', { timeout: CLI_TIMEOUT }, async () => {
    expect(await aws(['sts', 'get-caller-identity'])).toEqual({ UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
    const assumed = (await aws(['sts', 'assume-role', '--role-arn', 'arn:aws:iam::000000000000:role/cli-role', '--role-session-name', 'cli-session', '--duration-seconds', '900'])) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
      AssumedRoleUser: { Arn: string };
    };
    expect(assumed.AssumedRoleUser.Arn).toBe('arn:aws:sts::000000000000:assumed-role/cli-role/cli-session');
    // The CLI prints the expiration as botocore parsed it from IAM's whole-second timestamp.
    expect(assumed.Credentials.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    const env = { AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId, AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey, AWS_SESSION_TOKEN: assumed.Credentials.SessionToken };
    expect(await aws(['sts', 'get-caller-identity'], env)).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:sts::000000000000:assumed-role/cli-role/cli-session' });
  });
});

describe("Debian's boto3", () => {
  it('assumes a role (also by web identity, unsigned) and calls on with the session', { timeout: CLI_TIMEOUT }, async () => {
    const script = `
import base64, json, sys, boto3, botocore.exceptions
session = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1')
sts = session.client('sts', endpoint_url=sys.argv[1])
creds = sts.assume_role(RoleArn='arn:aws:iam::000000000000:role/py-role', RoleSessionName='py-session')['Credentials']
assumed = boto3.session.Session(aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'], region_name='us-east-1').client('sts', endpoint_url=sys.argv[1])
part = lambda value: base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip('=')
token = part({'alg': 'RS256'}) + '.' + part({'iss': 'https://issuer.example', 'sub': 'subject-1', 'aud': 'client-1'}) + '.c2ln'
web = sts.assume_role_with_web_identity(RoleArn='arn:aws:iam::000000000000:role/py-role', RoleSessionName='web-session', WebIdentityToken=token)
try:
    sts.assume_role(RoleArn='arn:aws:iam::000000000000:role/py-role', RoleSessionName='py-session', DurationSeconds=7200)
    too_long = None
except botocore.exceptions.ClientError as failure:
    too_long = [failure.response['Error']['Code'], failure.response['Error']['Message'], failure.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({
    'expires': creds['Expiration'].tzname(),
    'caller': assumed.get_caller_identity()['Arn'],
    'account': sts.get_access_key_info(AccessKeyId=creds['AccessKeyId'])['Account'],
    'web': [web['SubjectFromWebIdentityToken'], web['Audience'], web['Provider'], web['AssumedRoleUser']['Arn']],
    'tooLong': too_long,
}))
`;
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({
      expires: 'UTC',
      caller: 'arn:aws:sts::000000000000:assumed-role/py-role/py-session',
      account: '000000000000',
      web: ['subject-1', 'client-1', 'https://issuer.example', 'arn:aws:sts::000000000000:assumed-role/py-role/web-session'],
      tooLong: ['ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400],
    });
  });
});
