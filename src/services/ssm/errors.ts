import { AwsError, CORAL_VALIDATE, loadModel, modelledError, type Wording } from '../../protocol/index.js';

/**
 * Parameter Store's errors: AwsErrors of the model's error shapes (json 1.1: `__type` and "message"), rendered by the
 * kit with the model's statuses. Messages as SSM words them where AWS's documentation, a recording or a widely quoted
 * answer shows it; the others are marked as Flint's wording.
 */
export const SSM_MODEL = loadModel('ssm');

/** Every modelled error Parameter Store can send (the error-contract test checks them against the model). */
export const SSM_ERROR_TYPES = [
  'HierarchyLevelLimitExceededException',
  'InternalServerError',
  'InvalidFilterKey',
  'InvalidFilterOption',
  'InvalidFilterValue',
  'InvalidNextToken',
  'InvalidResourceId',
  'InvalidResourceType',
  'ParameterAlreadyExists',
  'ParameterMaxVersionLimitExceeded',
  'ParameterNotFound',
  'ParameterPatternMismatchException',
  'ParameterVersionLabelLimitExceeded',
  'ParameterVersionNotFound',
  'TooManyTagsError',
  'UnsupportedParameterType',
] as const;

export type SsmErrorType = (typeof SSM_ERROR_TYPES)[number];

/** Errors AWS's front end sends that the model does not list. */
export const SSM_FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  ValidationException: "AWS's request validator (model constraints), which Parameter Store also uses for its name, value and tier checks",
  SerializationException: 'a request body that is not JSON or a member of the wrong type',
  UnknownOperationException: 'an X-Amz-Target naming no Parameter Store operation (Flint serves Parameter Store only)',
};

export function ssmError(type: SsmErrorType, message: string): AwsError {
  const flintCode = type === 'InternalServerError' ? undefined : type === 'ParameterNotFound' || type === 'ParameterVersionNotFound' || type === 'InvalidResourceId' ? 'NOT_FOUND' : 'INVALID_PARAMETER';
  return modelledError(SSM_MODEL, type, message, flintCode ? { flintCode } : {});
}

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, { namespace: CORAL_VALIDATE, flintCode: 'INVALID_PARAMETER' });
}

/**
 * A missing parameter: AWS answers ParameterNotFound without a message for GetParameter (the SDKs print an empty
 * message: "An error occurred (ParameterNotFound) when calling the GetParameter operation: "); Flint does the same
 * for every operation that names one parameter.
 */
export function parameterNotFound(): AwsError {
  return ssmError('ParameterNotFound', '');
}

/** As AWS words it (also quoted in AWS's PutParameter troubleshooting answers). */
export function parameterExists(): AwsError {
  return ssmError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
}

/**
 * Matched by LocalStack's recording of AWS (tests/aws/services/ssm/test_ssm.py test_hierarchical_parameter: a name
 * with "//" or a relative path with "/" fails with ValidationException "... sub-paths divided by slash symbol ...").
 */
export function invalidName(): AwsError {
  return validation(
    'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
  );
}

/** Parameter Store's documented limit of 15 levels (wording after AWS's documentation of the error). */
export function hierarchyTooDeep(): AwsError {
  return ssmError('HierarchyLevelLimitExceededException', 'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.');
}

/** The path GetParametersByPath takes (AWS's wording as clients report it). */
export function invalidPath(): AwsError {
  return validation(
    'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.',
  );
}

export function versionNotFound(name: string, version: number | string): AwsError {
  return ssmError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
}

export function wording(): Partial<Wording> {
  return {
    validation: (message) => validation(message),
    internal: () => ssmError('InternalServerError', 'An internal error occurred.'),
  };
}
