import { FlintError, toFlintError, type ErrorCode, type BufferedResponse } from '../../core/index.js';
import { XMLNS, escapeXml } from './xml.js';

/**
 * SNS's wire errors: `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
 * <RequestId>…</RequestId></ErrorResponse>` with the status SNS's service model gives each code. Errors are
 * FlintErrors whose `details.snsCode` names the SNS code; the FlintError code is the generic category.
 */
export type SnsErrorCode =
  | 'InvalidParameter'
  | 'ParameterValueInvalid'
  | 'ValidationError'
  | 'NotFound'
  | 'ResourceNotFound'
  | 'InvalidAction'
  | 'MissingAction'
  | 'BatchEntryIdsNotDistinct'
  | 'TooManyEntriesInBatchRequest'
  | 'EmptyBatchRequest'
  | 'InvalidBatchEntryId'
  | 'BatchRequestTooLong'
  | 'TagLimitExceeded'
  | 'InternalError';

const STATUS: Partial<Record<SnsErrorCode, number>> = { NotFound: 404, ResourceNotFound: 404, InternalError: 500 };

const CATEGORY: Partial<Record<SnsErrorCode, ErrorCode>> = {
  NotFound: 'NOT_FOUND',
  ResourceNotFound: 'NOT_FOUND',
  InvalidAction: 'UNKNOWN_OPERATION',
  MissingAction: 'UNKNOWN_OPERATION',
  InternalError: 'INTERNAL',
};

export function snsError(snsCode: SnsErrorCode, message: string): FlintError {
  return new FlintError(CATEGORY[snsCode] ?? 'INVALID_PARAMETER', message, { snsCode });
}

/** "Invalid parameter: …", SNS's most common error. */
export function invalidParameter(what: string): FlintError {
  return snsError('InvalidParameter', `Invalid parameter: ${what}`);
}

export function topicNotFound(): FlintError {
  return snsError('NotFound', 'Topic does not exist');
}

export function subscriptionNotFound(): FlintError {
  return snsError('NotFound', 'Subscription does not exist');
}

/** The message SNS (like every AWS query service) gives for a missing required member. */
export function memberMissing(member: string): FlintError {
  return snsError('ValidationError', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
}

export function errorResponse(error: unknown, requestId: string): BufferedResponse {
  const flint = toFlintError(error);
  const code = wireCode(flint);
  const type = code === 'InternalError' ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(flint.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: STATUS[code] ?? 400, headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId }, body };
}

function wireCode(error: FlintError): SnsErrorCode {
  const named = error.details.snsCode;
  if (typeof named === 'string') return named as SnsErrorCode;
  switch (error.code) {
    case 'NOT_FOUND':
      return 'NotFound';
    case 'INVALID_PARAMETER':
    case 'INVALID_REQUEST':
    case 'REQUEST_TOO_LARGE':
      return 'InvalidParameter';
    case 'UNKNOWN_OPERATION':
      return 'InvalidAction';
    default:
      return 'InternalError';
  }
}
