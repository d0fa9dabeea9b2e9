import type { Clock } from '../../../core/index.js';
import type { TableInfo, TableStore } from '../../../storage/index.js';
import type {
  ContinuousBackupsDescription,
  DescribeContinuousBackupsInput,
  DescribeContinuousBackupsOutput,
  RestoreTableToPointInTimeInput,
  RestoreTableToPointInTimeOutput,
  UpdateContinuousBackupsInput,
  UpdateContinuousBackupsOutput,
} from '../api.js';
import { tableArn, type OperationContext } from '../context.js';
import { dynamoError, validation } from '../errors.js';
import { settingsOf, type TableSettings } from '../table-model.js';
import { checkTarget, restoredTable, restoreInto, tableNameOf, tableNotFound } from './restore.js';

/**
 * Point-in-time recovery. While it is on, the store keeps every write of the table (from a copy of its items when
 * it was enabled), and the periodic sweep forgets what is older than the window. AWS's LatestRestorableDateTime
 * trails the present by about five minutes; Flint's is the node's present time, because a write is in the history
 * as soon as it commits. EarliestRestorableDateTime is when recovery was enabled, or the window's start once the
 * window has passed it.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** RecoveryPeriodInDays when UpdateContinuousBackups names none (the LocalStack recording
 * tests/aws/services/dynamodb/test_dynamodb.snapshot.json, test_continuous_backup_update, shows 35). */
const DEFAULT_PERIOD_DAYS = 35;

async function findSource(ctx: OperationContext, nameOrArn: string): Promise<TableInfo> {
  const name = tableNameOf(nameOrArn);
  const table = await ctx.tables.getTable(name);
  if (!table) throw tableNotFound(name);
  return table;
}

interface Window {
  earliest: number;
  latest: number;
  days: number;
}

function windowOf(table: TableInfo, now: number): Window | undefined {
  if (!table.recovery) return undefined;
  const days = settingsOf(table).recoveryPeriodDays ?? DEFAULT_PERIOD_DAYS;
  return { earliest: Math.max(table.recovery.since, now - days * DAY_MS), latest: now, days };
}

function continuousBackups(table: TableInfo, now: number): ContinuousBackupsDescription {
  const window = windowOf(table, now);
  if (!window) return { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } };
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: window.days,
      EarliestRestorableDateTime: new Date(window.earliest),
      LatestRestorableDateTime: new Date(window.latest),
    },
  };
}

export async function describeContinuousBackups(input: DescribeContinuousBackupsInput, ctx: OperationContext): Promise<DescribeContinuousBackupsOutput> {
  const table = await findSource(ctx, input.TableName);
  return { ContinuousBackupsDescription: continuousBackups(table, ctx.clock.now()) };
}

export async function updateContinuousBackups(input: UpdateContinuousBackupsInput, ctx: OperationContext): Promise<UpdateContinuousBackupsOutput> {
  const table = await findSource(ctx, input.TableName);
  const spec = input.PointInTimeRecoverySpecification;
  const settings: TableSettings = { ...settingsOf(table) };
  if (spec.PointInTimeRecoveryEnabled) settings.recoveryPeriodDays = spec.RecoveryPeriodInDays ?? settings.recoveryPeriodDays ?? DEFAULT_PERIOD_DAYS;
  else delete settings.recoveryPeriodDays;
  const updated = await ctx.tables.updateTable(table.name, { recovery: spec.PointInTimeRecoveryEnabled, settings: settings as unknown as Record<string, unknown> });
  return { ContinuousBackupsDescription: continuousBackups(updated, ctx.clock.now()) };
}

export async function restoreTableToPointInTime(input: RestoreTableToPointInTimeInput, ctx: OperationContext): Promise<RestoreTableToPointInTimeOutput> {
  const named = input.SourceTableArn ?? input.SourceTableName;
  if (named === undefined) throw validation('Either SourceTableArn or SourceTableName must be specified');
  if (input.UseLatestRestorableTime && input.RestoreDateTime) {
    throw validation('Only one of RestoreDateTime or UseLatestRestorableTime can be specified');
  }
  if (!input.UseLatestRestorableTime && !input.RestoreDateTime) throw validation('Either RestoreDateTime or UseLatestRestorableTime must be specified');
  const source = await findSource(ctx, named);
  await checkTarget(ctx, input.TargetTableName);
  const now = ctx.clock.now();
  const window = windowOf(source, now);
  if (!window) throw dynamoError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${source.name}'`);
  const at = input.UseLatestRestorableTime ? window.latest : input.RestoreDateTime!.getTime();
  if (at < window.earliest || at > window.latest) {
    throw dynamoError('InvalidRestoreTimeException', `Restore time must be between ${new Date(window.earliest).toISOString()} and ${new Date(window.latest).toISOString()}`);
  }
  const restore = { SourceTableArn: tableArn(ctx.scope, source.name), RestoreDateTime: at };
  const table = restoredTable(source, input.TargetTableName, input, restore, now);
  return { TableDescription: await restoreInto(ctx, table, { table: source.name, at }) };
}

/** Forgets history older than each table's window; the periodic sweep calls it with the node's clock. */
export async function trimRecoveryHistory(tables: TableStore, clock: Clock): Promise<number> {
  let trimmed = 0;
  let after: string | undefined;
  for (;;) {
    const names = await tables.listTables({ ...(after !== undefined && { after }), limit: 100 });
    for (const name of names) {
      const table = await tables.getTable(name);
      const window = table && windowOf(table, clock.now());
      if (window) trimmed += await tables.trimRecovery(name, window.earliest);
    }
    if (names.length < 100) return trimmed;
    after = names[names.length - 1];
  }
}
