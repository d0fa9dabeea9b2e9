import { describe, expect, it } from 'vitest';
import { ensureTable } from '../../../src/services/dynamodb/index.js';
import { expectValidation, useDynamo } from './helpers.js';

const ATTRS = [{ AttributeName: 'pk', AttributeType: 'S' }];
const KEYS = [{ AttributeName: 'pk', KeyType: 'HASH' }];
const THROUGHPUT = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };

describe('DynamoDB tables', () => {
  const db = useDynamo();

  it('creates a provisioned table with indexes and describes it fully', async () => {
    const created = await db.ok('CreateTable', {
      TableName: 'full',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'B' }, { AttributeName: 'l', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      ProvisionedThroughput: THROUGHPUT,
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 } }],
      LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      Tags: [{ Key: 'team', Value: 'core' }],
    });
    const now = db.clock.now() / 1000;
    const label = new Date(db.clock.now()).toISOString().slice(0, 23);
    expect(created.TableDescription).toEqual({
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'B' }, { AttributeName: 'l', AttributeType: 'S' }],
      TableName: 'full',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      // CreateTable answers CREATING, its new indexes CREATING and no WarmThroughput yet (LocalStack's recordings of
      // AWS: test_gsi_with_billing_mode[PROVISIONED] and test_table_warm_throughput, "create-table").
      TableStatus: 'CREATING',
      CreationDateTime: now,
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      TableSizeBytes: 0,
      ItemCount: 0,
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/full',
      TableId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] }, IndexSizeBytes: 0, ItemCount: 0, IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/full/index/byL' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, IndexStatus: 'CREATING', ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 1, WriteCapacityUnits: 2 }, IndexSizeBytes: 0, ItemCount: 0, IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/full/index/byG' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      LatestStreamLabel: label,
      LatestStreamArn: `arn:aws:dynamodb:us-east-1:000000000000:table/full/stream/${label}`,
      DeletionProtectionEnabled: false,
    });
    await db.ok('PutItem', { TableName: 'full', Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { B: 'AA==' }, l: { S: 'x' } } });
    const described = await db.ok('DescribeTable', { TableName: 'full' });
    // Described later, the table is ACTIVE and warmed to its provisioned capacity (test_gsi_with_billing_mode[PROVISIONED], "describe-table").
    expect(described.Table).toMatchObject({
      TableStatus: 'ACTIVE',
      ItemCount: 1,
      TableSizeBytes: 11,
      WarmThroughput: { ReadUnitsPerSecond: 5, WriteUnitsPerSecond: 5, Status: 'ACTIVE' },
      GlobalSecondaryIndexes: [{ ItemCount: 1, IndexStatus: 'ACTIVE', WarmThroughput: { ReadUnitsPerSecond: 1, WriteUnitsPerSecond: 2, Status: 'ACTIVE' } }],
      LocalSecondaryIndexes: [{ ItemCount: 1 }],
    });
    expect((await db.ok('ListTagsOfResource', { ResourceArn: described.Table.TableArn })).Tags).toEqual([{ Key: 'team', Value: 'core' }]);
  });

  it('refuses bad table definitions with DynamoDB messages', async () => {
    await expectValidation(db, 'CreateTable', { AttributeDefinitions: ATTRS, KeySchema: KEYS, ProvisionedThroughput: THROUGHPUT }, "The parameter 'TableName' is required but was not present in the request");
    await expectValidation(db, 'CreateTable', { TableName: 'ab', AttributeDefinitions: ATTRS, KeySchema: KEYS, ProvisionedThroughput: THROUGHPUT },
      "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
    await expectValidation(db, 'CreateTable', { TableName: 'dup', AttributeDefinitions: ATTRS, KeySchema: [...KEYS, { AttributeName: 'pk', KeyType: 'RANGE' }], ProvisionedThroughput: THROUGHPUT },
      'Invalid KeySchema: Some index key attribute have no definition');
    await expectValidation(db, 'CreateTable', { TableName: 'three', AttributeDefinitions: [...ATTRS, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }], KeySchema: [...KEYS, { AttributeName: 'sk', KeyType: 'RANGE' }, { AttributeName: 'x', KeyType: 'RANGE' }], ProvisionedThroughput: THROUGHPUT },
      "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=x, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
    await expectValidation(db, 'CreateTable', { TableName: 'badtype', AttributeDefinitions: ATTRS, KeySchema: [{ AttributeName: 'pk', KeyType: 'INVALID' }], ProvisionedThroughput: THROUGHPUT },
      "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
    await expectValidation(db, 'CreateTable', { TableName: 'badattr', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'INVALID' }], KeySchema: KEYS, ProvisionedThroughput: THROUGHPUT },
      "1 validation error detected: Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
    await expectValidation(db, 'CreateTable', {
      TableName: 'lsi', AttributeDefinitions: [...ATTRS, { AttributeName: 'l', AttributeType: 'S' }], KeySchema: KEYS, ProvisionedThroughput: THROUGHPUT,
      LocalSecondaryIndexes: [{ IndexName: 'lsi1', KeySchema: [...KEYS, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }, 'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    await expectValidation(db, 'CreateTable', {
      TableName: 'dupidx', AttributeDefinitions: [...ATTRS, { AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }], KeySchema: KEYS, ProvisionedThroughput: THROUGHPUT,
      GlobalSecondaryIndexes: ['a', 'b'].map((name) => ({ IndexName: 'same', KeySchema: [{ AttributeName: name, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: THROUGHPUT })),
    }, 'One or more parameter values were invalid: Duplicate index name: same');
    await expectValidation(db, 'CreateTable', { TableName: 'extra', AttributeDefinitions: [...ATTRS, { AttributeName: 'x', AttributeType: 'S' }], KeySchema: KEYS, ProvisionedThroughput: THROUGHPUT },
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    await expectValidation(db, 'CreateTable', { TableName: 'billing', AttributeDefinitions: ATTRS, KeySchema: KEYS },
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    await expectValidation(db, 'CreateTable', { TableName: 'billing', AttributeDefinitions: ATTRS, KeySchema: KEYS, BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: THROUGHPUT },
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  });

  it('refuses a second table of the same name and unknown tables', async () => {
    await db.table('twice');
    expect(await db.fail('CreateTable', { TableName: 'twice', AttributeDefinitions: ATTRS, KeySchema: KEYS, BillingMode: 'PAY_PER_REQUEST' })).toMatchObject({ type: 'ResourceInUseException', message: 'Table already exists: twice' });
    expect(await db.fail('DescribeTable', { TableName: 'ghost' })).toMatchObject({ type: 'ResourceNotFoundException', message: 'Requested resource not found: Table: ghost not found' });
    expect(await db.fail('DeleteTable', { TableName: 'ghost' })).toMatchObject({ type: 'ResourceNotFoundException', message: 'Requested resource not found: Table: ghost not found' });
  });

  it('lists tables in pages', async () => {
    for (const name of ['delta', 'alpha', 'charlie', 'bravo']) await db.table(name);
    expect(await db.ok('ListTables', { Limit: 3 })).toEqual({ TableNames: ['alpha', 'bravo', 'charlie'], LastEvaluatedTableName: 'charlie' });
    expect(await db.ok('ListTables', { ExclusiveStartTableName: 'charlie' })).toEqual({ TableNames: ['delta'] });
    await expectValidation(db, 'ListTables', { Limit: 101 }, "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
  });

  it('updates billing, throughput, indexes and streams', async () => {
    await db.ok('CreateTable', { TableName: 'upd', AttributeDefinitions: ATTRS, KeySchema: KEYS, BillingMode: 'PAY_PER_REQUEST' });
    for (let i = 0; i < 5; i++) await db.ok('PutItem', { TableName: 'upd', Item: { pk: { S: `k${i}` }, color: { S: i % 2 ? 'red' : 'blue' } } });
    await expectValidation(db, 'UpdateTable', { TableName: 'upd' }, 'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
    const added = await db.ok('UpdateTable', {
      TableName: 'upd',
      AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    expect(added.TableDescription.GlobalSecondaryIndexes).toEqual([expect.objectContaining({ IndexName: 'byColor', IndexStatus: 'ACTIVE', ItemCount: 5 })]);
    expect(added.TableDescription.AttributeDefinitions).toEqual([...ATTRS, { AttributeName: 'color', AttributeType: 'S' }]);
    const red = await db.ok('Query', { TableName: 'upd', IndexName: 'byColor', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } });
    expect(red.Count).toBe(2);
    await expectValidation(db, 'UpdateTable', { TableName: 'upd', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }, 'Table already has an enabled stream');
    const provisioned = await db.ok('UpdateTable', { TableName: 'upd', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 }, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColor' } }], StreamSpecification: { StreamEnabled: false } });
    expect(provisioned.TableDescription).toMatchObject({ ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 }, StreamSpecification: { StreamEnabled: false }, AttributeDefinitions: ATTRS });
    expect(provisioned.TableDescription.BillingModeSummary).toBeUndefined();
    expect(provisioned.TableDescription.GlobalSecondaryIndexes).toBeUndefined();
    expect(await db.fail('UpdateTable', { TableName: 'upd', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColor' } }] })).toMatchObject({ type: 'ResourceNotFoundException' });
  });

  it('protects tables from deletion when asked and deletes them otherwise', async () => {
    await db.table('keep', { extra: { DeletionProtectionEnabled: true } });
    await expectValidation(db, 'DeleteTable', { TableName: 'keep' }, 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
    await db.ok('UpdateTable', { TableName: 'keep', DeletionProtectionEnabled: false });
    const deleted = await db.ok('DeleteTable', { TableName: 'keep' });
    expect(deleted.TableDescription).toMatchObject({ TableName: 'keep', TableStatus: 'DELETING' });
    expect(await db.ok('ListTables', {})).toEqual({ TableNames: [] });
  });

  it('enables and disables time to live', async () => {
    await db.table('ttl');
    expect(await db.ok('DescribeTimeToLive', { TableName: 'ttl' })).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    expect(await db.ok('UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })).toEqual({ TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
    expect(await db.ok('DescribeTimeToLive', { TableName: 'ttl' })).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' } });
    await expectValidation(db, 'UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'other' } }, 'TimeToLive is already enabled with a different attribute name');
    await expectValidation(db, 'UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: '' } },
      "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await db.ok('UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } });
    await expectValidation(db, 'UpdateTimeToLive', { TableName: 'ttl', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } }, 'TimeToLive is already disabled');
  });

  it('tags and untags tables by ARN', async () => {
    await db.table('tagged');
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/tagged';
    await db.ok('TagResource', { ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    await db.ok('UntagResource', { ResourceArn: arn, TagKeys: ['a'] });
    expect(await db.ok('ListTagsOfResource', { ResourceArn: arn })).toEqual({ Tags: [{ Key: 'b', Value: '2' }] });
    await expectValidation(db, 'ListTagsOfResource', { ResourceArn: 'not-an-arn' }, 'Invalid TableArn: Invalid ResourceArn provided as input not-an-arn');
  });

  it('creates declared tables once, with their keys', async () => {
    const first = await ensureTable(db.storage.tables, { name: 'declared', hashKey: { name: 'id', type: 'S' }, rangeKey: { name: 'at', type: 'N' } }, db.clock);
    expect(first.created).toBe(true);
    await db.ok('PutItem', { TableName: 'declared', Item: { id: { S: 'x' }, at: { N: '1' } } });
    const again = await ensureTable(db.storage.tables, { name: 'declared', hashKey: { name: 'id', type: 'S' }, rangeKey: { name: 'at', type: 'N' } }, db.clock);
    expect(again.created).toBe(false);
    expect((await db.ok('DescribeTable', { TableName: 'declared' })).Table).toMatchObject({ ItemCount: 1, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }] });
    await expect(ensureTable(db.storage.tables, { name: 'declared', hashKey: { name: 'id', type: 'N' } }, db.clock)).rejects.toMatchObject({ code: 'RESOURCE_CONFLICT' });
  });
});
