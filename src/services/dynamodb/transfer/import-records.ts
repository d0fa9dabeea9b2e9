import type { ImportSummary, ImportTableDescription, InputFormatOptions, S3BucketSource, TableCreationParameters } from '../api.js';

/** One import as kept in the metadata store (times in epoch ms); DescribeImport shows it as ImportTableDescription. */
export interface ImportRecord {
  arn: string;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  tableArn: string;
  tableName: string;
  tableId: string;
  clientToken: string;
  fingerprint: string;
  source: S3BucketSource;
  format: 'DYNAMODB_JSON' | 'CSV' | 'ION';
  formatOptions?: InputFormatOptions;
  compression: 'GZIP' | 'NONE';
  creation: TableCreationParameters;
  startTime: number;
  endTime?: number;
  processedSizeBytes: number;
  processedItemCount: number;
  importedItemCount: number;
  errorCount: number;
  failureCode?: string;
  failureMessage?: string;
}

/** Import logs go to CloudWatch Logs under this group in AWS; Flint names it but writes no log events there. */
function logGroupArn(record: ImportRecord): string {
  const [, , , region, account] = record.tableArn.split(':');
  return `arn:aws:logs:${region}:${account}:log-group:/aws-dynamodb/imports:*`;
}

export function describeImport(record: ImportRecord): ImportTableDescription {
  const description: ImportTableDescription = {
    ImportArn: record.arn,
    ImportStatus: record.status,
    TableArn: record.tableArn,
    TableId: record.tableId,
    ClientToken: record.clientToken,
    S3BucketSource: record.source,
    ErrorCount: record.errorCount,
    CloudWatchLogGroupArn: logGroupArn(record),
    InputFormat: record.format,
    InputCompressionType: record.compression,
    TableCreationParameters: record.creation,
    StartTime: new Date(record.startTime),
    ProcessedSizeBytes: record.processedSizeBytes,
    ProcessedItemCount: record.processedItemCount,
    ImportedItemCount: record.importedItemCount,
  };
  if (record.formatOptions) description.InputFormatOptions = record.formatOptions;
  if (record.endTime !== undefined) description.EndTime = new Date(record.endTime);
  if (record.failureCode !== undefined) description.FailureCode = record.failureCode;
  if (record.failureMessage !== undefined) description.FailureMessage = record.failureMessage;
  return description;
}

export function importSummary(record: ImportRecord): ImportSummary {
  const summary: ImportSummary = {
    ImportArn: record.arn,
    ImportStatus: record.status,
    TableArn: record.tableArn,
    S3BucketSource: record.source,
    CloudWatchLogGroupArn: logGroupArn(record),
    InputFormat: record.format,
    StartTime: new Date(record.startTime),
  };
  if (record.endTime !== undefined) summary.EndTime = new Date(record.endTime);
  return summary;
}
