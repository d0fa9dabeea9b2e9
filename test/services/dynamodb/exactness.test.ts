import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteResourcePolicyCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  GetResourcePolicyCommand,
  PolicyNotFoundException,
  PutItemCommand,
  PutResourcePolicyCommand,
  QueryCommand,
  TagResourceCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

/** What DynamoDB reports beyond the items: capacity, table descriptions, ARNs for names, policies, limits. */

const execFileAsync = promisify(execFile);
const ACCOUNT_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table';

let t: TestNode;
let db: DynamoDBClient;
let home: string;

beforeAll(async () => {
  t = await startTestNode();
  db = new DynamoDBClient(t.config);
  home = mkdtempSync(join(tmpdir(), 'flint-ddb-home-'));
  await db.send(new CreateTableCommand({
    TableName: 'things',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  }));
});

afterAll(async () => {
  db.destroy();
  await t.close();
  rmSync(home, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<Error & { name: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string };
  }
  throw new Error('expected the call to fail');
}

describe('table descriptions', () => {
  it('answers CREATING to CreateTable and ACTIVE at once after, so the waiter returns on its first look', async () => {
    const created = await db.send(new CreateTableCommand({
      TableName: 'fresh',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      SSESpecification: { Enabled: true },
    }));
    // LocalStack's recordings of AWS: test_gsi_with_billing_mode[PAY_PER_REQUEST] ("create-table-with-gsi" and
    // "describe-table") and test_dynamodb_update_table_without_sse_specification_change ("create_table_sse_description").
    expect(created.TableDescription).toMatchObject({ TableStatus: 'CREATING', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } });
    expect(created.TableDescription?.BillingModeSummary?.LastUpdateToPayPerRequestDateTime).toBeUndefined();
    expect(created.TableDescription?.WarmThroughput).toBeUndefined();
    expect(created.TableDescription?.SSEDescription).toEqual({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: expect.stringMatching(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/) });
    const started = Date.now();
    await waitUntilTableExists({ client: db, maxWaitTime: 30 }, { TableName: 'fresh' });
    expect(Date.now() - started).toBeLessThan(5000);
    const { Table } = await db.send(new DescribeTableCommand({ TableName: 'fresh' }));
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: expect.any(Date) },
      WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
      SSEDescription: created.TableDescription?.SSEDescription,
    });
    // A customer key given later replaces the managed one; turning KMS off answers the old key UPDATING
    // (test_dynamodb_create_table_with_partial_sse_specification "update-table-disable-sse-spec"), then none.
    const keyArn = 'arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555';
    const rekeyed = await db.send(new UpdateTableCommand({ TableName: 'fresh', SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn } }));
    expect(rekeyed.TableDescription?.SSEDescription).toEqual({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: keyArn });
    const plain = await db.send(new UpdateTableCommand({ TableName: 'fresh', SSESpecification: { Enabled: false } }));
    expect(plain.TableDescription?.SSEDescription).toEqual({ Status: 'UPDATING', SSEType: 'KMS', KMSMasterKeyArn: keyArn });
    expect((await db.send(new DescribeTableCommand({ TableName: 'fresh' }))).Table?.SSEDescription).toBeUndefined();
  });

  it('keeps the WarmThroughput a table was created with (test_table_warm_throughput)', async () => {
    const created = await db.send(new CreateTableCommand({
      TableName: 'warm',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      WarmThroughput: { ReadUnitsPerSecond: 1000, WriteUnitsPerSecond: 1200 },
    }));
    expect(created.TableDescription?.WarmThroughput).toEqual({ ReadUnitsPerSecond: 1000, WriteUnitsPerSecond: 1200, Status: 'UPDATING' });
    expect(created.TableDescription?.SSEDescription).toBeUndefined();
    const { Table } = await db.send(new DescribeTableCommand({ TableName: `${ACCOUNT_ARN}/warm` }));
    expect(Table?.WarmThroughput).toEqual({ ReadUnitsPerSecond: 1000, WriteUnitsPerSecond: 1200, Status: 'ACTIVE' });
  });
});

describe('table ARNs in place of names', () => {
  it('reads and writes a table named by its ARN', async () => {
    const arn = `${ACCOUNT_ARN}/things`;
    await db.send(new PutItemCommand({ TableName: arn, Item: { pk: { S: 'a' }, sk: { S: '1' }, g: { S: 'x' } } }));
    expect((await db.send(new GetItemCommand({ TableName: arn, Key: { pk: { S: 'a' }, sk: { S: '1' } } }))).Item).toMatchObject({ g: { S: 'x' } });
    const query = await db.send(new QueryCommand({ TableName: arn, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }));
    expect(query.Count).toBe(1);
    const batch = await db.send(new BatchGetItemCommand({ RequestItems: { [arn]: { Keys: [{ pk: { S: 'a' }, sk: { S: '1' } }] } } }));
    // Responses are keyed as the request named the table (API_BatchGetItem: "a map of table name or table ARN").
    expect(batch.Responses?.[arn]).toHaveLength(1);
    const elsewhere = await failure(db.send(new GetItemCommand({ TableName: 'arn:aws:dynamodb:eu-west-1:000000000000:table/things', Key: { pk: { S: 'a' }, sk: { S: '1' } } })));
    expect(elsewhere.name).toBe('ResourceNotFoundException');
  });

  it("takes ARNs from Debian's boto3 too", async () => {
    const script = `
import json, sys, boto3
client = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1').client('dynamodb', endpoint_url=sys.argv[1])
item = client.get_item(TableName='${ACCOUNT_ARN}/things', Key={'pk': {'S': 'a'}, 'sk': {'S': '1'}})['Item']
limits = client.describe_limits()
print(json.dumps({'g': item['g'], 'tableMax': limits['TableMaxReadCapacityUnits']}))`;
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, t.node.url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
    expect(JSON.parse(stdout)).toEqual({ g: { S: 'x' }, tableMax: 40000 });
  });
});

describe('ConsumedCapacity', () => {
  it('counts 4 KB read units, halved for eventually consistent reads, and 1 KB write units', async () => {
    const big = 'x'.repeat(5000);
    const put = await db.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'cap' }, sk: { S: '1' }, g: { S: 'y' }, big: { S: big } }, ReturnConsumedCapacity: 'TOTAL' }));
    // 5 units for the table and 5 for the byG entry the item enters.
    expect(put.ConsumedCapacity).toEqual({ TableName: 'things', CapacityUnits: 10, WriteCapacityUnits: 10 });
    const key = { pk: { S: 'cap' }, sk: { S: '1' } };
    const moved = await db.send(new UpdateItemCommand({
      TableName: 'things', Key: key, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': { S: 'z' } }, ReturnConsumedCapacity: 'INDEXES',
    }));
    // Changing the index key deletes the old entry and puts the new one: 5 + 5 units on byG.
    expect(moved.ConsumedCapacity).toEqual({
      TableName: 'things', CapacityUnits: 15, WriteCapacityUnits: 15,
      Table: { CapacityUnits: 5, WriteCapacityUnits: 5 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 10, WriteCapacityUnits: 10 } },
    });
    const untouched = await db.send(new UpdateItemCommand({
      TableName: 'things', Key: key, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': { S: 'y' } }, ReturnConsumedCapacity: 'INDEXES',
    }));
    expect(untouched.ConsumedCapacity?.GlobalSecondaryIndexes).toEqual({ byG: { CapacityUnits: 10, WriteCapacityUnits: 10 } });
    const same = await db.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'cap' }, sk: { S: '1' }, g: { S: 'y' }, big: { S: big } }, ReturnConsumedCapacity: 'INDEXES' }));
    // Writing the same item again leaves the index entry as it was: no index units.
    expect(same.ConsumedCapacity).toEqual({ TableName: 'things', CapacityUnits: 5, WriteCapacityUnits: 5, Table: { CapacityUnits: 5, WriteCapacityUnits: 5 } });
    const eventual = await db.send(new GetItemCommand({ TableName: 'things', Key: key, ReturnConsumedCapacity: 'TOTAL' }));
    expect(eventual.ConsumedCapacity).toEqual({ TableName: 'things', CapacityUnits: 1, ReadCapacityUnits: 1 });
    const strong = await db.send(new GetItemCommand({ TableName: 'things', Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' }));
    expect(strong.ConsumedCapacity).toEqual({ TableName: 'things', CapacityUnits: 2, ReadCapacityUnits: 2, Table: { CapacityUnits: 2, ReadCapacityUnits: 2 } });
    const byIndex = await db.send(new QueryCommand({ TableName: 'things', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'y' } }, ReturnConsumedCapacity: 'INDEXES' }));
    expect(byIndex.ConsumedCapacity).toEqual({ TableName: 'things', CapacityUnits: 1, ReadCapacityUnits: 1, GlobalSecondaryIndexes: { byG: { CapacityUnits: 1, ReadCapacityUnits: 1 } } });
  });

  it('doubles the units of transactions', async () => {
    const written = await db.send(new TransactWriteItemsCommand({
      TransactItems: [{ Put: { TableName: 'things', Item: { pk: { S: 'tx' }, sk: { S: '1' }, data: { S: 'y'.repeat(1500) } } } }, { Put: { TableName: 'things', Item: { pk: { S: 'tx' }, sk: { S: '2' } } } }],
      ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(written.ConsumedCapacity).toEqual([{ TableName: 'things', CapacityUnits: 6, WriteCapacityUnits: 6 }]);
    const read = await db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'things', Key: { pk: { S: 'tx' }, sk: { S: '1' } } } }], ReturnConsumedCapacity: 'TOTAL' }));
    expect(read.ConsumedCapacity).toEqual([{ TableName: 'things', CapacityUnits: 2, ReadCapacityUnits: 2 }]);
  });
});

describe('ConsumedCapacity of batch and transaction writes', () => {
  // With INDEXES, DynamoDB answers each table's units with those of every index written, as for PutItem
  // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html#DDB-BatchWriteItem-request-ReturnConsumedCapacity),
  // and a transaction bills every item twice
  // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
  it('counts the index entries a BatchWriteItem writes, per table', async () => {
    const batch = await db.send(new BatchWriteItemCommand({
      RequestItems: { things: [
        { PutRequest: { Item: { pk: { S: 'bw' }, sk: { S: '1' }, g: { S: 'in-index' } } } },
        { PutRequest: { Item: { pk: { S: 'bw' }, sk: { S: '2' } } } },
      ] },
      ReturnConsumedCapacity: 'INDEXES',
    }));
    expect(batch.ConsumedCapacity).toEqual([{
      TableName: 'things', CapacityUnits: 3, WriteCapacityUnits: 3,
      Table: { CapacityUnits: 2, WriteCapacityUnits: 2 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 1, WriteCapacityUnits: 1 } },
    }]);
    const total = await db.send(new BatchWriteItemCommand({ RequestItems: { things: [{ DeleteRequest: { Key: { pk: { S: 'bw' }, sk: { S: '1' } } } }] }, ReturnConsumedCapacity: 'TOTAL' }));
    // The delete removes the item and its byG entry.
    expect(total.ConsumedCapacity).toEqual([{ TableName: 'things', CapacityUnits: 2, WriteCapacityUnits: 2 }]);
  });

  it('counts the index entries a transaction writes, twice', async () => {
    const written = await db.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: 'things', Item: { pk: { S: 'txi' }, sk: { S: '1' }, g: { S: 'in-index' } } } },
        { ConditionCheck: { TableName: 'things', Key: { pk: { S: 'txi' }, sk: { S: '0' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
      ReturnConsumedCapacity: 'INDEXES',
    }));
    expect(written.ConsumedCapacity).toEqual([{
      TableName: 'things', CapacityUnits: 6, WriteCapacityUnits: 6,
      Table: { CapacityUnits: 4, WriteCapacityUnits: 4 }, GlobalSecondaryIndexes: { byG: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
    }]);
  });
});

describe('the 16 MB BatchGetItem answer', () => {
  it('returns the keys beyond 16 MB of items as UnprocessedKeys', async () => {
    const filler = 'z'.repeat(390 * 1024);
    const keys = Array.from({ length: 45 }, (_, i) => ({ pk: { S: 'big' }, sk: { S: String(i).padStart(2, '0') } }));
    for (const key of keys) await db.send(new PutItemCommand({ TableName: 'things', Item: { ...key, filler: { S: filler } } }));
    const first = await db.send(new BatchGetItemCommand({ RequestItems: { things: { Keys: keys, ProjectionExpression: 'pk, sk' } } }));
    const returned = first.Responses?.things?.length ?? 0;
    const left = first.UnprocessedKeys?.things?.Keys ?? [];
    expect(returned).toBe(42);
    expect(returned + left.length).toBe(45);
    expect(first.UnprocessedKeys?.things?.ProjectionExpression).toBe('pk, sk');
    const rest = await db.send(new BatchGetItemCommand({ RequestItems: first.UnprocessedKeys! }));
    expect(rest.Responses?.things).toHaveLength(left.length);
    expect(rest.UnprocessedKeys).toEqual({});
  }, 60_000);
});

describe('resource-based policies', () => {
  const arn = `${ACCOUNT_ARN}/things`;
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'dynamodb:GetItem', Resource: arn }] });

  it('stores, revises and deletes a table policy, checking revisions', async () => {
    const none = await failure(db.send(new GetResourcePolicyCommand({ ResourceArn: arn })));
    expect(none).toBeInstanceOf(PolicyNotFoundException);
    const first = await db.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy, ExpectedRevisionId: 'NO_POLICY' }));
    expect(first.RevisionId).toMatch(/^\d+$/);
    expect(await db.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).toMatchObject({ Policy: policy, RevisionId: first.RevisionId });
    const stale = await failure(db.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy, ExpectedRevisionId: '1' })));
    expect(stale).toBeInstanceOf(PolicyNotFoundException);
    const second = await db.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy, ExpectedRevisionId: first.RevisionId }));
    expect(Number(second.RevisionId)).toBeGreaterThan(Number(first.RevisionId));
    expect(await db.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }))).toMatchObject({ RevisionId: second.RevisionId });
    expect(await failure(db.send(new DeleteResourcePolicyCommand({ ResourceArn: arn })))).toBeInstanceOf(PolicyNotFoundException);
  });

  it('refuses a document that is not a JSON policy, and policies of missing tables', async () => {
    const bad = await failure(db.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: '{not json' })));
    expect(bad.name).toBe('ValidationException');
    const missing = await failure(db.send(new PutResourcePolicyCommand({ ResourceArn: `${ACCOUNT_ARN}/absent`, Policy: policy })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('tags within AWS limits', () => {
  it('refuses more than 50 tags on a table and keys starting with aws:', async () => {
    const arn = `${ACCOUNT_ARN}/things`;
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await db.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags }));
    const tooMany = await failure(db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'one-more', Value: 'v' }] })));
    expect(tooMany.name).toBe('ValidationException');
    const reserved = await failure(db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'aws:cloudformation:stack-name', Value: 'v' }] })));
    expect(reserved.name).toBe('ValidationException');
    const atCreation = await failure(db.send(new CreateTableCommand({
      TableName: 'tagged', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], Tags: [...tags, { Key: 'k50', Value: 'v' }],
    })));
    expect(atCreation.name).toBe('ValidationException');
  });
});

describe('account answers', () => {
  it("answers DescribeLimits and DescribeEndpoints to the SDK and Debian's AWS CLI", async () => {
    // AWS's defaults for a new account, as the API reference's example shows them.
    expect(await db.send(new DescribeLimitsCommand({}))).toMatchObject({
      AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000,
    });
    const endpoints = await db.send(new DescribeEndpointsCommand({}));
    expect(endpoints.Endpoints).toEqual([{ Address: new URL(t.node.url).host, CachePeriodInMinutes: 1440 }]);
    const env = { PATH: '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const { stdout } = await execFileAsync(AWS_CLI, ['dynamodb', 'describe-limits', '--endpoint-url', t.node.url, '--output', 'json'], { env, cwd: home });
    expect(JSON.parse(stdout)).toMatchObject({ AccountMaxReadCapacityUnits: 80000 });
  });

  it('counts size() of a string in UTF-8 bytes', async () => {
    await db.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'utf8' }, sk: { S: '1' }, word: { S: 'żółw' } } }));
    const update = db.send(new UpdateItemCommand({
      TableName: 'things', Key: { pk: { S: 'utf8' }, sk: { S: '1' } }, UpdateExpression: 'SET seen = :t', ConditionExpression: 'size(word) = :bytes',
      ExpressionAttributeValues: { ':t': { BOOL: true }, ':bytes': { N: '7' } }, ReturnValues: 'UPDATED_NEW',
    }));
    expect((await update).Attributes).toEqual({ seen: { BOOL: true } });
  });
});
