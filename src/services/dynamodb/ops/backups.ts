import { randomBytes } from 'node:crypto';
import type { BackupInfo } from '../../../storage/index.js';
import type {
  BackupDescription,
  BackupDetails,
  BackupSummary,
  CreateBackupInput,
  CreateBackupOutput,
  DeleteBackupInput,
  DeleteBackupOutput,
  DescribeBackupInput,
  DescribeBackupOutput,
  ListBackupsInput,
  ListBackupsOutput,
  RestoreTableFromBackupInput,
  RestoreTableFromBackupOutput,
  SourceTableFeatureDetails,
} from '../api.js';
import { tableArn, type OperationContext } from '../context.js';
import { dynamoError } from '../errors.js';
import { settingsOf } from '../table-model.js';
import { checkTarget, restoredTable, restoreInto, tableNameOf, tableNotFound } from './restore.js';
import { describeTable, keySchema } from './table-description.js';

/**
 * On-demand backups: a backup copies the table's items and definition in one snapshot into the store, where it
 * stays (across restarts, and after the table is deleted) until DeleteBackup. Flint's backups are complete when
 * CreateBackup answers: it says CREATING as AWS does, every later call AVAILABLE.
 */

/** ARNs as AWS documents them: the table's ARN, /backup/, the creation time in ms on 14 digits, 8 hex digits
 * (https://docs.aws.amazon.com/cli/latest/reference/dynamodb/create-backup.html, example output). */
function backupArn(ctx: OperationContext, table: string, now: number): string {
  return `${tableArn(ctx.scope, table)}/backup/${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
}

function backupNotFound(arn: string): Error {
  return dynamoError('BackupNotFoundException', `Backup not found: ${arn}`);
}

async function findBackup(ctx: OperationContext, arn: string): Promise<BackupInfo> {
  const backup = await ctx.tables.getBackup(arn);
  if (!backup) throw backupNotFound(arn);
  return backup;
}

function details(backup: BackupInfo, status = 'AVAILABLE'): BackupDetails {
  return {
    BackupArn: backup.id,
    BackupName: backup.name,
    BackupSizeBytes: backup.sizeBytes,
    BackupStatus: status,
    BackupType: 'USER',
    BackupCreationDateTime: new Date(backup.createdAt),
  };
}

function description(ctx: OperationContext, backup: BackupInfo, status?: string): BackupDescription {
  const table = describeTable(backup.table, { itemCount: backup.itemCount, sizeBytes: backup.sizeBytes, indexes: {} }, ctx.scope);
  const settings = settingsOf(backup.table);
  const features: SourceTableFeatureDetails = {};
  if (table.LocalSecondaryIndexes) features.LocalSecondaryIndexes = table.LocalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }));
  if (table.GlobalSecondaryIndexes) {
    features.GlobalSecondaryIndexes = table.GlobalSecondaryIndexes.map(({ IndexName, KeySchema, Projection, ProvisionedThroughput }) => ({
      IndexName,
      KeySchema,
      Projection,
      ProvisionedThroughput: { ReadCapacityUnits: ProvisionedThroughput?.ReadCapacityUnits ?? 0, WriteCapacityUnits: ProvisionedThroughput?.WriteCapacityUnits ?? 0 },
    }));
  }
  if (backup.table.stream?.enabled) features.StreamDescription = { StreamEnabled: true, StreamViewType: backup.table.stream.viewType };
  if (backup.table.ttlAttribute !== undefined) features.TimeToLiveDescription = { TimeToLiveStatus: 'ENABLED', AttributeName: backup.table.ttlAttribute };
  return {
    BackupDetails: details(backup, status),
    SourceTableDetails: {
      TableName: backup.table.name,
      TableId: settings.tableId,
      TableArn: table.TableArn,
      TableSizeBytes: backup.sizeBytes,
      KeySchema: keySchema(backup.table.key),
      TableCreationDateTime: new Date(backup.table.createdAt),
      ProvisionedThroughput: { ReadCapacityUnits: settings.throughput.read, WriteCapacityUnits: settings.throughput.write },
      ItemCount: backup.itemCount,
      BillingMode: settings.billingMode,
    },
    SourceTableFeatureDetails: features,
  };
}

export async function createBackup(input: CreateBackupInput, ctx: OperationContext): Promise<CreateBackupOutput> {
  const name = tableNameOf(input.TableName);
  const now = ctx.clock.now();
  if (!(await ctx.tables.getTable(name))) throw tableNotFound(name);
  const backup = await ctx.tables.createBackup({ id: backupArn(ctx, name, now), table: name, name: input.BackupName });
  return { BackupDetails: details(backup, 'CREATING') };
}

export async function describeBackup(input: DescribeBackupInput, ctx: OperationContext): Promise<DescribeBackupOutput> {
  return { BackupDescription: description(ctx, await findBackup(ctx, input.BackupArn)) };
}

export async function deleteBackup(input: DeleteBackupInput, ctx: OperationContext): Promise<DeleteBackupOutput> {
  const backup = await ctx.tables.deleteBackup(input.BackupArn);
  if (!backup) throw backupNotFound(input.BackupArn);
  return { BackupDescription: description(ctx, backup, 'DELETED') };
}

/** USER is the default filter (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListBackups.html); Flint has no other kind. */
export async function listBackups(input: ListBackupsInput, ctx: OperationContext): Promise<ListBackupsOutput> {
  const type = input.BackupType ?? 'USER';
  if (type !== 'USER' && type !== 'ALL') return { BackupSummaries: [] };
  const limit = input.Limit ?? 100;
  const found = await ctx.tables.listBackups({
    ...(input.TableName !== undefined && { table: tableNameOf(input.TableName) }),
    // The lower bound is inclusive, the upper exclusive (API_ListBackups.html).
    ...(input.TimeRangeLowerBound && { from: input.TimeRangeLowerBound.getTime() }),
    ...(input.TimeRangeUpperBound && { to: input.TimeRangeUpperBound.getTime() }),
    ...(input.ExclusiveStartBackupArn !== undefined && { after: await listingPosition(ctx, input.ExclusiveStartBackupArn) }),
    limit: limit + 1,
  });
  const page = found.slice(0, limit);
  const output: ListBackupsOutput = { BackupSummaries: page.map((backup) => summary(ctx, backup)) };
  if (found.length > limit) output.LastEvaluatedBackupArn = page[page.length - 1]!.id;
  return output;
}

/** Where a page starts: after the named backup, found by its ARN's creation time even if it was deleted since. */
async function listingPosition(ctx: OperationContext, arn: string): Promise<{ id: string; createdAt: number }> {
  const backup = await ctx.tables.getBackup(arn);
  if (backup) return { id: backup.id, createdAt: backup.createdAt };
  const time = /\/backup\/(\d{14})-[0-9a-f]{8}$/.exec(arn);
  return { id: arn, createdAt: time ? Number(time[1]) : Number.MIN_SAFE_INTEGER };
}

function summary(ctx: OperationContext, backup: BackupInfo): BackupSummary {
  return {
    TableName: backup.table.name,
    TableId: settingsOf(backup.table).tableId,
    TableArn: tableArn(ctx.scope, backup.table.name),
    ...details(backup),
  };
}

export async function restoreTableFromBackup(input: RestoreTableFromBackupInput, ctx: OperationContext): Promise<RestoreTableFromBackupOutput> {
  const backup = await findBackup(ctx, input.BackupArn);
  await checkTarget(ctx, input.TargetTableName);
  const now = ctx.clock.now();
  const restore = { SourceBackupArn: backup.id, SourceTableArn: tableArn(ctx.scope, backup.table.name), RestoreDateTime: now };
  const table = restoredTable(backup.table, input.TargetTableName, input, restore, now);
  return { TableDescription: await restoreInto(ctx, table, { backup: backup.id }) };
}
