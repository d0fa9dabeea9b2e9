import type { ErrorCode, FlintError } from '../../core/index.js';
import { AwsError, CORAL_SERVICE, CORAL_VALIDATE } from '../../protocol/index.js';

/**
 * DynamoDB's wire errors, as AwsErrors the kit renders: HTTP 400 (500 for internal failures) and a JSON body whose
 * `__type` names the error with the namespace DynamoDB uses for it. Validation errors come from the request
 * validator (com.amazon.coral.validate), serialization and unknown-operation errors from the service framework
 * (com.amazon.coral.service), the rest from DynamoDB itself (com.amazonaws.dynamodb.v20120810, the services'
 * errorNamespace). Members of the error shape besides the message (Item, CancellationReasons) ride in `fields`.
 */

/** The error types the DynamoDB API sends: its model's error shapes, and the framework's (see FRAMEWORK_ERRORS). */
export const DYNAMODB_ERROR_TYPES = [
  'ValidationException',
  'SerializationException',
  'UnknownOperationException',
  'ResourceNotFoundException',
  'ResourceInUseException',
  'ConditionalCheckFailedException',
  'TransactionCanceledException',
  'IdempotentParameterMismatchException',
  'DuplicateItemException',
  'RequestLimitExceeded',
  'PolicyNotFoundException',
  'InternalServerError',
  'TableNotFoundException',
  'InvalidExportTimeException',
  'ExportConflictException',
  'ExportNotFoundException',
  'ImportConflictException',
  'ImportNotFoundException',
  'TableAlreadyExistsException',
  'BackupNotFoundException',
  'PointInTimeRecoveryUnavailableException',
  'InvalidRestoreTimeException',
] as const;

/** The error types the DynamoDB Streams API sends. */
export const STREAMS_ERROR_TYPES = [
  'ValidationException',
  'SerializationException',
  'UnknownOperationException',
  'ResourceNotFoundException',
  'ExpiredIteratorException',
  'InternalServerError',
] as const;

/** Errors AWS's servers raise before an operation runs, which neither model lists, with why. */
export const FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  ValidationException: 'raised by the request validator (com.amazon.coral.validate) for constraint violations and by DynamoDB for semantic ones',
  SerializationException: 'raised by the framework (com.amazon.coral.service) when the body does not deserialise into the input shape',
  UnknownOperationException: 'raised by the framework (com.amazon.coral.service) for an X-Amz-Target it does not serve',
};

export type DynamoErrorType = (typeof DYNAMODB_ERROR_TYPES)[number] | (typeof STREAMS_ERROR_TYPES)[number];

/** Flint's own code for each type, for callers inside Flint (transactions tell validation problems apart by it). */
const FLINT_CODE: Record<DynamoErrorType, ErrorCode> = {
  ValidationException: 'INVALID_PARAMETER',
  SerializationException: 'INVALID_REQUEST',
  UnknownOperationException: 'UNKNOWN_OPERATION',
  ResourceNotFoundException: 'NOT_FOUND',
  ResourceInUseException: 'RESOURCE_CONFLICT',
  ConditionalCheckFailedException: 'PRECONDITION_FAILED',
  TransactionCanceledException: 'PRECONDITION_FAILED',
  IdempotentParameterMismatchException: 'INVALID_PARAMETER',
  DuplicateItemException: 'PRECONDITION_FAILED',
  RequestLimitExceeded: 'TOO_MANY_REQUESTS',
  PolicyNotFoundException: 'NOT_FOUND',
  InternalServerError: 'INTERNAL',
  ExpiredIteratorException: 'INVALID_PARAMETER',
  TableNotFoundException: 'NOT_FOUND',
  InvalidExportTimeException: 'INVALID_PARAMETER',
  ExportConflictException: 'RESOURCE_CONFLICT',
  ExportNotFoundException: 'NOT_FOUND',
  ImportConflictException: 'RESOURCE_CONFLICT',
  ImportNotFoundException: 'NOT_FOUND',
  TableAlreadyExistsException: 'RESOURCE_CONFLICT',
  BackupNotFoundException: 'NOT_FOUND',
  PointInTimeRecoveryUnavailableException: 'INVALID_PARAMETER',
  InvalidRestoreTimeException: 'INVALID_PARAMETER',
};

export function dynamoError(type: DynamoErrorType, message: string, fields?: Record<string, unknown>): AwsError {
  const flintCode = FLINT_CODE[type];
  switch (type) {
    case 'ValidationException':
      return new AwsError(type, message, { namespace: CORAL_VALIDATE, flintCode });
    case 'SerializationException':
      return new AwsError(type, message, { namespace: CORAL_SERVICE, messageKey: 'Message', flintCode });
    case 'UnknownOperationException':
      return new AwsError(type, message, { namespace: CORAL_SERVICE, flintCode });
    case 'InternalServerError':
      return new AwsError(type, message, { status: 500, flintCode });
    default:
      return new AwsError(type, message, { fields, flintCode });
  }
}

export function validation(message: string): AwsError {
  return dynamoError('ValidationException', message);
}

export function serialization(message: string): AwsError {
  return dynamoError('SerializationException', message);
}

export function resourceNotFound(message = 'Requested resource not found'): AwsError {
  return dynamoError('ResourceNotFoundException', message);
}

export function conditionalCheckFailed(item?: Record<string, unknown>): AwsError {
  return dynamoError('ConditionalCheckFailedException', 'The conditional request failed', item ? { Item: item } : undefined);
}

/** The DynamoDB error type of an error raised while serving a request. */
export function dynamoTypeOf(error: FlintError): string {
  return error instanceof AwsError ? error.type : (translate(error)?.type ?? 'InternalServerError');
}

/** DynamoDB's error for a FlintError raised below the service (the store); undefined for internal failures. */
export function translate(error: FlintError): AwsError | undefined {
  if (error instanceof AwsError) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return resourceNotFound();
    case 'RESOURCE_CONFLICT':
      return dynamoError('ResourceInUseException', error.message);
    case 'INVALID_PARAMETER':
      return validation(error.message);
    case 'TOO_MANY_REQUESTS':
      return dynamoError('RequestLimitExceeded', error.message);
    default:
      return undefined;
  }
}
