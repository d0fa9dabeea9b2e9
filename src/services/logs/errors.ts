import { AwsError, modelledError } from '../../protocol/index.js';
import { LOGS_MODEL } from './model.js';

/**
 * Every wire error the Logs API sends is built here (test/services/logs/error-contract.test.ts holds it to that),
 * in CloudWatch Logs' words. Messages marked "recorded" are in LocalStack's recordings of AWS
 * (tests/aws/services/logs/*.snapshot.json); the others follow AWS's API reference.
 */
export const LOGS_ERROR_TYPES = [
  'InvalidParameterException',
  'ResourceNotFoundException',
  'ResourceAlreadyExistsException',
  'ValidationException',
  'OperationAbortedException',
  'TooManyTagsException',
  'LimitExceededException',
] as const;

/** Errors raised before an operation runs, by the framework behind AWS's JSON services (not in the model). */
export const LOGS_FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  UnknownOperationException: 'an X-Amz-Target the model does not name, or an operation Flint does not implement',
  SerializationException: 'a body that is not JSON, or a value of the wrong type',
  InternalFailure: 'an unexpected failure inside Flint',
  RequestEntityTooLargeException: 'a body over the request limit',
};

type LogsErrorType = (typeof LOGS_ERROR_TYPES)[number];

function error(type: LogsErrorType, message: string, fields?: Record<string, unknown>): AwsError {
  return modelledError(LOGS_MODEL, type, message, { fields });
}

export const invalidParameter = (message: string): AwsError => error('InvalidParameterException', message);

/** Recorded: test_resource_does_not_exist. */
export const groupNotFound = (): AwsError => error('ResourceNotFoundException', 'The specified log group does not exist.');
export const streamNotFound = (): AwsError => error('ResourceNotFoundException', 'The specified log stream does not exist.');

/** Recorded: test_create_log_group_duplicate_error, test_create_log_stream_duplicate_error (no full stop). */
export const groupExists = (): AwsError => error('ResourceAlreadyExistsException', 'The specified log group already exists');
export const streamExists = (): AwsError => error('ResourceAlreadyExistsException', 'The specified log stream already exists');

/** Recorded: test_get_log_events_invalid_token, test_filter_log_events_unknown_token. */
export const invalidToken = (): AwsError => invalidParameter('The specified nextToken is invalid.');

/** Recorded: test_describe_log_streams_with_log_group_identifier. */
export const nameAndIdentifier = (): AwsError => error('ValidationException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
export const neitherNameNorIdentifier = (): AwsError => invalidParameter('Should provide either logGroupName or logGroupIdentifier.');

/** Recorded: test_describe_log_groups_prefix_and_pattern_error. */
export const prefixAndPattern = (): AwsError => invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');

/** Recorded: test_put_log_events_wrong_order. */
export const notChronological = (): AwsError => invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');

export const deletionProtected = (group: string): AwsError => error('OperationAbortedException', `Log group ${group} has deletion protection enabled.`);

export const tooManyTags = (group: string): AwsError => error('TooManyTagsException', 'A resource can have no more than 50 tags.', { resourceName: group });

