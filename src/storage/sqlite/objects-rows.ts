import { FlintError } from '../../core/index.js';
import type { BucketInfo, ObjectAttributes, ObjectInfo, PartInfo, UploadInfo } from '../ports-objects.js';
import { toSummary, type SummaryRow } from './objects-listing.js';

/** Row shapes of the objects tables and their conversion to port values. */

export interface BucketRow {
  name: string;
  region: string;
  created_at: number;
  configs: string;
}

export interface EntryRow extends SummaryRow {
  bucket: string;
  attributes: string;
  body: string;
  part_sizes: string | null;
}

export interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: number;
  attributes: string;
}

export interface PartRow {
  part_number: number;
  file: string;
  size: number;
  etag: string;
  checksum: string | null;
  last_modified: number;
}

export const ENTRY_COLUMNS = 'bucket, key, size, etag, last_modified, checksum_algorithm, checksum_type, attributes, body, part_sizes';
export const UPLOAD_COLUMNS = 'upload_id, bucket, key, initiated, attributes';
export const PART_COLUMNS = 'part_number, file, size, etag, checksum, last_modified';

/** A body column names one file, or the files of the parts in order. */
export function filesOf(body: string): string[] {
  return body.split(',');
}

export function toBucket(row: BucketRow): BucketInfo {
  return { name: row.name, region: row.region, createdAt: row.created_at, configs: JSON.parse(row.configs) as Record<string, string> };
}

export function toObject(row: EntryRow): ObjectInfo {
  const object: ObjectInfo = { ...toSummary(row), bucket: row.bucket, attributes: JSON.parse(row.attributes) as ObjectAttributes, body: row.body };
  if (row.part_sizes) object.partSizes = JSON.parse(row.part_sizes) as number[];
  return object;
}

export function toUpload(row: UploadRow): UploadInfo {
  return { uploadId: row.upload_id, bucket: row.bucket, key: row.key, initiated: row.initiated, attributes: JSON.parse(row.attributes) as ObjectAttributes };
}

export function toPart(row: PartRow): PartInfo {
  const part: PartInfo = { partNumber: row.part_number, size: row.size, etag: row.etag, lastModified: row.last_modified };
  if (row.checksum) part.checksum = row.checksum;
  return part;
}

export function entryValues(object: ObjectInfo): unknown[] {
  return [
    object.bucket,
    object.key,
    object.size,
    object.etag,
    object.lastModified,
    object.attributes.checksum?.algorithm ?? null,
    object.attributes.checksum?.type ?? null,
    JSON.stringify(object.attributes),
    object.body,
    object.partSizes ? JSON.stringify(object.partSizes) : null,
  ];
}

export function notFound(what: 'bucket' | 'upload' | 'key', name: string): FlintError {
  return new FlintError('NOT_FOUND', `no such ${what}: ${name}`, { resource: what, name });
}

export function checksumSummary(attributes: ObjectAttributes): Pick<ObjectInfo, 'checksumAlgorithm' | 'checksumType'> {
  const checksum = attributes.checksum;
  return checksum ? { checksumAlgorithm: checksum.algorithm, checksumType: checksum.type } : {};
}
