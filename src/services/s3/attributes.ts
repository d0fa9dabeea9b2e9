import type { ObjectAttributes, ObjectInfo } from '../../storage/index.js';
import type { GetObjectOutput, GetObjectRequest, PutObjectRequest } from './api.js';
import { metadataTooLarge } from './errors.js';
import { quoted, seconds } from './format.js';

/** S3's default when an upload names no Content-Type. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const MAX_METADATA_BYTES = 2048;

/** The standard headers an upload may set (PutObject, CreateMultipartUpload, CopyObject with REPLACE). */
export type UploadHeaders = Pick<PutObjectRequest, 'ContentType' | 'ContentEncoding' | 'ContentDisposition' | 'ContentLanguage' | 'CacheControl' | 'Expires' | 'Metadata'>;

/** The standard headers S3 keeps with an object and returns on GET and HEAD. */
type StandardMember = 'ContentType' | 'ContentEncoding' | 'ContentDisposition' | 'ContentLanguage' | 'CacheControl' | 'Expires';

const STANDARD: readonly (readonly [member: StandardMember, field: keyof Omit<ObjectAttributes, 'metadata' | 'checksum' | 'tags' | 'acl' | 'storageClass' | 'retention' | 'legalHold'>])[] = [
  ['ContentType', 'contentType'],
  ['ContentEncoding', 'contentEncoding'],
  ['ContentDisposition', 'contentDisposition'],
  ['ContentLanguage', 'contentLanguage'],
  ['CacheControl', 'cacheControl'],
  ['Expires', 'expires'],
];

type Overrides = Pick<GetObjectRequest, 'ResponseContentType' | 'ResponseContentLanguage' | 'ResponseExpires' | 'ResponseCacheControl' | 'ResponseContentDisposition' | 'ResponseContentEncoding'>;

/** GetObject's response-* query parameters override these headers in the response. */
const OVERRIDES: readonly (readonly [parameter: keyof Overrides, member: keyof GetObjectOutput])[] = [
  ['ResponseContentType', 'ContentType'],
  ['ResponseContentLanguage', 'ContentLanguage'],
  ['ResponseExpires', 'Expires'],
  ['ResponseCacheControl', 'CacheControl'],
  ['ResponseContentDisposition', 'ContentDisposition'],
  ['ResponseContentEncoding', 'ContentEncoding'],
];

/** The attributes an upload's headers declare. */
export function attributesFrom(input: UploadHeaders): ObjectAttributes {
  const attributes: ObjectAttributes = { metadata: {} };
  for (const [member, field] of STANDARD) {
    const value = input[member];
    if (typeof value === 'string') attributes[field] = value;
  }
  const encoding = attributes.contentEncoding && withoutAwsChunked(attributes.contentEncoding);
  if (encoding) attributes.contentEncoding = encoding;
  else delete attributes.contentEncoding;
  attributes.contentType ??= DEFAULT_CONTENT_TYPE;
  let size = 0;
  for (const [field, text] of Object.entries(input.Metadata ?? {})) {
    attributes.metadata[field] = text;
    size += Buffer.byteLength(field) + Buffer.byteLength(text);
  }
  if (size > MAX_METADATA_BYTES) throw metadataTooLarge(size);
  return attributes;
}

/** What GET and HEAD return for an object, before range and checksum members. */
export function objectOutput(object: ObjectInfo, overrides: Overrides): GetObjectOutput {
  const output: GetObjectOutput = { LastModified: seconds(object.lastModified), ETag: quoted(object.etag), AcceptRanges: 'bytes' };
  for (const [member, field] of STANDARD) {
    const value = object.attributes[field];
    if (value !== undefined) output[member] = value;
  }
  if (Object.keys(object.attributes.metadata).length > 0) output.Metadata = object.attributes.metadata;
  for (const [parameter, member] of OVERRIDES) {
    const value = overrides[parameter];
    if (value !== undefined) (output as Record<string, unknown>)[member] = String(value);
  }
  return output;
}

type ChecksumMembers = Pick<GetObjectOutput, 'ChecksumCRC32' | 'ChecksumCRC32C' | 'ChecksumCRC64NVME' | 'ChecksumSHA1' | 'ChecksumSHA256' | 'ChecksumType'>;

/** The checksum members (x-amz-checksum-<algorithm> and x-amz-checksum-type) PutObject, GetObject and HeadObject return. */
export function checksumMembers(checksum: ObjectAttributes['checksum']): ChecksumMembers {
  if (!checksum) return {};
  return { [`Checksum${checksum.algorithm}`]: checksum.value, ChecksumType: checksum.type };
}

function withoutAwsChunked(encoding: string): string {
  return encoding
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== 'aws-chunked')
    .join(',');
}
