import type { ObjectPage, ObjectSummary } from '../../storage/index.js';
import type { CommonPrefix, ListObjectsOutput, ListObjectsRequest, ListObjectsV2Output, ListObjectsV2Request, ListObjectVersionsRequest, ObjectShape } from './api.js';
import type { S3Context, S3Deps } from './context.js';
import { invalidArgument } from './errors.js';
import { storageClassOf } from './storage-class.js';
import { formEncode, quoted, seconds, text } from './format.js';

const DEFAULT_MAX_KEYS = 1000;
const MAX_INT = 2_147_483_647;

export interface ListRequest {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  encode: (value: string) => string;
  encodingType?: 'url';
}

/** ListObjectsV2 (GET /bucket?list-type=2). */
export async function listObjectsV2(input: ListObjectsV2Request, { deps }: S3Context): Promise<ListObjectsV2Output> {
  const request = listRequest(input);
  const token = input.ContinuationToken;
  const startAfter = input.StartAfter;
  const after = token !== undefined ? decodeToken(token) : startAfter || undefined;
  const page = await list(deps, request, after);
  const next = page.truncated ? lastOf(page) : undefined;
  const fetchOwner = text(input.FetchOwner) === 'true';
  return {
    ...common(request),
    KeyCount: page.objects.length + page.commonPrefixes.length,
    IsTruncated: page.truncated,
    ContinuationToken: token,
    NextContinuationToken: next === undefined ? undefined : encodeToken(next),
    StartAfter: startAfter === undefined ? undefined : request.encode(startAfter),
    Contents: contents(page.objects, request, fetchOwner ? deps.ownerId : undefined),
    CommonPrefixes: prefixes(page, request),
  };
}

/** ListObjects, version 1 (GET /bucket), paged by marker. */
export async function listObjects(input: ListObjectsRequest, { deps }: S3Context): Promise<ListObjectsOutput> {
  const request = listRequest(input);
  const marker = input.Marker ?? '';
  const page = await list(deps, request, marker || undefined);
  // S3 returns NextMarker only with a delimiter; without one, clients continue from the last key.
  const next = page.truncated && request.delimiter !== undefined ? lastOf(page) : undefined;
  return {
    ...common(request),
    Marker: request.encode(marker),
    NextMarker: next === undefined ? undefined : request.encode(next),
    IsTruncated: page.truncated,
    Contents: contents(page.objects, request, deps.ownerId),
    CommonPrefixes: prefixes(page, request),
  };
}

async function list(deps: S3Deps, request: ListRequest, after: string | undefined): Promise<ObjectPage> {
  return deps.objects.listObjects(request.bucket, { prefix: request.prefix, delimiter: request.delimiter, after, limit: request.maxKeys });
}

export function listRequest(input: ListObjectsRequest | ListObjectsV2Request | ListObjectVersionsRequest): ListRequest {
  const encodingType = input.EncodingType;
  if (encodingType !== undefined && encodingType.toLowerCase() !== 'url') {
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  }
  const request: ListRequest = {
    bucket: input.Bucket,
    prefix: input.Prefix ?? '',
    maxKeys: maxKeys(text(input.MaxKeys)),
    encode: encodingType === undefined ? (value) => value : formEncode,
  };
  if (input.Delimiter) request.delimiter = input.Delimiter;
  if (encodingType !== undefined) request.encodingType = 'url';
  return request;
}

/** The members both versions open with. */
export function common(request: ListRequest): Pick<ListObjectsV2Output, 'Name' | 'Prefix' | 'MaxKeys' | 'Delimiter' | 'EncodingType'> {
  return {
    Name: request.bucket,
    Prefix: request.encode(request.prefix),
    MaxKeys: request.maxKeys,
    Delimiter: request.delimiter === undefined ? undefined : request.encode(request.delimiter),
    EncodingType: request.encodingType,
  };
}

function contents(objects: ObjectSummary[], request: ListRequest, ownerId: string | undefined): ObjectShape[] {
  return objects.map((object) => ({
    Key: request.encode(object.key),
    LastModified: seconds(object.lastModified),
    ETag: quoted(object.etag),
    ChecksumAlgorithm: object.checksumAlgorithm === undefined ? undefined : [object.checksumAlgorithm],
    ChecksumType: object.checksumType,
    Size: object.size,
    Owner: ownerId === undefined ? undefined : { ID: ownerId },
    StorageClass: storageClassOf(object),
  }));
}

export function prefixes(page: Pick<ObjectPage, 'commonPrefixes'>, request: ListRequest): CommonPrefix[] {
  return page.commonPrefixes.map((prefix) => ({ Prefix: request.encode(prefix) }));
}

/** The greatest key or common prefix on the page: where the next page starts. */
function lastOf(page: ObjectPage): string | undefined {
  const key = page.objects.at(-1)?.key;
  const prefix = page.commonPrefixes.at(-1);
  if (key === undefined) return prefix;
  if (prefix === undefined) return key;
  return Buffer.compare(Buffer.from(key), Buffer.from(prefix)) > 0 ? key : prefix;
}

function maxKeys(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_MAX_KEYS;
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed > MAX_INT) {
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', value);
  }
  if (parsed < 0) throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', value);
  return Math.min(parsed, DEFAULT_MAX_KEYS);
}

/** Continuation tokens are opaque to clients: the last key or prefix returned, base64-encoded. */
function encodeToken(after: string): string {
  return Buffer.from(after, 'utf8').toString('base64');
}

function decodeToken(token: string): string {
  const decoded = Buffer.from(token, 'base64');
  if (token === '' || decoded.toString('base64') !== token) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return decoded.toString('utf8');
}
