import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type AttributeDefinition,
  BatchExecuteStatementCommand,
  CreateTableCommand,
  DuplicateItemException,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  type KeySchemaElement,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocExecuteStatementCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * PartiQL through the real clients against the node: the SDK v3 (DynamoDBClient and lib-dynamodb's document
 * client with native values and its paginator), Debian's AWS CLI 2.9 and boto3 1.26.
 */
const execFileAsync = promisify(execFile);

let testNode: TestNode;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let home: string;

async function createTable(name: string, sortKey = false): Promise<void> {
  const attributes: AttributeDefinition[] = [{ AttributeName: 'pk', AttributeType: 'S' }];
  const keys: KeySchemaElement[] = [{ AttributeName: 'pk', KeyType: 'HASH' }];
  if (sortKey) {
    attributes.push({ AttributeName: 'sk', AttributeType: 'S' });
    keys.push({ AttributeName: 'sk', KeyType: 'RANGE' });
  }
  await client.send(new CreateTableCommand({ TableName: name, AttributeDefinitions: attributes, KeySchema: keys, BillingMode: 'PAY_PER_REQUEST' }));
}

beforeAll(async () => {
  testNode = await startTestNode();
  client = new DynamoDBClient({ ...testNode.config, maxAttempts: 1 });
  documents = DynamoDBDocumentClient.from(client);
  home = mkdtempSync(join(tmpdir(), 'flint-partiql-'));
  await createTable('sdk', true);
  await createTable('cli');
  await createTable('boto');
});
afterAll(async () => {
  client?.destroy();
  await testNode?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Record<string, unknown>,
  );

describe('PartiQL with the SDK v3', () => {
  it('inserts, selects, updates and deletes with DynamoDBClient', async () => {
    await client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "sdk" VALUE {'pk': ?, 'sk': ?, 'n': 1}`, Parameters: [{ S: 'a' }, { S: '1' }] }));
    const duplicate = await failure(client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "sdk" VALUE {'pk': 'a', 'sk': '1'}` })));
    expect(duplicate).toBeInstanceOf(DuplicateItemException);
    expect(duplicate?.message).toBe('Duplicate primary key exists in table');
    const updated = await client.send(new ExecuteStatementCommand({ Statement: `UPDATE "sdk" SET n = n + 1 WHERE pk = 'a' AND sk = '1' RETURNING ALL NEW *` }));
    expect(updated.Items).toEqual([{ pk: { S: 'a' }, sk: { S: '1' }, n: { N: '2' } }]);
    const selected = await client.send(new ExecuteStatementCommand({ Statement: `SELECT n FROM "sdk" WHERE pk = ?`, Parameters: [{ S: 'a' }] }));
    expect(selected.Items).toEqual([{ n: { N: '2' } }]);
    await client.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "sdk" WHERE pk = 'a' AND sk = '1'` }));
    expect((await client.send(new GetItemCommand({ TableName: 'sdk', Key: { pk: { S: 'a' }, sk: { S: '1' } } }))).Item).toBeUndefined();
  });

  it('takes native values with lib-dynamodb, and pages with Limit and NextToken', async () => {
    for (let i = 0; i < 5; i++) {
      await documents.send(new DocExecuteStatementCommand({ Statement: `INSERT INTO sdk VALUE {'pk': ?, 'sk': ?, 'tags': ?}`, Parameters: ['paged', `s${i}`, new Set(['x', `t${i}`])] }));
    }
    const found = await documents.send(new DocExecuteStatementCommand({ Statement: `SELECT * FROM sdk WHERE pk = ? AND sk = ?`, Parameters: ['paged', 's3'] }));
    expect(found.Items).toEqual([{ pk: 'paged', sk: 's3', tags: new Set(['x', 't3']) }]);
    const pages: number[] = [];
    const seen: unknown[] = [];
    let NextToken: string | undefined;
    do {
      const page = await documents.send(new DocExecuteStatementCommand({ Statement: `SELECT sk FROM sdk WHERE pk = 'paged'`, Limit: 2, NextToken }));
      pages.push(page.Items?.length ?? 0);
      seen.push(...(page.Items ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual(['s0', 's1', 's2', 's3', 's4'].map((sk) => ({ sk })));
  });

  it('runs batches and transactions', async () => {
    const batch = await client.send(new BatchExecuteStatementCommand({
      Statements: [{ Statement: `INSERT INTO sdk VALUE {'pk': 'b', 'sk': '1'}` }, { Statement: `INSERT INTO sdk VALUE {'pk': 'paged', 'sk': 's0'}` }],
    }));
    expect(batch.Responses).toEqual([{ TableName: 'sdk' }, { TableName: 'sdk', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } }]);
    const transaction = await client.send(new ExecuteTransactionCommand({
      TransactStatements: [{ Statement: `UPDATE sdk SET v = 1 WHERE pk = 'b' AND sk = '1'` }, { Statement: `INSERT INTO sdk VALUE {'pk': 'c', 'sk': '1'}` }],
    }));
    expect(transaction.Responses).toEqual([]);
    const cancelled = await failure(client.send(new ExecuteTransactionCommand({
      TransactStatements: [{ Statement: `INSERT INTO sdk VALUE {'pk': 'd', 'sk': '1'}` }, { Statement: `UPDATE sdk SET v = 2 WHERE pk = 'b' AND sk = '1' AND v = 9` }],
    })));
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    expect(cancelled?.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
  });
});

describe('PartiQL with the AWS CLI and boto3', () => {
  it('inserts and selects with aws dynamodb execute-statement', async () => {
    const cli = (...args: string[]) => execFileAsync(AWS_CLI, ['--endpoint-url', testNode.node.url, 'dynamodb', ...args], { env: { ...clientEnv(testNode.node), HOME: home } });
    const inserted = await cli('execute-statement', '--statement', `INSERT INTO cli VALUE {'pk': ?, 'n': 5}`, '--parameters', '[{"S": "from-cli"}]');
    expect(JSON.parse(inserted.stdout)).toEqual({ Items: [] });
    const selected = await cli('execute-statement', '--statement', `SELECT * FROM cli WHERE pk = 'from-cli'`);
    expect(JSON.parse(selected.stdout).Items).toEqual([{ pk: { S: 'from-cli' }, n: { N: '5' } }]);
    const duplicate = await cli('execute-statement', '--statement', `INSERT INTO cli VALUE {'pk': 'from-cli'}`).then(
      () => '',
      (error: { stderr: string }) => error.stderr,
    );
    expect(duplicate).toContain('An error occurred (DuplicateItemException) when calling the ExecuteStatement operation: Duplicate primary key exists in table');
  });

  it('inserts and selects with boto3', async () => {
    const script = `
import json, sys, boto3
client = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1').client('dynamodb', endpoint_url=sys.argv[1])
client.execute_statement(Statement="INSERT INTO boto VALUE {'pk': ?, 'list': [1, 'two']}", Parameters=[{'S': 'py'}])
selected = client.execute_statement(Statement="SELECT * FROM boto WHERE pk = ?", Parameters=[{'S': 'py'}])
try:
    client.execute_statement(Statement="SELECT * FROM boto WHERE")
    error = None
except client.exceptions.ClientError as e:
    error = e.response['Error']
print(json.dumps({'items': selected['Items'], 'error': error}))
`;
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, testNode.node.url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
    const result = JSON.parse(stdout) as { items: unknown; error: { Code: string; Message: string } };
    expect(result.items).toEqual([{ pk: { S: 'py' }, list: { L: [{ N: '1' }, { S: 'two' }] } }]);
    expect(result.error.Code).toBe('ValidationException');
    expect(result.error.Message).toMatch(/^Statement wasn't well formed, can't be processed: /);
  });
});
