import { randomUUID } from 'node:crypto';
import type { DescribeExportInput, DescribeExportOutput, ExportTableToPointInTimeInput, ExportTableToPointInTimeOutput, ListExportsInput, ListExportsOutput } from '../api.js';
import { tableArn, type OperationContext } from '../context.js';
import { dynamoError, validation } from '../errors.js';
import type { TableSettings } from '../table-model.js';
import { describeExport, type ExportRecord } from './export-records.js';
import { runExport } from './export-run.js';
import type { ExportFormat } from './formats.js';
import { EXPORTS, jobByToken, jobId, type Transfers } from './jobs.js';
import { jobPage } from './paging.js';

/** ExportTableToPointInTime, DescribeExport and ListExports, after the kit has checked their members against the model. */

export function transfersOf(ctx: OperationContext): Transfers {
  if (!ctx.transfers) throw validation('Exports and imports need the node\'s S3 objects store, which this DynamoDB service was started without');
  return ctx.transfers;
}

/** The table an ARN names in this region and account, or undefined. */
function tableNameOf(arn: string, ctx: OperationContext): string | undefined {
  const prefix = tableArn(ctx.scope, '');
  if (!arn.startsWith(prefix)) return undefined;
  const name = arn.slice(prefix.length);
  return /^[a-zA-Z0-9_.-]{3,255}$/.test(name) ? name : undefined;
}

/** The request's parameters besides its token; an ExportTime left out (meaning "now") stays out. */
function fingerprint(input: ExportTableToPointInTimeInput): string {
  const { ClientToken: _token, ExportTime: time, ...rest } = input;
  return JSON.stringify({ ...rest, exportTime: time?.getTime() });
}

export async function exportTableToPointInTime(input: ExportTableToPointInTimeInput, ctx: OperationContext): Promise<ExportTableToPointInTimeOutput> {
  const transfers = transfersOf(ctx);
  if (input.ExportType === 'INCREMENTAL_EXPORT' || input.IncrementalExportSpecification) {
    throw validation('Flint does not support INCREMENTAL_EXPORT: only FULL_EXPORT exports are available');
  }
  const name = tableNameOf(input.TableArn, ctx);
  const table = name === undefined ? undefined : await ctx.tables.getTable(name);
  if (!table) throw dynamoError('TableNotFoundException', `Table not found: ${input.TableArn}`);
  const now = ctx.clock.now();
  const exportTime = input.ExportTime ? input.ExportTime.getTime() : now;
  // The restorable window runs from the table's creation to now (no point-in-time recovery history is kept).
  if (exportTime > now) throw dynamoError('InvalidExportTimeException', 'Export time cannot be in the future');
  if (exportTime < table.createdAt) throw dynamoError('InvalidExportTimeException', 'Export time is before the earliest restorable time of the table');
  const print = fingerprint(input);
  if (input.ClientToken) {
    const earlier = await jobByToken<ExportRecord>(transfers.metadata, EXPORTS, input.ClientToken, now);
    if (earlier && earlier.fingerprint !== print) throw dynamoError('ExportConflictException', 'There was a conflict when writing to the specified S3 bucket.');
    if (earlier) return { ExportDescription: describeExport(earlier) };
  }
  const id = jobId(now);
  const arn = `${tableArn(ctx.scope, table.name)}/export/${id}`;
  const record: ExportRecord = {
    arn,
    id,
    status: 'IN_PROGRESS',
    tableArn: tableArn(ctx.scope, table.name),
    tableName: table.name,
    tableId: (table.settings as unknown as TableSettings).tableId,
    startTime: now,
    exportTime,
    clientToken: input.ClientToken ?? randomUUID(),
    fingerprint: print,
    bucket: input.S3Bucket,
    format: (input.ExportFormat ?? 'DYNAMODB_JSON') as ExportFormat,
    type: 'FULL_EXPORT',
  };
  if (input.S3BucketOwner !== undefined) record.bucketOwner = input.S3BucketOwner;
  if (input.S3Prefix !== undefined) record.prefix = input.S3Prefix;
  if (input.S3SseAlgorithm !== undefined) record.sseAlgorithm = input.S3SseAlgorithm;
  if (input.S3SseKmsKeyId !== undefined) record.sseKmsKeyId = input.S3SseKmsKeyId;
  await transfers.metadata.put(EXPORTS, arn, record);
  transfers.schedule(`export ${arn}`, () => runExport(transfers, record));
  return { ExportDescription: describeExport(record) };
}


export async function describeExportOp(input: DescribeExportInput, ctx: OperationContext): Promise<DescribeExportOutput> {
  const doc = await transfersOf(ctx).metadata.get<ExportRecord>(EXPORTS, input.ExportArn);
  if (!doc) throw dynamoError('ExportNotFoundException', `Export not found: ${input.ExportArn}`);
  return { ExportDescription: describeExport(doc.value) };
}

/** Exports in ARN order (table, then start time), MaxResults at a time (DynamoDB's default page is 25). */
export async function listExports(input: ListExportsInput, ctx: OperationContext): Promise<ListExportsOutput> {
  const { page, nextToken } = await jobPage<ExportRecord>(transfersOf(ctx).metadata, EXPORTS, { tableArn: input.TableArn, kind: 'export', limit: input.MaxResults ?? 25, nextToken: input.NextToken });
  const output: ListExportsOutput = { ExportSummaries: page.map((record) => ({ ExportArn: record.arn, ExportStatus: record.status, ExportType: record.type })) };
  if (nextToken !== undefined) output.NextToken = nextToken;
  return output;
}
