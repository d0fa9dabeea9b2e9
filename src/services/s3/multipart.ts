import type { ChecksumAlgorithm, PartInfo, UploadInfo, WriteResult } from '../../storage/index.js';
import { reply, type Reply } from '../../protocol/index.js';
import type {
  AbortMultipartUploadRequest,
  CompletedMultipartUpload,
  CompletedPart,
  CompleteMultipartUploadOutput,
  CompleteMultipartUploadRequest,
  CreateMultipartUploadOutput,
  CreateMultipartUploadRequest,
  UploadPartCopyOutput,
  UploadPartCopyRequest,
  UploadPartOutput,
  UploadPartRequest,
} from './api.js';
import { attributesFrom, checksumMembers } from './attributes.js';
import { requireBucket, requireBucketOf } from './buckets.js';
import { algorithmNamed, checksumHeader, compositeChecksum, multipartEtag } from './checksums.js';
import { copyBytes, resolveCopySource } from './copy-source.js';
import { handOverEvents, type S3Call, type S3Context, type S3Deps } from './context.js';
import { entityTooSmall, invalidArgument, invalidPart, invalidPartOrder, invalidRequest, malformedXml, noSuchUpload, notImplemented } from './errors.js';
import { formEncode, quoted, seconds, text, unquoted } from './format.js';
import { aclFromHeaders } from './object-acl.js';
import { tagsFromHeader } from './object-tagging.js';
import { checkKey, withClassAndLock, withTagsAndAcl } from './objects-write.js';
import { reportedVersionId } from './versioning.js';
import { planBody, receiveBody } from './receive.js';

/** Every part but the last must have at least 5 MiB. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;
const COPY_RANGE = /^bytes=(\d+)-(\d+)$/;

/** A part as CompleteMultipartUpload names it, once its number and ETag are known to be there. */
type RequestedPart = CompletedPart & { PartNumber: number; ETag: string };

export async function createMultipartUpload(input: CreateMultipartUploadRequest, context: S3Context): Promise<CreateMultipartUploadOutput> {
  const { deps } = context;
  checkKey(input.Key);
  const bucket = await requireBucketOf(context, input.Bucket);
  const attributes = withTagsAndAcl(attributesFrom(input), tagsFromHeader(input.Tagging), aclFromHeaders(input, deps.ownerId, bucket));
  // The lock (or default retention) is fixed when the upload starts and carried to the completed object.
  withClassAndLock(attributes, input, bucket, deps);
  const algorithm = uploadAlgorithm(input);
  // The algorithm parts must carry; the value is filled in when the upload completes.
  if (algorithm) attributes.checksum = { algorithm, value: '', type: 'COMPOSITE' };
  const upload = await deps.objects.createUpload(bucket.name, input.Key, attributes);
  return { Bucket: bucket.name, Key: input.Key, UploadId: upload.uploadId, ...(algorithm ? { ChecksumAlgorithm: algorithm, ChecksumType: 'COMPOSITE' } : {}) };
}

/** Streams the part into the store (never whole in memory), verifying its digests and the upload's algorithm. */
export async function uploadPart(input: UploadPartRequest, { deps, call }: S3Context): Promise<UploadPartOutput> {
  const partNumber = partNumberOf(input.PartNumber);
  const upload = await requireUpload(deps, input);
  const algorithm = upload.attributes.checksum?.algorithm;
  const plan = planBody(call.headers);
  if (algorithm && plan.checksum && plan.checksum.algorithm !== algorithm) {
    throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${plan.checksum.algorithm.toLowerCase()}`);
  }
  const received = await receiveBody(deps, call.body, plan, algorithm ? { alsoCompute: algorithm } : {});
  const part = await deps.objects.putPart({ uploadId: upload.uploadId, partNumber, body: received.staged, etag: received.md5Hex, checksum: received.checksum?.value });
  const checksum = received.checksum ? { [`Checksum${received.checksum.algorithm}`]: received.checksum.value } : {};
  return { ETag: quoted(part.etag), ...checksum, ServerSideEncryption: 'AES256' };
}

export async function uploadPartCopy(input: UploadPartCopyRequest, { deps }: S3Context): Promise<UploadPartCopyOutput> {
  const partNumber = partNumberOf(input.PartNumber);
  const upload = await requireUpload(deps, input);
  const { object, sourceBucket } = await resolveCopySource(deps, input);
  const range = copyRange(input.CopySourceRange, object.size);
  const algorithm = upload.attributes.checksum?.algorithm;
  const copied = await copyBytes(deps, object, range, algorithm);
  const part = await deps.objects.putPart({ uploadId: upload.uploadId, partNumber, body: copied.staged, etag: copied.md5Hex, checksum: copied.checksum?.value });
  const checksum = copied.checksum ? { [`Checksum${copied.checksum.algorithm}`]: copied.checksum.value } : {};
  return {
    CopyPartResult: { LastModified: seconds(part.lastModified), ETag: quoted(part.etag), ...checksum },
    CopySourceVersionId: sourceBucket.versioning ? object.versionId : undefined,
  };
}

/** Joins the parts; the object and its event exist before the answer is sent. */
export async function completeMultipartUpload(input: CompleteMultipartUploadRequest, context: S3Context): Promise<Reply<CompleteMultipartUploadOutput>> {
  const { deps, call } = context;
  const upload = await requireUpload(deps, input);
  const bucket = await requireBucketOf(context, input.Bucket);
  const requested = requestedParts(upload.uploadId, input.MultipartUpload);
  const stored = new Map((await deps.objects.listParts(upload.uploadId, { limit: MAX_PARTS })).parts.map((part) => [part.partNumber, part]));
  const parts = requested.map((wanted) => matchingPart(upload, stored, wanted));
  parts.forEach((part, index) => {
    if (index < parts.length - 1 && part.size < MIN_PART_BYTES) throw entityTooSmall(part.size, MIN_PART_BYTES, part.partNumber, part.etag);
  });
  const algorithm = upload.attributes.checksum?.algorithm;
  const checksum = algorithm ? { algorithm, value: compositeChecksum(algorithm, parts.map((part) => part.checksum ?? '')), type: 'COMPOSITE' as const } : undefined;
  const etag = multipartEtag(parts.map((part) => part.etag));
  const plan = deps.notifier.plan<WriteResult>(bucket, call, 'ObjectCreated:CompleteMultipartUpload', upload.key);
  const { object } = await deps.objects.completeUpload({
    uploadId: upload.uploadId,
    parts: parts.map((part) => ({ partNumber: part.partNumber, etag: part.etag })),
    etag,
    checksum,
    outbox: plan?.outbox,
  });
  await handOverEvents(deps, plan);
  const output: CompleteMultipartUploadOutput = {
    Location: locationOf(call),
    Bucket: bucket.name,
    Key: upload.key,
    ETag: quoted(etag),
    ...checksumMembers(checksum),
    ServerSideEncryption: 'AES256',
    VersionId: reportedVersionId(bucket, object.versionId),
  };
  // The checksum is in the document and, as S3 also sends it, in headers the output shape does not bind.
  return reply(output, { headers: checksum ? { [checksumHeader(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': checksum.type } : {} });
}

export async function abortMultipartUpload(input: AbortMultipartUploadRequest, { deps }: S3Context): Promise<void> {
  const upload = await requireUpload(deps, input);
  if (!(await deps.objects.abortUpload(upload.uploadId))) throw noSuchUpload(upload.uploadId);
}

/** The upload named by ?uploadId, if it belongs to the addressed bucket and key. */
export async function requireUpload(deps: S3Deps, input: { Bucket: string; Key: string; UploadId?: string }): Promise<UploadInfo> {
  const uploadId = input.UploadId ?? '';
  const upload = await deps.objects.getUpload(uploadId);
  if (!upload || upload.bucket !== input.Bucket || upload.key !== input.Key) {
    await requireBucket(deps, input.Bucket);
    throw noSuchUpload(uploadId);
  }
  return upload;
}

/** The checksum algorithm and type a multipart upload declares. */
function uploadAlgorithm(input: CreateMultipartUploadRequest): ChecksumAlgorithm | undefined {
  const type = input.ChecksumType;
  if (type !== undefined && type.toUpperCase() !== 'COMPOSITE') throw notImplemented('x-amz-checksum-type');
  const value = input.ChecksumAlgorithm;
  if (value === undefined) return undefined;
  const algorithm = algorithmNamed(value);
  if (!algorithm) throw invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  // S3 has no composite CRC-64/NVME: that algorithm only comes as a full-object checksum.
  if (algorithm === 'CRC64NVME') throw notImplemented('x-amz-checksum-algorithm');
  return algorithm;
}

function partNumberOf(given: unknown): number {
  const value = text(given) ?? '';
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

/**
 * The parts a completion lists, in ascending order. No document at all is InvalidRequest (test_s3.py
 * test_multipart_complete_multipart_too_small, complete-exc-no-parts); a document without parts does not validate.
 */
function requestedParts(uploadId: string, given: CompletedMultipartUpload | undefined): RequestedPart[] {
  if (given === undefined) throw invalidRequest('You must specify at least one part');
  const parts = given.Parts ?? [];
  if (parts.length === 0 || !parts.every(isComplete)) throw malformedXml();
  parts.forEach((part, index) => {
    if (index > 0 && part.PartNumber <= parts[index - 1]!.PartNumber) throw invalidPartOrder(uploadId);
  });
  return parts;
}

function isComplete(part: CompletedPart): part is RequestedPart {
  return typeof part.PartNumber === 'number' && part.PartNumber >= 0 && part.ETag !== undefined;
}

function matchingPart(upload: UploadInfo, stored: Map<number, PartInfo>, wanted: RequestedPart): PartInfo {
  const part = stored.get(wanted.PartNumber);
  const etag = unquoted(wanted.ETag);
  if (!part || part.etag !== etag) throw invalidPart(upload.uploadId, wanted.PartNumber, etag);
  const algorithm = upload.attributes.checksum?.algorithm;
  const given = algorithm ? wanted[`Checksum${algorithm}`] : undefined;
  if (given !== undefined && given !== part.checksum) throw invalidPart(upload.uploadId, wanted.PartNumber, etag);
  return part;
}

/** The object's URL as S3 reports it, in the addressing style the client used. */
function locationOf(call: S3Call): string {
  const key = formEncode(call.address.key ?? '');
  return call.address.virtualHost ? `${call.baseUrl}/${key}` : `${call.baseUrl}/${call.address.bucket ?? ''}/${key}`;
}
