import { AwsError, CORAL_VALIDATE, loadModel, modelledError } from '../../protocol/index.js';

/**
 * EventBridge's errors: the model's error shapes (ResourceNotFoundException, InvalidEventPatternException...) and
 * the ValidationException of AWS's request validator, which EventBridge also sends for its own rules ("Rule can't be
 * deleted since it has targets."). Messages as EventBridge words them, recorded in LocalStack's
 * tests/aws/services/events/*.snapshot.json.
 */
export const EVENTS_MODEL = loadModel('events');

export const EVENTS_ERROR_TYPES = [
  'ResourceNotFoundException',
  'ResourceAlreadyExistsException',
  'InvalidEventPatternException',
  'LimitExceededException',
  'ManagedRuleException',
  'ValidationException',
  'InternalException',
] as const;

/** Errors of AWS's front end that the model does not list. */
export const EVENTS_FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  ValidationException: "AWS's request validator (model constraints), which EventBridge also uses for its own checks",
  SerializationException: 'a request body that is not JSON or a member of the wrong type',
  UnknownOperationException: 'an X-Amz-Target naming no EventBridge operation, or one Flint does not implement',
  InternalFailure: 'an unexpected failure inside Flint',
};

export function eventsError(type: Exclude<(typeof EVENTS_ERROR_TYPES)[number], 'ValidationException'>, message: string): AwsError {
  return modelledError(EVENTS_MODEL, type, message, type === 'InternalException' ? {} : { flintCode: type === 'ResourceNotFoundException' ? 'NOT_FOUND' : 'INVALID_PARAMETER' });
}

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, { namespace: CORAL_VALIDATE, flintCode: 'INVALID_PARAMETER' });
}

export function busNotFound(name: string): AwsError {
  return eventsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
}

export function ruleNotFound(name: string, bus: string): AwsError {
  return eventsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
}

export function invalidPattern(reason: string): AwsError {
  return eventsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
}
