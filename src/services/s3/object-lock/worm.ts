import type { BucketInfo, ObjectAttributes, ObjectInfo, ObjectRetention } from '../../../storage/index.js';
import type { GetObjectOutput } from '../api.js';
import { isLockEnabled, lockConfigOf, MODES } from './config.js';
import { bucketNotLocked, bypassWithoutLock, modeAndDateTogether, objectLocked, pastRetainDate, unknownLegalHold, unknownMode } from './errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The object lock headers of PutObject, CopyObject and CreateMultipartUpload. */
export interface LockHeaders {
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date | string;
  ObjectLockLegalHoldStatus?: string;
}

/**
 * The lock a new version gets: the retention and legal hold its headers ask for, else the bucket's default
 * retention counted from now (test_s3.py test_bucket_config_default_retention: exactly Days after LastModified). A
 * copy does not inherit the source's lock (test_s3_copy_object_retention_lock, test_s3_copy_object_legal_hold):
 * callers start from attributes without one. Mode and date come together (test_s3_object_lock_mode_validation).
 */
export function withLock(attributes: ObjectAttributes, headers: LockHeaders, bucket: BucketInfo, now: number): ObjectAttributes {
  delete attributes.retention;
  delete attributes.legalHold;
  const { ObjectLockMode: mode, ObjectLockLegalHoldStatus: hold } = headers;
  const until = dateOf(headers.ObjectLockRetainUntilDate);
  const asked = mode !== undefined || until !== undefined || hold !== undefined;
  if (mode !== undefined && !MODES.has(mode)) throw unknownMode(mode);
  if (mode !== undefined && until === undefined) throw modeAndDateTogether('x-amz-object-lock-retain-until-date');
  if (until !== undefined && mode === undefined) throw modeAndDateTogether('x-amz-object-lock-mode');
  if (hold !== undefined && hold !== 'ON' && hold !== 'OFF') throw unknownLegalHold(hold);
  if (asked && !isLockEnabled(bucket)) throw bucketNotLocked();
  if (mode !== undefined && until !== undefined) {
    if (until.getTime() <= now) throw pastRetainDate('x-amz-object-lock-retain-until-date', until);
    attributes.retention = { mode: mode as ObjectRetention['mode'], until: until.getTime() };
  } else {
    const retention = defaultRetention(bucket, now);
    if (retention) attributes.retention = retention;
  }
  if (hold !== undefined) attributes.legalHold = hold;
  return attributes;
}

/** x-amz-object-lock-mode, -retain-until-date and -legal-hold, as GET and HEAD return a version's lock. */
export function lockMembers(object: ObjectInfo): Pick<GetObjectOutput, 'ObjectLockMode' | 'ObjectLockRetainUntilDate' | 'ObjectLockLegalHoldStatus'> {
  const { retention, legalHold } = object.attributes;
  const members: Pick<GetObjectOutput, 'ObjectLockMode' | 'ObjectLockRetainUntilDate' | 'ObjectLockLegalHoldStatus'> = {};
  if (retention) {
    members.ObjectLockMode = retention.mode;
    members.ObjectLockRetainUntilDate = new Date(retention.until);
  }
  if (legalHold) members.ObjectLockLegalHoldStatus = legalHold;
  return members;
}

/**
 * x-amz-bypass-governance-retention: true or false, it is refused on a bucket without object lock
 * (test_s3_api.py test_delete_object_with_no_locking); whether it bypasses.
 */
export function bypassOf(bucket: BucketInfo, value: unknown): boolean {
  if (value === undefined) return false;
  if (!isLockEnabled(bucket)) throw bypassWithoutLock();
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/**
 * Whether a version may be removed for good: not under legal hold, not within a COMPLIANCE retention, and within a
 * GOVERNANCE one only with the bypass (test_s3.py test_s3_object_retention, test_s3_object_retention_compliance_mode,
 * test_delete_locked_object); AccessDenied otherwise. A retention whose date has passed no longer protects.
 */
export function checkDeletable(object: ObjectInfo, bypass: boolean, now: number): void {
  const { retention, legalHold } = object.attributes;
  if (legalHold === 'ON') throw objectLocked();
  if (!retention || retention.until <= now) return;
  if (retention.mode === 'COMPLIANCE' || !bypass) throw objectLocked();
}

/**
 * Whether PutObjectRetention may replace a version's retention with `next` (undefined: remove it). Lengthening is
 * always allowed, as is turning GOVERNANCE into COMPLIANCE; anything else needs the bypass under GOVERNANCE and is
 * refused under COMPLIANCE until its date passes (test_object_lock_extend_duration, test_s3_object_retention,
 * test_s3_object_retention_compliance_mode: update-retention-shortened, update-retention-less-restrictive).
 */
export function checkRetentionChange(current: ObjectRetention | undefined, next: ObjectRetention | undefined, bypass: boolean, now: number): void {
  if (!current || current.until <= now) return;
  const stricter = next !== undefined && next.until >= current.until && (next.mode === 'COMPLIANCE' || current.mode === 'GOVERNANCE');
  if (stricter) return;
  if (current.mode === 'COMPLIANCE' || !bypass) throw objectLocked();
}

/** The bucket's default retention for a version written at `now`, if its configuration has a rule. */
function defaultRetention(bucket: BucketInfo, now: number): ObjectRetention | undefined {
  const rule = lockConfigOf(bucket)?.Rule?.DefaultRetention;
  if (!rule?.Mode) return undefined;
  const mode = rule.Mode as ObjectRetention['mode'];
  if (rule.Days !== undefined) return { mode, until: now + rule.Days * DAY_MS };
  if (rule.Years === undefined) return undefined;
  const until = new Date(now);
  until.setUTCFullYear(until.getUTCFullYear() + rule.Years);
  return { mode, until: until.getTime() };
}

/** A header date as the kit read it (a Date), or as sent; undefined when absent or unreadable. */
export function dateOf(value: Date | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
