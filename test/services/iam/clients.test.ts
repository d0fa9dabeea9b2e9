import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * IAM with Debian's AWS CLI 2.9 and boto3 1.26, the query protocol as those clients speak it: botocore
 * decodes IAM's percent-encoded policy documents into objects, pages ListRoles with Marker, and reads IAM's error
 * XML into its exceptions. The calls are the ones deploy scripts make first.
 */
const execFileAsync = promisify(execFile);
/** Each start of the CLI or Python costs seconds on a loaded machine; these tests start several. */
const CLI_TIMEOUT = 120_000;

let testNode: TestNode;
let home: string;
let url: string;

beforeAll(async () => {
  testNode = await startTestNode();
  url = testNode.node.url;
  home = mkdtempSync(join(tmpdir(), 'flint-iam-clients-'));
});
afterAll(async () => {
  await testNode?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

async function aws(args: string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const { stdout } = await execFileAsync(AWS_CLI, ['--endpoint-url', url, '--output', 'json', ...args], { env: { ...clientEnv(testNode.node), HOME: home, ...env }, cwd: home });
  return stdout.trim() === '' ? undefined : JSON.parse(stdout);
}

async function awsFails(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await aws(args);
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr.trim() };
  }
  throw new Error(`aws ${args.join(' ')} succeeded`);
}

describe("Debian's AWS CLI", () => {
  it('creates a role from a file, attaches a managed policy and reads both back', { timeout: CLI_TIMEOUT }, async () => {
    writeFileSync(join(home, 'trust.json'), JSON.stringify(TRUST, null, 2));
    const created = (await aws(['iam', 'create-role', '--role-name', 'cli-role', '--assume-role-policy-document', 'file://trust.json'])) as { Role: { Arn: string; AssumeRolePolicyDocument: unknown } };
    expect(created.Role.Arn).toBe('arn:aws:iam::000000000000:role/cli-role');
    expect(created.Role.AssumeRolePolicyDocument).toEqual(TRUST);
    await aws(['iam', 'attach-role-policy', '--role-name', 'cli-role', '--policy-arn', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    expect(await aws(['iam', 'list-attached-role-policies', '--role-name', 'cli-role'])).toEqual({
      AttachedPolicies: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
    });
    const { stderr, code } = await awsFails(['iam', 'get-role', '--role-name', 'no-such-role']);
    expect(code).toBe(254);
    expect(stderr).toBe('An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name no-such-role cannot be found.');
  });

  it('pages list-roles with Marker as the CLI drives it', { timeout: CLI_TIMEOUT }, async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await aws(['iam', 'create-role', '--role-name', name, '--path', '/paging/', '--assume-role-policy-document', JSON.stringify(TRUST)]);
    // One role per request: the CLI follows Marker until IsTruncated is false.
    const all = (await aws(['iam', 'list-roles', '--path-prefix', '/paging/', '--page-size', '1'])) as { Roles: { RoleName: string }[] };
    expect(all.Roles.map((r) => r.RoleName)).toEqual(['page-a', 'page-b', 'page-c']);
    const first = (await aws(['iam', 'list-roles', '--path-prefix', '/paging/', '--max-items', '2'])) as { Roles: { RoleName: string }[]; NextToken: string };
    expect(first.Roles.map((r) => r.RoleName)).toEqual(['page-a', 'page-b']);
    const rest = (await aws(['iam', 'list-roles', '--path-prefix', '/paging/', '--max-items', '2', '--starting-token', first.NextToken])) as { Roles: { RoleName: string }[]; NextToken?: string };
    expect(rest.Roles.map((r) => r.RoleName)).toEqual(['page-c']);
    expect(rest.NextToken).toBeUndefined();
  });
});

describe("Debian's boto3", () => {
  const python = async (script: string): Promise<unknown> => {
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', PRELUDE + script, url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
    return JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
  };
  const PRELUDE = `
import json, sys, boto3, botocore.exceptions
session = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1')
iam = session.client('iam', endpoint_url=sys.argv[1])
sts = session.client('sts', endpoint_url=sys.argv[1])
def error(call):
    try:
        call()
        return None
    except botocore.exceptions.ClientError as failure:
        return [failure.response['Error']['Code'], failure.response['Error']['Message'], failure.response['ResponseMetadata']['HTTPStatusCode']]
`;

  it('creates a role with an inline policy, reads documents back as objects, pages roles and assumes the role', { timeout: CLI_TIMEOUT }, async () => {
    const result = await python(`
trust = ${JSON.stringify(JSON.stringify(TRUST))}
role = iam.create_role(RoleName='py-role', AssumeRolePolicyDocument=trust, Description='from boto3')['Role']
iam.put_role_policy(RoleName='py-role', PolicyName='logs', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'logs:*', 'Resource': '*'}]}))
got = iam.get_role(RoleName='py-role')['Role']
inline = iam.get_role_policy(RoleName='py-role', PolicyName='logs')['PolicyDocument']
names = [r['RoleName'] for page in iam.get_paginator('list_roles').paginate(PaginationConfig={'PageSize': 1}) for r in page['Roles']]
creds = sts.assume_role(RoleArn=role['Arn'], RoleSessionName='py-session')['Credentials']
assumed = boto3.session.Session(aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'], region_name='us-east-1').client('sts', endpoint_url=sys.argv[1])
print(json.dumps({
    'trust': got['AssumeRolePolicyDocument'],
    'description': got['Description'],
    'maxSession': got['MaxSessionDuration'],
    'inline': inline,
    'names': 'py-role' in names,
    'caller': assumed.get_caller_identity()['Arn'],
    'missing': error(lambda: iam.get_role(RoleName='py-absent')),
    'conflict': error(lambda: iam.delete_role(RoleName='py-role')),
    'malformed': error(lambda: iam.create_role(RoleName='py-bad', AssumeRolePolicyDocument='{')),
}))
`);
    expect(result).toEqual({
      trust: TRUST,
      description: 'from boto3',
      maxSession: 3600,
      inline: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] },
      names: true,
      caller: 'arn:aws:sts::000000000000:assumed-role/py-role/py-session',
      missing: ['NoSuchEntity', 'The role with name py-absent cannot be found.', 404],
      conflict: ['DeleteConflict', 'Cannot delete entity, must delete policies first.', 409],
      malformed: ['MalformedPolicyDocument', 'This policy contains invalid Json', 400],
    });
  });
});
