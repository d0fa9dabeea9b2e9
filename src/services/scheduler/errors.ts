import { loadModel, modelledError, type AwsError, type Wording } from '../../protocol/index.js';

/**
 * EventBridge Scheduler's errors: AwsErrors of the model's error shapes (rest-json: x-amzn-ErrorType and a body with
 * "Message"), so the kit renders them with the model's statuses. Messages as Scheduler words them where a recording
 * or AWS's documentation shows it; the others are marked as Flint's wording.
 */
export const SCHEDULER_MODEL = loadModel('scheduler');

/** Every modelled error Scheduler can send (the error-contract test checks them against the model). */
export const SCHEDULER_ERROR_TYPES = ['ValidationException', 'ResourceNotFoundException', 'ConflictException', 'InternalServerException'] as const;

export type SchedulerErrorType = (typeof SCHEDULER_ERROR_TYPES)[number];

/** Errors AWS's front end sends before a Scheduler operation runs; the model does not list them. */
export const SCHEDULER_FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  SerializationException: 'a body that is not JSON, or a value of the wrong type, refused before the operation runs',
  UnknownOperationException: 'a method and path no Scheduler operation takes',
  RequestEntityTooLargeException: "a body over the front end's limit",
};

export function schedulerError(type: SchedulerErrorType, message: string): AwsError {
  return modelledError(SCHEDULER_MODEL, type, message);
}

export function validation(message: string): AwsError {
  return schedulerError('ValidationException', message);
}

/** As recorded from AWS (LocalStack's tests/aws/services/scheduler/test_scheduler.snapshot.json, invalid expressions). */
export function invalidExpression(expression: string): AwsError {
  return validation(`Invalid Schedule Expression ${expression}.`);
}

/** "Schedule <name> does not exist." as AWS answers GetSchedule/UpdateSchedule (aws/aws-sdk-js-v3 issue 5720). */
export function scheduleNotFound(name: string): AwsError {
  return schedulerError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
}

/** Worded after the schedule's message (Flint's guess for groups). */
export function groupNotFound(name: string): AwsError {
  return schedulerError('ResourceNotFoundException', `Schedule group ${name} does not exist.`);
}

/** Flint's wording, after the not-found messages. */
export function scheduleExists(name: string): AwsError {
  return schedulerError('ConflictException', `Schedule ${name} already exists.`);
}

export function groupExists(name: string): AwsError {
  return schedulerError('ConflictException', `Schedule group ${name} already exists.`);
}

/** How Scheduler words failures before an operation runs: the model's shapes where it has them. */
export const SCHEDULER_WORDING: Partial<Wording> = {
  validation: (message) => validation(message),
  internal: () => schedulerError('InternalServerException', 'Unexpected error occurred while processing the request.'),
};
