import { FlintError, toFlintError, type ErrorCode, type BufferedResponse } from '../../core/index.js';

/**
 * DynamoDB's wire errors: HTTP 400 (500 for internal failures) and a JSON body whose `__type` names the error with
 * the namespace DynamoDB uses for it (validation errors come from the request validator, serialization and
 * unknown-operation errors from the service framework, the rest from DynamoDB itself). Errors travel inside Flint
 * as FlintErrors whose details name the DynamoDB error type; extra body fields (Item, CancellationReasons) ride in
 * details.body.
 */
export type DynamoErrorType =
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'ConditionalCheckFailedException'
  | 'TransactionCanceledException'
  | 'TransactionConflictException'
  | 'IdempotentParameterMismatchException'
  | 'LimitExceededException'
  | 'RequestLimitExceeded'
  | 'InternalServerError'
  | 'ExpiredIteratorException'
  | 'TrimmedDataAccessException';

const NAMESPACE: Partial<Record<DynamoErrorType, string>> = {
  ValidationException: 'com.amazon.coral.validate#',
  SerializationException: 'com.amazon.coral.service#',
  UnknownOperationException: 'com.amazon.coral.service#',
};
const DYNAMODB_NAMESPACE = 'com.amazonaws.dynamodb.v20120810#';

/** Errors whose body spells the field "Message" rather than "message". */
const CAPITALISED: ReadonlySet<DynamoErrorType> = new Set(['SerializationException', 'TransactionCanceledException']);

const CODE_OF: Record<DynamoErrorType, ErrorCode> = {
  ValidationException: 'INVALID_PARAMETER',
  SerializationException: 'INVALID_REQUEST',
  UnknownOperationException: 'UNKNOWN_OPERATION',
  ResourceNotFoundException: 'NOT_FOUND',
  ResourceInUseException: 'RESOURCE_CONFLICT',
  ConditionalCheckFailedException: 'PRECONDITION_FAILED',
  TransactionCanceledException: 'PRECONDITION_FAILED',
  TransactionConflictException: 'RESOURCE_CONFLICT',
  IdempotentParameterMismatchException: 'INVALID_PARAMETER',
  LimitExceededException: 'TOO_MANY_REQUESTS',
  RequestLimitExceeded: 'TOO_MANY_REQUESTS',
  InternalServerError: 'INTERNAL',
  ExpiredIteratorException: 'INVALID_PARAMETER',
  TrimmedDataAccessException: 'INVALID_PARAMETER',
};

export function dynamoError(type: DynamoErrorType, message: string, body?: Record<string, unknown>): FlintError {
  return new FlintError(CODE_OF[type], message, body ? { dynamoType: type, body } : { dynamoType: type });
}

export function validation(message: string): FlintError {
  return dynamoError('ValidationException', message);
}

export function serialization(message: string): FlintError {
  return dynamoError('SerializationException', message);
}

export function resourceNotFound(message = 'Requested resource not found'): FlintError {
  return dynamoError('ResourceNotFoundException', message);
}

export function conditionalCheckFailed(item?: Record<string, unknown>): FlintError {
  return dynamoError('ConditionalCheckFailedException', 'The conditional request failed', item ? { Item: item } : undefined);
}

export function dynamoTypeOf(error: FlintError): DynamoErrorType {
  const named = error.details.dynamoType;
  if (typeof named === 'string' && named in CODE_OF) return named as DynamoErrorType;
  switch (error.code) {
    case 'NOT_FOUND':
      return 'ResourceNotFoundException';
    case 'RESOURCE_CONFLICT':
      return 'ResourceInUseException';
    case 'INVALID_PARAMETER':
      return 'ValidationException';
    case 'INVALID_REQUEST':
      return 'SerializationException';
    case 'UNKNOWN_OPERATION':
      return 'UnknownOperationException';
    case 'PRECONDITION_FAILED':
      return 'ConditionalCheckFailedException';
    case 'TOO_MANY_REQUESTS':
      return 'RequestLimitExceeded';
    default:
      return 'InternalServerError';
  }
}

export function errorResponse(error: unknown, requestId: string): BufferedResponse {
  const flint = toFlintError(error);
  const type = dynamoTypeOf(flint);
  const internal = type === 'InternalServerError';
  const message = internal ? 'Internal server error' : flint.message;
  const extra = flint.details.body as Record<string, unknown> | undefined;
  const body = { __type: (NAMESPACE[type] ?? DYNAMODB_NAMESPACE) + type, ...extra, [CAPITALISED.has(type) ? 'Message' : 'message']: message };
  return {
    status: internal ? 500 : 400,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId },
    body: JSON.stringify(body),
  };
}

/** How DynamoDB's (Java) deserializer words a JSON value of the wrong type, for SerializationException. */
export function conversionMessage(value: unknown, type: string): string {
  if (typeof value === 'boolean') return `${value ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${type}`;
  if (typeof value === 'number') return `${Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to ${type}`;
  if (typeof value === 'string') return `STRING_VALUE cannot be converted to ${type}`;
  if (Array.isArray(value)) return `Unrecognized collection type class java.lang.${type}`;
  return 'Start of structure or map found where not expected';
}
