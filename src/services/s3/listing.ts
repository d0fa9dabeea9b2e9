import type { ObjectPage, ObjectSummary } from '../../storage/index.js';
import { bucketOf, type S3Call, type S3Deps } from './context.js';
import { invalidArgument } from './errors.js';
import { el, wrap, xmlDocument } from './xml.js';
import { formEncode, isoDate, quoted, sendXml } from './wire.js';

const DEFAULT_MAX_KEYS = 1000;
const MAX_INT = 2_147_483_647;

interface ListRequest {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  encode: (value: string) => string;
  encodingType?: 'url';
}

/** ListObjectsV2 (GET /bucket?list-type=2). */
export async function listObjectsV2(deps: S3Deps, call: S3Call): Promise<void> {
  const request = listRequest(call);
  const token = call.query.get('continuation-token') ?? undefined;
  const startAfter = call.query.get('start-after') ?? undefined;
  const after = token !== undefined ? decodeToken(token) : startAfter || undefined;
  const page = await list(deps, request, after);
  const next = page.truncated ? lastOf(page) : undefined;
  const fetchOwner = call.query.get('fetch-owner') === 'true';
  const inner =
    header(request) +
    el('KeyCount', page.objects.length + page.commonPrefixes.length) +
    el('IsTruncated', page.truncated) +
    el('ContinuationToken', token) +
    el('NextContinuationToken', next === undefined ? undefined : encodeToken(next)) +
    el('StartAfter', startAfter === undefined ? undefined : request.encode(startAfter)) +
    contents(page.objects, request, fetchOwner ? deps.ownerId : undefined) +
    prefixes(page, request);
  sendXml(call, 200, xmlDocument('ListBucketResult', inner));
}

/** ListObjects, version 1 (GET /bucket), paged by marker. */
export async function listObjectsV1(deps: S3Deps, call: S3Call): Promise<void> {
  const request = listRequest(call);
  const marker = call.query.get('marker') ?? '';
  const page = await list(deps, request, marker || undefined);
  // S3 returns NextMarker only with a delimiter; without one, clients continue from the last key.
  const next = page.truncated && request.delimiter !== undefined ? lastOf(page) : undefined;
  const inner =
    header(request) +
    el('Marker', request.encode(marker)) +
    el('NextMarker', next === undefined ? undefined : request.encode(next)) +
    el('IsTruncated', page.truncated) +
    contents(page.objects, request, deps.ownerId) +
    prefixes(page, request);
  sendXml(call, 200, xmlDocument('ListBucketResult', inner));
}

async function list(deps: S3Deps, request: ListRequest, after: string | undefined): Promise<ObjectPage> {
  return deps.objects.listObjects(request.bucket, { prefix: request.prefix, delimiter: request.delimiter, after, limit: request.maxKeys });
}

function listRequest(call: S3Call): ListRequest {
  const encodingType = call.query.get('encoding-type');
  if (encodingType !== null && encodingType.toLowerCase() !== 'url') {
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  }
  const request: ListRequest = {
    bucket: bucketOf(call),
    prefix: call.query.get('prefix') ?? '',
    maxKeys: maxKeys(call.query.get('max-keys')),
    encode: encodingType === null ? (value) => value : formEncode,
  };
  const delimiter = call.query.get('delimiter');
  if (delimiter) request.delimiter = delimiter;
  if (encodingType !== null) request.encodingType = 'url';
  return request;
}

/** The elements both versions open with. */
function header(request: ListRequest): string {
  return (
    el('Name', request.bucket) +
    el('Prefix', request.encode(request.prefix)) +
    el('MaxKeys', request.maxKeys) +
    el('Delimiter', request.delimiter === undefined ? undefined : request.encode(request.delimiter)) +
    el('EncodingType', request.encodingType)
  );
}

function contents(objects: ObjectSummary[], request: ListRequest, ownerId: string | undefined): string {
  let xml = '';
  for (const object of objects) {
    xml += wrap(
      'Contents',
      el('Key', request.encode(object.key)) +
        el('LastModified', isoDate(object.lastModified)) +
        el('ETag', quoted(object.etag)) +
        el('ChecksumAlgorithm', object.checksumAlgorithm) +
        el('ChecksumType', object.checksumType) +
        el('Size', object.size) +
        (ownerId === undefined ? '' : wrap('Owner', el('ID', ownerId))) +
        el('StorageClass', 'STANDARD'),
    );
  }
  return xml;
}

function prefixes(page: ObjectPage, request: ListRequest): string {
  return page.commonPrefixes.map((prefix) => wrap('CommonPrefixes', el('Prefix', request.encode(prefix)))).join('');
}

/** The greatest key or common prefix on the page: where the next page starts. */
function lastOf(page: ObjectPage): string | undefined {
  const key = page.objects.at(-1)?.key;
  const prefix = page.commonPrefixes.at(-1);
  if (key === undefined) return prefix;
  if (prefix === undefined) return key;
  return Buffer.compare(Buffer.from(key), Buffer.from(prefix)) > 0 ? key : prefix;
}

function maxKeys(value: string | null): number {
  if (value === null || value === '') return DEFAULT_MAX_KEYS;
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
