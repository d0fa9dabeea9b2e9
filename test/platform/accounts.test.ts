/**
 * Accounts (issue 10): every access key belongs to an account, and the account-scoped services keep each account's
 * resources apart, with that account in their ARNs and URLs. A 12-digit access key id names its account
 * (LocalStack's convention); STS credentials for a role belong to the role's account; any other key is the node's.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from '../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../helpers/node.js';

const OTHER = '111111111111';

describe('accounts', () => {
  let t: TestNode;
  const as = (accessKeyId: string, sessionToken?: string) => ({ ...t.config, credentials: { accessKeyId, secretAccessKey: 'any', sessionToken } });

  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(() => t?.close());

  it("answers GetCallerIdentity with the account a 12-digit key names, and the node's for any other key", async () => {
    expect(await new STSClient(as(OTHER)).send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: OTHER, Arn: `arn:aws:iam::${OTHER}:root` });
    expect((await new STSClient(t.config).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
  });

  it("keeps another account's queues apart: its own URL, ARN and namespace, the same name free in each", async () => {
    const theirs = new SQSClient(as(OTHER));
    const ours = new SQSClient(t.config);
    const { QueueUrl: theirUrl } = await theirs.send(new CreateQueueCommand({ QueueName: 'orders' }));
    expect(theirUrl).toContain(`/${OTHER}/orders`);
    const attributes = await theirs.send(new GetQueueAttributesCommand({ QueueUrl: theirUrl, AttributeNames: ['QueueArn'] }));
    expect(attributes.Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:${OTHER}:orders`);
    expect((await ours.send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
    const { QueueUrl: ourUrl } = await ours.send(new CreateQueueCommand({ QueueName: 'orders' }));
    expect(ourUrl).toContain('/000000000000/orders');
    await theirs.send(new SendMessageCommand({ QueueUrl: theirUrl, MessageBody: 'for them' }));
    expect((await ours.send(new ReceiveMessageCommand({ QueueUrl: ourUrl, WaitTimeSeconds: 0 }))).Messages ?? []).toEqual([]);
    const received = await theirs.send(new ReceiveMessageCommand({ QueueUrl: theirUrl, WaitTimeSeconds: 0 }));
    expect(received.Messages?.[0]?.Body).toBe('for them');
  });

  it("gives another account's tables its ARN, and the aws CLI sees the account its key names", async () => {
    const theirs = new DynamoDBClient(as(OTHER));
    await theirs.send(new CreateTableCommand({ TableName: 'users', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    expect((await theirs.send(new DescribeTableCommand({ TableName: 'users' }))).Table?.TableArn).toBe(`arn:aws:dynamodb:us-east-1:${OTHER}:table/users`);
    expect((await new DynamoDBClient(t.config).send(new ListTablesCommand({}))).TableNames).toEqual([]);
    const env = { ...clientEnv(t.node), AWS_ACCESS_KEY_ID: OTHER };
    // Asynchronously: the node answers from this same process.
    const { stdout } = await promisify(execFile)(AWS_CLI, ['dynamodb', 'list-tables', '--endpoint-url', t.node.url], { env, encoding: 'utf8' });
    const listed = JSON.parse(stdout) as { TableNames: string[] };
    expect(listed.TableNames).toEqual(['users']);
  });

  it("makes a role session's resources its role's account's", async () => {
    const role = 'arn:aws:iam::222222222222:role/deployer';
    const { Credentials } = await new STSClient(t.config).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'ci' }));
    const session = as(Credentials?.AccessKeyId ?? '', Credentials?.SessionToken);
    session.credentials.secretAccessKey = Credentials?.SecretAccessKey ?? '';
    const { TopicArn } = await new SNSClient(session).send(new CreateTopicCommand({ Name: 'alerts' }));
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:222222222222:alerts');
  });

  it('keeps each account after a restart', async () => {
    await t.node.close();
    const dataDir = `${t.dir}/data`;
    const { startNode } = await import('../../src/platform/index.js');
    const { silentLogger } = await import('../../src/core/index.js');
    t.node = await startNode({ dataDir, port: 0, logger: silentLogger, sandbox: 'process', stemCells: false });
    t.config.endpoint = t.node.url;
    const urls = (await new SQSClient(as(OTHER)).send(new ListQueuesCommand({}))).QueueUrls ?? [];
    expect(urls.map((u) => u.slice(u.lastIndexOf('/', u.lastIndexOf('/') - 1)))).toEqual([`/${OTHER}/orders`]);
  });
});
