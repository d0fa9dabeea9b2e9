import { describe, expect, it } from 'vitest';
import { useDynamo, type DynamoHarness, type Json } from './helpers.js';

const STREAMS = 'DynamoDBStreams_20120810';

async function records(db: DynamoHarness, table: string, type = 'TRIM_HORIZON'): Promise<{ records: Json[]; next: string | undefined }> {
  const { Table } = await db.ok('DescribeTable', { TableName: table });
  const { StreamDescription } = await db.ok(`${STREAMS}.DescribeStream`, { StreamArn: Table.LatestStreamArn });
  const { ShardIterator } = await db.ok(`${STREAMS}.GetShardIterator`, { StreamArn: Table.LatestStreamArn, ShardId: StreamDescription.Shards[0].ShardId, ShardIteratorType: type });
  const page = await db.ok(`${STREAMS}.GetRecords`, { ShardIterator });
  return { records: page.Records, next: page.NextShardIterator };
}

describe('DynamoDB streams and time to live', () => {
  const db = useDynamo();

  it('records every kind of write with the images of the view type', async () => {
    await db.table('streamed', { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } });
    await db.ok('PutItem', { TableName: 'streamed', Item: { pk: { S: 'a' }, v: { N: '1' } } });
    await db.clock.advance(2000);
    await db.ok('UpdateItem', { TableName: 'streamed', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } });
    await db.ok('UpdateItem', { TableName: 'streamed', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } });
    await db.ok('BatchWriteItem', { RequestItems: { streamed: [{ PutRequest: { Item: { pk: { S: 'b' } } } }, { DeleteRequest: { Key: { pk: { S: 'a' } } } }] } });
    await db.ok('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'streamed', Item: { pk: { S: 'c' } } } }] });
    const { records: all, next } = await records(db, 'streamed');
    expect(all.map((r: Json) => `${r.eventName} ${r.dynamodb.Keys.pk.S}`)).toEqual(['INSERT a', 'MODIFY a', 'INSERT b', 'REMOVE a', 'INSERT c']);
    expect(all[0]).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: (db.clock.now() - 2000) / 1000,
        Keys: { pk: { S: 'a' } },
        NewImage: { pk: { S: 'a' }, v: { N: '1' } },
        SequenceNumber: expect.stringMatching(/^\d{21}$/),
        SizeBytes: 9,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(all[1].dynamodb).toMatchObject({ OldImage: { pk: { S: 'a' }, v: { N: '1' } }, NewImage: { pk: { S: 'a' }, v: { N: '2' } } });
    expect(all[3].dynamodb.NewImage).toBeUndefined();
    const sequences = all.map((r: Json) => r.dynamodb.SequenceNumber);
    expect([...sequences].sort()).toEqual(sequences);

    await db.ok('PutItem', { TableName: 'streamed', Item: { pk: { S: 'd' } } });
    const more = await db.ok(`${STREAMS}.GetRecords`, { ShardIterator: next });
    expect(more.Records.map((r: Json) => r.dynamodb.Keys.pk.S)).toEqual(['d']);
    const latest = await records(db, 'streamed', 'LATEST');
    expect(latest.records).toEqual([]);
  });

  it('lists streams and describes them, also once disabled', async () => {
    await db.table('keysonly', { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } } });
    await db.table('plain');
    const { Streams } = await db.ok(`${STREAMS}.ListStreams`, {});
    expect(Streams).toEqual([{ StreamArn: expect.stringContaining('table/keysonly/stream/'), TableName: 'keysonly', StreamLabel: expect.any(String) }]);
    await db.ok('PutItem', { TableName: 'keysonly', Item: { pk: { S: 'a' }, big: { S: 'x' } } });
    expect((await records(db, 'keysonly')).records[0].dynamodb).toEqual(expect.objectContaining({ Keys: { pk: { S: 'a' } }, StreamViewType: 'KEYS_ONLY', SizeBytes: 3 }));
    await db.ok('UpdateTable', { TableName: 'keysonly', StreamSpecification: { StreamEnabled: false } });
    const description = await db.ok(`${STREAMS}.DescribeStream`, { StreamArn: Streams[0].StreamArn });
    expect(description.StreamDescription).toMatchObject({ StreamStatus: 'DISABLED', TableName: 'keysonly', StreamViewType: 'KEYS_ONLY', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] });
    expect(description.StreamDescription.Shards[0].SequenceNumberRange.EndingSequenceNumber).toMatch(/^\d{21}$/);
    expect(await db.fail(`${STREAMS}.DescribeStream`, { StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/plain/stream/2020-01-01T00:00:00.000' })).toMatchObject({ type: 'ResourceNotFoundException' });
  });

  it('expires iterators after 15 minutes', async () => {
    await db.table('iter', { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } } });
    const { next } = await records(db, 'iter');
    await db.clock.advance(16 * 60 * 1000);
    expect(await db.fail(`${STREAMS}.GetRecords`, { ShardIterator: next })).toMatchObject({ type: 'ExpiredIteratorException' });
  });

  it('keeps expired items readable until the sweep deletes them, with service-made REMOVE records', async () => {
    await db.table('ttl', { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' } } });
    await db.ok('UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
    const now = Math.floor(db.clock.now() / 1000);
    await db.ok('PutItem', { TableName: 'ttl', Item: { pk: { S: 'soon' }, expires: { N: String(now + 30) } } });
    await db.ok('PutItem', { TableName: 'ttl', Item: { pk: { S: 'later' }, expires: { N: String(now + 3600) } } });
    await db.ok('PutItem', { TableName: 'ttl', Item: { pk: { S: 'ancient' }, expires: { N: String(now - 6 * 365 * 86400) } } });
    await db.ok('PutItem', { TableName: 'ttl', Item: { pk: { S: 'text' }, expires: { S: 'tomorrow' } } });
    db.service.start();
    await db.clock.advance(45_000);
    expect(await db.ok('GetItem', { TableName: 'ttl', Key: { pk: { S: 'soon' } } })).toHaveProperty('Item');
    expect((await db.ok('Scan', { TableName: 'ttl', Select: 'COUNT' })).Count).toBe(4);
    await db.clock.advance(60_000);
    expect(await db.ok('GetItem', { TableName: 'ttl', Key: { pk: { S: 'soon' } } })).toEqual({});
    expect((await db.ok('Scan', { TableName: 'ttl', Select: 'COUNT' })).Count).toBe(3);
    const removed = (await records(db, 'ttl')).records.filter((r: Json) => r.eventName === 'REMOVE');
    expect(removed).toEqual([expect.objectContaining({ userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' }, dynamodb: expect.objectContaining({ OldImage: { pk: { S: 'soon' }, expires: { N: String(now + 30) } } }) })]);
    await db.clock.advance(3600_000);
    expect((await db.ok('Scan', { TableName: 'ttl' })).Items.map((i: Json) => i.pk.S).sort()).toEqual(['ancient', 'text']);
  });

  it('trims stream records after 24 hours', async () => {
    await db.table('trim', { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } } });
    await db.ok('PutItem', { TableName: 'trim', Item: { pk: { S: 'old' } } });
    await db.clock.advance(25 * 3600 * 1000);
    await db.ok('PutItem', { TableName: 'trim', Item: { pk: { S: 'new' } } });
    await db.service.sweep();
    expect((await records(db, 'trim')).records.map((r: Json) => r.dynamodb.Keys.pk.S)).toEqual(['new']);
  });
});
