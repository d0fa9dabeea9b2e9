import { type ErrorCode } from '../../core/index.js';
import { AwsError, CORAL_SERVICE, modelledError } from '../../protocol/index.js';
import { SQS_MODEL } from './model.js';

/**
 * SQS's errors, as AwsErrors the kit renders: the model's error shapes carry their legacy query codes
 * (QueueDoesNotExist → AWS.SimpleQueueService.NonExistentQueue), statuses and faults from the model, and the JSON
 * `__type` com.amazonaws.sqs#<Shape>; the framework's own errors (coral's, raised before or beside an operation)
 * carry the codes SQS sends for them. Each also has the FlintError code Flint's in-process callers branch on.
 */

/** The model's error shapes SQS raises, with the FlintError code each stands for. */
const MODELLED = {
  QueueDoesNotExist: 'NOT_FOUND',
  QueueNameExists: 'RESOURCE_CONFLICT',
  InvalidAttributeName: 'INVALID_PARAMETER',
  InvalidAttributeValue: 'INVALID_PARAMETER',
  InvalidMessageContents: 'INVALID_PARAMETER',
  ReceiptHandleIsInvalid: 'INVALID_PARAMETER',
  EmptyBatchRequest: 'INVALID_PARAMETER',
  TooManyEntriesInBatchRequest: 'INVALID_PARAMETER',
  InvalidBatchEntryId: 'INVALID_PARAMETER',
  BatchEntryIdsNotDistinct: 'INVALID_PARAMETER',
  BatchRequestTooLong: 'REQUEST_TOO_LARGE',
  PurgeQueueInProgress: 'RESOURCE_CONFLICT',
  OverLimit: 'INVALID_PARAMETER',
  UnsupportedOperation: 'UNKNOWN_OPERATION',
} as const satisfies Record<string, ErrorCode>;

export type SqsErrorType = keyof typeof MODELLED;

/** Every modelled error type SQS can answer with. */
export const SQS_ERROR_TYPES = Object.keys(MODELLED) as SqsErrorType[];

/** A framework error: its `__type` (in coral's namespace), the code the query protocol sends, and why. */
interface FrameworkError {
  code: string;
  flintCode: ErrorCode;
  status: number;
  reason: string;
}

const FRAMEWORK = {
  InvalidParameterValueException: {
    code: 'InvalidParameterValue',
    flintCode: 'INVALID_PARAMETER',
    status: 400,
    reason: "coral's generic parameter error: SQS answers its range and format checks with it (InvalidParameterValue); the model declares no shape for it",
  },
  MissingRequiredParameterException: {
    code: 'MissingParameter',
    flintCode: 'INVALID_PARAMETER',
    status: 400,
    reason: "coral's missing-parameter error (MissingParameter), raised before the operation for absent required members and for an empty MessageBody",
  },
  UnknownOperationException: {
    code: 'InvalidAction',
    flintCode: 'UNKNOWN_OPERATION',
    status: 400,
    reason: 'an Action or X-Amz-Target naming no SQS operation never reaches an operation, so no operation can declare it',
  },
  SerializationException: {
    code: 'MalformedQueryString',
    flintCode: 'INVALID_REQUEST',
    status: 400,
    reason: 'a JSON body that does not parse fails in the deserialiser, before any operation',
  },
  InternalFailure: {
    code: 'InternalError',
    flintCode: 'INTERNAL',
    status: 500,
    reason: 'an unexpected failure; AWS models it for no operation',
  },
} as const satisfies Record<string, FrameworkError>;

type FrameworkType = keyof typeof FRAMEWORK;

/** Framework error types SQS can answer with, each with the reason it is not in the model. */
export const SQS_FRAMEWORK_ERRORS: Readonly<Record<FrameworkType, string>> = Object.fromEntries(
  Object.entries(FRAMEWORK).map(([type, error]) => [type, error.reason]),
) as Record<FrameworkType, string>;

/** A modelled SQS error with the model's code, status and fault. */
export function sqsError(type: SqsErrorType, message: string): AwsError {
  return modelledError(SQS_MODEL, type, message, { flintCode: MODELLED[type] });
}

function frameworkError(type: FrameworkType, message: string): AwsError {
  const { code, status, flintCode } = FRAMEWORK[type];
  return new AwsError(type, message, { code, status, namespace: CORAL_SERVICE, flintCode });
}

// ---- errors raised in several places ----------------------------------------------------------------------------

export function queueDoesNotExist(): AwsError {
  return sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
}

/** The query protocol words a missing queue differently (recorded from AWS in LocalStack's test_non_existent_queue). */
export const QUERY_QUEUE_DOES_NOT_EXIST = 'The specified queue does not exist for this wsdl version.';

export function invalidValue(message: string): AwsError {
  return frameworkError('InvalidParameterValueException', message);
}

/** SQS's "Value X for parameter Y is invalid. Reason: Z." */
export function invalidParameter(parameter: string, value: unknown, reason: string): AwsError {
  return invalidValue(`Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`);
}

export function missingParameter(parameter: string): AwsError {
  return frameworkError('MissingRequiredParameterException', `The request must contain the parameter ${parameter}.`);
}

export function unknownAction(name: string | undefined): AwsError {
  return frameworkError('UnknownOperationException', name ? `The action ${name} is not valid for this endpoint.` : 'The request names no action.');
}

export function malformedRequest(message: string): AwsError {
  return frameworkError('SerializationException', message);
}

export function internalError(): AwsError {
  return frameworkError('InternalFailure', 'We encountered an internal error. Please try again.');
}
