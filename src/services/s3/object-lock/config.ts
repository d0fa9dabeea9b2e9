import type { BucketInfo } from '../../../storage/index.js';
import type { Handler } from '../../../protocol/index.js';
import type {
  DefaultRetention,
  GetObjectLockConfigurationOutput,
  GetObjectLockConfigurationRequest,
  ObjectLockConfiguration,
  PutObjectLockConfigurationOutput,
  PutObjectLockConfigurationRequest,
  PutBucketVersioningRequest,
} from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context, S3Deps } from '../context.js';
import { malformedXml } from '../errors.js';
import { objectLockConfigurationNotFound } from '../bucket-config/errors.js';
import { nonPositivePeriod, versioningLocked, versioningNotEnabled } from './errors.js';

/** Where the bucket keeps its object lock configuration (BucketInfo.configs); present once lock is enabled. */
const LOCK_CONFIG = 'object-lock';
export const MODES: ReadonlySet<string> = new Set(['GOVERNANCE', 'COMPLIANCE']);

/** The bucket's object lock configuration, if object lock is enabled on it. */
export function lockConfigOf(bucket: BucketInfo): ObjectLockConfiguration | undefined {
  const stored = bucket.configs[LOCK_CONFIG];
  return stored === undefined ? undefined : (JSON.parse(stored) as ObjectLockConfiguration);
}

export function isLockEnabled(bucket: BucketInfo): boolean {
  return bucket.configs[LOCK_CONFIG] !== undefined;
}

/** CreateBucket with x-amz-bucket-object-lock-enabled: versioning is turned on with it, as S3 does. */
export async function enableLock(deps: S3Deps, bucket: string): Promise<void> {
  await deps.objects.setBucketVersioning(bucket, 'Enabled');
  await writeLockConfig(deps, bucket, { ObjectLockEnabled: 'Enabled' });
}

/**
 * PutObjectLockConfiguration: ObjectLockEnabled must say Enabled, and a Rule must hold a DefaultRetention with a
 * known Mode and exactly one of Days and Years, else MalformedXML (test_s3_api.py
 * test_put_object_lock_configuration_exc, every case); a bucket whose versioning is not Enabled is refused with
 * InvalidBucketState (test_put_object_lock_configuration_on_existing_bucket), which also shows lock can be enabled
 * on an existing versioned bucket. A configuration without a Rule removes the default retention
 * (test_get_put_object_lock_configuration).
 */
export async function putObjectLockConfiguration(input: PutObjectLockConfigurationRequest, { deps }: S3Context): Promise<PutObjectLockConfigurationOutput> {
  const config = input.ObjectLockConfiguration;
  if (config?.ObjectLockEnabled !== 'Enabled') throw malformedXml();
  const stored: ObjectLockConfiguration = { ObjectLockEnabled: 'Enabled' };
  if (config.Rule !== undefined) stored.Rule = { DefaultRetention: checkedDefault(config.Rule.DefaultRetention) };
  const bucket = await requireBucket(deps, input.Bucket);
  if (bucket.versioning !== 'Enabled') throw versioningNotEnabled();
  await writeLockConfig(deps, bucket.name, stored);
  return {};
}

/** A bucket without object lock answers ObjectLockConfigurationNotFoundError (test_get_object_lock_configuration_exc). */
export async function getObjectLockConfiguration(input: GetObjectLockConfigurationRequest, { deps }: S3Context): Promise<GetObjectLockConfigurationOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  const config = lockConfigOf(bucket);
  if (!config) throw objectLockConfigurationNotFound(bucket.name);
  return { ObjectLockConfiguration: config };
}

function checkedDefault(retention: DefaultRetention | undefined): DefaultRetention {
  if (retention === undefined || retention.Mode === undefined || !MODES.has(retention.Mode)) throw malformedXml();
  const { Days: days, Years: years } = retention;
  if ((days === undefined) === (years === undefined)) throw malformedXml();
  if (days !== undefined) {
    if (!Number.isInteger(days) || days <= 0) throw nonPositivePeriod('Days', days);
    return { Mode: retention.Mode, Days: days };
  }
  if (!Number.isInteger(years) || years! <= 0) throw nonPositivePeriod('Years', years!);
  return { Mode: retention.Mode, Years: years };
}

async function writeLockConfig(deps: S3Deps, bucket: string, config: ObjectLockConfiguration): Promise<void> {
  await deps.objects.setBucketConfig(bucket, LOCK_CONFIG, JSON.stringify(config));
}

/** PutBucketVersioning, refusing to suspend versioning on a bucket with object lock (test_disable_versioning_on_locked_bucket). */
export function withVersioningLock(put: Handler<PutBucketVersioningRequest, Record<string, never>, S3Context>): Handler<PutBucketVersioningRequest, Record<string, never>, S3Context> {
  return async (input, context) => {
    if (input.VersioningConfiguration?.Status === 'Suspended') {
      const bucket = await context.deps.objects.getBucket(input.Bucket);
      if (bucket && isLockEnabled(bucket)) throw versioningLocked();
    }
    return put(input, context);
  };
}
