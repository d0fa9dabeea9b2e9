import type { BucketInfo, ChecksumAlgorithm, ObjectAttributes, ObjectWrite, StagedBody } from '../../storage/index.js';
import { attributesFrom, checksumHeaders } from './attributes.js';
import { requireBucket } from './buckets.js';
import { algorithmNamed } from './checksums.js';
import { copyBytes, resolveCopySource } from './copy-source.js';
import { header, keyOf, type S3Call, type S3Deps } from './context.js';
import { invalidArgument, invalidRequest, keyTooLong, notImplemented } from './errors.js';
import { planBody, receiveBody } from './receive.js';
import { el, xmlDocument } from './xml.js';
import { isoDate, quoted, sendEmpty, sendXml } from './wire.js';

const MAX_KEY_BYTES = 1024;
const SELF_COPY =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > MAX_KEY_BYTES) throw keyTooLong(size);
}

export async function putObject(deps: S3Deps, call: S3Call): Promise<void> {
  const key = keyOf(call);
  checkKey(key);
  const bucket = await requireBucket(deps, call);
  const attributes = attributesFrom(call);
  const conditions = writeConditions(call);
  const received = await receiveBody(deps, call, planBody(call));
  if (received.checksum) attributes.checksum = { ...received.checksum, type: 'FULL_OBJECT' };
  const written = await store(deps, { bucket: bucket.name, key, body: received.staged, etag: received.md5Hex, attributes, ...conditions });
  await announceCreated(deps, call, bucket, 'ObjectCreated:Put', written);
  sendEmpty(call, 200, { etag: quoted(received.md5Hex), ...checksumHeaders(attributes.checksum), 'x-amz-server-side-encryption': 'AES256' });
}

export async function copyObject(deps: S3Deps, call: S3Call): Promise<void> {
  const key = keyOf(call);
  checkKey(key);
  const bucket = await requireBucket(deps, call);
  const { source, object } = await resolveCopySource(deps, call);
  const replace = metadataDirective(call) === 'REPLACE';
  const requested = header(call, 'x-amz-checksum-algorithm');
  const algorithm: ChecksumAlgorithm | undefined = requested === undefined ? object.attributes.checksum?.algorithm : algorithmNamed(requested);
  if (requested !== undefined && !algorithm) throw invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  if (source.bucket === bucket.name && source.key === key && !replace && !changesSomething(call)) throw invalidRequest(SELF_COPY);
  const attributes: ObjectAttributes = replace ? attributesFrom(call) : { ...object.attributes, metadata: { ...object.attributes.metadata } };
  delete attributes.checksum;
  const copied = await copyBytes(deps, object, undefined, algorithm);
  if (copied.checksum) attributes.checksum = { ...copied.checksum, type: 'FULL_OBJECT' };
  const written = await store(deps, { bucket: bucket.name, key, body: copied.staged, etag: copied.md5Hex, attributes, ...writeConditions(call) });
  await announceCreated(deps, call, bucket, 'ObjectCreated:Copy', written);
  const checksum = attributes.checksum ? el(`Checksum${attributes.checksum.algorithm}`, attributes.checksum.value) + el('ChecksumType', attributes.checksum.type) : '';
  const inner = el('ETag', quoted(copied.md5Hex)) + el('LastModified', isoDate(written.lastModified)) + checksum;
  sendXml(call, 200, xmlDocument('CopyObjectResult', inner), { 'x-amz-server-side-encryption': 'AES256' });
}

interface Written {
  size: number;
  etag: string;
  lastModified: number;
  sequence: number;
}

/** Attaches the staged body; if that fails, the body is dropped so nothing lingers. */
export async function store(deps: S3Deps, write: ObjectWrite): Promise<Written> {
  try {
    const { object, sequence } = await deps.objects.putObject(write);
    return { size: object.size, etag: object.etag, lastModified: object.lastModified, sequence };
  } catch (error) {
    await discardQuietly(deps, write.body);
    throw error;
  }
}

export async function announceCreated(deps: S3Deps, call: S3Call, bucket: BucketInfo, name: string, written: Written): Promise<void> {
  await deps.notifier.notify(bucket, call, { name, key: keyOf(call), size: written.size, etag: written.etag, sequence: written.sequence });
}

async function discardQuietly(deps: S3Deps, body: StagedBody): Promise<void> {
  await deps.objects.discardBody(body).catch(() => undefined);
}

/** S3's conditional writes: If-None-Match: * (create only) and If-Match: <etag>. */
function writeConditions(call: S3Call): Pick<ObjectWrite, 'ifNoneMatch' | 'ifMatch'> {
  const conditions: Pick<ObjectWrite, 'ifNoneMatch' | 'ifMatch'> = {};
  const ifNoneMatch = header(call, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw notImplemented('If-None-Match');
    conditions.ifNoneMatch = true;
  }
  const ifMatch = header(call, 'if-match');
  if (ifMatch !== undefined) conditions.ifMatch = ifMatch.trim().replace(/^"|"$/g, '');
  return conditions;
}

function metadataDirective(call: S3Call): 'COPY' | 'REPLACE' {
  const value = header(call, 'x-amz-metadata-directive') ?? 'COPY';
  if (value !== 'COPY' && value !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', value);
  return value;
}

/** Copying an object onto itself is allowed when it changes one of these. */
function changesSomething(call: S3Call): boolean {
  return ['x-amz-storage-class', 'x-amz-website-redirect-location', 'x-amz-server-side-encryption', 'x-amz-checksum-algorithm'].some(
    (name) => header(call, name) !== undefined,
  );
}
