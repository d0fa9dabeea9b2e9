import { AwsError, CORAL_VALIDATE, loadModel, modelledError, type Wording } from '../../protocol/index.js';

/**
 * Secrets Manager's errors: AwsErrors of the model's error shapes (json 1.1: `__type` and "Message"), rendered by the
 * kit with the model's statuses. Messages as LocalStack's recordings of AWS show them
 * (tests/aws/services/secretsmanager/test_secretsmanager.snapshot.json) where they show one; the others are marked.
 */
export const SECRETS_MODEL = loadModel('secretsmanager');

/** Every modelled error Secrets Manager can send (the error-contract test checks them against the model). */
export const SECRETS_ERROR_TYPES = ['InternalServiceError', 'InvalidNextTokenException', 'InvalidParameterException', 'InvalidRequestException', 'LimitExceededException', 'ResourceExistsException', 'ResourceNotFoundException'] as const;

export type SecretsErrorType = (typeof SECRETS_ERROR_TYPES)[number];

/** Errors AWS's front end sends that the model does not list. */
export const SECRETS_FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  ValidationException: "AWS's request validator (model constraints) and its check of secret names",
  SerializationException: 'a request body that is not JSON or a member of the wrong type',
  UnknownOperationException: 'an X-Amz-Target naming no Secrets Manager operation, or one Flint does not serve',
  AccessDeniedException: 'RotateSecret naming a rotation function Secrets Manager cannot invoke (recorded from AWS: test_rotate_secret_invalid_lambda_arn)',
};

export function secretsError(type: SecretsErrorType, message: string): AwsError {
  const flintCode = type === 'InternalServiceError' ? undefined : type === 'ResourceNotFoundException' ? 'NOT_FOUND' : 'INVALID_PARAMETER';
  return modelledError(SECRETS_MODEL, type, message, flintCode ? { flintCode } : {});
}

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, { namespace: CORAL_VALIDATE, flintCode: 'INVALID_PARAMETER' });
}

export const invalidParameter = (message: string): AwsError => secretsError('InvalidParameterException', message);
export const invalidRequest = (message: string): AwsError => secretsError('InvalidRequestException', message);

/** Recorded (test_secret_not_found). */
export function secretNotFound(): AwsError {
  return secretsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
}

/** Recorded (test_invalid_secret_name). */
export function invalidName(): AwsError {
  return validation('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
}

/** Recorded (test_secret_exists_snapshots). */
export function secretExists(name: string): AwsError {
  return secretsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
}

/** Recorded (test_exp_raised_on_creation_of_secret_scheduled_for_deletion). */
export function nameScheduledForDeletion(): AwsError {
  return invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
}

/** Recorded (test_tag_untag_resource_on_deleted_secret). */
export function markedForDeletion(): AwsError {
  return invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
}

/** Recorded (test_secret_version_not_found, test_get_secret_value_errors). */
export function noValueForStage(stage: string): AwsError {
  return secretsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
}

export function noValueForVersion(versionId: string): AwsError {
  return secretsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
}

/** Recorded (test_no_client_request_token): InvalidRequestException, but InvalidParameterException for RotateSecret. */
export function tokenRequired(rotate = false): AwsError {
  const message = 'You must provide a ClientRequestToken value. We recommend a UUID-type value.';
  return rotate ? invalidParameter(message) : invalidRequest(message);
}

/** Recorded (test_rotate_secret_invalid_lambda_arn). */
export function cannotInvoke(): AwsError {
  return new AwsError('AccessDeniedException', 'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.', {
    status: 400,
    flintCode: 'INVALID_PARAMETER',
  });
}

export function wording(): Partial<Wording> {
  return {
    validation: (message) => validation(message),
    internal: () => secretsError('InternalServiceError', 'An error occurred on the server side.'),
  };
}
