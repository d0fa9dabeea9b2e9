import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, debianPython, startDynamoNode, type DynamoNode } from './dynamodb-node.js';

/**
 * DynamoDB and DynamoDB Streams as the protocol kit serves them, seen through the real clients (SDK v3, Debian's
 * boto3 and AWS CLI) against the node the product assembles: requests parsed by the models, outputs written back
 * (timestamps, blobs, sets), type mismatches as SerializationException and constraint violations together, in
 * DynamoDB's wording and order. Where each expected message comes from:
 * - [items] test/services/dynamodb/items.test.ts (the UpdateItem pair of enums; TableName as a number);
 * - [query] test/services/dynamodb/query-scan.test.ts (Query's Select and Limit, one at a time);
 * - [tables] test/services/dynamodb/tables.test.ts (CreateTable's AttributeType and KeyType, one at a time);
 * - [batch] test/services/dynamodb/batch-transactions.test.ts (BatchWriteItem's 26 requests);
 * - [dynalite] dynalite's tests, recorded against DynamoDB (github.com/architect/dynalite): test/helpers.js
 *   assertType for the SerializationException texts, test/query.js and test/createTable.js for the order in
 *   which several violations are listed (select before limit; attributeDefinitions before keySchema).
 */

const TWO_ENUMS = "2 validation errors detected: Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"; // [items] [dynalite] (test/updateItem.js lists ReturnValues so)
const SELECT_AND_LIMIT = "2 validation errors detected: Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"; // [query] [dynalite]
const TYPES_AND_KEYS = "2 validation errors detected: Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]; Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]"; // [tables] [dynalite]

/** Lets a value of the wrong type through the SDK's types, as a buggy caller would send it. */
function wrong<T>(value: unknown): T {
  return value as T;
}

describe('DynamoDB on the protocol kit, with the real clients', () => {
  let node: DynamoNode;
  let client: DynamoDBClient;

  beforeAll(async () => {
    node = await startDynamoNode();
    client = new DynamoDBClient({ ...node.test.config, maxAttempts: 1 });
    await client.send(new CreateTableCommand({
      TableName: 'proto',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }));
  });
  afterAll(async () => {
    client?.destroy();
    await node?.close();
  });

  describe('SDK v3', () => {
    it('parses and serialises DescribeTable, PutItem, GetItem, UpdateItem and Query', async () => {
      const before = Date.now();
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'proto' }));
      expect(Table?.CreationDateTime).toBeInstanceOf(Date);
      expect(Table?.CreationDateTime!.getTime()).toBeLessThanOrEqual(before);
      expect(Table?.BillingModeSummary?.LastUpdateToPayPerRequestDateTime).toBeInstanceOf(Date);
      expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);

      const item = { pk: { S: 'sdk' }, sk: { N: '1' }, bytes: { B: new Uint8Array([0, 1, 254, 255]) }, tags: { SS: ['a', 'b'] }, nested: { M: { list: { L: [{ N: '1.50' }, { NULL: true }] } } } };
      await client.send(new PutItemCommand({ TableName: 'proto', Item: item }));
      const got = await client.send(new GetItemCommand({ TableName: 'proto', Key: { pk: { S: 'sdk' }, sk: { N: '1' } } }));
      expect(got.Item).toEqual({ ...item, nested: { M: { list: { L: [{ N: '1.5' }, { NULL: true }] } } } });

      const updated = await client.send(new UpdateItemCommand({
        TableName: 'proto', Key: { pk: { S: 'sdk' }, sk: { N: '1' } }, UpdateExpression: 'ADD tags :t SET n = :n', ExpressionAttributeValues: { ':t': { SS: ['c'] }, ':n': { N: '7' } }, ReturnValues: 'UPDATED_NEW',
      }));
      expect(updated.Attributes).toEqual({ tags: { SS: ['a', 'b', 'c'] }, n: { N: '7' } });

      await client.send(new PutItemCommand({ TableName: 'proto', Item: { pk: { S: 'sdk' }, sk: { N: '2' } } }));
      const page = await client.send(new QueryCommand({ TableName: 'proto', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'sdk' } }, Limit: 1, ProjectionExpression: 'sk' }));
      expect(page).toMatchObject({ Items: [{ sk: { N: '1' } }], Count: 1, ScannedCount: 1, LastEvaluatedKey: { pk: { S: 'sdk' }, sk: { N: '1' } } });
    });

    it('answers a member of the wrong type with SerializationException', async () => {
      const asNumber = await client.send(new PutItemCommand({ TableName: wrong<string>(5), Item: { pk: { S: 'x' } } })).catch((e: unknown) => e);
      expect(asNumber).toMatchObject({ name: 'SerializationException', message: 'NUMBER_VALUE cannot be converted to String' }); // [items] [dynalite]
      const asText = await client.send(new GetItemCommand({ TableName: 'proto', Key: { pk: { S: 'x' }, sk: { N: '1' } }, ConsistentRead: wrong<boolean>('yes') })).catch((e: unknown) => e);
      expect(asText).toMatchObject({ name: 'SerializationException', message: 'Unexpected token received from parser' }); // [dynalite] Boolean
      const limit = await client.send(new QueryCommand({ TableName: 'proto', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } }, Limit: wrong<number>('5') })).catch((e: unknown) => e);
      expect(limit).toMatchObject({ name: 'SerializationException', message: 'STRING_VALUE cannot be converted to Integer' }); // [dynalite] Integer
    });

    it("reports several constraint violations together, in DynamoDB's wording and order", async () => {
      const query = await client.send(new QueryCommand({ TableName: 'proto', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } }, Select: 'INVALID_VALUE' as 'COUNT', Limit: 0 })).catch((e: unknown) => e);
      expect(query).toMatchObject({ name: 'ValidationException', message: SELECT_AND_LIMIT });
      const table = await client.send(new CreateTableCommand({
        TableName: 'bad', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'INVALID' as 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'INVALID' as 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
      })).catch((e: unknown) => e);
      expect(table).toMatchObject({ name: 'ValidationException', message: TYPES_AND_KEYS });
    });
  });

  it('serves boto3: the DynamoDB and DynamoDB Streams clients parse what it sends and read what Flint answers', async () => {
    const output = await debianPython(node, `
import datetime, json, os
import boto3
from botocore.config import Config

endpoint = os.environ['ENDPOINT']
client = boto3.client('dynamodb', endpoint_url=endpoint)
client.put_item(TableName='proto', Item={'pk': {'S': 'boto'}, 'sk': {'N': '1'}, 'b': {'B': b'\\x00\\xff'}, 'ns': {'NS': ['3', '1']}})
got = client.get_item(TableName='proto', Key={'pk': {'S': 'boto'}, 'sk': {'N': '1'}}, ConsistentRead=True)['Item']
table = client.describe_table(TableName='proto')['Table']
batch = client.batch_get_item(RequestItems={'proto': {'Keys': [{'pk': {'S': 'boto'}, 'sk': {'N': '1'}}], 'ProjectionExpression': 'b'}})

streams = boto3.client('dynamodbstreams', endpoint_url=endpoint)
arn = streams.list_streams(TableName='proto')['Streams'][0]['StreamArn']
shard = streams.describe_stream(StreamArn=arn)['StreamDescription']['Shards'][0]['ShardId']
iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
records = streams.get_records(ShardIterator=iterator)['Records']

unchecked = boto3.client('dynamodb', endpoint_url=endpoint, config=Config(parameter_validation=False))
def error(call):
    try:
        call()
        return None
    except client.exceptions.ClientError as e:
        return e.response['Error']

print(json.dumps({
    'b': list(got['b']['B']),
    'ns': sorted(got['ns']['NS']),
    'created': isinstance(table['CreationDateTime'], datetime.datetime),
    'batch': batch['Responses']['proto'][0]['b']['B'].hex(),
    'recordTime': isinstance(records[0]['dynamodb']['ApproximateCreationDateTime'], datetime.datetime),
    'recordKeys': [r['dynamodb']['Keys']['pk']['S'] for r in records],
    'serialization': error(lambda: unchecked.put_item(TableName=5, Item={'pk': {'S': 'x'}})),
    'boolean': error(lambda: unchecked.get_item(TableName='proto', Key={'pk': {'S': 'boto'}, 'sk': {'N': '1'}}, ConsistentRead='yes')),
    'validation': error(lambda: client.update_item(TableName='proto', Key={'pk': {'S': 'boto'}, 'sk': {'N': '1'}}, ReturnValues='INVALID', ReturnConsumedCapacity='INVALID')),
}))
`);
    const result = JSON.parse(output) as Record<string, unknown>;
    expect(result).toMatchObject({ b: [0, 255], ns: ['1', '3'], created: true, batch: '00ff', recordTime: true });
    expect(result.recordKeys).toContain('boto');
    expect(result.serialization).toEqual({ Code: 'SerializationException', Message: 'NUMBER_VALUE cannot be converted to String' }); // [items] [dynalite]
    expect(result.boolean).toEqual({ Code: 'SerializationException', Message: 'Unexpected token received from parser' }); // [dynalite] Boolean
    expect(result.validation).toEqual({ Code: 'ValidationException', Message: TWO_ENUMS });
  });

  it('serves the AWS CLI: describe-table, put-item and get-item, and its wrong types and constraint errors', async () => {
    const described = await awsCli(node, ['dynamodb', 'describe-table', '--table-name', 'proto']);
    expect(described.json).toMatchObject({ Table: { TableName: 'proto', TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] } });
    await awsCli(node, ['dynamodb', 'put-item', '--table-name', 'proto', '--item', JSON.stringify({ pk: { S: 'cli' }, sk: { N: '1' }, b: { B: 'AP8=' }, m: { M: { flag: { BOOL: true } } } })]);
    const got = await awsCli(node, ['dynamodb', 'get-item', '--table-name', 'proto', '--key', JSON.stringify({ pk: { S: 'cli' }, sk: { N: '1' } })]);
    expect(got.json).toEqual({ Item: { pk: { S: 'cli' }, sk: { N: '1' }, b: { B: 'AP8=' }, m: { M: { flag: { BOOL: true } } } } });

    const failure = (args: string[], env?: NodeJS.ProcessEnv) => awsCli(env ? { ...node, env: { ...node.env, ...env } } : node, args).then(() => '', (e: { stderr: string }) => e.stderr);
    const key = JSON.stringify({ pk: { S: 'cli' }, sk: { N: '1' } });
    expect(await failure(['dynamodb', 'update-item', '--table-name', 'proto', '--key', key, '--return-values', 'INVALID', '--return-consumed-capacity', 'INVALID']))
      .toContain(`An error occurred (ValidationException) when calling the UpdateItem operation: ${TWO_ENUMS}`);
    // The CLI checks types itself unless its configuration turns parameter validation off.
    const config = join(node.dir, 'unchecked.cfg');
    await writeFile(config, '[default]\nparameter_validation = false\n');
    expect(await failure(['dynamodb', 'get-item', '--cli-input-json', JSON.stringify({ TableName: 5, Key: { pk: { S: 'cli' }, sk: { N: '1' } } })], { AWS_CONFIG_FILE: config }))
      .toContain('An error occurred (SerializationException) when calling the GetItem operation: NUMBER_VALUE cannot be converted to String'); // [items] [dynalite]
  });

  it('refuses a request over 16 MB with its own message, through the node in process', async () => {
    const response = await node.test.node.request({
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': 'DynamoDB_20120810.BatchWriteItem', 'content-type': 'application/x-amz-json-1.0' },
      body: Buffer.alloc(16 * 1024 * 1024 + 1, 0x20),
    });
    expect(response.status).toBe(400);
    // The message Flint's DynamoDB sent before the port (src/services/dynamodb/service.ts at a51b9a5).
    expect(response.json()).toEqual({ __type: 'com.amazon.coral.validate#ValidationException', message: 'Request size exceeded 16777216 bytes' });
  });

  it('reports a map value that breaks its constraints once, for the whole map', async () => {
    const output = await debianPython(node, `
import json, os
import boto3
client = boto3.client('dynamodb', endpoint_url=os.environ['ENDPOINT'])
try:
    client.batch_write_item(RequestItems={'proto': [{'PutRequest': {'Item': {'pk': {'S': str(i)}, 'sk': {'N': '1'}}}} for i in range(26)]})
except client.exceptions.ClientError as e:
    print(json.dumps(e.response['Error']))
`);
    const error = JSON.parse(output) as { Code: string; Message: string };
    expect(error.Code).toBe('ValidationException');
    // [batch] [dynalite] test/batchWriteItem.js
    expect(error.Message).toMatch(/^1 validation error detected: Value '\{proto=\[.+\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s);
  });
});
