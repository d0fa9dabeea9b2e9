/**
 * Accounts (issue 10), the compute side: functions, layers, log groups and IAM entities belong to the account whose
 * key created them. Two accounts (one picked by its 12-digit key id, one reached through an AssumeRole session into
 * its role) create resources with the same names, each sees only its own with its account in the ARNs, and each
 * function runs as its account: its logs are in its account's log group, its account's queue feeds it.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, ListLayersCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../src/functions/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';

const A = '111111111111';
const B = '222222222222';
const HOME = '000000000000';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const code = createZip([
  {
    path: 'index.js',
    data: Buffer.from("exports.handler = async (event, context) => { console.log('event ' + JSON.stringify(event)); return { arn: context.invokedFunctionArn }; };"),
    mode: 0o644,
  },
]);
const layerZip = createZip([{ path: 'nodejs/node_modules/shared/index.js', data: Buffer.from('module.exports = 1;'), mode: 0o644 }]);

type Config = TestNode['config'] & { credentials: { sessionToken?: string } };

describe('accounts: functions, layers, logs and IAM', () => {
  let t: TestNode;
  /** Client settings per account: A by its key id, B by a role session. */
  const as: Record<string, Config> = {};

  beforeAll(async () => {
    t = await startTestNode();
    as[A] = { ...t.config, credentials: { accessKeyId: A, secretAccessKey: 'any' } };
    as[HOME] = t.config;
    // B's own key makes B's role; a session of it is then B's caller.
    const bRoot = { ...t.config, credentials: { accessKeyId: B, secretAccessKey: 'any' } };
    await new IAMClient(bRoot).send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }));
    const { Credentials } = await new STSClient(t.config).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/deployer`, RoleSessionName: 'ci' }));
    as[B] = { ...t.config, credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken } };
  });
  afterAll(() => t?.close());

  /** The messages of the account's function `orders` that contain `text`, from its log group. */
  const logged = async (account: string, text: string): Promise<string[]> => {
    const found = await new CloudWatchLogsClient(as[account]!).send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/orders', filterPattern: `"${text}"` }));
    return (found.events ?? []).map((e) => e.message ?? '');
  };

  it("answers a role session as the role's account", async () => {
    const identity = await new STSClient(as[B]!).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: B, Arn: `arn:aws:sts::${B}:assumed-role/deployer/ci` });
  });

  it('keeps roles apart: the same name in each account, each with its ARN, listed only for its own', async () => {
    for (const account of [A, B]) {
      const iam = new IAMClient(as[account]!);
      const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'orders-role', AssumeRolePolicyDocument: TRUST }));
      expect(Role?.Arn).toBe(`arn:aws:iam::${account}:role/orders-role`);
    }
    const names = async (account: string) => ((await new IAMClient(as[account]!).send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.Arn);
    expect(await names(A)).toEqual([`arn:aws:iam::${A}:role/orders-role`]);
    expect(await names(B)).toEqual([`arn:aws:iam::${B}:role/deployer`, `arn:aws:iam::${B}:role/orders-role`]);
    expect(await names(HOME)).toEqual([]);
    await expect(new IAMClient(t.config).send(new GetRoleCommand({ RoleName: 'orders-role' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it("makes B's users, keys and policies B's; AWS managed policies are every account's", async () => {
    const iam = new IAMClient(as[B]!);
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'ci' }));
    expect(User?.Arn).toBe(`arn:aws:iam::${B}:user/ci`);
    expect((await new IAMClient(as[A]!).send(new ListUsersCommand({}))).Users).toEqual([]);
    // The same name is free in another account.
    expect((await new IAMClient(as[A]!).send(new CreateUserCommand({ UserName: 'ci' }))).User?.Arn).toBe(`arn:aws:iam::${A}:user/ci`);
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ci' }));
    const asUser = { ...t.config, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
    expect(await new STSClient(asUser).send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: B, Arn: `arn:aws:iam::${B}:user/ci` });
    // The user's key reaches B's resources.
    const { QueueUrl } = await new SQSClient(asUser).send(new CreateQueueCommand({ QueueName: 'from-user' }));
    expect(QueueUrl).toContain(`/${B}/from-user`);

    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] });
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'queues', PolicyDocument: document }));
    expect(Policy?.Arn).toBe(`arn:aws:iam::${B}:policy/queues`);
    const local = async (account: string) => ((await new IAMClient(as[account]!).send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).map((p) => p.Arn);
    expect(await local(B)).toEqual([`arn:aws:iam::${B}:policy/queues`]);
    expect(await local(A)).toEqual([]);
    const managed = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: managed }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: Policy!.Arn! }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'deployer' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([managed, Policy!.Arn!]);
    // Another account's policy ARN is not one B can attach.
    await expect(new IAMClient(as[A]!).send(new AttachRolePolicyCommand({ RoleName: 'orders-role', PolicyArn: Policy!.Arn! }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it("records B's role as used when a session assumes it", async () => {
    const { Role } = await new IAMClient(as[B]!).send(new GetRoleCommand({ RoleName: 'deployer' }));
    expect(Role?.RoleLastUsed?.Region).toBe('us-east-1');
  });

  it("keeps functions apart: each account's orders has its ARN, is listed and invoked only in its account", async () => {
    for (const account of [A, B]) {
      const lambda = new LambdaClient(as[account]!);
      const created = await lambda.send(new CreateFunctionCommand({ FunctionName: 'orders', Runtime: 'nodejs20.x', Role: `arn:aws:iam::${account}:role/orders-role`, Handler: 'index.handler', Code: { ZipFile: code } }));
      expect(created.FunctionArn).toBe(`arn:aws:lambda:us-east-1:${account}:function:orders`);
    }
    for (const account of [A, B]) {
      const lambda = new LambdaClient(as[account]!);
      const listed = (await lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
      expect(listed.map((f) => f.FunctionArn)).toEqual([`arn:aws:lambda:us-east-1:${account}:function:orders`]);
      const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'orders', Payload: Buffer.from(JSON.stringify({ from: account })) }));
      expect(JSON.parse(Buffer.from(invoked.Payload!).toString())).toEqual({ arn: `arn:aws:lambda:us-east-1:${account}:function:orders` });
    }
    // GetFunction's download URL serves the account's package.
    const { Code } = await new LambdaClient(as[B]!).send(new GetFunctionCommand({ FunctionName: 'orders' }));
    expect(Buffer.from(await (await fetch(Code!.Location!)).arrayBuffer())).toEqual(Buffer.from(code));
    expect((await new LambdaClient(t.config).send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    await expect(new LambdaClient(t.config).send(new GetFunctionCommand({ FunctionName: 'orders' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it("runs a function as its account: the AWS SDK inside it calls AWS as that account", async () => {
    const source = 'import boto3\n\ndef handler(event, context):\n    return boto3.client("sts").get_caller_identity()["Account"]\n';
    const lambda = new LambdaClient(as[A]!);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'whoami', Runtime: 'python3.12', Role: `arn:aws:iam::${A}:role/orders-role`, Handler: 'index.handler', Code: { ZipFile: createZip([{ path: 'index.py', data: Buffer.from(source), mode: 0o644 }]) } }));
    const { Payload } = await lambda.send(new InvokeCommand({ FunctionName: 'whoami' }));
    expect(JSON.parse(Buffer.from(Payload!).toString())).toBe(A);
  });

  it("writes each function's logs to its own account's log group", async () => {
    await expect.poll(() => logged(B, 'event')).toEqual([expect.stringContaining(`{"from":"${B}"}`)]);
    await expect.poll(() => logged(A, 'event')).toEqual([expect.stringContaining(`{"from":"${A}"}`)]);
  });

  it('keeps log groups and layers apart: the same names in each account, each with its ARN', async () => {
    for (const account of [A, B]) {
      const logs = new CloudWatchLogsClient(as[account]!);
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/custom/orders' }));
      const groups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/custom/' }))).logGroups ?? [];
      expect(groups.map((g) => g.arn)).toEqual([`arn:aws:logs:us-east-1:${account}:log-group:/custom/orders:*`]);
      const lambda = new LambdaClient(as[account]!);
      const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: layerZip }, CompatibleRuntimes: ['nodejs20.x'] }));
      expect(layer.LayerVersionArn).toBe(`arn:aws:lambda:us-east-1:${account}:layer:shared:1`);
      const layers = (await lambda.send(new ListLayersCommand({}))).Layers ?? [];
      expect(layers.map((l) => l.LayerArn)).toEqual([`arn:aws:lambda:us-east-1:${account}:layer:shared`]);
    }
    expect((await new CloudWatchLogsClient(t.config).send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    expect((await new LambdaClient(t.config).send(new ListLayersCommand({}))).Layers).toEqual([]);
  });

  it("delivers B's queue through B's event source mapping to B's function", async () => {
    const sqs = new SQSClient(as[B]!);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders-in' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    expect(Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:${B}:orders-in`);
    const mapping = await new LambdaClient(as[B]!).send(new CreateEventSourceMappingCommand({ FunctionName: 'orders', EventSourceArn: Attributes!.QueueArn!, BatchSize: 1 }));
    expect(mapping.FunctionArn).toBe(`arn:aws:lambda:us-east-1:${B}:function:orders`);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'order 42' }));
    await expect.poll(async () => (await logged(B, 'order 42')).length, { timeout: 15_000 }).toBe(1);
    expect(await logged(A, 'order 42')).toEqual([]);
  });

  it("delivers B's topic to B's function subscribed by ARN", async () => {
    const sns = new SNSClient(as[B]!);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders-topic' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: `arn:aws:lambda:us-east-1:${B}:function:orders` }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'order 43' }));
    await expect.poll(async () => (await logged(B, 'order 42')).length, { timeout: 15_000 }).toBe(1);
    expect(await logged(A, 'order 42')).toEqual([]);
  });

  it("serves B's function URL, also after a restart before any request of B's", async () => {
    const lambda = new LambdaClient(as[B]!);
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'orders', AuthType: 'NONE' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'orders', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    const urlId = new URL(FunctionUrl!).hostname.split('.')[0]!;
    const callUrl = async () => (await (await fetch(`${t.node.url}/_flint/url/${urlId}/`, { method: 'POST', body: '{}' })).json()) as unknown;
    expect(await callUrl()).toEqual({ arn: `arn:aws:lambda:us-east-1:${B}:function:orders` });

    await t.node.close();
    const { startNode } = await import('../../src/platform/index.js');
    const { silentLogger } = await import('../../src/core/index.js');
    t.node = await startNode({ dataDir: `${t.dir}/data`, port: 0, logger: silentLogger, sandbox: 'process', stemCells: false });
    // An unsigned request names no account: B's services are open from the start (so are its mappings and schedules).
    expect(await callUrl()).toEqual({ arn: `arn:aws:lambda:us-east-1:${B}:function:orders` });
  });
});
