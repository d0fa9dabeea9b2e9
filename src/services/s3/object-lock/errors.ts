import { s3Error } from '../errors.js';

/**
 * Object lock's errors, with S3's codes, statuses and messages as LocalStack's recordings of AWS show them
 * (tests/aws/services/s3/test_s3_api.snapshot.json TestS3ObjectLock, test_s3.snapshot.json TestS3ObjectLockRetention
 * and TestS3ObjectLockLegalHold; the test named with each).
 */

/** test_put_object_lock_configuration_on_existing_bucket: 409 on a bucket whose versioning is not Enabled. */
export const versioningNotEnabled = () =>
  s3Error('RESOURCE_CONFLICT', 409, 'InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
/** test_disable_versioning_on_locked_bucket. */
export const versioningLocked = () =>
  s3Error('RESOURCE_CONFLICT', 409, 'InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
/** test_s3_object_retention_exc: put-object-retention-regular-bucket, get-object-retention-regular-bucket. */
export const bucketNotLocked = () => s3Error('INVALID_REQUEST', 400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
/** test_s3_object_retention_exc get-object-retention-never-set, test_put_get_object_legal_hold get-legal-hold-unset. */
export const noSuchObjectLockConfiguration = () =>
  s3Error('NOT_FOUND', 404, 'NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration');
/** test_s3_object_retention delete-obj-locked, update-retention-locked-object; test_delete_locked_object. */
export const objectLocked = () => s3Error('UNAUTHORIZED', 403, 'AccessDenied', 'Access Denied because object protected by object lock.');
/** test_delete_object_with_no_locking: the header on a bucket without object lock, whatever its value. */
export const bypassWithoutLock = () =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.', {
    ArgumentName: 'x-amz-bypass-governance-retention',
  });
/** test_s3_object_lock_mode_validation: mode or date without the other, named by the missing header. */
export const modeAndDateTogether = (missing: string) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', { ArgumentName: missing });
/** test_s3_object_lock_mode_validation put-obj-locked-bad-value, create-mpu-locked-bad-value. */
export const unknownMode = (value: string) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', 'Unknown wormMode directive.', { ArgumentName: 'x-amz-object-lock-mode', ArgumentValue: value });
/** test_s3_object_retention_exc update-retention-past-date (S3 shows the date as Java prints it). */
export const pastRetainDate = (argument: string, date: Date) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', 'The retain until date must be in the future!', { ArgumentName: argument, ArgumentValue: javaDate(date) });
/** S3 API reference, PutObjectLockConfiguration: a retention period is a positive number of days or years. */
export const nonPositivePeriod = (name: 'Days' | 'Years', value: number) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', 'Default retention period must be a positive integer value.', { ArgumentName: name, ArgumentValue: value });
/** The legal hold header takes ON or OFF only. */
export const unknownLegalHold = (value: string) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', "Legal Hold must be either of 'ON' or 'OFF'", { ArgumentName: 'x-amz-object-lock-legal-hold', ArgumentValue: value });

/** The codes this folder sends beside errors.ts's S3_ERROR_TYPES (test/services/s3/error-contract.test.ts). */
export const OBJECT_LOCK_ERROR_TYPES: readonly string[] = ['InvalidBucketState', 'NoSuchObjectLockConfiguration'];

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue Dec 31 16:00:00 UTC 2019", as java.util.Date prints a date (in UTC here). */
function javaDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}
