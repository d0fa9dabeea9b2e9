import type { ChecksumAlgorithm, PartInfo, UploadInfo } from '../../storage/index.js';
import type { ListMultipartUploadsOutput, ListMultipartUploadsRequest, ListPartsOutput, ListPartsRequest, MultipartUpload, Part } from './api.js';
import { requireBucket } from './buckets.js';
import type { S3Context } from './context.js';
import { invalidArgument } from './errors.js';
import { storageClassOf } from './storage-class.js';
import { quoted, seconds, text } from './format.js';
import { MAX_PARTS, requireUpload } from './multipart.js';

const DEFAULT_PAGE = 1000;

export async function listParts(input: ListPartsRequest, { deps }: S3Context): Promise<ListPartsOutput> {
  const upload = await requireUpload(deps, input);
  const limit = pageSize(text(input.MaxParts), 'max-parts', MAX_PARTS);
  const marker = nonNegative(text(input.PartNumberMarker), 'part-number-marker');
  const { parts, truncated } = await deps.objects.listParts(upload.uploadId, { after: marker, limit });
  const algorithm = upload.attributes.checksum?.algorithm;
  return {
    Bucket: upload.bucket,
    Key: upload.key,
    UploadId: upload.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: parts.at(-1)?.partNumber ?? marker,
    MaxParts: limit,
    IsTruncated: truncated,
    Parts: parts.map((part) => partOf(part, algorithm)),
    Initiator: { ID: deps.ownerId },
    Owner: { ID: deps.ownerId },
    StorageClass: storageClassOf(upload.attributes),
    ChecksumAlgorithm: algorithm,
    ChecksumType: upload.attributes.checksum?.type,
  };
}

export async function listMultipartUploads(input: ListMultipartUploadsRequest, { deps }: S3Context): Promise<ListMultipartUploadsOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  const limit = pageSize(text(input.MaxUploads), 'max-uploads', DEFAULT_PAGE);
  const { Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker } = input;
  const { uploads, truncated } = await deps.objects.listUploads(bucket.name, { prefix, keyMarker, uploadIdMarker, limit });
  const last = uploads.at(-1);
  return {
    Bucket: bucket.name,
    KeyMarker: keyMarker ?? '',
    UploadIdMarker: uploadIdMarker ?? '',
    NextKeyMarker: truncated ? last?.key : undefined,
    NextUploadIdMarker: truncated ? last?.uploadId : undefined,
    Prefix: prefix,
    MaxUploads: limit,
    IsTruncated: truncated,
    Uploads: uploads.map((upload) => uploadOf(upload, deps.ownerId)),
  };
}

function partOf(part: PartInfo, algorithm: ChecksumAlgorithm | undefined): Part {
  const checksum = algorithm && part.checksum ? { [`Checksum${algorithm}`]: part.checksum } : {};
  return { PartNumber: part.partNumber, LastModified: seconds(part.lastModified), ETag: quoted(part.etag), Size: part.size, ...checksum };
}

function uploadOf(upload: UploadInfo, ownerId: string): MultipartUpload {
  return {
    Key: upload.key,
    UploadId: upload.uploadId,
    Initiator: { ID: ownerId },
    Owner: { ID: ownerId },
    StorageClass: storageClassOf(upload.attributes),
    Initiated: seconds(upload.initiated),
    ChecksumAlgorithm: upload.attributes.checksum?.algorithm,
  };
}

export function pageSize(value: string | undefined, name: string, max: number): number {
  if (value === undefined) return Math.min(DEFAULT_PAGE, max);
  const size = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(size)) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, value);
  return Math.min(size, max);
}

export function nonNegative(value: string | undefined, name: string): number {
  if (value === undefined || value === '') return 0;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, value);
  return number;
}
