import type { ChecksumAlgorithm, PartInfo, UploadInfo } from '../../storage/index.js';
import type { ListMultipartUploadsOutput, ListMultipartUploadsRequest, ListPartsOutput, ListPartsRequest, MultipartUpload, Part } from './api.js';
import { requireBucket } from './buckets.js';
import type { S3Context } from './context.js';
import { invalidArgument } from './errors.js';
import { formEncode, quoted, seconds, text } from './format.js';
import { storageClassOf } from './storage-class.js';
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

/**
 * ListMultipartUploads with S3's prefix, delimiter (uploads of keys sharing a prefix up to the delimiter roll up into
 * one CommonPrefixes entry, counted against max-uploads like an upload), markers and encoding-type=url (keys,
 * prefixes, delimiter and markers form-encoded). test_s3_list_operations.py test_list_multiparts_with_prefix_and_delimiter
 * and test_list_ops_encoding_type_validation[list_multipart_uploads] record S3's answers.
 */
export async function listMultipartUploads(input: ListMultipartUploadsRequest, { deps }: S3Context): Promise<ListMultipartUploadsOutput> {
  const encode = encodingOf(input.EncodingType);
  const bucket = await requireBucket(deps, input.Bucket);
  const limit = pageSize(text(input.MaxUploads), 'max-uploads', DEFAULT_PAGE);
  const { Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker } = input;
  const delimiter = input.Delimiter || undefined;
  const page = await uploadPage(deps, bucket.name, { prefix, delimiter, keyMarker, uploadIdMarker, limit });
  const lastUpload = page.uploads.at(-1);
  return {
    Bucket: bucket.name,
    KeyMarker: encode(keyMarker ?? ''),
    UploadIdMarker: uploadIdMarker ?? '',
    NextKeyMarker: page.truncated ? encode(page.nextKeyMarker) : encode(lastUpload?.key ?? ''),
    NextUploadIdMarker: page.truncated ? page.nextUploadIdMarker : (lastUpload?.uploadId ?? ''),
    Prefix: prefix === undefined ? undefined : encode(prefix),
    Delimiter: delimiter === undefined ? undefined : encode(delimiter),
    MaxUploads: limit,
    IsTruncated: page.truncated,
    Uploads: page.uploads.map((upload) => ({ ...uploadOf(upload, deps.ownerId), Key: encode(upload.key) })),
    CommonPrefixes: page.prefixes.length > 0 ? page.prefixes.map((common) => ({ Prefix: encode(common) })) : undefined,
    EncodingType: input.EncodingType === undefined ? undefined : 'url',
  };
}

interface UploadPageQuery {
  prefix: string | undefined;
  delimiter: string | undefined;
  keyMarker: string | undefined;
  uploadIdMarker: string | undefined;
  limit: number;
}

interface UploadPage {
  uploads: UploadInfo[];
  prefixes: string[];
  truncated: boolean;
  nextKeyMarker: string;
  nextUploadIdMarker: string;
}

/** Up to `limit` entries (uploads and common prefixes), reading the store a page at a time. */
async function uploadPage(deps: S3Context['deps'], bucket: string, query: UploadPageQuery): Promise<UploadPage> {
  const page: UploadPage = { uploads: [], prefixes: [], truncated: false, nextKeyMarker: '', nextUploadIdMarker: '' };
  let cursor = { keyMarker: query.keyMarker, uploadIdMarker: query.uploadIdMarker };
  const rolledUp = (key: string): string | undefined => {
    if (query.delimiter === undefined) return undefined;
    const at = key.indexOf(query.delimiter, (query.prefix ?? '').length);
    return at < 0 ? undefined : key.slice(0, at + query.delimiter.length);
  };
  for (;;) {
    const { uploads, truncated } = await deps.objects.listUploads(bucket, { prefix: query.prefix, ...cursor, limit: query.limit + 1 });
    for (const upload of uploads) {
      const common = rolledUp(upload.key);
      // A prefix already given (on this page, or as the marker of an earlier one) is not given again.
      if (common !== undefined && (common === page.prefixes.at(-1) || (query.keyMarker !== undefined && common <= query.keyMarker))) continue;
      if (page.uploads.length + page.prefixes.length === query.limit) {
        page.truncated = true;
        return page;
      }
      if (common !== undefined) {
        page.prefixes.push(common);
        page.nextKeyMarker = common;
        page.nextUploadIdMarker = '';
      } else {
        page.uploads.push(upload);
        page.nextKeyMarker = upload.key;
        page.nextUploadIdMarker = upload.uploadId;
      }
    }
    const last = uploads.at(-1);
    if (!truncated || !last) return page;
    cursor = { keyMarker: last.key, uploadIdMarker: last.uploadId };
  }
}

/** encoding-type: only "url" is known (test_list_ops_encoding_type_validation: anything else, even empty, is refused). */
function encodingOf(value: string | undefined): (text: string) => string {
  if (value === undefined) return (plain) => plain;
  if (value.toLowerCase() !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', value === '' ? undefined : value);
  return formEncode;
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
