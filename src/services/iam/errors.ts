import { AwsError, loadModel, modelledError, type Wording } from '../../protocol/index.js';

/**
 * IAM's errors: AwsErrors of the model's error shapes, rendered by the kit's query protocol as IAM sends them
 * (`<ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>…</Message></Error>
 * <RequestId>…</RequestId></ErrorResponse>`, with the model's status: 404, 409...). Messages are IAM's; where one
 * was recorded from AWS the recording is named beside it (LocalStack's tests/aws/services/iam/test_iam.snapshot.json).
 */
export const IAM_MODEL = loadModel('iam');

/** Every modelled error IAM can send (the error-contract test checks them against the model). */
export const IAM_ERROR_TYPES = [
  'NoSuchEntityException',
  'EntityAlreadyExistsException',
  'DeleteConflictException',
  'LimitExceededException',
  'MalformedPolicyDocumentException',
  'InvalidInputException',
  'ServiceFailureException',
] as const;

export type IamErrorType = (typeof IAM_ERROR_TYPES)[number];

/** Errors AWS's query front end (or its authorisation) sends before an IAM operation runs; the model does not list them. */
export const IAM_FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  ValidationError: "the model's constraint check and IAM's own parameter checks (ARNs, user names), worded as AWS's validator words them",
  InvalidAction: 'an Action that IAM does not have, or that Flint does not implement',
  InvalidParameterValue: 'a query parameter that is not of its type (MaxItems=ten)',
  RequestEntityTooLargeException: 'a request body larger than the front end accepts',
};

export function iamError(type: IamErrorType, message: string): AwsError {
  return modelledError(IAM_MODEL, type, message);
}

export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message);
}

/** The kinds of entity IAM names in its messages. */
export type EntityKind = 'role' | 'user' | 'group';

/** "The role with name x cannot be found." */
export function noSuchEntity(kind: EntityKind, name: string): AwsError {
  return iamError('NoSuchEntityException', `The ${kind} with name ${name} cannot be found.`);
}

/** "Role with name x already exists." */
export function alreadyExists(kind: EntityKind, name: string): AwsError {
  return iamError('EntityAlreadyExistsException', `${kind[0]!.toUpperCase()}${kind.slice(1)} with name ${name} already exists.`);
}

export function noSuchInstanceProfile(name: string): AwsError {
  return iamError('NoSuchEntityException', `Instance Profile ${name} cannot be found.`);
}

export function noSuchInlinePolicy(kind: EntityKind, policyName: string): AwsError {
  return iamError('NoSuchEntityException', `The ${kind} policy with name ${policyName} cannot be found.`);
}

/** GetPolicy, DeletePolicy and DetachXPolicy of a policy that is not there (test_delete_non_existent_policy_returns_no_such_entity). */
export function policyNotFound(arn: string): AwsError {
  return iamError('NoSuchEntityException', `Policy ${arn} was not found.`);
}

/** AttachXPolicy of a policy that is not there (test_role_attach_policy: valid_arn_not_existent). */
export function policyNotAttachable(arn: string): AwsError {
  return iamError('NoSuchEntityException', `Policy ${arn} does not exist or is not attachable.`);
}

/** A policy ARN that does not parse (test_role_attach_policy: non_existent_malformed_policy_arn; two spaces, as IAM sends it). */
export function invalidArn(): AwsError {
  return validationError('Invalid ARN:  Could not be parsed!');
}

export function deleteConflict(message: string): AwsError {
  return iamError('DeleteConflictException', message);
}

export function limitExceeded(message: string): AwsError {
  return iamError('LimitExceededException', message);
}

export function malformedPolicy(message: string): AwsError {
  return iamError('MalformedPolicyDocumentException', message);
}

export function invalidInput(message: string): AwsError {
  return iamError('InvalidInputException', message);
}

/** IAM answers anything unexpected with its modelled ServiceFailure; the rest as the kit words it for query. */
export const IAM_WORDING: Partial<Wording> = {
  internal: () => iamError('ServiceFailureException', 'The request processing has failed because of an unknown error, exception or failure.'),
};
