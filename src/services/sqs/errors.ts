import { FlintError, type ErrorCode } from '../../core/index.js';

/**
 * SQS's errors. Each has the legacy code the query protocol (and the JSON protocol's x-amzn-query-error header)
 * carries, the `__type` of the JSON protocol, its status and fault, as real SQS sends them: modelled errors are
 * `com.amazonaws.sqs#<Shape>`, the generic ones come from the service framework (`com.amazon.coral.service#…`).
 */
interface SqsErrorKind {
  code: ErrorCode;
  query: string;
  json: string;
  status: number;
  fault: 'Sender' | 'Receiver';
}

const sender = (code: ErrorCode, query: string, json: string, status = 400): SqsErrorKind => ({ code, query, json, status, fault: 'Sender' });

export const SQS_ERRORS = {
  QueueDoesNotExist: sender('NOT_FOUND', 'AWS.SimpleQueueService.NonExistentQueue', 'com.amazonaws.sqs#QueueDoesNotExist'),
  QueueNameExists: sender('RESOURCE_CONFLICT', 'QueueAlreadyExists', 'com.amazonaws.sqs#QueueNameExists'),
  InvalidParameterValue: sender('INVALID_PARAMETER', 'InvalidParameterValue', 'com.amazon.coral.service#InvalidParameterValueException'),
  MissingParameter: sender('INVALID_PARAMETER', 'MissingParameter', 'com.amazon.coral.service#MissingRequiredParameterException'),
  InvalidAttributeName: sender('INVALID_PARAMETER', 'InvalidAttributeName', 'com.amazonaws.sqs#InvalidAttributeName'),
  InvalidAttributeValue: sender('INVALID_PARAMETER', 'InvalidAttributeValue', 'com.amazonaws.sqs#InvalidAttributeValue'),
  InvalidMessageContents: sender('INVALID_PARAMETER', 'InvalidMessageContents', 'com.amazonaws.sqs#InvalidMessageContents'),
  ReceiptHandleIsInvalid: sender('INVALID_PARAMETER', 'ReceiptHandleIsInvalid', 'com.amazonaws.sqs#ReceiptHandleIsInvalid'),
  EmptyBatchRequest: sender('INVALID_PARAMETER', 'AWS.SimpleQueueService.EmptyBatchRequest', 'com.amazonaws.sqs#EmptyBatchRequest'),
  TooManyEntriesInBatchRequest: sender('INVALID_PARAMETER', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'com.amazonaws.sqs#TooManyEntriesInBatchRequest'),
  InvalidBatchEntryId: sender('INVALID_PARAMETER', 'AWS.SimpleQueueService.InvalidBatchEntryId', 'com.amazonaws.sqs#InvalidBatchEntryId'),
  BatchEntryIdsNotDistinct: sender('INVALID_PARAMETER', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'com.amazonaws.sqs#BatchEntryIdsNotDistinct'),
  BatchRequestTooLong: sender('REQUEST_TOO_LARGE', 'AWS.SimpleQueueService.BatchRequestTooLong', 'com.amazonaws.sqs#BatchRequestTooLong'),
  PurgeQueueInProgress: sender('RESOURCE_CONFLICT', 'AWS.SimpleQueueService.PurgeQueueInProgress', 'com.amazonaws.sqs#PurgeQueueInProgress', 403),
  UnsupportedOperation: sender('UNKNOWN_OPERATION', 'AWS.SimpleQueueService.UnsupportedOperation', 'com.amazonaws.sqs#UnsupportedOperation'),
  InvalidAction: sender('UNKNOWN_OPERATION', 'InvalidAction', 'com.amazon.coral.service#UnknownOperationException'),
  MalformedRequest: sender('INVALID_REQUEST', 'MalformedQueryString', 'com.amazon.coral.service#SerializationException'),
  InternalError: { code: 'INTERNAL', query: 'InternalError', json: 'com.amazon.coral.service#InternalFailure', status: 500, fault: 'Receiver' },
} as const satisfies Record<string, SqsErrorKind>;

export type SqsErrorName = keyof typeof SQS_ERRORS;

/** Messages that differ between the protocols, as real SQS words them. */
const QUERY_MESSAGES: Partial<Record<SqsErrorName, string>> = {
  QueueDoesNotExist: 'The specified queue does not exist for this wsdl version.',
};

export function sqsError(name: SqsErrorName, message: string, details: Record<string, unknown> = {}): FlintError {
  return new FlintError(SQS_ERRORS[name].code, message, { ...details, sqs: name });
}

export interface WireError {
  kind: SqsErrorKind;
  name: SqsErrorName;
  message: string;
  queryMessage: string;
}

/** The SQS error a FlintError stands for: its own, or the closest one for errors raised below the service. */
export function wireError(error: FlintError): WireError {
  const name = nameOf(error);
  const message = name === 'InternalError' ? 'We encountered an internal error. Please try again.' : error.message;
  const queryMessage = QUERY_MESSAGES[name] ?? message;
  return { kind: SQS_ERRORS[name], name, message, queryMessage };
}

function nameOf(error: FlintError): SqsErrorName {
  const own = error.details.sqs;
  if (typeof own === 'string' && own in SQS_ERRORS) return own as SqsErrorName;
  switch (error.code) {
    case 'NOT_FOUND':
      return 'QueueDoesNotExist';
    case 'INVALID_PARAMETER':
      return 'InvalidParameterValue';
    case 'INVALID_REQUEST':
      return 'MalformedRequest';
    case 'UNKNOWN_OPERATION':
      return 'InvalidAction';
    default:
      return 'InternalError';
  }
}

// ---- errors raised in several places ----------------------------------------------------------------------------

export function queueDoesNotExist(name: string): FlintError {
  return sqsError('QueueDoesNotExist', 'The specified queue does not exist.', { queue: name });
}

export function invalidValue(message: string): FlintError {
  return sqsError('InvalidParameterValue', message);
}

/** SQS's "Value X for parameter Y is invalid. Reason: Z." */
export function invalidParameter(parameter: string, value: unknown, reason: string): FlintError {
  return invalidValue(`Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`);
}

export function missingParameter(parameter: string): FlintError {
  return sqsError('MissingParameter', `The request must contain the parameter ${parameter}.`, { parameter });
}
