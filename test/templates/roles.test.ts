import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../helpers/node.js';

/** flint.yaml's `policies:` and `role:` (the fields SAM's Policies and Role map to), deployed on a real node. */
const manifest = (policies: string) => `app: billing
functions:
  charge:
    runtime: nodejs20.x
    handler: index.handler
    policies:
${policies}
  external:
    runtime: nodejs20.x
    handler: index.handler
    role: arn:aws:iam::000000000000:role/ops/existing
`;

describe('function roles made from policies', () => {
  let test: TestNode;
  let dir: string;
  let iam: IAMClient;
  let lambda: LambdaClient;
  beforeAll(async () => {
    test = await startTestNode();
    dir = mkdtempSync(join(tmpdir(), 'flint-roles-'));
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => "ok";\n');
    iam = new IAMClient(test.config);
    lambda = new LambdaClient(test.config);
  });
  afterAll(async () => {
    await test?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deploy = async (policies: string) => {
    writeFileSync(join(dir, 'flint.yaml'), manifest(policies));
    return test.node.deployDir(dir);
  };

  it('creates <app>-<function>-role trusted by Lambda with the statements inline and the managed policies attached', async () => {
    const report = await deploy(`      - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
      - arn:aws:iam::aws:policy/NotAPolicyFlintHas
      - { Effect: Allow, Action: dynamodb:PutItem, Resource: "arn:aws:dynamodb:us-east-1:000000000000:table/payments" }`);
    expect(report.warnings).toContain("charge: managed policy arn:aws:iam::aws:policy/NotAPolicyFlintHas is not one Flint's IAM has; the role billing-charge-role goes without it");
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'billing-charge-role' }));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toMatchObject({ Statement: [{ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'charge' }))).Role).toBe(Role!.Arn);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'external' }))).Role).toBe('arn:aws:iam::000000000000:role/ops/existing');
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'billing-charge-role' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'billing-charge-role', PolicyName: 'flint-function-policy' }));
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument!)).Statement).toEqual([{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/payments' }]);
  });

  it('replaces the role’s policies at the next deploy, so it says what the manifest says', async () => {
    await deploy('      - { Effect: Allow, Action: sqs:SendMessage, Resource: "*" }');
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'billing-charge-role' }))).AttachedPolicies).toEqual([]);
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'billing-charge-role', PolicyName: 'flint-function-policy' }));
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument!)).Statement).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }]);
  });

  it('removes the role with the app', async () => {
    await test.node.removeApp('billing');
    await expect(iam.send(new GetRoleCommand({ RoleName: 'billing-charge-role' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});
