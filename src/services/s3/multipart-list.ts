import type { ChecksumAlgorithm, PartInfo, UploadInfo } from '../../storage/index.js';
import { requireBucket } from './buckets.js';
import { type S3Call, type S3Deps } from './context.js';
import { invalidArgument } from './errors.js';
import { MAX_PARTS, requireUpload } from './multipart.js';
import { el, wrap, xmlDocument } from './xml.js';
import { isoDate, quoted, sendXml } from './wire.js';

const DEFAULT_PAGE = 1000;

export async function listParts(deps: S3Deps, call: S3Call): Promise<void> {
  const upload = await requireUpload(deps, call);
  const limit = pageSize(call, 'max-parts', MAX_PARTS);
  const marker = nonNegative(call, 'part-number-marker');
  const { parts, truncated } = await deps.objects.listParts(upload.uploadId, { after: marker, limit });
  const algorithm = upload.attributes.checksum?.algorithm;
  const people = wrap('Initiator', el('ID', deps.ownerId)) + wrap('Owner', el('ID', deps.ownerId));
  const inner =
    el('Bucket', upload.bucket) +
    el('Key', upload.key) +
    el('UploadId', upload.uploadId) +
    el('PartNumberMarker', marker) +
    el('NextPartNumberMarker', parts.at(-1)?.partNumber ?? marker) +
    el('MaxParts', limit) +
    el('IsTruncated', truncated) +
    parts.map((part) => partXml(part, algorithm)).join('') +
    people +
    el('StorageClass', 'STANDARD') +
    el('ChecksumAlgorithm', algorithm) +
    el('ChecksumType', upload.attributes.checksum?.type);
  sendXml(call, 200, xmlDocument('ListPartsResult', inner));
}

export async function listMultipartUploads(deps: S3Deps, call: S3Call): Promise<void> {
  const bucket = await requireBucket(deps, call);
  const limit = pageSize(call, 'max-uploads', DEFAULT_PAGE);
  const prefix = call.query.get('prefix') ?? undefined;
  const keyMarker = call.query.get('key-marker') ?? undefined;
  const uploadIdMarker = call.query.get('upload-id-marker') ?? undefined;
  const { uploads, truncated } = await deps.objects.listUploads(bucket.name, { prefix, keyMarker, uploadIdMarker, limit });
  const last = uploads.at(-1);
  const inner =
    el('Bucket', bucket.name) +
    el('KeyMarker', keyMarker ?? '') +
    el('UploadIdMarker', uploadIdMarker ?? '') +
    el('NextKeyMarker', truncated ? last?.key : undefined) +
    el('NextUploadIdMarker', truncated ? last?.uploadId : undefined) +
    el('Prefix', prefix) +
    el('MaxUploads', limit) +
    el('IsTruncated', truncated) +
    uploads.map((upload) => uploadXml(upload, deps.ownerId)).join('');
  sendXml(call, 200, xmlDocument('ListMultipartUploadsResult', inner));
}

function partXml(part: PartInfo, algorithm: ChecksumAlgorithm | undefined): string {
  return wrap(
    'Part',
    el('PartNumber', part.partNumber) +
      el('LastModified', isoDate(part.lastModified)) +
      el('ETag', quoted(part.etag)) +
      el('Size', part.size) +
      (algorithm && part.checksum ? el(`Checksum${algorithm}`, part.checksum) : ''),
  );
}

function uploadXml(upload: UploadInfo, ownerId: string): string {
  return wrap(
    'Upload',
    el('Key', upload.key) +
      el('UploadId', upload.uploadId) +
      wrap('Initiator', el('ID', ownerId)) +
      wrap('Owner', el('ID', ownerId)) +
      el('StorageClass', 'STANDARD') +
      el('Initiated', isoDate(upload.initiated)) +
      el('ChecksumAlgorithm', upload.attributes.checksum?.algorithm),
  );
}

function pageSize(call: S3Call, name: string, max: number): number {
  const value = call.query.get(name);
  if (value === null) return Math.min(DEFAULT_PAGE, max);
  const size = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(size)) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, value);
  return Math.min(size, max);
}

function nonNegative(call: S3Call, name: string): number {
  const value = call.query.get(name);
  if (value === null || value === '') return 0;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, value);
  return number;
}
