import { AwsError, loadModel, modelledError } from '../../protocol/index.js';

/**
 * STS's errors: the model's error shapes, and the errors of AWS's front end that every AWS API shares
 * (credentials refused, access denied, parameter checks), rendered by the kit's query protocol as STS sends them:
 * `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>…</Message></Error>…`. Messages
 * recorded from AWS name their recording (LocalStack's tests/aws/services/sts/test_sts.snapshot.json).
 */
export const STS_MODEL = loadModel('sts');

/** Every modelled error STS can send (the error-contract test checks them against the model). */
export const STS_ERROR_TYPES = ['InvalidIdentityTokenException', 'ExpiredTokenException', 'MalformedPolicyDocumentException'] as const;

type StsErrorType = (typeof STS_ERROR_TYPES)[number];

/** Errors AWS sends for STS that its model does not list. */
export const STS_FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  ValidationError: "the model's constraints and STS's own parameter checks (a RoleArn that does not parse, a DurationSeconds above the role's limit)",
  InvalidParameterValue: 'session tags STS refuses (duplicate keys, transitive keys that are not tags), and query values not of their type',
  AccessDenied: "a role that does not exist, or an operation the caller's kind of credentials may not call",
  ExpiredToken: 'temporary credentials past their expiration, refused by the front end before any operation runs',
  InvalidClientTokenId: 'a session token that does not belong to the access key, or a deactivated access key',
  InvalidAction: 'an Action that STS does not have, or that Flint does not implement',
  RequestEntityTooLargeException: 'a request body larger than the front end accepts',
  InternalFailure: 'anything unexpected',
};

export function stsError(type: StsErrorType, message: string): AwsError {
  return modelledError(STS_MODEL, type, message);
}

export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message);
}

export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message);
}

export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDenied', message, { status: 403 });
}

export function expiredToken(): AwsError {
  return new AwsError('ExpiredToken', 'The security token included in the request is expired', { status: 403 });
}

export function invalidClientToken(): AwsError {
  return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', { status: 403 });
}
