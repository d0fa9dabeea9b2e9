import { AwsError, CORAL_SERVICE } from '../../protocol/index.js';

/**
 * How a refused request is answered: each AWS API words and shapes authentication failures its own way. S3 sends
 * its XML error with the codes of its error list (botocore's s3 model, shape Error/Code documentation:
 * InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed, InvalidToken, ExpiredToken, all 403 but the token
 * ones, 400) and the fields its recordings show (LocalStack tests/aws/services/s3/test_s3.snapshot.json:
 * test_presigned_url_signature_authentication[s3v4-True] for SignatureDoesNotMatch with StringToSign and
 * CanonicalRequest, test_presigned_url_signature_authentication_expired for "Request has expired"). The query
 * services (STS, IAM, SNS, SQS's query form) answer with the common errors of
 * https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html (MissingAuthenticationToken,
 * InvalidClientTokenId, SignatureDoesNotMatch, IncompleteSignature, ExpiredToken, 403); the JSON services
 * (DynamoDB, SQS's JSON form, Logs...) with the same failures as Coral exceptions, 400
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html:
 * MissingAuthenticationTokenException, UnrecognizedClientException, InvalidSignatureException,
 * IncompleteSignatureException, ExpiredTokenException); Lambda's REST-JSON API sends those with 403.
 */
export type Family = 's3' | 'query' | 'json' | 'rest-json';

/** Services whose API is REST-JSON: their authentication errors are 403 as Lambda's are. */
const REST_JSON: ReadonlySet<string> = new Set(['lambda', 'scheduler', 'apigateway', 'execute-api']);

export function familyOf(service: string, headers: { [name: string]: string | string[] | undefined }): Family {
  if (service === 's3') return 's3';
  if (REST_JSON.has(service)) return 'rest-json';
  const contentType = String(headers['content-type'] ?? '');
  if (headers['x-amz-target'] !== undefined || contentType.includes('json')) return 'json';
  return 'query';
}

const BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const S3_BAD_SIGNATURE = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const BAD_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';
const MISSING = 'Request is missing Authentication Token';

/** A framework error of a non-S3 API: the query name, or the JSON one with its Coral namespace. */
function common(family: Family, queryName: string, jsonName: string, message: string): AwsError {
  if (family === 'query') return new AwsError(queryName, message, { status: 403 });
  return new AwsError(jsonName, message, { status: family === 'rest-json' ? 403 : 400, namespace: CORAL_SERVICE });
}

function s3(code: string, status: number, message: string, fields: Record<string, string> = {}): AwsError {
  return new AwsError(code, message, { status, fields, flintCode: status === 403 ? 'UNAUTHORIZED' : 'INVALID_REQUEST' });
}

export function missingToken(family: Family): AwsError {
  // S3 takes unsigned requests as anonymous ones; only the others refuse them here.
  return common(family, 'MissingAuthenticationToken', 'MissingAuthenticationTokenException', MISSING);
}

export function unknownKey(family: Family, accessKeyId: string): AwsError {
  if (family === 's3') return s3('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
  return common(family, 'InvalidClientTokenId', 'UnrecognizedClientException', BAD_TOKEN);
}

export function badToken(family: Family): AwsError {
  if (family === 's3') return s3('InvalidToken', 400, 'The provided token is malformed or otherwise invalid.');
  return common(family, 'InvalidClientTokenId', 'UnrecognizedClientException', BAD_TOKEN);
}

export function expiredToken(family: Family): AwsError {
  if (family === 's3') return s3('ExpiredToken', 400, 'The provided token has expired.');
  return common(family, 'ExpiredToken', 'ExpiredTokenException', EXPIRED_TOKEN);
}

/** What S3 shows of a signature it refused: what it signed, so the client can compare with its own. */
export interface SignatureReport {
  accessKeyId: string;
  provided: string;
  stringToSign: string;
  canonicalRequest?: string;
}

export function signatureMismatch(family: Family, report: SignatureReport): AwsError {
  if (family !== 's3') return common(family, 'SignatureDoesNotMatch', 'InvalidSignatureException', BAD_SIGNATURE);
  const fields: Record<string, string> = {
    AWSAccessKeyId: report.accessKeyId,
    StringToSign: report.stringToSign,
    SignatureProvided: report.provided,
    StringToSignBytes: hexBytes(report.stringToSign),
  };
  if (report.canonicalRequest !== undefined) {
    fields.CanonicalRequest = report.canonicalRequest;
    fields.CanonicalRequestBytes = hexBytes(report.canonicalRequest);
  }
  return s3('SignatureDoesNotMatch', 403, S3_BAD_SIGNATURE, fields);
}

/** A request dated too far from the node's clock: S3 allows 15 minutes, the others 5 (their "Signature expired"). */
export function skewed(family: Family, requestTime: string, now: number, allowedMs: number): AwsError {
  if (family === 's3') {
    return s3('RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.', {
      RequestTime: requestTime,
      ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      MaxAllowedSkewMilliseconds: String(allowedMs),
    });
  }
  const earliest = amzDate(now - allowedMs);
  return common(family, 'SignatureDoesNotMatch', 'InvalidSignatureException', `Signature expired: ${requestTime} is now earlier than ${earliest} (${amzDate(now)} - 5 min.)`);
}

/** A presigned URL past its X-Amz-Expires (or SigV2 Expires). */
export function presignExpired(family: Family, expires: number, now: number, amzExpires?: string): AwsError {
  if (family !== 's3') return common(family, 'SignatureDoesNotMatch', 'InvalidSignatureException', `Signature expired: ${amzDate(expires)} is now earlier than ${amzDate(now)}`);
  const fields: Record<string, string> = {};
  if (amzExpires !== undefined) fields['X-Amz-Expires'] = amzExpires;
  fields.Expires = isoSeconds(expires);
  fields.ServerTime = isoSeconds(now);
  return s3('AccessDenied', 403, 'Request has expired', fields);
}

/** A signature that lacks a part (Credential, SignedHeaders, Signature, a date) or states one badly. */
export function incomplete(family: Family, message: string, presigned = false): AwsError {
  if (family === 's3') return s3(presigned ? 'AuthorizationQueryParametersError' : 'AuthorizationHeaderMalformed', 400, message);
  return common(family, 'IncompleteSignature', 'IncompleteSignatureException', message);
}

export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function hexBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
