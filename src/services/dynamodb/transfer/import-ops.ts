import { randomUUID } from 'node:crypto';
import type { CreateTableInput, DescribeImportInput, DescribeImportOutput, ImportTableInput, ImportTableOutput, ListImportsInput, ListImportsOutput } from '../api.js';
import { tableArn, type OperationContext } from '../context.js';
import { dynamoError, validation } from '../errors.js';
import { createTable } from '../ops/create-table.js';
import type { TableSettings } from '../table-model.js';
import { transfersOf } from './export-ops.js';
import { describeImport, importSummary, type ImportRecord } from './import-records.js';
import { runImport } from './import-run.js';
import { IMPORTS, jobByToken, jobId } from './jobs.js';
import { jobPage } from './paging.js';

/** ImportTable, DescribeImport and ListImports, after the kit has checked their members against the model. */

function checkSupported(input: ImportTableInput): void {
  if (input.InputCompressionType === 'ZSTD') throw validation('Flint does not support ZSTD input compression: use GZIP or NONE');
}

function fingerprint(input: ImportTableInput): string {
  const { ClientToken: _token, ...rest } = input;
  return JSON.stringify(rest);
}

/** The CreateTable request a TableCreationParameters stands for: the new table is checked and made as CreateTable does. */
function createRequest(input: ImportTableInput): CreateTableInput {
  const params = input.TableCreationParameters;
  const request: CreateTableInput = { TableName: params.TableName, AttributeDefinitions: params.AttributeDefinitions, KeySchema: params.KeySchema };
  if (params.BillingMode !== undefined) request.BillingMode = params.BillingMode;
  if (params.ProvisionedThroughput !== undefined) request.ProvisionedThroughput = params.ProvisionedThroughput;
  if (params.GlobalSecondaryIndexes !== undefined) request.GlobalSecondaryIndexes = params.GlobalSecondaryIndexes;
  if (params.SSESpecification !== undefined) request.SSESpecification = params.SSESpecification;
  return request;
}

export async function importTable(input: ImportTableInput, ctx: OperationContext): Promise<ImportTableOutput> {
  const transfers = transfersOf(ctx);
  checkSupported(input);
  const now = ctx.clock.now();
  const print = fingerprint(input);
  if (input.ClientToken) {
    const earlier = await jobByToken<ImportRecord>(transfers.metadata, IMPORTS, input.ClientToken, now);
    if (earlier && earlier.fingerprint !== print) throw dynamoError('ImportConflictException', `There was a conflict when importing from the specified S3 source. This can occur when the current import conflicts with a previous import request that had the same client token.`);
    if (earlier) return { ImportTableDescription: describeImport(earlier) };
  }
  await createTable(createRequest(input), ctx);
  const name = input.TableCreationParameters.TableName;
  const table = await ctx.tables.getTable(name);
  const arn = `${tableArn(ctx.scope, name)}/import/${jobId(now)}`;
  const record: ImportRecord = {
    arn,
    status: 'IN_PROGRESS',
    tableArn: tableArn(ctx.scope, name),
    tableName: name,
    tableId: table ? (table.settings as unknown as TableSettings).tableId : '',
    clientToken: input.ClientToken ?? randomUUID(),
    fingerprint: print,
    source: input.S3BucketSource,
    format: input.InputFormat as ImportRecord['format'],
    compression: (input.InputCompressionType ?? 'NONE') as ImportRecord['compression'],
    creation: input.TableCreationParameters,
    startTime: now,
    processedSizeBytes: 0,
    processedItemCount: 0,
    importedItemCount: 0,
    errorCount: 0,
  };
  if (input.InputFormatOptions) record.formatOptions = input.InputFormatOptions;
  await transfers.metadata.put(IMPORTS, arn, record);
  transfers.schedule(`import ${arn}`, () => runImport(transfers, record));
  return { ImportTableDescription: describeImport(record) };
}


export async function describeImportOp(input: DescribeImportInput, ctx: OperationContext): Promise<DescribeImportOutput> {
  const doc = await transfersOf(ctx).metadata.get<ImportRecord>(IMPORTS, input.ImportArn);
  if (!doc) throw dynamoError('ImportNotFoundException', `Import not found: ${input.ImportArn}`);
  return { ImportTableDescription: describeImport(doc.value) };
}

/** Imports in ARN order (table, then start time), PageSize at a time (DynamoDB's default page is 25). */
export async function listImports(input: ListImportsInput, ctx: OperationContext): Promise<ListImportsOutput> {
  const { page, nextToken } = await jobPage<ImportRecord>(transfersOf(ctx).metadata, IMPORTS, { tableArn: input.TableArn, kind: 'import', limit: input.PageSize ?? 25, nextToken: input.NextToken });
  const output: ListImportsOutput = { ImportSummaryList: page.map(importSummary) };
  if (nextToken !== undefined) output.NextToken = nextToken;
  return output;
}
