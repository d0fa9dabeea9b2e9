import {
  DeleteItemCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
  type RestoreTableToPointInTimeCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contents, musicTable, put, START, startBackupNode, type BackupNode } from './backup-node.js';

/**
 * Point-in-time recovery through the SDK v3, on the node's FakeClock. The description's shape is LocalStack's
 * recording of AWS (tests/aws/services/dynamodb/test_dynamodb.snapshot.json, test_continuous_backup_update:
 * ContinuousBackupsStatus ENABLED, PointInTimeRecoveryStatus ENABLED, RecoveryPeriodInDays 35 by default, both
 * restorable times). LatestRestorableDateTime is the node's present (see ops/recovery.ts).
 */

const DAY = 24 * 60 * 60 * 1000;

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string } | undefined;
  return { name: error?.name ?? 'no error', message: error?.message ?? '' };
}

describe('DynamoDB point-in-time recovery', () => {
  let node: BackupNode;
  const restore = (input: Partial<RestoreTableToPointInTimeCommandInput> & { TargetTableName: string }) =>
    node.db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'history', ...input }));

  beforeAll(async () => {
    node = await startBackupNode();
  });
  afterAll(async () => node?.close());

  it('is off until enabled, and a restore says so', async () => {
    await musicTable(node.db, 'history');
    const { ContinuousBackupsDescription } = await node.db.send(new DescribeContinuousBackupsCommand({ TableName: 'history' }));
    expect(ContinuousBackupsDescription).toEqual({ ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
    expect(await failure(restore({ TargetTableName: 'never', UseLatestRestorableTime: true }))).toEqual({
      name: 'PointInTimeRecoveryUnavailableException',
      message: "Point in time recovery is not enabled for table 'history'",
    });
  });

  it('restores the table as it was at a time between two writes', async () => {
    const { db, clock } = node;
    await put(db, 'history', 'a', 1, 'before-enable');
    await clock.advance(1000);
    const enabled = await db.send(new UpdateContinuousBackupsCommand({ TableName: 'history', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    const enabledAt = START + 1000;
    expect(enabled.ContinuousBackupsDescription).toEqual({
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: {
        PointInTimeRecoveryStatus: 'ENABLED',
        RecoveryPeriodInDays: 35,
        EarliestRestorableDateTime: new Date(enabledAt),
        LatestRestorableDateTime: new Date(enabledAt),
      },
    });

    await clock.advance(1000);
    await put(db, 'history', 'a', 1, 'first');
    await put(db, 'history', 'b', 1, 'first');
    await clock.advance(1000);
    const between = clock.now();
    await clock.advance(1000);
    await put(db, 'history', 'a', 1, 'second');
    await db.send(new DeleteItemCommand({ TableName: 'history', Key: { pk: { S: 'b' }, sk: { N: '1' } } }));
    await put(db, 'history', 'c', 1, 'second');
    await clock.advance(1000);

    // The history is in storage: a restarted node restores from it.
    await node.restart();
    await restore({ TargetTableName: 'history-between', RestoreDateTime: new Date(between) });
    expect(await contents(node.db, 'history-between')).toEqual(['a/1=first', 'b/1=first']);
    await restore({ TargetTableName: 'history-enabled', RestoreDateTime: new Date(enabledAt) });
    expect(await contents(node.db, 'history-enabled')).toEqual(['a/1=before-enable']);
    const latest = await restore({ TargetTableName: 'history-latest', UseLatestRestorableTime: true });
    expect(await contents(node.db, 'history-latest')).toEqual(['a/1=second', 'c/1=second']);
    expect(latest.TableDescription!.RestoreSummary).toEqual({
      SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/history',
      RestoreDateTime: new Date(clock.now()),
      RestoreInProgress: true,
    });
    const { Table } = await node.db.send(new DescribeTableCommand({ TableName: 'history-between' }));
    expect(Table).toMatchObject({ TableStatus: 'ACTIVE', ItemCount: 2, GlobalSecondaryIndexes: [expect.objectContaining({ IndexName: 'byG', ItemCount: 2 })] });
    // The restored table keeps no history of its own (AWS: point-in-time recovery is set up again by hand).
    const own = await node.db.send(new DescribeContinuousBackupsCommand({ TableName: 'history-between' }));
    expect(own.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.PointInTimeRecoveryStatus).toBe('DISABLED');
  });

  it('refuses times outside the window and names that are taken', async () => {
    const { clock } = node;
    const before = await failure(restore({ TargetTableName: 'too-early', RestoreDateTime: new Date(START) }));
    expect(before.name).toBe('InvalidRestoreTimeException');
    const after = await failure(restore({ TargetTableName: 'too-late', RestoreDateTime: new Date(clock.now() + 60_000) }));
    expect(after.name).toBe('InvalidRestoreTimeException');
    expect(await failure(restore({ TargetTableName: 'history-latest', UseLatestRestorableTime: true }))).toEqual({
      name: 'TableAlreadyExistsException',
      message: 'Table already exists: history-latest',
    });
    expect(await failure(restore({ SourceTableName: 'nope', TargetTableName: 'nope-2', UseLatestRestorableTime: true }))).toEqual({
      name: 'TableNotFoundException',
      message: 'Table not found: nope',
    });
    expect(await failure(node.db.send(new DescribeContinuousBackupsCommand({ TableName: 'nope' })))).toEqual({ name: 'TableNotFoundException', message: 'Table not found: nope' });
    // Time arguments are checked before any table is looked up.
    expect((await failure(restore({ SourceTableName: 'nope', TargetTableName: 'nope-3' }))).name).toBe('ValidationException');
    expect((await failure(restore({ SourceTableName: 'nope', TargetTableName: 'nope-3', UseLatestRestorableTime: true, RestoreDateTime: new Date(START) }))).name).toBe('ValidationException');
    // RecoveryPeriodInDays is 1 to 35 in DynamoDB's model.
    const tooLong = await failure(
      node.db.send(new UpdateContinuousBackupsCommand({ TableName: 'history', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 36 } })),
    );
    expect(tooLong.name).toBe('ValidationException');
  });

  it('forgets history older than the window when the node sweeps, and restores within it as before', async () => {
    const { db, clock } = node;
    await musicTable(db, 'short');
    await put(db, 'short', 'k', 1, 'old');
    await put(db, 'short', 'gone', 1, 'old');
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'short', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 1 } }));
    await put(db, 'short', 'k', 1, 'newer');
    await db.send(new DeleteItemCommand({ TableName: 'short', Key: { pk: { S: 'gone' }, sk: { N: '1' } } }));
    await clock.advance(2 * DAY);
    await put(db, 'short', 'k', 1, 'newest');
    await node.test.node.data.dynamodb.sweep();
    // The sweep folded the four changes before the window (the copy made at enable time, the update, the delete)
    // into the one a restore still needs: nothing is left to trim.
    expect(await node.test.node.storage.tables.trimRecovery('short', clock.now() - DAY)).toBe(0);

    const { ContinuousBackupsDescription } = await db.send(new DescribeContinuousBackupsCommand({ TableName: 'short' }));
    const earliest = clock.now() - DAY;
    expect(ContinuousBackupsDescription!.PointInTimeRecoveryDescription).toMatchObject({ RecoveryPeriodInDays: 1, EarliestRestorableDateTime: new Date(earliest) });
    await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'short', TargetTableName: 'short-earliest', RestoreDateTime: new Date(earliest) }));
    expect(await contents(db, 'short-earliest')).toEqual(['k/1=newer']);
    const early = await failure(db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'short', TargetTableName: 'short-early', RestoreDateTime: new Date(earliest - 1000) })));
    expect(early.name).toBe('InvalidRestoreTimeException');

    const disabled = await db.send(new UpdateContinuousBackupsCommand({ TableName: 'short', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
    expect(disabled.ContinuousBackupsDescription!.PointInTimeRecoveryDescription).toEqual({ PointInTimeRecoveryStatus: 'DISABLED' });
  });
});
