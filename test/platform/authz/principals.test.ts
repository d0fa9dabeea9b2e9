import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand, PutItemCommand, CreateTableCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand, SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from '../../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../../helpers/node.js';
import { ACCOUNT, as, document, refusal, userWith, type Keys } from './helpers.js';

const run = promisify(execFile);
const TRUST = document({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' });

async function assume(t: TestNode, roleArn: string, policy?: string): Promise<Keys> {
  const { Credentials } = await new STSClient(t.config).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess', Policy: policy }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

describe('IAM enforcement for role sessions, boundaries, other accounts and the simulator', () => {
  let t: TestNode;
  let iam: IAMClient;
  beforeAll(async () => {
    t = await startTestNode({ authorization: 'enforce' });
    iam = new IAMClient(t.config);
  });
  afterAll(() => t.close());

  it('limits a role session to what its permissions boundary allows', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ops', PolicyName: 'all', PolicyDocument: document({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'queues-only', PolicyDocument: document({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }) }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'ops', PermissionsBoundary: Policy!.Arn! }));
    const session = await assume(t, `arn:aws:iam::${ACCOUNT}:role/ops`);
    expect((await new SQSClient(as(t, session)).send(new ListQueuesCommand({}))).$metadata.httpStatusCode).toBe(200);
    const denied = await refusal(new DynamoDBClient(as(t, session)).send(new ListTablesCommand({})));
    // ListTables acts on no one resource: the message names none.
    expect(denied).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/ops/sess is not authorized to perform: dynamodb:ListTables because no permissions boundary allows the dynamodb:ListTables action`,
    });
  });

  it('limits a role session to what the session policy given to AssumeRole allows', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'wide', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'wide', PolicyName: 'all', PolicyDocument: document({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    const session = await assume(t, `arn:aws:iam::${ACCOUNT}:role/wide`, document({ Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' }));
    expect((await new SQSClient(as(t, session)).send(new ListQueuesCommand({}))).$metadata.httpStatusCode).toBe(200);
    const denied = await refusal(new DynamoDBClient(as(t, session)).send(new ListTablesCommand({})));
    expect(denied.message).toBe(`User: arn:aws:sts::${ACCOUNT}:assumed-role/wide/sess is not authorized to perform: dynamodb:ListTables because no session policy allows the dynamodb:ListTables action`);
  });

  it("lets a bucket policy grant another account's role what the policy names", async () => {
    const root = new S3Client({ ...t.config, forcePathStyle: true });
    await root.send(new CreateBucketCommand({ Bucket: 'shared' }));
    await root.send(new PutObjectCommand({ Bucket: 'shared', Key: 'report.csv', Body: 'a,b' }));
    const reader = await assume(t, 'arn:aws:iam::222233334444:role/reader');
    const s3 = new S3Client(as(t, reader));
    expect((await refusal(s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'report.csv' })))).status).toBe(403);
    const grant = document({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222233334444:role/reader' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' });
    await root.send(new PutBucketPolicyCommand({ Bucket: 'shared', Policy: grant }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'report.csv' }))).Body!.transformToString()).toBe('a,b');
    expect((await refusal(s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'x', Body: 'x' })))).status).toBe(403);
  });

  it('answers simulate-principal-policy as enforcement decides (aws CLI and SDK)', async () => {
    const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/tbl`;
    const bob = await userWith(t, 'bob', document({ Effect: 'Allow', Action: 'dynamodb:*', Resource: table }, { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' }));
    await new DynamoDBClient(t.config).send(
      new CreateTableCommand({ TableName: 'tbl', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    const { stdout } = await run(
      AWS_CLI,
      ['iam', 'simulate-principal-policy', '--endpoint-url', t.node.url, '--policy-source-arn', `arn:aws:iam::${ACCOUNT}:user/bob`, '--action-names', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:ListTables', '--resource-arns', table, '--output', 'json'],
      { env: clientEnv(t.node) },
    );
    const results = (JSON.parse(stdout) as { EvaluationResults: { EvalActionName: string; EvalDecision: string; MatchedStatements: { SourcePolicyId: string; SourcePolicyType: string }[] }[] }).EvaluationResults;
    expect(results.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ['dynamodb:PutItem', 'allowed'],
      ['dynamodb:DeleteItem', 'explicitDeny'],
      ['dynamodb:ListTables', 'allowed'],
    ]);
    expect(results[1]!.MatchedStatements).toEqual([{ SourcePolicyId: 'p', SourcePolicyType: 'user' }]);
    const db = new DynamoDBClient(as(t, bob));
    await db.send(new PutItemCommand({ TableName: 'tbl', Item: { id: { S: '1' } } }));
    expect((await refusal(db.send(new DeleteItemCommand({ TableName: 'tbl', Key: { id: { S: '1' } } })))).message).toMatch(/with an explicit deny in an identity-based policy$/);
    // ListTables is on "*", which the policy's table ARN does not cover.
    const simulated = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/bob`, ActionNames: ['dynamodb:ListTables'] }));
    expect(simulated.EvaluationResults![0]!.EvalDecision).toBe('implicitDeny');
    expect((await refusal(db.send(new ListTablesCommand({})))).name).toBe('AccessDeniedException');
  });

  it('simulates a custom policy with a condition and a boundary', async () => {
    const answer = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })],
        PermissionsBoundaryPolicyInputList: [document({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
        ActionNames: ['s3:ListBucket'],
        ResourceArns: ['arn:aws:s3:::b'],
        ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['10.1.2.3'] }],
      }),
    );
    expect(answer.EvaluationResults![0]).toMatchObject({ EvalActionName: 's3:ListBucket', EvalResourceName: 'arn:aws:s3:::b', EvalDecision: 'allowed', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true } });
    const outside = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })],
        ActionNames: ['s3:ListBucket'],
        ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['192.0.2.1'] }],
      }),
    );
    expect(outside.EvaluationResults![0]!.EvalDecision).toBe('implicitDeny');
  });
});
