import type { BucketInfo, ObjectInfo, ObjectRetention } from '../../../storage/index.js';
import type {
  GetObjectLegalHoldOutput,
  GetObjectLegalHoldRequest,
  GetObjectRetentionOutput,
  GetObjectRetentionRequest,
  PutObjectLegalHoldOutput,
  PutObjectLegalHoldRequest,
  PutObjectRetentionOutput,
  PutObjectRetentionRequest,
} from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { malformedXml } from '../errors.js';
import { findVersion } from '../versioning.js';
import { isLockEnabled, MODES } from './config.js';
import { bucketNotLocked, noSuchObjectLockConfiguration, pastRetainDate } from './errors.js';
import { bypassOf, checkRetentionChange, dateOf } from './worm.js';

/**
 * PutObjectRetention on one version (the latest without a version id). The document is checked first (MalformedXML
 * for a bad Mode or a Mode without a date; a date already past is InvalidArgument), then the bucket (InvalidRequest
 * without object lock), the version (NoSuchKey; 405 for a delete marker) and whether the change is allowed
 * (worm.ts checkRetentionChange) — test_s3.py test_s3_object_retention_exc, test_object_lock_delete_markers. An empty
 * Retention removes it (test_s3_object_retention put-object-empty-retention).
 */
export async function putObjectRetention(input: PutObjectRetentionRequest, context: S3Context): Promise<PutObjectRetentionOutput> {
  const { deps } = context;
  const now = deps.clock.now();
  const next = requestedRetention(input, now);
  const bucket = await lockedBucket(context, input.Bucket);
  const bypass = bypassOf(bucket, input.BypassGovernanceRetention);
  const object = await findVersion(deps, bucket, input.Key, input.VersionId, 'PUT', 'MethodNotAllowed');
  checkRetentionChange(object.attributes.retention, next, bypass, now);
  await deps.objects.patchObject(bucket.name, input.Key, versionOf(object), { retention: next ?? null });
  return {};
}

/** A version that never had a retention answers NoSuchObjectLockConfiguration (get-object-retention-never-set). */
export async function getObjectRetention(input: GetObjectRetentionRequest, context: S3Context): Promise<GetObjectRetentionOutput> {
  const bucket = await lockedBucket(context, input.Bucket);
  const object = await findVersion(context.deps, bucket, input.Key, input.VersionId, 'GET', 'MethodNotAllowed');
  const retention = object.attributes.retention;
  if (!retention) throw noSuchObjectLockConfiguration();
  return { Retention: { Mode: retention.mode, RetainUntilDate: new Date(retention.until) } };
}

/**
 * PutObjectLegalHold: Status ON or OFF (MalformedXML otherwise, checked before the bucket: test_put_object_legal_hold_exc
 * put-object-retention-empty). Legal holds need no bypass to change (test_delete_locked_object puts it OFF).
 */
export async function putObjectLegalHold(input: PutObjectLegalHoldRequest, context: S3Context): Promise<PutObjectLegalHoldOutput> {
  const status = input.LegalHold?.Status;
  if (status !== 'ON' && status !== 'OFF') throw malformedXml();
  const bucket = await lockedBucket(context, input.Bucket);
  const object = await findVersion(context.deps, bucket, input.Key, input.VersionId, 'PUT', 'MethodNotAllowed');
  await context.deps.objects.patchObject(bucket.name, input.Key, versionOf(object), { legalHold: status });
  return {};
}

/** A version whose legal hold was never set answers NoSuchObjectLockConfiguration (get-legal-hold-unset). */
export async function getObjectLegalHold(input: GetObjectLegalHoldRequest, context: S3Context): Promise<GetObjectLegalHoldOutput> {
  const bucket = await lockedBucket(context, input.Bucket);
  const object = await findVersion(context.deps, bucket, input.Key, input.VersionId, 'GET', 'MethodNotAllowed');
  const status = object.attributes.legalHold;
  if (!status) throw noSuchObjectLockConfiguration();
  return { LegalHold: { Status: status } };
}

/** The retention the document asks for; undefined for an empty Retention, which removes it. */
function requestedRetention(input: PutObjectRetentionRequest, now: number): ObjectRetention | undefined {
  const retention = input.Retention ?? {};
  const { Mode: mode } = retention;
  const until = dateOf(retention.RetainUntilDate);
  if (mode === undefined && until === undefined) return undefined;
  if (mode === undefined || !MODES.has(mode) || until === undefined) throw malformedXml();
  if (until.getTime() <= now) throw pastRetainDate('RetainUntilDate', until);
  return { mode: mode as ObjectRetention['mode'], until: until.getTime() };
}

async function lockedBucket(context: S3Context, name: string): Promise<BucketInfo> {
  const bucket = await requireBucket(context.deps, name);
  if (!isLockEnabled(bucket)) throw bucketNotLocked();
  return bucket;
}

/** The version id patchObject names the found version by ("null" for the null version). */
function versionOf(object: ObjectInfo): string {
  return object.versionId ?? 'null';
}
