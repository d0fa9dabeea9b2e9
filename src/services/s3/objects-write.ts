import type { BucketInfo, ChecksumAlgorithm, ObjectAttributes, ObjectGrant, ObjectTag, ObjectWrite, StagedBody, WriteResult } from '../../storage/index.js';
import type { CopyObjectOutput, CopyObjectRequest, PutObjectOutput, PutObjectRequest } from './api.js';
import { attributesFrom, checksumMembers } from './attributes.js';
import { requireBucketOf } from './buckets.js';
import { algorithmNamed } from './checksums.js';
import { copyBytes, resolveCopySource } from './copy-source.js';
import { handOverEvents, type S3Call, type S3Context, type S3Deps } from './context.js';
import { invalidArgument, invalidRequest, keyTooLong, notImplemented } from './errors.js';
import { quoted, seconds } from './format.js';
import { aclFromHeaders } from './object-acl.js';
import { copiedTags, tagsFromHeader } from './object-tagging.js';
import { withLock, type LockHeaders } from './object-lock/index.js';
import { planBody, receiveBody } from './receive.js';
import { requestedStorageClass, withStorageClass } from './storage-class.js';
import { reportedVersionId } from './versioning.js';

const MAX_KEY_BYTES = 1024;
const SELF_COPY =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > MAX_KEY_BYTES) throw keyTooLong(size);
}

/** Streams the body into the store (never whole in memory), verifying its digests, then attaches it to the key. */
export async function putObject(input: PutObjectRequest, context: S3Context): Promise<PutObjectOutput> {
  const { deps, call } = context;
  checkKey(input.Key);
  const bucket = await requireBucketOf(context, input.Bucket);
  const attributes = withTagsAndAcl(attributesFrom(input), tagsFromHeader(input.Tagging), aclFromHeaders(input, deps.ownerId, bucket));
  withClassAndLock(attributes, input, bucket, deps);
  const conditions = writeConditions(input);
  const received = await receiveBody(deps, call.body, planBody(call.headers), { expectedMd5AsHex: true });
  if (received.checksum) attributes.checksum = { ...received.checksum, type: 'FULL_OBJECT' };
  const written = await store(deps, call, bucket, 'ObjectCreated:Put', { bucket: bucket.name, key: input.Key, body: received.staged, etag: received.md5Hex, attributes, ...conditions });
  return { ETag: quoted(received.md5Hex), ...checksumMembers(attributes.checksum), ServerSideEncryption: 'AES256', VersionId: reportedVersionId(bucket, written.versionId) };
}

/** Attributes with the storage class (checked) and object lock a write asks for, or the bucket's default retention. */
export function withClassAndLock(attributes: ObjectAttributes, input: LockHeaders & { StorageClass?: string }, bucket: BucketInfo, deps: S3Deps): ObjectAttributes {
  withStorageClass(attributes, requestedStorageClass(input.StorageClass));
  return withLock(attributes, input, bucket, deps.clock.now());
}

/** Attributes with the tags and ACL a write asks for (none: no tags, the default ACL). */
export function withTagsAndAcl(attributes: ObjectAttributes, tags: ObjectTag[] | undefined, acl: ObjectGrant[] | undefined): ObjectAttributes {
  if (tags && tags.length > 0) attributes.tags = tags;
  else delete attributes.tags;
  if (acl) attributes.acl = acl;
  else delete attributes.acl;
  return attributes;
}

export async function copyObject(input: CopyObjectRequest, context: S3Context): Promise<CopyObjectOutput> {
  const { deps, call } = context;
  const key = input.Key;
  checkKey(key);
  const bucket = await requireBucketOf(context, input.Bucket);
  const { source, object, sourceBucket } = await resolveCopySource(deps, input);
  const replace = metadataDirective(input.MetadataDirective) === 'REPLACE';
  const requested = input.ChecksumAlgorithm;
  const algorithm: ChecksumAlgorithm | undefined = requested === undefined ? object.attributes.checksum?.algorithm : algorithmNamed(requested);
  if (requested !== undefined && !algorithm) throw invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  // Copying a named version onto its own key is how S3 users restore it (User Guide, "Restoring previous versions").
  const restoresVersion = source.versionId !== undefined;
  if (source.bucket === bucket.name && source.key === key && !replace && !restoresVersion && !changesSomething(input)) throw invalidRequest(SELF_COPY);
  const tags = copiedTags(object, input.TaggingDirective, input.Tagging);
  const base: ObjectAttributes = replace ? attributesFrom(input) : { ...object.attributes, metadata: { ...object.attributes.metadata } };
  // The copy has its own ACL (from this request's headers, else the default), never the source's.
  const attributes = withTagsAndAcl(base, tags, aclFromHeaders(input, deps.ownerId, bucket));
  // Neither the source's class nor its lock carry over (test_s3.py test_s3_copy_object_storage_class,
  // test_s3_copy_object_retention_lock): the copy has what this request asks for.
  withClassAndLock(attributes, input, bucket, deps);
  delete attributes.checksum;
  const copied = await copyBytes(deps, object, undefined, algorithm);
  if (copied.checksum) attributes.checksum = { ...copied.checksum, type: 'FULL_OBJECT' };
  const written = await store(deps, call, bucket, 'ObjectCreated:Copy', { bucket: bucket.name, key, body: copied.staged, etag: copied.md5Hex, attributes, ...writeConditions(input) });
  return {
    CopyObjectResult: { ETag: quoted(copied.md5Hex), LastModified: seconds(written.lastModified), ...checksumMembers(attributes.checksum) },
    ServerSideEncryption: 'AES256',
    VersionId: reportedVersionId(bucket, written.versionId),
    // Only a source version with an id of its own is named (test_s3.py test_s3_copy_object_in_place_versioned).
    CopySourceVersionId: sourceBucket.versioning ? object.versionId : undefined,
  };
}

interface Written {
  size: number;
  etag: string;
  lastModified: number;
  sequence: number;
  versionId?: string;
}

/**
 * Attaches the staged body, committing the notification events of `name` with it; if the write fails, the body is
 * dropped so nothing lingers. Resolves once the events had their first attempt (handOverEvents).
 */
export async function store(deps: S3Deps, call: S3Call, bucket: BucketInfo, name: string, write: ObjectWrite): Promise<Written> {
  const plan = deps.notifier.plan<WriteResult>(bucket, call, name, write.key);
  let result: WriteResult;
  try {
    result = await deps.objects.putObject({ ...write, outbox: plan?.outbox });
  } catch (error) {
    await discardQuietly(deps, write.body);
    throw error;
  }
  await handOverEvents(deps, plan);
  const { object, sequence } = result;
  return { size: object.size, etag: object.etag, lastModified: object.lastModified, sequence, versionId: object.versionId };
}

async function discardQuietly(deps: S3Deps, body: StagedBody): Promise<void> {
  await deps.objects.discardBody(body).catch(() => undefined);
}

/** S3's conditional writes: If-None-Match: * (create only) and If-Match: <etag>. */
function writeConditions(input: { IfNoneMatch?: string; IfMatch?: string }): Pick<ObjectWrite, 'ifNoneMatch' | 'ifMatch'> {
  const conditions: Pick<ObjectWrite, 'ifNoneMatch' | 'ifMatch'> = {};
  if (input.IfNoneMatch !== undefined) {
    if (input.IfNoneMatch.trim() !== '*') throw notImplemented('If-None-Match');
    conditions.ifNoneMatch = true;
  }
  if (input.IfMatch !== undefined) conditions.ifMatch = input.IfMatch.trim().replace(/^"|"$/g, '');
  return conditions;
}

function metadataDirective(value = 'COPY'): 'COPY' | 'REPLACE' {
  if (value !== 'COPY' && value !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', value);
  return value;
}

/** Copying an object onto itself is allowed when it changes one of these. */
function changesSomething(input: CopyObjectRequest): boolean {
  return [input.StorageClass, input.WebsiteRedirectLocation, input.ServerSideEncryption, input.ChecksumAlgorithm].some((value) => value !== undefined);
}
