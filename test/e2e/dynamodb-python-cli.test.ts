import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, debianPython, startDynamoNode, type DynamoNode } from './dynamodb-node.js';

describe('DynamoDB with Debian boto3 and the AWS CLI', () => {
  let node: DynamoNode;

  beforeAll(async () => {
    node = await startDynamoNode();
  });
  afterAll(async () => {
    await node?.close();
  });

  it("serves boto3's Table resource: put, get, update, query with Key conditions and batch_writer", async () => {
    const output = await debianPython(node, `
import json, os
from decimal import Decimal
import boto3
from boto3.dynamodb.conditions import Key, Attr

dynamodb = boto3.resource('dynamodb', endpoint_url=os.environ['ENDPOINT'])
table = dynamodb.create_table(
    TableName='music',
    KeySchema=[{'AttributeName': 'artist', 'KeyType': 'HASH'}, {'AttributeName': 'song', 'KeyType': 'RANGE'}],
    AttributeDefinitions=[{'AttributeName': 'artist', 'AttributeType': 'S'}, {'AttributeName': 'song', 'AttributeType': 'S'}],
    BillingMode='PAY_PER_REQUEST',
)
table.wait_until_exists()
table.put_item(Item={'artist': 'Nina', 'song': 'Feeling Good', 'year': 1965, 'rating': Decimal('4.75'), 'genres': {'jazz', 'soul'}})
item = table.get_item(Key={'artist': 'Nina', 'song': 'Feeling Good'})['Item']
updated = table.update_item(
    Key={'artist': 'Nina', 'song': 'Feeling Good'},
    UpdateExpression='SET plays = if_not_exists(plays, :zero) + :one, rating = :r',
    ConditionExpression=Attr('year').eq(1965),
    ExpressionAttributeValues={':zero': 0, ':one': 1, ':r': Decimal('5')},
    ReturnValues='ALL_NEW',
)['Attributes']
with table.batch_writer() as batch:
    for i in range(30):
        batch.put_item(Item={'artist': 'Bach', 'song': 'BWV %03d' % i, 'n': i})
first = table.query(KeyConditionExpression=Key('artist').eq('Bach') & Key('song').begins_with('BWV 01'), Limit=5)
rest = table.query(KeyConditionExpression=Key('artist').eq('Bach') & Key('song').begins_with('BWV 01'), ExclusiveStartKey=first['LastEvaluatedKey'])
filtered = table.scan(FilterExpression=Attr('n').between(10, 12) & Attr('artist').eq('Bach'))
try:
    table.put_item(Item={'artist': 'Nina', 'song': 'Feeling Good'}, ConditionExpression=Attr('artist').not_exists())
    failed = None
except dynamodb.meta.client.exceptions.ConditionalCheckFailedException as error:
    failed = error.response['Error']
print(json.dumps({
    'item': {k: (sorted(v) if isinstance(v, set) else str(v)) for k, v in item.items()},
    'updated': {k: str(v) for k, v in updated.items() if k in ('plays', 'rating')},
    'first': [i['song'] for i in first['Items']],
    'rest': [i['song'] for i in rest['Items']],
    'filtered': sorted(int(i['n']) for i in filtered['Items']),
    'count': table.item_count,
    'failed': failed,
}))
`);
    const result = JSON.parse(output) as Record<string, unknown>;
    expect(result.item).toEqual({ artist: 'Nina', song: 'Feeling Good', year: '1965', rating: '4.75', genres: ['jazz', 'soul'] });
    expect(result.updated).toEqual({ plays: '1', rating: '5' });
    expect(result.first).toEqual(['BWV 010', 'BWV 011', 'BWV 012', 'BWV 013', 'BWV 014']);
    expect(result.rest).toEqual(['BWV 015', 'BWV 016', 'BWV 017', 'BWV 018', 'BWV 019']);
    expect(result.filtered).toEqual([10, 11, 12]);
    expect(result.count).toBe(31);
    expect(result.failed).toEqual({ Message: 'The conditional request failed', Code: 'ConditionalCheckFailedException' });
  });

  it('serves the boto3 client, whose CRC32 check passes on every response', async () => {
    const output = await debianPython(node, `
import json, os
import boto3
client = boto3.client('dynamodb', endpoint_url=os.environ['ENDPOINT'])
client.put_item(TableName='music', Item={'artist': {'S': 'Crc'}, 'song': {'S': 's'}, 'text': {'S': 'x' * 50000}, 'b': {'B': b'\\x00\\xff'}})
got = client.get_item(TableName='music', Key={'artist': {'S': 'Crc'}, 'song': {'S': 's'}})
try:
    client.query(TableName='music', KeyConditionExpression='song = :s', ExpressionAttributeValues={':s': {'S': 'a'}})
    error = None
except client.exceptions.ClientError as e:
    error = e.response['Error']
print(json.dumps({'b': list(got['Item']['b']['B']), 'error': error}))
`);
    expect(JSON.parse(output)).toEqual({ b: [0, 255], error: { Message: 'Query condition missed key schema element: artist', Code: 'ValidationException' } });
  });

  it('serves the AWS CLI: create-table, put-item, get-item, query and scan', async () => {
    await awsCli(node, ['dynamodb', 'create-table', '--table-name', 'cli-table',
      '--attribute-definitions', 'AttributeName=pk,AttributeType=S', 'AttributeName=sk,AttributeType=N',
      '--key-schema', 'AttributeName=pk,KeyType=HASH', 'AttributeName=sk,KeyType=RANGE',
      '--billing-mode', 'PAY_PER_REQUEST']);
    await awsCli(node, ['dynamodb', 'wait', 'table-exists', '--table-name', 'cli-table']);
    for (const sk of ['1', '2', '10']) {
      await awsCli(node, ['dynamodb', 'put-item', '--table-name', 'cli-table', '--item', JSON.stringify({ pk: { S: 'k1' }, sk: { N: sk }, n: { N: '42' } })]);
    }
    const got = await awsCli(node, ['dynamodb', 'get-item', '--table-name', 'cli-table', '--key', JSON.stringify({ pk: { S: 'k1' }, sk: { N: '10' } })]);
    expect(got.json).toEqual({ Item: { pk: { S: 'k1' }, sk: { N: '10' }, n: { N: '42' } } });
    const queried = await awsCli(node, ['dynamodb', 'query', '--table-name', 'cli-table', '--key-condition-expression', 'pk = :p AND sk >= :s',
      '--expression-attribute-values', JSON.stringify({ ':p': { S: 'k1' }, ':s': { N: '2' } })]);
    expect(queried.json).toMatchObject({ Count: 2, ScannedCount: 2, Items: [{ sk: { N: '2' } }, { sk: { N: '10' } }] });
    // The CLI pages through Scan by itself, two items per request here.
    const scanned = await awsCli(node, ['dynamodb', 'scan', '--table-name', 'cli-table', '--page-size', '2']);
    expect((scanned.json as { Count: number }).Count).toBe(3);
    const described = await awsCli(node, ['dynamodb', 'describe-table', '--table-name', 'cli-table']);
    expect(described.json).toMatchObject({ Table: { TableName: 'cli-table', TableStatus: 'ACTIVE', ItemCount: 3 } });
    const failure = await awsCli(node, ['dynamodb', 'get-item', '--table-name', 'missing-table', '--key', JSON.stringify({ pk: { S: 'x' } })]).catch((e: unknown) => e as { stderr: string });
    expect((failure as { stderr: string }).stderr).toContain('An error occurred (ResourceNotFoundException) when calling the GetItem operation: Requested resource not found');
  });
});
