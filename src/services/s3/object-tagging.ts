import type { ObjectInfo, ObjectTag } from '../../storage/index.js';
import { isAwsError } from '../../protocol/index.js';
import type {
  DeleteObjectTaggingOutput,
  DeleteObjectTaggingRequest,
  GetObjectTaggingOutput,
  GetObjectTaggingRequest,
  PutObjectTaggingOutput,
  PutObjectTaggingRequest,
  Tag,
} from './api.js';
import { requireBucket } from './buckets.js';
import type { S3Context } from './context.js';
import { badRequest, invalidArgument, invalidTag, malformedXml, noSuchKey } from './errors.js';
import { findVersion, reportedVersionId } from './versioning.js';

/** S3's object tag limits (User Guide, "Categorizing your storage using tags"). */
const MAX_TAGS = 10;
const MAX_KEY_CHARS = 128;
const MAX_VALUE_CHARS = 256;
/** Letters, numbers and spaces in any script, and + - = . _ : / @. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const HEADER_FORMAT = "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

/**
 * The tags of x-amz-tagging (PutObject, CreateMultipartUpload, CopyObject with REPLACE): a URL-encoded query
 * string; duplicates and characters tags cannot hold are refused as S3 refuses them (test_s3_api.py
 * test_object_tagging_exc: put-obj-duplicate-tagging, put-obj-wrong-format).
 */
export function tagsFromHeader(header: string | undefined): ObjectTag[] | undefined {
  if (header === undefined || header === '') return undefined;
  const tags: ObjectTag[] = [];
  const seen = new Set<string>();
  for (const [key, value] of new URLSearchParams(header)) {
    if (seen.has(key) || !TAG_TEXT.test(key) || !TAG_TEXT.test(value)) throw invalidArgument(HEADER_FORMAT, 'x-amz-tagging', header);
    seen.add(key);
    tags.push({ key, value });
  }
  checkLimits(tags);
  return tags;
}

/** A TagSet document, checked in S3's order and words (test_s3_api.py test_tagging_validation). */
function tagsFromDocument(tagSet: Tag[] | undefined): ObjectTag[] {
  const tags: ObjectTag[] = [];
  const seen = new Set<string>();
  for (const tag of tagSet ?? []) {
    const { Key: key, Value: value } = tag as Partial<Tag>;
    if (key === undefined || value === undefined) throw malformedXml();
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key', { TagKey: key });
    if (!TAG_TEXT.test(key)) throw invalidTag('The TagKey you have provided is invalid', { TagKey: key });
    if (!TAG_TEXT.test(value)) throw invalidTag('The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
    seen.add(key);
    tags.push({ key, value });
  }
  checkLimits(tags);
  return tags;
}

function checkLimits(tags: ObjectTag[]): void {
  if (tags.length > MAX_TAGS) throw badRequest(`Object tags cannot be greater than ${MAX_TAGS}`);
  for (const { key, value } of tags) {
    if (key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:', { TagKey: key });
    if (key === '' || [...key].length > MAX_KEY_CHARS) throw invalidTag('The TagKey you have provided is invalid', { TagKey: key });
    if ([...value].length > MAX_VALUE_CHARS) throw invalidTag('The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
  }
}

/** x-amz-tagging-directive: COPY (the default) keeps the source's tags, REPLACE takes x-amz-tagging's. */
export function copiedTags(source: ObjectInfo, directive: string | undefined, header: string | undefined): ObjectTag[] | undefined {
  const value = directive ?? 'COPY';
  if (value !== 'COPY' && value !== 'REPLACE') throw invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', value);
  return value === 'COPY' ? source.attributes.tags : tagsFromHeader(header);
}

export async function putObjectTagging(input: PutObjectTaggingRequest, { deps }: S3Context): Promise<PutObjectTaggingOutput> {
  const tags = tagsFromDocument(input.Tagging?.TagSet);
  const bucket = await requireBucket(deps, input.Bucket);
  const object = await findVersion(deps, bucket, input.Key, input.VersionId, 'PUT', 'MethodNotAllowed');
  await deps.objects.patchObject(bucket.name, input.Key, object.versionId ?? 'null', { tags });
  return { VersionId: reportedVersionId(bucket, object.versionId) };
}

export async function getObjectTagging(input: GetObjectTaggingRequest, { deps }: S3Context): Promise<GetObjectTaggingOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  let object: ObjectInfo;
  try {
    object = await findVersion(deps, bucket, input.Key, input.VersionId, 'GET', 'MethodNotAllowed');
  } catch (error) {
    // S3 names the key with its bucket here (test_s3_api.py test_object_tagging_exc: get-no-key-tags).
    if (isAwsError(error) && error.type === 'NoSuchKey') throw noSuchKey(`${bucket.name}/${input.Key}`);
    throw error;
  }
  return { VersionId: reportedVersionId(bucket, object.versionId), TagSet: (object.attributes.tags ?? []).map((tag) => ({ Key: tag.key, Value: tag.value })) };
}

export async function deleteObjectTagging(input: DeleteObjectTaggingRequest, { deps }: S3Context): Promise<DeleteObjectTaggingOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  const object = await findVersion(deps, bucket, input.Key, input.VersionId, 'DELETE', 'MethodNotAllowed');
  await deps.objects.patchObject(bucket.name, input.Key, object.versionId ?? 'null', { tags: [] });
  return { VersionId: reportedVersionId(bucket, object.versionId) };
}
