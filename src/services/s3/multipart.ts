import { z } from 'zod';
import type { ChecksumAlgorithm, PartInfo, UploadInfo } from '../../storage/index.js';
import { attributesFrom, checksumHeaders } from './attributes.js';
import { requireBucket } from './buckets.js';
import { algorithmNamed, checksumHeader, compositeChecksum, multipartEtag } from './checksums.js';
import { copyBytes, resolveCopySource } from './copy-source.js';
import { bucketOf, header, keyOf, type S3Call, type S3Deps } from './context.js';
import {
  entityTooSmall,
  invalidArgument,
  invalidPart,
  invalidPartOrder,
  invalidRequest,
  malformedXml,
  noSuchUpload,
  notImplemented,
} from './errors.js';
import { announceCreated, checkKey } from './objects-write.js';
import { planBody, receiveBody } from './receive.js';
import { readSmallBody } from './small-body.js';
import { el, readXml, xmlDocument, xmlList, xmlObject } from './xml.js';
import { formEncode, isoDate, quoted, sendEmpty, sendXml, unquoted } from './wire.js';

/** Every part but the last must have at least 5 MiB. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;
const COPY_RANGE = /^bytes=(\d+)-(\d+)$/;

const completeSchema = xmlObject({
  Part: xmlList(
    z.object({
      PartNumber: z.string().regex(/^\d+$/).transform(Number),
      ETag: z.string(),
      ChecksumCRC32: z.string().optional(),
      ChecksumCRC32C: z.string().optional(),
      ChecksumCRC64NVME: z.string().optional(),
      ChecksumSHA1: z.string().optional(),
      ChecksumSHA256: z.string().optional(),
    }),
  ),
});

type RequestedPart = z.infer<typeof completeSchema>['Part'][number];

export async function createMultipartUpload(deps: S3Deps, call: S3Call): Promise<void> {
  const key = keyOf(call);
  checkKey(key);
  const bucket = await requireBucket(deps, call);
  const attributes = attributesFrom(call);
  const algorithm = uploadAlgorithm(call);
  // The algorithm parts must carry; the value is filled in when the upload completes.
  if (algorithm) attributes.checksum = { algorithm, value: '', type: 'COMPOSITE' };
  const upload = await deps.objects.createUpload(bucket.name, key, attributes);
  const headers: Record<string, string> = algorithm ? { 'x-amz-checksum-algorithm': algorithm, 'x-amz-checksum-type': 'COMPOSITE' } : {};
  sendXml(call, 200, xmlDocument('InitiateMultipartUploadResult', el('Bucket', bucket.name) + el('Key', key) + el('UploadId', upload.uploadId)), headers);
}

export async function uploadPart(deps: S3Deps, call: S3Call): Promise<void> {
  const partNumber = partNumberOf(call);
  const upload = await requireUpload(deps, call);
  const algorithm = upload.attributes.checksum?.algorithm;
  const plan = planBody(call);
  if (algorithm && plan.checksum && plan.checksum.algorithm !== algorithm) {
    throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${plan.checksum.algorithm.toLowerCase()}`);
  }
  const received = await receiveBody(deps, call, plan, algorithm ? { alsoCompute: algorithm } : {});
  const part = await deps.objects.putPart({ uploadId: upload.uploadId, partNumber, body: received.staged, etag: received.md5Hex, checksum: received.checksum?.value });
  const checksum = received.checksum ? { [checksumHeader(received.checksum.algorithm)]: received.checksum.value } : {};
  sendEmpty(call, 200, { etag: quoted(part.etag), ...checksum, 'x-amz-server-side-encryption': 'AES256' });
}

export async function uploadPartCopy(deps: S3Deps, call: S3Call): Promise<void> {
  const partNumber = partNumberOf(call);
  const upload = await requireUpload(deps, call);
  const { object } = await resolveCopySource(deps, call);
  const range = copyRange(header(call, 'x-amz-copy-source-range'), object.size);
  const algorithm = upload.attributes.checksum?.algorithm;
  const copied = await copyBytes(deps, object, range, algorithm);
  const part = await deps.objects.putPart({ uploadId: upload.uploadId, partNumber, body: copied.staged, etag: copied.md5Hex, checksum: copied.checksum?.value });
  const checksum = copied.checksum ? el(`Checksum${copied.checksum.algorithm}`, copied.checksum.value) : '';
  sendXml(call, 200, xmlDocument('CopyPartResult', el('LastModified', isoDate(part.lastModified)) + el('ETag', quoted(part.etag)) + checksum));
}

export async function completeMultipartUpload(deps: S3Deps, call: S3Call): Promise<void> {
  const upload = await requireUpload(deps, call);
  const bucket = await requireBucket(deps, call);
  const requested = await requestedParts(call);
  const stored = new Map((await deps.objects.listParts(upload.uploadId, { limit: MAX_PARTS })).parts.map((part) => [part.partNumber, part]));
  const parts = requested.map((wanted) => matchingPart(upload, stored, wanted));
  parts.forEach((part, index) => {
    if (index < parts.length - 1 && part.size < MIN_PART_BYTES) throw entityTooSmall(part.size, MIN_PART_BYTES, part.partNumber, part.etag);
  });
  const algorithm = upload.attributes.checksum?.algorithm;
  const checksum = algorithm ? { algorithm, value: compositeChecksum(algorithm, parts.map((part) => part.checksum ?? '')), type: 'COMPOSITE' as const } : undefined;
  const etag = multipartEtag(parts.map((part) => part.etag));
  const { object, sequence } = await deps.objects.completeUpload({
    uploadId: upload.uploadId,
    parts: parts.map((part) => ({ partNumber: part.partNumber, etag: part.etag })),
    etag,
    checksum,
  });
  await announceCreated(deps, call, bucket, 'ObjectCreated:CompleteMultipartUpload', { ...object, sequence });
  const checksumXml = checksum ? el(`Checksum${checksum.algorithm}`, checksum.value) + el('ChecksumType', checksum.type) : '';
  const inner = el('Location', locationOf(call)) + el('Bucket', bucket.name) + el('Key', upload.key) + el('ETag', quoted(etag)) + checksumXml;
  sendXml(call, 200, xmlDocument('CompleteMultipartUploadResult', inner), { ...checksumHeaders(checksum), 'x-amz-server-side-encryption': 'AES256' });
}

export async function abortMultipartUpload(deps: S3Deps, call: S3Call): Promise<void> {
  const upload = await requireUpload(deps, call);
  if (!(await deps.objects.abortUpload(upload.uploadId))) throw noSuchUpload(upload.uploadId);
  sendEmpty(call, 204);
}

/** The upload named by ?uploadId, if it belongs to the addressed bucket and key. */
export async function requireUpload(deps: S3Deps, call: S3Call): Promise<UploadInfo> {
  const uploadId = call.query.get('uploadId') ?? '';
  const upload = await deps.objects.getUpload(uploadId);
  if (!upload || upload.bucket !== bucketOf(call) || upload.key !== keyOf(call)) {
    await requireBucket(deps, call);
    throw noSuchUpload(uploadId);
  }
  return upload;
}

function uploadAlgorithm(call: S3Call): ChecksumAlgorithm | undefined {
  const type = header(call, 'x-amz-checksum-type');
  if (type !== undefined && type.toUpperCase() !== 'COMPOSITE') throw notImplemented('x-amz-checksum-type');
  const value = header(call, 'x-amz-checksum-algorithm');
  if (value === undefined) return undefined;
  const algorithm = algorithmNamed(value);
  if (!algorithm) throw invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  // S3 has no composite CRC-64/NVME: that algorithm only comes as a full-object checksum.
  if (algorithm === 'CRC64NVME') throw notImplemented('x-amz-checksum-algorithm');
  return algorithm;
}

function partNumberOf(call: S3Call): number {
  const value = call.query.get('partNumber') ?? '';
  const partNumber = Number(value);
  if (!/^\d+$/.test(value) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', value);
  }
  return partNumber;
}

function copyRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const match = COPY_RANGE.exec(value.trim());
  if (!match) {
    throw invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      value,
    );
  }
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (start > end || end >= size) throw invalidArgument(`Range specified is not valid for source object of size: ${size}`, 'x-amz-copy-source-range', value);
  return { start, end };
}

async function requestedParts(call: S3Call): Promise<RequestedPart[]> {
  const { root, value } = readXml(await readSmallBody(call));
  const parsed = completeSchema.safeParse(value);
  if (root !== 'CompleteMultipartUpload' || !parsed.success || parsed.data.Part.length === 0) throw malformedXml();
  const parts = parsed.data.Part;
  parts.forEach((part, index) => {
    if (index > 0 && part.PartNumber <= parts[index - 1]!.PartNumber) throw invalidPartOrder();
  });
  return parts;
}

function matchingPart(upload: UploadInfo, stored: Map<number, PartInfo>, wanted: RequestedPart): PartInfo {
  const part = stored.get(wanted.PartNumber);
  const etag = unquoted(wanted.ETag);
  if (!part || part.etag !== etag) throw invalidPart(upload.uploadId, wanted.PartNumber, etag);
  const algorithm = upload.attributes.checksum?.algorithm;
  const given = algorithm ? wanted[`Checksum${algorithm}` as keyof RequestedPart] : undefined;
  if (given !== undefined && given !== part.checksum) throw invalidPart(upload.uploadId, wanted.PartNumber, etag);
  return part;
}

/** The object's URL as S3 reports it, in the addressing style the client used. */
function locationOf(call: S3Call): string {
  const key = formEncode(keyOf(call));
  return call.address.virtualHost ? `${call.baseUrl}/${key}` : `${call.baseUrl}/${bucketOf(call)}/${key}`;
}
