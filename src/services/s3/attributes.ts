import type { ObjectAttributes, ObjectInfo } from '../../storage/index.js';
import { checksumHeader } from './checksums.js';
import type { S3Call } from './context.js';
import { metadataTooLarge } from './errors.js';
import { httpDate, quoted } from './wire.js';

/** S3's default when an upload names no Content-Type. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const MAX_METADATA_BYTES = 2048;
const META_PREFIX = 'x-amz-meta-';

/** The standard headers S3 keeps with an object and returns on GET and HEAD. */
const STANDARD: readonly (readonly [header: string, field: keyof Omit<ObjectAttributes, 'metadata' | 'checksum'>])[] = [
  ['content-type', 'contentType'],
  ['content-encoding', 'contentEncoding'],
  ['content-disposition', 'contentDisposition'],
  ['content-language', 'contentLanguage'],
  ['cache-control', 'cacheControl'],
  ['expires', 'expires'],
];

/** GetObject's response-* query parameters override these headers in the response. */
const OVERRIDES: readonly (readonly [query: string, header: string])[] = [
  ['response-content-type', 'content-type'],
  ['response-content-language', 'content-language'],
  ['response-expires', 'expires'],
  ['response-cache-control', 'cache-control'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
];

/** The attributes an upload's headers declare (PutObject, CreateMultipartUpload, CopyObject with REPLACE). */
export function attributesFrom(call: S3Call): ObjectAttributes {
  const attributes: ObjectAttributes = { metadata: {} };
  for (const [name, field] of STANDARD) {
    const value = call.headers[name];
    if (typeof value === 'string') attributes[field] = value;
  }
  const encoding = attributes.contentEncoding && withoutAwsChunked(attributes.contentEncoding);
  if (encoding) attributes.contentEncoding = encoding;
  else delete attributes.contentEncoding;
  attributes.contentType ??= DEFAULT_CONTENT_TYPE;
  let size = 0;
  for (const [name, value] of Object.entries(call.headers)) {
    if (!name.startsWith(META_PREFIX) || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    const field = name.slice(META_PREFIX.length);
    attributes.metadata[field] = text;
    size += Buffer.byteLength(field) + Buffer.byteLength(text);
  }
  if (size > MAX_METADATA_BYTES) throw metadataTooLarge(size);
  return attributes;
}

/** The headers GET and HEAD return for an object, before range and checksum headers. */
export function objectHeaders(object: ObjectInfo, query: URLSearchParams): Record<string, string> {
  const headers: Record<string, string> = {
    'last-modified': httpDate(object.lastModified),
    etag: quoted(object.etag),
    'accept-ranges': 'bytes',
  };
  for (const [name, field] of STANDARD) {
    const value = object.attributes[field];
    if (value !== undefined) headers[name] = value;
  }
  for (const [name, value] of Object.entries(object.attributes.metadata)) headers[META_PREFIX + name] = value;
  for (const [parameter, name] of OVERRIDES) {
    const value = query.get(parameter);
    if (value !== null) headers[name] = value;
  }
  return headers;
}

/** x-amz-checksum-<algorithm> and x-amz-checksum-type, as PutObject, GetObject and HeadObject return them. */
export function checksumHeaders(checksum: ObjectAttributes['checksum']): Record<string, string> {
  if (!checksum) return {};
  return { [checksumHeader(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': checksum.type };
}

function withoutAwsChunked(encoding: string): string {
  return encoding
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== 'aws-chunked')
    .join(',');
}
