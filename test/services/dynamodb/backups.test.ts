import {
  CreateBackupCommand,
  DeleteBackupCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  ListBackupsCommand,
  QueryCommand,
  RestoreTableFromBackupCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contents, musicTable, put, START, startBackupNode, type BackupNode } from './backup-node.js';

/**
 * On-demand backups through the SDK v3. Shapes as AWS documents them: the create-backup and describe-backup
 * examples of https://docs.aws.amazon.com/cli/latest/reference/dynamodb/create-backup.html and
 * describe-backup.html, and https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListBackups.html.
 */

const ARN = /^arn:aws:dynamodb:us-east-1:\d{12}:table\/songs\/backup\/\d{14}-[0-9a-f]{8}$/;

describe('DynamoDB on-demand backups', () => {
  let node: BackupNode;

  beforeAll(async () => {
    node = await startBackupNode();
  });
  afterAll(async () => node?.close());

  it('restores a backup into a new table with the items and indexes it had, whatever happened to the table since', async () => {
    const { db, clock } = node;
    await musicTable(db, 'songs');
    await put(db, 'songs', 'a', 1, 'one');
    await put(db, 'songs', 'a', 2, 'two');
    await clock.advance(1000);
    const created = await db.send(new CreateBackupCommand({ TableName: 'songs', BackupName: 'before-changes' }));
    expect(created.BackupDetails).toEqual({
      BackupArn: expect.stringMatching(ARN),
      BackupName: 'before-changes',
      BackupSizeBytes: expect.any(Number),
      BackupStatus: 'CREATING',
      BackupType: 'USER',
      BackupCreationDateTime: new Date(START + 1000),
    });
    const arn = created.BackupDetails!.BackupArn!;
    expect(arn).toContain(`/backup/${String(START + 1000).padStart(14, '0')}-`);

    await put(db, 'songs', 'a', 1, 'changed');
    await put(db, 'songs', 'b', 1, 'new');
    await db.send(new DeleteItemCommand({ TableName: 'songs', Key: { pk: { S: 'a' }, sk: { N: '2' } } }));

    const described = await db.send(new DescribeBackupCommand({ BackupArn: arn }));
    expect(described.BackupDescription).toEqual({
      BackupDetails: expect.objectContaining({ BackupArn: arn, BackupStatus: 'AVAILABLE', BackupType: 'USER' }),
      SourceTableDetails: {
        TableName: 'songs',
        TableId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/songs',
        TableSizeBytes: created.BackupDetails!.BackupSizeBytes,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        TableCreationDateTime: new Date(START),
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        ItemCount: 2,
        BillingMode: 'PAY_PER_REQUEST',
      },
      SourceTableFeatureDetails: {
        GlobalSecondaryIndexes: [
          { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } },
        ],
      },
    });

    await clock.advance(1000);
    const restored = await db.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'songs-restored' }));
    // AWS answers while it restores: CREATING, RestoreInProgress (API_RestoreTableFromBackup.html).
    expect(restored.TableDescription).toMatchObject({
      TableName: 'songs-restored',
      TableStatus: 'CREATING',
      RestoreSummary: { SourceBackupArn: arn, SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/songs', RestoreDateTime: new Date(START + 2000), RestoreInProgress: true },
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
    expect(await contents(db, 'songs-restored')).toEqual(['a/1=one', 'a/2=two']);
    expect(await contents(db, 'songs')).toEqual(['a/1=changed', 'b/1=new']);
    const { Table } = await db.send(new DescribeTableCommand({ TableName: 'songs-restored' }));
    expect(Table).toMatchObject({ TableStatus: 'ACTIVE', ItemCount: 2, RestoreSummary: { SourceBackupArn: arn, RestoreInProgress: false } });
    expect(Table!.TableId).not.toBe(described.BackupDescription!.SourceTableDetails!.TableId);
    const byIndex = await db.send(new QueryCommand({ TableName: 'songs-restored', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'all' } } }));
    expect(byIndex.Count).toBe(2);
  });

  it('keeps backups after their table is deleted and across a node restart', async () => {
    const { db } = node;
    await musicTable(db, 'gone');
    await put(db, 'gone', 'x', 1, 'kept');
    const { BackupDetails } = await db.send(new CreateBackupCommand({ TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/gone', BackupName: 'last' }));
    await db.send(new DeleteTableCommand({ TableName: 'gone' }));
    await node.restart();
    const described = await node.db.send(new DescribeBackupCommand({ BackupArn: BackupDetails!.BackupArn }));
    expect(described.BackupDescription!.BackupDetails!.BackupStatus).toBe('AVAILABLE');
    await node.db.send(new RestoreTableFromBackupCommand({ BackupArn: BackupDetails!.BackupArn, TargetTableName: 'gone' }));
    expect(await contents(node.db, 'gone')).toEqual(['x/1=kept']);
  });

  it('lists backups by table and creation time, a page at a time', async () => {
    const { clock } = node;
    await musicTable(node.db, 'listed');
    const arns: string[] = [];
    for (const name of ['first', 'second', 'third']) {
      await clock.advance(60_000);
      arns.push((await node.db.send(new CreateBackupCommand({ TableName: 'listed', BackupName: name }))).BackupDetails!.BackupArn!);
    }
    const page1 = await node.db.send(new ListBackupsCommand({ TableName: 'listed', Limit: 2 }));
    expect(page1.BackupSummaries!.map((b) => b.BackupName)).toEqual(['first', 'second']);
    expect(page1.LastEvaluatedBackupArn).toBe(arns[1]);
    expect(page1.BackupSummaries![0]).toEqual({
      TableName: 'listed',
      TableId: expect.any(String),
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/listed',
      BackupArn: arns[0],
      BackupName: 'first',
      BackupCreationDateTime: expect.any(Date),
      BackupStatus: 'AVAILABLE',
      BackupType: 'USER',
      BackupSizeBytes: 0,
    });
    const page2 = await node.db.send(new ListBackupsCommand({ TableName: 'listed', Limit: 2, ExclusiveStartBackupArn: page1.LastEvaluatedBackupArn }));
    expect(page2.BackupSummaries!.map((b) => b.BackupName)).toEqual(['third']);
    expect(page2.LastEvaluatedBackupArn).toBeUndefined();

    // The lower bound is inclusive, the upper exclusive (API_ListBackups.html).
    const second = page1.BackupSummaries![1]!.BackupCreationDateTime!;
    const ranged = await node.db.send(new ListBackupsCommand({ TableName: 'listed', TimeRangeLowerBound: second, TimeRangeUpperBound: new Date(second.getTime() + 60_000) }));
    expect(ranged.BackupSummaries!.map((b) => b.BackupName)).toEqual(['second']);
    expect((await node.db.send(new ListBackupsCommand({ TableName: 'listed', BackupType: 'SYSTEM' }))).BackupSummaries).toEqual([]);
    expect((await node.db.send(new ListBackupsCommand({ TableName: 'listed', BackupType: 'ALL' }))).BackupSummaries).toHaveLength(3);

    const deleted = await node.db.send(new DeleteBackupCommand({ BackupArn: arns[1] }));
    expect(deleted.BackupDescription!.BackupDetails).toMatchObject({ BackupArn: arns[1], BackupStatus: 'DELETED' });
    expect((await node.db.send(new ListBackupsCommand({ TableName: 'listed' }))).BackupSummaries!.map((b) => b.BackupName)).toEqual(['first', 'third']);
    // A page may start after a backup deleted since: its ARN carries its creation time.
    const afterDeleted = await node.db.send(new ListBackupsCommand({ TableName: 'listed', ExclusiveStartBackupArn: arns[1] }));
    expect(afterDeleted.BackupSummaries!.map((b) => b.BackupName)).toEqual(['third']);
  });

  it('applies billing and index overrides to the restored table', async () => {
    await musicTable(node.db, 'override');
    await put(node.db, 'override', 'a', 1, 'one');
    const { BackupDetails } = await node.db.send(new CreateBackupCommand({ TableName: 'override', BackupName: 'bk1' }));
    await node.db.send(
      new RestoreTableFromBackupCommand({
        BackupArn: BackupDetails!.BackupArn,
        TargetTableName: 'override-2',
        BillingModeOverride: 'PROVISIONED',
        ProvisionedThroughputOverride: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
        GlobalSecondaryIndexOverride: [],
      }),
    );
    const { Table } = await node.db.send(new DescribeTableCommand({ TableName: 'override-2' }));
    expect(Table!.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 3 });
    expect(Table!.GlobalSecondaryIndexes).toBeUndefined();
    expect(Table!.AttributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ]);
    expect(await contents(node.db, 'override-2')).toEqual(['a/1=one']);

    // A local index override follows CreateTable's rules: same partition key as the table.
    const wrong = await node.db
      .send(
        new RestoreTableFromBackupCommand({
          BackupArn: BackupDetails!.BackupArn,
          TargetTableName: 'override-3',
          LocalSecondaryIndexOverride: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
        }),
      )
      .catch((error: Error) => error);
    expect(wrong).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('Index KeySchema does not have the same leading hash key as table KeySchema for index: byG') });
    await node.db.send(
      new RestoreTableFromBackupCommand({
        BackupArn: BackupDetails!.BackupArn,
        TargetTableName: 'override-4',
        GlobalSecondaryIndexOverride: [],
        LocalSecondaryIndexOverride: [{ IndexName: 'byV', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      }),
    );
    const local = await node.db.send(new QueryCommand({ TableName: 'override-4', IndexName: 'byV', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } } }));
    expect(local.Items).toEqual([{ pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'all' } }]);
  });

  it("answers DynamoDB's errors for missing tables and backups and taken names", async () => {
    const failure = async (promise: Promise<unknown>) => {
      const error = (await promise.then(
        () => undefined,
        (e: unknown) => e,
      )) as { name: string; message: string; $metadata: { httpStatusCode: number } };
      return { name: error.name, message: error.message, status: error.$metadata.httpStatusCode };
    };
    expect(await failure(node.db.send(new CreateBackupCommand({ TableName: 'nope', BackupName: 'bk1' })))).toEqual({ name: 'TableNotFoundException', message: 'Table not found: nope', status: 400 });
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/nope/backup/01773154800000-0000abcd';
    expect(await failure(node.db.send(new DescribeBackupCommand({ BackupArn: missing })))).toEqual({ name: 'BackupNotFoundException', message: `Backup not found: ${missing}`, status: 400 });
    expect(await failure(node.db.send(new DeleteBackupCommand({ BackupArn: missing })))).toMatchObject({ name: 'BackupNotFoundException' });
    expect(await failure(node.db.send(new RestoreTableFromBackupCommand({ BackupArn: missing, TargetTableName: 'xx1' })))).toMatchObject({ name: 'BackupNotFoundException' });

    await musicTable(node.db, 'taken');
    const { BackupDetails } = await node.db.send(new CreateBackupCommand({ TableName: 'taken', BackupName: 'bk1' }));
    expect(await failure(node.db.send(new RestoreTableFromBackupCommand({ BackupArn: BackupDetails!.BackupArn, TargetTableName: 'taken' })))).toEqual({
      name: 'TableAlreadyExistsException',
      message: 'Table already exists: taken',
      status: 400,
    });
    // BackupName's model constraint (3 to 255 of [a-zA-Z0-9_.-]) is checked before the table is looked up.
    expect(await failure(node.db.send(new CreateBackupCommand({ TableName: 'nope', BackupName: 'b' })))).toMatchObject({ name: 'ValidationException' });
  });
});
