import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  paginateListTables,
  paginateQuery,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand as DocQueryCommand, ScanCommand as DocScanCommand, TransactWriteCommand, UpdateCommand, BatchWriteCommand, BatchGetCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoNode, type DynamoNode } from './dynamodb-node.js';

describe('DynamoDB with the AWS SDK for JavaScript v3', () => {
  let node: DynamoNode;
  let client: DynamoDBClient;
  let doc: DynamoDBDocumentClient;

  beforeAll(async () => {
    node = await startDynamoNode();
    client = new DynamoDBClient({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    await client.send(new CreateTableCommand({
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'customer', AttributeType: 'S' },
        { AttributeName: 'orderId', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'total', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'orderId', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] },
      }],
      LocalSecondaryIndexes: [{
        IndexName: 'byTotal',
        KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }));
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: 'orders' });
  });
  afterAll(async () => {
    client?.destroy();
    await node?.close();
  });

  it('describes the table with its indexes, stream and live counts', async () => {
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'ann' }, orderId: { N: '1' }, status: { S: 'open' }, total: { N: '10.50' } } }));
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
    expect(Table).toMatchObject({
      TableName: 'orders',
      TableStatus: 'ACTIVE',
      ItemCount: 1,
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders',
    });
    expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/orders\/stream\/\d{4}-/);
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexName: 'byStatus', IndexStatus: 'ACTIVE', ItemCount: 1 });
    expect(Table?.LocalSecondaryIndexes?.[0]).toMatchObject({ IndexName: 'byTotal', Projection: { ProjectionType: 'KEYS_ONLY' } });
    expect(Table?.CreationDateTime).toBeInstanceOf(Date);
  });

  it('puts, gets, updates and deletes with conditions, names, values and return values', async () => {
    const key: Record<string, AttributeValue> = { customer: { S: 'bob' }, orderId: { N: '7' } };
    await client.send(new PutItemCommand({
      TableName: 'orders',
      Item: { ...key, status: { S: 'open' }, total: { N: '99.999999999999999999999999999999999999' }, tags: { SS: ['a', 'b'] }, labels: { SS: ['p', 'q'] }, lines: { L: [{ M: { sku: { S: 'x' }, qty: { N: '2' } } }] } },
      ConditionExpression: 'attribute_not_exists(customer)',
    }));
    const updated = await client.send(new UpdateItemCommand({
      TableName: 'orders',
      Key: key,
      UpdateExpression: 'SET #s = :s, #l[0].qty = #l[0].qty + :one, note = if_not_exists(note, :note) REMOVE #t ADD tags :t, visits :one DELETE labels :old',
      ConditionExpression: '#s = :open AND size(#l) = :one',
      ExpressionAttributeNames: { '#s': 'status', '#l': 'lines', '#t': 'total' },
      ExpressionAttributeValues: { ':s': { S: 'paid' }, ':one': { N: '1' }, ':note': { S: 'first' }, ':t': { SS: ['c'] }, ':old': { SS: ['p'] }, ':open': { S: 'open' } },
      ReturnValues: 'UPDATED_NEW',
    }));
    expect(updated.Attributes).toEqual({ status: { S: 'paid' }, lines: { L: [{ M: { qty: { N: '3' } } }] }, note: { S: 'first' }, tags: { SS: ['a', 'b', 'c'] }, visits: { N: '1' }, labels: { SS: ['q'] } });
    const got = await client.send(new GetItemCommand({ TableName: 'orders', Key: key, ProjectionExpression: '#l[0].sku, #s', ExpressionAttributeNames: { '#s': 'status', '#l': 'lines' }, ConsistentRead: true }));
    expect(got.Item).toEqual({ lines: { L: [{ M: { sku: { S: 'x' } } }] }, status: { S: 'paid' } });

    const failure = await client.send(new PutItemCommand({ TableName: 'orders', Item: key, ConditionExpression: 'attribute_not_exists(customer)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failure as ConditionalCheckFailedException).message).toBe('The conditional request failed');
    expect((failure as ConditionalCheckFailedException).Item?.status).toEqual({ S: 'paid' });

    const deleted = await client.send(new DeleteItemCommand({ TableName: 'orders', Key: key, ReturnValues: 'ALL_OLD' }));
    expect(deleted.Attributes?.note).toEqual({ S: 'first' });
    expect((await client.send(new GetItemCommand({ TableName: 'orders', Key: key }))).Item).toBeUndefined();
  });

  it('reports validation and missing-table errors as the SDK expects them', async () => {
    const syntax = await client.send(new UpdateItemCommand({ TableName: 'orders', Key: { customer: { S: 'x' }, orderId: { N: '1' } }, UpdateExpression: 'SET a = ' })).catch((e: unknown) => e as Error);
    expect(syntax).toMatchObject({ name: 'ValidationException', message: 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "= "' });
    const missing = await client.send(new GetItemCommand({ TableName: 'nothing', Key: { id: { S: 'x' } } })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Requested resource not found');
  });

  it('queries the table, a global and a local index, pages with a paginator, and filters after the limit', async () => {
    for (let i = 1; i <= 25; i++) {
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'cat' }, orderId: { N: String(i) }, status: { S: i % 2 ? 'odd' : 'even' }, total: { N: String(100 - i) }, note: { S: `n${i}` }, secret: { S: 's' } } }));
    }
    const pages = [];
    for await (const page of paginateQuery({ client, pageSize: 10 }, { TableName: 'orders', KeyConditionExpression: 'customer = :c AND orderId BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':c': { S: 'cat' }, ':lo': { N: '3' }, ':hi': { N: '24' } }, ScanIndexForward: false })) {
      pages.push(page.Items?.map((item) => Number(item.orderId?.N)));
    }
    expect(pages.flat()).toEqual(Array.from({ length: 22 }, (_, i) => 24 - i));
    expect(pages.length).toBe(3);

    const index = await client.send(new QueryCommand({ TableName: 'orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s AND #t < :t', ExpressionAttributeNames: { '#s': 'status', '#t': 'total' }, ExpressionAttributeValues: { ':s': { S: 'odd' }, ':t': { N: '80' } } }));
    expect(index.Items?.map((item) => item.total?.N)).toEqual(['75', '77', '79']);
    expect(Object.keys(index.Items![0]!).sort()).toEqual(['customer', 'note', 'orderId', 'status', 'total']);

    const local = await client.send(new QueryCommand({ TableName: 'orders', IndexName: 'byTotal', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'cat' } }, Limit: 2 }));
    expect(local.Items).toEqual([{ customer: { S: 'cat' }, orderId: { N: '25' }, total: { N: '75' } }, { customer: { S: 'cat' }, orderId: { N: '24' }, total: { N: '76' } }]);
    expect(local.LastEvaluatedKey).toEqual({ customer: { S: 'cat' }, orderId: { N: '24' }, total: { N: '76' } });

    const filtered = await client.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'customer = :c', FilterExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':c': { S: 'cat' }, ':s': { S: 'odd' } }, Limit: 4, Select: 'COUNT' }));
    expect(filtered).toMatchObject({ Count: 2, ScannedCount: 4, LastEvaluatedKey: { customer: { S: 'cat' }, orderId: { N: '4' } } });
    expect(filtered.Items).toBeUndefined();
  });

  it('scans in parallel segments that cover the table once', async () => {
    const segments = await Promise.all([0, 1, 2].map((Segment) => client.send(new ScanCommand({ TableName: 'orders', Segment, TotalSegments: 3 }))));
    const all = segments.flatMap((s) => s.Items ?? []).map((item) => `${item.customer?.S}/${item.orderId?.N}`);
    const whole = await client.send(new ScanCommand({ TableName: 'orders' }));
    expect(new Set(all)).toEqual(new Set(whole.Items?.map((item) => `${item.customer?.S}/${item.orderId?.N}`)));
    expect(all.length).toBe(whole.Count);
  });

  it('writes and reads batches', async () => {
    await client.send(new BatchWriteItemCommand({ RequestItems: { orders: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { customer: { S: 'batch' }, orderId: { N: String(i) } } } })) } }));
    const read = await client.send(new BatchGetItemCommand({ RequestItems: { orders: { Keys: [{ customer: { S: 'batch' }, orderId: { N: '3' } }, { customer: { S: 'batch' }, orderId: { N: '99' } }] } } }));
    expect(read.Responses?.orders).toEqual([{ customer: { S: 'batch' }, orderId: { N: '3' } }]);
    expect(read.UnprocessedKeys).toEqual({});
    const tooMany = await client.send(new BatchWriteItemCommand({ RequestItems: { orders: Array.from({ length: 26 }, (_, i) => ({ DeleteRequest: { Key: { customer: { S: 'batch' }, orderId: { N: String(i) } } } })) } })).catch((e: unknown) => e);
    expect((tooMany as Error).name).toBe('ValidationException');
  });

  it('runs transactions all or nothing, with cancellation reasons in order', async () => {
    const key = (id: string) => ({ customer: { S: 'tx' }, orderId: { N: id } });
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { ...key('1'), stock: { N: '1' } } }));
    const error = await client.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: 'orders', Item: key('2') } },
        { Update: { TableName: 'orders', Key: key('1'), UpdateExpression: 'SET stock = stock - :one', ConditionExpression: 'stock > :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { ConditionCheck: { TableName: 'orders', Key: key('3'), ConditionExpression: 'attribute_exists(customer)' } },
      ],
    })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const cancelled = error as TransactionCanceledException;
    expect(cancelled.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]');
    expect(cancelled.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed', 'ConditionalCheckFailed']);
    expect(cancelled.CancellationReasons?.[1]?.Item).toEqual({ ...key('1'), stock: { N: '1' } });
    expect((await client.send(new GetItemCommand({ TableName: 'orders', Key: key('2') }))).Item).toBeUndefined();

    const token = 'token-1';
    const write = () => client.send(new TransactWriteItemsCommand({ ClientRequestToken: token, TransactItems: [{ Update: { TableName: 'orders', Key: key('1'), UpdateExpression: 'ADD stock :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }] }));
    await write();
    await write();
    const { Responses } = await client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'orders', Key: key('1') } }, { Get: { TableName: 'orders', Key: key('9') } }] }));
    expect(Responses).toEqual([{ Item: { ...key('1'), stock: { N: '2' } } }, {}]);
  });

  it('serves the DocumentClient with native numbers, sets and binary', async () => {
    await doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'doc', orderId: 1, total: 12.5, tags: new Set(['x', 'y']), blob: new Uint8Array([1, 2, 3]), nested: { a: [1, 'two', null, true] } } }));
    const { Item } = await doc.send(new GetCommand({ TableName: 'orders', Key: { customer: 'doc', orderId: 1 } }));
    expect(Item).toEqual({ customer: 'doc', orderId: 1, total: 12.5, tags: new Set(['x', 'y']), blob: new Uint8Array([1, 2, 3]), nested: { a: [1, 'two', null, true] } });
    const { Attributes } = await doc.send(new UpdateCommand({ TableName: 'orders', Key: { customer: 'doc', orderId: 1 }, UpdateExpression: 'SET #t = #t + :x, nested.a[1] = :y', ExpressionAttributeNames: { '#t': 'total' }, ExpressionAttributeValues: { ':x': 0.25, ':y': 'deux' }, ReturnValues: 'ALL_NEW' }));
    expect(Attributes).toMatchObject({ total: 12.75, nested: { a: [1, 'deux', null, true] } });
    await doc.send(new BatchWriteCommand({ RequestItems: { orders: [2, 3, 4].map((orderId) => ({ PutRequest: { Item: { customer: 'doc', orderId, status: 'open', total: orderId } } })) } }));
    const batch = await doc.send(new BatchGetCommand({ RequestItems: { orders: { Keys: [{ customer: 'doc', orderId: 2 }] } } }));
    expect(batch.Responses?.orders).toEqual([{ customer: 'doc', orderId: 2, status: 'open', total: 2 }]);
    const queried = await doc.send(new DocQueryCommand({ TableName: 'orders', KeyConditionExpression: 'customer = :c AND orderId > :o', ExpressionAttributeValues: { ':c': 'doc', ':o': 1 } }));
    expect(queried.Items?.map((i) => i.orderId)).toEqual([2, 3, 4]);
    const scanned = await doc.send(new DocScanCommand({ TableName: 'orders', FilterExpression: 'customer = :c AND contains(tags, :t)', ExpressionAttributeValues: { ':c': 'doc', ':t': 'x' } }));
    expect(scanned.Items).toHaveLength(1);
    await doc.send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: 'orders', Key: { customer: 'doc', orderId: 2 } } }, { Put: { TableName: 'orders', Item: { customer: 'doc', orderId: 5 } } }] }));
    await doc.send(new DeleteCommand({ TableName: 'orders', Key: { customer: 'doc', orderId: 3 } }));
    const rest = await doc.send(new DocQueryCommand({ TableName: 'orders', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': 'doc' }, ProjectionExpression: 'orderId' }));
    expect(rest.Items).toEqual([{ orderId: 1 }, { orderId: 4 }, { orderId: 5 }]);
  });

  it('reads change records through the DynamoDB Streams API', async () => {
    const call = async <T>(target: string, body: unknown): Promise<T> => {
      const response = await fetch(node.url, { method: 'POST', headers: { 'x-amz-target': `DynamoDBStreams_20120810.${target}`, 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    };
    const { Streams } = await call<{ Streams: { StreamArn: string }[] }>('ListStreams', { TableName: 'orders' });
    const { StreamDescription } = await call<{ StreamDescription: { Shards: { ShardId: string }[]; StreamStatus: string } }>('DescribeStream', { StreamArn: Streams[0]!.StreamArn });
    expect(StreamDescription.StreamStatus).toBe('ENABLED');
    const { ShardIterator } = await call<{ ShardIterator: string }>('GetShardIterator', { StreamArn: Streams[0]!.StreamArn, ShardId: StreamDescription.Shards[0]!.ShardId, ShardIteratorType: 'TRIM_HORIZON' });
    const { Records } = await call<{ Records: { eventName: string }[] }>('GetRecords', { ShardIterator, Limit: 3 });
    expect(Records).toHaveLength(3);
    expect(Records[0]).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { Keys: { customer: { S: 'ann' }, orderId: { N: '1' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
  });

  it('updates billing, indexes and time to live, lists and deletes tables', async () => {
    await client.send(new UpdateTableCommand({ TableName: 'orders', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byStatus' } }] }));
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
    expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
    expect(Table?.GlobalSecondaryIndexes).toBeUndefined();
    await client.send(new UpdateTimeToLiveCommand({ TableName: 'orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    expect((await client.send(new DescribeTimeToLiveCommand({ TableName: 'orders' }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    for (let i = 0; i < 5; i++) {
      await client.send(new CreateTableCommand({ TableName: `extra-${i}`, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    }
    const names: string[] = [];
    for await (const page of paginateListTables({ client, pageSize: 2 }, {})) names.push(...(page.TableNames ?? []));
    expect(names).toEqual(['extra-0', 'extra-1', 'extra-2', 'extra-3', 'extra-4', 'orders']);
    await client.send(new DeleteTableCommand({ TableName: 'extra-0' }));
    await waitUntilTableNotExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: 'extra-0' });
  });
});
