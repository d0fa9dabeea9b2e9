import type { AwsError } from '../../../protocol/index.js';
import { s3Error } from '../errors.js';

/**
 * The errors of S3's bucket subresources, with S3's codes, statuses and messages as recorded against AWS (LocalStack's
 * snapshot tests in tests/aws/services/s3/test_s3.snapshot.json and test_s3_api.snapshot.json, named per error).
 */

/** A bucket without this configuration: 404 with the bucket's name (test_bucket_tagging_crud, test_get_cors, ...). */
const missing = (code: string, message: string) => (bucket: string) => s3Error('NOT_FOUND', 404, code, message, { BucketName: bucket });

export const noSuchTagSet = missing('NoSuchTagSet', 'The TagSet does not exist');
export const noSuchCorsConfiguration = missing('NoSuchCORSConfiguration', 'The CORS configuration does not exist');
export const noSuchBucketPolicy = missing('NoSuchBucketPolicy', 'The bucket policy does not exist');
export const noSuchLifecycleConfiguration = missing('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist');
export const noSuchWebsiteConfiguration = missing('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration');
export const noSuchPublicAccessBlock = missing('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
export const ownershipControlsNotFound = missing('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found');
export const replicationConfigurationNotFound = missing('ReplicationConfigurationNotFoundError', 'The replication configuration was not found');
export const objectLockConfigurationNotFound = missing('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket');

export const malformedPolicy = (message: string) => s3Error('INVALID_PARAMETER', 400, 'MalformedPolicy', message);
export const invalidTag = (message: string, fields: Record<string, string> = {}) => s3Error('INVALID_PARAMETER', 400, 'InvalidTag', message, fields);
export const malformedAcl = () =>
  s3Error('INVALID_REQUEST', 400, 'MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema');
export const missingSecurityHeader = (header: string) =>
  s3Error('INVALID_REQUEST', 400, 'MissingSecurityHeader', 'Your request was missing a required header', { MissingHeaderName: header });
export const unexpectedContent = () => s3Error('INVALID_REQUEST', 400, 'UnexpectedContent', 'This request does not support content');
/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/ensure-object-ownership.html (ACLs disabled). */
export const accessControlListNotSupported = () => s3Error('INVALID_REQUEST', 400, 'AccessControlListNotSupported', 'The bucket does not allow ACLs');
export const invalidBucketAclWithObjectOwnership = () =>
  s3Error('INVALID_REQUEST', 400, 'InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
export const illegalLocationConstraint = (constraint: string) =>
  s3Error('INVALID_PARAMETER', 400, 'IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
export const invalidTargetBucketForLogging = (target: string) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidTargetBucketForLogging', 'The target bucket for logging does not exist', { TargetBucket: target });
export const crossLocationLogging = (target: string) =>
  s3Error('INVALID_PARAMETER', 403, 'CrossLocationLoggingProhibitted', 'Cross S3 location logging not allowed. ', { TargetBucketLocation: target });

/** A preflight S3 refuses (test_s3_cors.snapshot.json): 403 AccessForbidden naming the method and the resource. */
export function corsForbidden(reason: string, method: string, resource: 'BUCKET' | 'OBJECT'): AwsError {
  return s3Error('UNAUTHORIZED', 403, 'AccessForbidden', `CORSResponse: ${reason}`, { Method: method, ResourceType: resource });
}
export const corsNeedsOrigin = () => s3Error('INVALID_REQUEST', 400, 'BadRequest', 'Insufficient information. Origin request header needed.');

/**
 * The codes this folder sends, beside errors.ts's S3_ERROR_TYPES (test/services/s3/bucket-config-errors.test.ts
 * checks them against the model and this file).
 */
export const BUCKET_CONFIG_ERROR_TYPES: readonly string[] = [
  'AccessControlListNotSupported',
  'AccessForbidden',
  'BadRequest',
  'CrossLocationLoggingProhibitted',
  'IllegalLocationConstraintException',
  'InvalidBucketAclWithObjectOwnership',
  'InvalidTag',
  'InvalidTargetBucketForLogging',
  'MalformedACLError',
  'MalformedPolicy',
  'MissingSecurityHeader',
  'NoSuchBucketPolicy',
  'NoSuchCORSConfiguration',
  'NoSuchLifecycleConfiguration',
  'NoSuchPublicAccessBlockConfiguration',
  'NoSuchTagSet',
  'NoSuchWebsiteConfiguration',
  'ObjectLockConfigurationNotFoundError',
  'OwnershipControlsNotFoundError',
  'ReplicationConfigurationNotFoundError',
  'UnexpectedContent',
];
