import { type ErrorCode, type FlintError } from '../../core/index.js';
import { AwsError } from '../../protocol/index.js';

/**
 * S3's wire errors: AwsErrors with S3's status, Code and exact Message, plus the extra elements S3 adds for some
 * codes (Key, BucketName, Condition...) as fields. Each carries the nearest Flint code, so callers inside Flint
 * branch as everywhere else. Most of S3's codes are not in botocore's model (it lists NoSuchKey, NoSuchBucket,
 * NoSuchUpload and a few more); the kit writes the rest as S3 does, by code and fields.
 */
type Fields = Record<string, string | number>;

export function s3Error(flint: ErrorCode, status: number, code: string, message: string, fields: Fields = {}, headers?: Record<string, string>): AwsError {
  return new AwsError(code, message, { status, fields: stringify(fields), flintCode: flint, headers });
}

/** Errors raised below the S3 layer (storage, the notification sink) in S3's closest terms. */
export function fromFlintError(error: FlintError): AwsError {
  if (error.details.clientGone === true) return incompleteBody();
  const resource = error.details.resource;
  const name = typeof error.details.name === 'string' ? error.details.name : '';
  switch (error.code) {
    case 'NOT_FOUND':
      if (resource === 'bucket') return noSuchBucket(name);
      if (resource === 'key') return noSuchKey(name);
      if (resource === 'version') return noSuchVersion('', name);
      if (resource === 'upload') return noSuchUpload(name);
      return internalError();
    case 'RESOURCE_CONFLICT':
      if (resource === 'bucket') return bucketNotEmpty(name, error.details.versioned === true);
      return s3Error('RESOURCE_CONFLICT', 409, 'OperationAborted', 'A conflicting conditional operation is currently in progress against this resource. Please try again.');
    case 'PRECONDITION_FAILED': {
      const condition = error.details.condition;
      return preconditionFailed(typeof condition === 'string' ? condition : 'If-Match');
    }
    case 'INVALID_PARAMETER':
      return s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', error.message);
    case 'INVALID_REQUEST':
      return invalidRequest(error.message);
    case 'UNAUTHORIZED':
      return accessDenied();
    case 'REQUEST_TOO_LARGE':
      return s3Error('REQUEST_TOO_LARGE', 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    case 'METHOD_NOT_ALLOWED':
      return s3Error('METHOD_NOT_ALLOWED', 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    case 'UNKNOWN_OPERATION':
      return s3Error('UNKNOWN_OPERATION', 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented');
    case 'SHUTTING_DOWN':
      return s3Error('SHUTTING_DOWN', 503, 'ServiceUnavailable', 'Please reduce your request rate.');
    default:
      return internalError();
  }
}

function stringify(fields: Fields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) out[name] = String(value);
  return out;
}

// ---- the errors the S3 API raises, with S3's messages ------------------------------------------------------------

export const noSuchBucket = (bucket: string) => s3Error('NOT_FOUND', 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
export const noSuchKey = (key: string, headers?: Record<string, string>) => s3Error('NOT_FOUND', 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key }, headers);
export const noSuchVersion = (key: string, versionId: string) =>
  s3Error('NOT_FOUND', 404, 'NoSuchVersion', 'The specified version does not exist.', key === '' ? { VersionId: versionId } : { Key: key, VersionId: versionId });
export const illegalVersioningConfiguration = () =>
  s3Error('INVALID_PARAMETER', 400, 'IllegalVersioningConfigurationException', 'The Versioning element must be specified');
export const noSuchUpload = (uploadId: string) =>
  s3Error('NOT_FOUND', 404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
    UploadId: uploadId,
  });
export const invalidBucketName = (bucket: string) => s3Error('INVALID_PARAMETER', 400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
/** A bucket that was ever versioned says what remains in it (test_s3_api.py test_delete_versioned_bucket_with_objects). */
export const bucketNotEmpty = (bucket: string, versioned = false) =>
  s3Error('RESOURCE_CONFLICT', 409, 'BucketNotEmpty', versioned ? 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.' : 'The bucket you tried to delete is not empty', {
    BucketName: bucket,
  });
export const bucketAlreadyOwnedByYou = (bucket: string) =>
  s3Error('RESOURCE_CONFLICT', 409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket });
export const invalidLocationConstraint = (location: string) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', { LocationConstraint: location });
export const internalError = () => s3Error('INTERNAL', 500, 'InternalError', 'We encountered an internal error. Please try again.');
export const malformedXml = () =>
  s3Error('INVALID_REQUEST', 400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
export const invalidArgument = (message: string, name: string, value: string | number | undefined) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', message, value === undefined ? { ArgumentName: name } : { ArgumentName: name, ArgumentValue: value });
export const invalidRequest = (message: string) => s3Error('INVALID_REQUEST', 400, 'InvalidRequest', message);
export const invalidDigest = (digest: string) => s3Error('INVALID_REQUEST', 400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': digest });
export const badDigestMd5 = (expected: string, calculated: string) =>
  s3Error('INVALID_REQUEST', 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', { ExpectedDigest: expected, CalculatedDigest: calculated });
export const badDigestChecksum = (algorithm: string) =>
  s3Error('INVALID_REQUEST', 400, 'BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
export const incompleteBody = () =>
  s3Error('INVALID_REQUEST', 400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
export const entityTooLarge = (size: number, max: number) =>
  s3Error('REQUEST_TOO_LARGE', 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: size, MaxSizeAllowed: max });
/** CompleteMultipartUpload's words for a part under 5 MiB (test_s3.py test_multipart_complete_multipart_too_small). */
export const entityTooSmall = (size: number, min: number, partNumber: number, etag: string) =>
  s3Error('INVALID_PARAMETER', 400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
    ProposedSize: size,
    MinSizeAllowed: min,
    PartNumber: partNumber,
    ETag: etag,
  });
export const invalidPart = (uploadId: string, partNumber: number, etag: string) =>
  s3Error(
    'INVALID_PARAMETER',
    400,
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    { UploadId: uploadId, PartNumber: partNumber, ETag: etag },
  );
export const invalidPartOrder = (uploadId: string) =>
  s3Error('INVALID_PARAMETER', 400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', { UploadId: uploadId });
export const keyTooLong = (size: number) => s3Error('INVALID_PARAMETER', 400, 'KeyTooLongError', 'Your key is too long', { Size: size, MaxSizeAllowed: 1024 });
export const metadataTooLarge = (size: number) =>
  s3Error('INVALID_PARAMETER', 400, 'MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', { Size: size, MaxSizeAllowed: 2048 });
export const preconditionFailed = (condition: string) =>
  s3Error('PRECONDITION_FAILED', 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });
export const invalidRange = (range: string, size: number) =>
  s3Error('INVALID_PARAMETER', 416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: range, ActualObjectSize: size });
export const methodNotAllowed = (method: string, resource: 'SERVICE' | 'BUCKET' | 'OBJECT' | 'DeleteMarker', headers?: Record<string, string>) =>
  s3Error('METHOD_NOT_ALLOWED', 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: method, ResourceType: resource }, headers);
export const invalidTag = (message: string, fields: Fields) => s3Error('INVALID_PARAMETER', 400, 'InvalidTag', message, fields);
export const badRequest = (message: string) => s3Error('INVALID_REQUEST', 400, 'BadRequest', message);
export const malformedAcl = () =>
  s3Error('INVALID_REQUEST', 400, 'MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema');
export const missingSecurityHeader = (header: string) =>
  s3Error('INVALID_REQUEST', 400, 'MissingSecurityHeader', 'Your request was missing a required header', { MissingHeaderName: header });
export const unexpectedContent = () => s3Error('INVALID_REQUEST', 400, 'UnexpectedContent', 'This request does not support content');
export const notImplemented = (header: string) =>
  s3Error('UNKNOWN_OPERATION', 501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: header });
export const accessDenied = (message = 'Access Denied', fields: Fields = {}) => s3Error('UNAUTHORIZED', 403, 'AccessDenied', message, fields);
export const missingContentLength = () => s3Error('INVALID_REQUEST', 411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
export const invalidUri = () => s3Error('INVALID_REQUEST', 400, 'InvalidURI', "Couldn't parse the specified URI.");
export const maxMessageLengthExceeded = () => s3Error('REQUEST_TOO_LARGE', 400, 'MaxMessageLengthExceeded', 'Your request was too big.');
export const invalidPartNumber = (requested: number, count: number) =>
  s3Error('INVALID_PARAMETER', 416, 'InvalidPartNumber', 'The requested partnumber is not satisfiable', { PartNumberRequested: requested, ActualPartCount: count });
export const authorizationQueryParametersError = (message: string) => s3Error('UNAUTHORIZED', 400, 'AuthorizationQueryParametersError', message);

/**
 * Every error code S3 in Flint can send: the constructors above and the kit's wording for failures before an
 * operation runs (MethodNotAllowed, NotImplemented, MalformedXML, InvalidArgument, EntityTooLarge, InternalError).
 * test/services/s3/error-contract.test.ts checks it against the model and against this file.
 */
export const S3_ERROR_TYPES: readonly string[] = [
  'AccessDenied',
  'AuthorizationQueryParametersError',
  'BadDigest',
  'BadRequest',
  'BucketAlreadyOwnedByYou',
  'BucketNotEmpty',
  'EntityTooLarge',
  'EntityTooSmall',
  'IllegalVersioningConfigurationException',
  'IncompleteBody',
  'InternalError',
  'InvalidArgument',
  'InvalidBucketName',
  'InvalidDigest',
  'InvalidLocationConstraint',
  'InvalidPart',
  'InvalidPartNumber',
  'InvalidPartOrder',
  'InvalidRange',
  'InvalidRequest',
  'InvalidTag',
  'InvalidURI',
  'KeyTooLongError',
  'MalformedACLError',
  'MalformedXML',
  'MaxMessageLengthExceeded',
  'MetadataTooLarge',
  'MethodNotAllowed',
  'MissingContentLength',
  'MissingSecurityHeader',
  'NoSuchBucket',
  'NoSuchKey',
  'NoSuchUpload',
  'NoSuchVersion',
  'NotImplemented',
  'OperationAborted',
  'PreconditionFailed',
  'ServiceUnavailable',
  'UnexpectedContent',
];
