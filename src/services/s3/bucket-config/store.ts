import type { BucketInfo } from '../../../storage/index.js';
import { requireBucket } from '../buckets.js';
import type { S3Deps } from '../context.js';

/**
 * Where a bucket's subresource configurations live: the objects store keeps per-bucket configuration documents
 * (BucketInfo.configs) in the bucket's own row, so they are durable and go when the bucket is deleted. Each is
 * kept as the JSON of its typed value, under one of these names.
 */
export const CONFIG = {
  tagging: 'tagging',
  cors: 'cors',
  policy: 'policy',
  publicAccessBlock: 'public-access-block',
  ownership: 'ownership',
  acl: 'acl',
  lifecycle: 'lifecycle',
  encryption: 'encryption',
  website: 'website',
  logging: 'logging',
  requestPayment: 'request-payment',
  accelerate: 'accelerate',
} as const;

export type ConfigName = (typeof CONFIG)[keyof typeof CONFIG];

/**
 * What a configuration that a new bucket has by default (ownership controls, public access block) is set to once
 * it was deleted: S3 then answers "not found", where a bucket that never had it set shows the default.
 */
const REMOVED = 'null';

export function readConfig<T>(bucket: BucketInfo, name: ConfigName): T | undefined {
  const stored = bucket.configs[name];
  if (stored === undefined || stored === REMOVED) return undefined;
  return JSON.parse(stored) as T;
}

/** Whether a configuration with a default was deleted (see REMOVED). */
export function wasRemoved(bucket: BucketInfo, name: ConfigName): boolean {
  return bucket.configs[name] === REMOVED;
}

export async function writeConfig(deps: S3Deps, bucket: string, name: ConfigName, value: unknown): Promise<void> {
  await deps.objects.setBucketConfig(bucket, name, value === undefined ? undefined : JSON.stringify(value));
}

/** Deletes a configuration a new bucket has by default, so that S3's "not found" follows. */
export async function removeDefaulted(deps: S3Deps, bucket: string, name: ConfigName): Promise<void> {
  await deps.objects.setBucketConfig(bucket, name, REMOVED);
}

/** The bucket (NoSuchBucket if absent) and one of its configurations. */
export async function bucketConfig<T>(deps: S3Deps, name: string, config: ConfigName): Promise<{ bucket: BucketInfo; value: T | undefined }> {
  const bucket = await requireBucket(deps, name);
  return { bucket, value: readConfig<T>(bucket, config) };
}
