import type { ServiceRequest } from '../../core/index.js';
import type { AwsError, TypeMismatch, Wording } from '../../protocol/index.js';
import { internalError, invalidValue, malformedRequest, sqsError, unknownAction } from './errors.js';

/**
 * How SQS words what fails before an operation runs, in both protocols: its legacy codes (InvalidAction,
 * MalformedQueryString, InvalidParameterValue, InternalError) beside coral's `__type`s, in SQS's own phrases.
 */

const TARGET_PREFIX = 'AmazonSQS.';
/** Requests over this many bytes fail before they are read. */
const MESSAGE_LIMIT = 1_048_576;

export const SQS_WORDING: Partial<Wording> = {
  // JSON names the target ("AmazonSQS.FlyAway"); SQS names the action.
  unknownOperation: (name) => unknownAction(name?.startsWith(TARGET_PREFIX) ? name.slice(TARGET_PREFIX.length) : name),
  notImplemented: (operation) => sqsError('UnsupportedOperation', `Flint does not support the SQS operation ${operation}.`),
  malformedBody: (_operation, detail) => malformedRequest(`Could not read the request body as JSON: ${detail}`),
  typeMismatch: (mismatch) => invalidValue(`Value ${shown(mismatch.found)} for parameter ${pathOf(mismatch)} is invalid.`),
  badValue: (error) => invalidValue(`Value ${error.text} for parameter ${error.path} is invalid.`),
  tooLarge: (operation, _limit, request) => tooLarge(operation, request),
  internal: () => internalError(),
};

/** SendMessageBatch over JSON says how long the batch was; anything else is a message over the size limit. */
function tooLarge(operation: string | undefined, request: ServiceRequest): AwsError {
  if (operation === 'SendMessageBatch') {
    return sqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MESSAGE_LIMIT} bytes. You have sent ${request.headers['content-length'] ?? 'more'} bytes.`);
  }
  return invalidValue(`One or more parameters are invalid. Reason: Message must be shorter than ${MESSAGE_LIMIT} bytes.`);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Entries.2.DelaySeconds: members by name, list positions from 1 as SQS numbers them. */
function pathOf(mismatch: TypeMismatch): string {
  return mismatch.path.map((part) => (typeof part === 'number' ? String(part + 1) : part)).join('.');
}
