import { FlintError } from '../../core/index.js';
import type { BucketInfo, ObjectAttributes, ObjectInfo, PartInfo, UploadInfo, VersioningStatus } from '../ports-objects.js';
import { toSummary, type SummaryRow } from './objects-listing.js';

/** Row shapes of the objects tables and their conversion to port values. */

export interface BucketRow {
  name: string;
  region: string;
  created_at: number;
  configs: string;
  versioning: string | null;
}

export interface EntryRow extends SummaryRow {
  bucket: string;
  attributes: string;
  body: string;
  part_sizes: string | null;
  part_checksums: string | null;
  version_id: string | null;
  seq: number;
}

/** A row of object_versions: an entry's columns and whether it is a delete marker. */
export interface VersionRow extends EntryRow {
  marker: number;
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

export const ENTRY_COLUMNS = 'bucket, key, size, etag, last_modified, checksum_algorithm, checksum_type, attributes, body, part_sizes, version_id, seq, storage_class, part_checksums';
/** One placeholder per column of ENTRY_COLUMNS. */
export const ENTRY_PLACEHOLDERS = ENTRY_COLUMNS.split(',').map(() => '?').join(', ');
export const BUCKET_COLUMNS = 'name, region, created_at, configs, versioning';
export const UPLOAD_COLUMNS = 'upload_id, bucket, key, initiated, attributes';
export const PART_COLUMNS = 'part_number, file, size, etag, checksum, last_modified';

/** A body column names one file, or the files of the parts in order. */
export function filesOf(body: string): string[] {
  return body.split(',');
}

export function toBucket(row: BucketRow): BucketInfo {
  const bucket: BucketInfo = { name: row.name, region: row.region, createdAt: row.created_at, configs: JSON.parse(row.configs) as Record<string, string> };
  if (row.versioning) bucket.versioning = row.versioning as VersioningStatus;
  return bucket;
}

export function toObject(row: EntryRow | VersionRow): ObjectInfo {
  const object: ObjectInfo = { ...toSummary(row), bucket: row.bucket, attributes: JSON.parse(row.attributes) as ObjectAttributes, body: row.body };
  if (row.version_id !== null) object.versionId = row.version_id;
  if ('marker' in row && row.marker === 1) object.deleteMarker = true;
  if (row.part_sizes) object.partSizes = JSON.parse(row.part_sizes) as number[];
  if (row.part_checksums) object.partChecksums = JSON.parse(row.part_checksums) as string[];
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

/** The values of ENTRY_COLUMNS for a version written by the write numbered `seq`. */
export function entryValues(object: ObjectInfo, seq: number): unknown[] {
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
    object.versionId ?? null,
    seq,
    object.attributes.storageClass ?? null,
    object.partChecksums ? JSON.stringify(object.partChecksums) : null,
  ];
}

export function notFound(what: 'bucket' | 'upload' | 'key' | 'version', name: string): FlintError {
  return new FlintError('NOT_FOUND', `no such ${what}: ${name}`, { resource: what, name });
}

/** The summary members a version's attributes decide: its checksum's algorithm and type, its storage class. */
export function attributeSummary(attributes: ObjectAttributes): Pick<ObjectInfo, 'checksumAlgorithm' | 'checksumType' | 'storageClass'> {
  const checksum = attributes.checksum;
  const summary: Pick<ObjectInfo, 'checksumAlgorithm' | 'checksumType' | 'storageClass'> = checksum ? { checksumAlgorithm: checksum.algorithm, checksumType: checksum.type } : {};
  if (attributes.storageClass) summary.storageClass = attributes.storageClass;
  return summary;
}
