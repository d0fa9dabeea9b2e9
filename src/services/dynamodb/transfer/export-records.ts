import type { ExportDescription } from '../api.js';
import type { ExportFormat } from './formats.js';

/** One export as kept in the metadata store (times in epoch ms); DescribeExport shows it as ExportDescription. */
export interface ExportRecord {
  arn: string;
  id: string;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  tableArn: string;
  tableName: string;
  tableId: string;
  startTime: number;
  endTime?: number;
  exportTime: number;
  clientToken: string;
  /** The request's parameters, to tell a repeated ClientToken from a conflicting one. */
  fingerprint: string;
  bucket: string;
  bucketOwner?: string;
  prefix?: string;
  sseAlgorithm?: string;
  sseKmsKeyId?: string;
  format: ExportFormat;
  type: 'FULL_EXPORT';
  manifest?: string;
  itemCount?: number;
  billedSizeBytes?: number;
  failureCode?: string;
  failureMessage?: string;
}

/** The folder an export writes under: `<prefix>/AWSDynamoDB/<ExportId>/`, or `AWSDynamoDB/<ExportId>/` without a prefix. */
export function exportFolder(record: Pick<ExportRecord, 'prefix' | 'id'>): string {
  const prefix = record.prefix ? `${record.prefix.replace(/\/$/, '')}/` : '';
  return `${prefix}AWSDynamoDB/${record.id}/`;
}

export function describeExport(record: ExportRecord): ExportDescription {
  const description: ExportDescription = {
    ExportArn: record.arn,
    ExportStatus: record.status,
    StartTime: new Date(record.startTime),
    TableArn: record.tableArn,
    TableId: record.tableId,
    ExportTime: new Date(record.exportTime),
    ClientToken: record.clientToken,
    S3Bucket: record.bucket,
    ExportFormat: record.format,
    ExportType: record.type,
  };
  if (record.endTime !== undefined) description.EndTime = new Date(record.endTime);
  if (record.manifest !== undefined) description.ExportManifest = record.manifest;
  if (record.bucketOwner !== undefined) description.S3BucketOwner = record.bucketOwner;
  if (record.prefix !== undefined) description.S3Prefix = record.prefix;
  description.S3SseAlgorithm = record.sseAlgorithm ?? 'AES256';
  if (record.sseKmsKeyId !== undefined) description.S3SseKmsKeyId = record.sseKmsKeyId;
  if (record.failureCode !== undefined) description.FailureCode = record.failureCode;
  if (record.failureMessage !== undefined) description.FailureMessage = record.failureMessage;
  if (record.billedSizeBytes !== undefined) description.BilledSizeBytes = record.billedSizeBytes;
  if (record.itemCount !== undefined) description.ItemCount = record.itemCount;
  return description;
}

/** The manifest-summary.json DynamoDB writes last, naming the export and its manifest of data files. */
export function manifestSummary(record: ExportRecord, manifestFilesKey: string): Record<string, unknown> {
  return {
    version: '2020-06-30',
    exportArn: record.arn,
    startTime: new Date(record.startTime).toISOString(),
    endTime: new Date(record.endTime ?? record.startTime).toISOString(),
    tableArn: record.tableArn,
    tableId: record.tableId,
    exportTime: new Date(record.exportTime).toISOString(),
    s3Bucket: record.bucket,
    s3Prefix: record.prefix ?? null,
    s3SseAlgorithm: record.sseAlgorithm ?? 'AES256',
    s3SseKmsKeyId: record.sseKmsKeyId ?? null,
    manifestFilesS3Key: manifestFilesKey,
    billedSizeBytes: record.billedSizeBytes ?? 0,
    itemCount: record.itemCount ?? 0,
    outputFormat: record.format,
    exportType: record.type,
  };
}
