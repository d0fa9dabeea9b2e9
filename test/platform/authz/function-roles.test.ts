import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppNode, type AppNode } from '../../helpers/app-node.js';
import { ACCOUNT } from './helpers.js';

/**
 * A function's AWS SDK calls carry temporary credentials of its execution role, as Lambda's do
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html): with enforcement on, a function
 * whose role lacks dynamodb:PutItem is refused that call, and one whose role allows it succeeds.
 */
const MANIFEST = `app: roles
functions:
  writer:
    runtime: nodejs20.x
    handler: index.handler
    policies:
      - { Effect: Allow, Action: dynamodb:PutItem, Resource: "arn:aws:dynamodb:*:*:table/Orders" }
  reader:
    runtime: nodejs20.x
    handler: index.handler
    policies:
      - { Effect: Allow, Action: dynamodb:GetItem, Resource: "*" }
resources:
  tables:
    Orders: { hashKey: { name: id, type: S } }
`;

const CODE = `
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
exports.handler = async (event) => {
  const who = await new STSClient({}).send(new GetCallerIdentityCommand({}));
  const env = { key: process.env.AWS_ACCESS_KEY_ID, token: Boolean(process.env.AWS_SESSION_TOKEN) };
  try {
    await new DynamoDBClient({}).send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: event.id } } }));
    return { ok: true, arn: who.Arn, env };
  } catch (error) {
    return { ok: false, name: error.name, message: error.message, arn: who.Arn, env };
  }
};
`;

describe('functions act with their execution role', () => {
  let app: AppNode;
  let lambda: LambdaClient;
  const config = (app: AppNode) => ({ endpoint: app.node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

  beforeAll(async () => {
    app = await startAppNode({ 'flint.yaml': MANIFEST, 'index.js': CODE, 'package.json': '{"type":"commonjs"}' }, { authorization: 'enforce' });
    lambda = new LambdaClient(config(app));
  }, 60_000);
  afterAll(() => app.close());

  async function invoke(name: string, id: string): Promise<{ ok: boolean; name?: string; message?: string; arn: string; env: { key: string; token: boolean } }> {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ id })) }));
    return JSON.parse(Buffer.from(answer.Payload!).toString());
  }

  it('lets the function whose role allows PutItem write, with its role session', async () => {
    const result = await invoke('writer', 'w1');
    expect(result).toMatchObject({ ok: true, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/roles-writer-role/writer`, env: { token: true } });
    expect(result.env.key).toMatch(/^ASIA/);
    const item = await new DynamoDBClient(config(app)).send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'w1' } } }));
    expect(item.Item).toEqual({ id: { S: 'w1' } });
  }, 30_000);

  it('refuses PutItem to the function whose role lacks it', async () => {
    const result = await invoke('reader', 'r1');
    expect(result).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    expect(result.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/roles-reader-role/reader is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders because no identity-based policy allows the dynamodb:PutItem action`,
    );
  }, 30_000);

  it('hands warm instances the same credentials (issued once per role and function)', async () => {
    const first = await invoke('writer', 'w2');
    const second = await invoke('writer', 'w3');
    expect(second.env.key).toBe(first.env.key);
  }, 30_000);
});
