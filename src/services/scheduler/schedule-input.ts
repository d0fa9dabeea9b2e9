import type { CreateScheduleInput, FlexibleTimeWindow, Target } from './api.js';
import { invalidExpression, validation } from './errors.js';
import { parseExpression, zoneNamed } from './expressions.js';
import { DEFAULT_RETRY } from './invocations.js';
import type { ScheduleRecord } from './types.js';

/** The members CreateSchedule and UpdateSchedule share. */
export type ScheduleInput = Omit<CreateScheduleInput, 'Name' | 'GroupName' | 'ClientToken'>;

/**
 * Scheduler's checks beyond the model's constraints (which the kit has already applied). The expression's message is
 * recorded from AWS; the others are Flint's wording, as no recording of AWS's was at hand.
 */
export function checkScheduleInput(input: ScheduleInput): void {
  if (!parseExpression(input.ScheduleExpression)) throw invalidExpression(input.ScheduleExpression);
  if (!zoneNamed(input.ScheduleExpressionTimezone)) throw validation(`Invalid ScheduleExpressionTimezone ${input.ScheduleExpressionTimezone ?? ''}.`);
  checkWindow(input.FlexibleTimeWindow);
  if (input.StartDate && input.EndDate && input.EndDate.getTime() <= input.StartDate.getTime()) throw validation('The EndDate must be after the StartDate.');
  if (!/^arn:[^:]+:[^:]+:/.test(input.Target.Arn)) throw validation(`Invalid target arn ${input.Target.Arn}.`);
}

function checkWindow(window: FlexibleTimeWindow): void {
  if (window.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes === undefined) throw validation('MaximumWindowInMinutes must be provided when Mode is FLEXIBLE.');
  if (window.Mode === 'OFF' && window.MaximumWindowInMinutes !== undefined) throw validation('MaximumWindowInMinutes must not be provided when Mode is OFF.');
}

/** The stored fields an input sets; UpdateSchedule replaces them all, so members left out go back to their defaults. */
export function scheduleFields(input: ScheduleInput): Pick<
  ScheduleRecord,
  'expression' | 'timezone' | 'startDate' | 'endDate' | 'description' | 'state' | 'flexibleTimeWindow' | 'target' | 'actionAfterCompletion' | 'kmsKeyArn'
> {
  return {
    expression: input.ScheduleExpression,
    timezone: input.ScheduleExpressionTimezone,
    startDate: input.StartDate?.getTime(),
    endDate: input.EndDate?.getTime(),
    description: input.Description,
    state: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    flexibleTimeWindow: input.FlexibleTimeWindow,
    target: input.Target,
    actionAfterCompletion: input.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
    kmsKeyArn: input.KmsKeyArn,
  };
}

/**
 * The target as GetSchedule shows it: as given, with AWS's default RetryPolicy filled in (recorded from AWS:
 * LocalStack's tests/aws/services/cloudformation/resource_providers/scheduler/test_scheduler.snapshot.json).
 */
export function targetView(target: Target): Target {
  return { ...target, RetryPolicy: { ...DEFAULT_RETRY, ...target.RetryPolicy } };
}
