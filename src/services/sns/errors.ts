import { AwsError, loadModel, modelledError, type Wording } from '../../protocol/index.js';

/**
 * SNS's errors: AwsErrors of the model's error shapes, so the kit renders them with SNS's codes and statuses
 * (`<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code>…`, 404). SNS words its own messages
 * ("Invalid parameter: TopicArn"); they are written where SNS checks.
 */
export const SNS_MODEL = loadModel('sns');

/** Every modelled error SNS can send (the error-contract test checks them against the model). */
export const SNS_ERROR_TYPES = [
  'InvalidParameterException',
  'InvalidParameterValueException',
  'NotFoundException',
  'ResourceNotFoundException',
  'BatchEntryIdsNotDistinctException',
  'TooManyEntriesInBatchRequestException',
  'EmptyBatchRequestException',
  'InvalidBatchEntryIdException',
  'BatchRequestTooLongException',
  'TagLimitExceededException',
  'EndpointDisabledException',
  'InternalErrorException',
] as const;

export type SnsErrorType = (typeof SNS_ERROR_TYPES)[number];

/** Errors AWS's query front end sends before an SNS operation runs; the model does not list them. */
export const SNS_FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  ValidationError: "the model's constraint check (required members), worded as AWS's request validator words it",
  InvalidAction: 'an Action that SNS does not have, or that Flint does not implement',
  MissingAction: 'a request without an Action parameter',
};

/** In-process callers (S3 notifications, the platform) tell a refused request by Flint's INVALID_PARAMETER. */
export function snsError(type: SnsErrorType, message: string): AwsError {
  const refused = SNS_MODEL.shape(type).error?.httpStatusCode === 400;
  return modelledError(SNS_MODEL, type, message, refused ? { flintCode: 'INVALID_PARAMETER' } : {});
}

/** "Invalid parameter: …", SNS's most common error. */
export function invalidParameter(what: string): AwsError {
  return snsError('InvalidParameterException', `Invalid parameter: ${what}`);
}

export function topicNotFound(): AwsError {
  return snsError('NotFoundException', 'Topic does not exist');
}

export function subscriptionNotFound(): AwsError {
  return snsError('NotFoundException', 'Subscription does not exist');
}

/** How SNS words the failures that happen before an operation runs (the rest as the kit words them for query). */
export const SNS_WORDING: Partial<Wording> = {
  unknownOperation: (action) => (!action ? new AwsError('MissingAction', 'Missing Action') : new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`)),
  // A parameter that is not of its type (ReturnSubscriptionArn=maybe) is one more invalid parameter to SNS.
  badValue: (error) => invalidParameter(error.path),
  tooLarge: () => invalidParameter('Message too long'),
  internal: () => snsError('InternalErrorException', 'Internal error'),
};
