import { reply, type Reply } from '../../../protocol/index.js';
import type { DeleteBucketTaggingRequest, GetBucketTaggingOutput, GetBucketTaggingRequest, PutBucketTaggingRequest, Tag } from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { malformedXml } from '../errors.js';
import { invalidTag, noSuchTagSet } from './errors.js';
import { bucketConfig, CONFIG, writeConfig } from './store.js';

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html: 50 tags per bucket. */
const MAX_BUCKET_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
/** Letters, digits and spaces in any script, and _ . : / = + - @ (AWS's tag character set). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export async function putBucketTagging(input: PutBucketTaggingRequest, { deps }: S3Context): Promise<Reply<Record<string, never>>> {
  const bucket = await requireBucket(deps, input.Bucket);
  const tags = checkBucketTags(input.Tagging?.TagSet ?? []);
  // An empty TagSet removes the tags (test_put_bucket_tagging_none_value: then GetBucketTagging says NoSuchTagSet).
  await writeConfig(deps, bucket.name, CONFIG.tagging, tags.length === 0 ? undefined : tags);
  return reply({}, { status: 204 });
}

export async function getBucketTagging(input: GetBucketTaggingRequest, { deps }: S3Context): Promise<GetBucketTaggingOutput> {
  const { bucket, value } = await bucketConfig<Tag[]>(deps, input.Bucket, CONFIG.tagging);
  if (!value) throw noSuchTagSet(bucket.name);
  return { TagSet: value };
}

export async function deleteBucketTagging(input: DeleteBucketTaggingRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  await writeConfig(deps, bucket.name, CONFIG.tagging, undefined);
}

/** S3's checks of a bucket's tag set, in its order and words (test_tagging_validation, put-bucket-tags-*). */
export function checkBucketTags(tags: readonly Tag[]): Tag[] {
  if (tags.some((tag) => tag.Key === undefined || tag.Value === undefined)) throw malformedXml();
  const seen = new Set<string>();
  for (const { Key: key, Value: value } of tags) {
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
    if (key.length === 0 || key.length > MAX_KEY_LENGTH || !TAG_TEXT.test(key)) throw invalidTag('The TagKey you have provided is invalid', { TagKey: key });
    if (value.length > MAX_VALUE_LENGTH || !TAG_TEXT.test(value)) throw invalidTag('The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
    if (key.toLowerCase().startsWith('aws:')) throw invalidTag('System tags cannot be added/updated by requester', { TagKey: key });
  }
  if (tags.length > MAX_BUCKET_TAGS) throw invalidTag('Bucket tag count cannot be greater than 50');
  return tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }));
}
