import { z } from 'zod';
import { derivedUuid } from '../../events/index.js';
import type { EnqueueItem } from '../../storage/index.js';
import type { ScheduleRecord } from './types.js';

/**
 * One durable work item per invocation, in the `scheduler-invocations` queue, stored in the same write that records
 * the schedule fired (an outbox). Each is self-contained, so a retry after a restart sends what the first attempt
 * would have, even if the schedule was changed or deleted since.
 */
export const INVOCATION_QUEUE = 'scheduler-invocations';

/** AWS's defaults when a target has no RetryPolicy, or leaves a member out (GetSchedule shows them). */
export const DEFAULT_RETRY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } as const;

export const invocationSchema = z.object({
  scheduleArn: z.string(),
  targetArn: z.string(),
  /** Target.Input as given, context attributes not yet filled in (the attempt number changes per attempt). */
  input: z.string().optional(),
  messageGroupId: z.string().optional(),
  /** The instant the schedule named, epoch ms (its flexible window may have delayed the invocation). */
  scheduledAt: z.number(),
  executionId: z.string(),
  maxRetries: z.number(),
  maxAgeMs: z.number(),
  deadLetterArn: z.string().optional(),
});

export type Invocation = z.infer<typeof invocationSchema>;

export function invocationOf(schedule: ScheduleRecord, scheduledAt: number): Invocation {
  const { target } = schedule;
  const executionId = derivedUuid(`scheduler|${schedule.arn}|${schedule.generation}|${scheduledAt}`);
  return {
    scheduleArn: schedule.arn,
    targetArn: target.Arn,
    input: target.Input,
    messageGroupId: target.SqsParameters?.MessageGroupId,
    scheduledAt,
    executionId,
    maxRetries: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY.MaximumRetryAttempts,
    maxAgeMs: (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_RETRY.MaximumEventAgeInSeconds) * 1000,
    deadLetterArn: target.DeadLetterConfig?.Arn,
  };
}

/** The item's id is the execution id: a firing stored twice (a retried write) is queued once. */
export function invocationItem(invocation: Invocation): EnqueueItem {
  return { id: invocation.executionId, body: JSON.stringify(invocation) };
}

/**
 * What the target receives: Target.Input with Scheduler's context attributes filled in
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html), or, without an
 * Input, an empty JSON object (Flint's choice for AWS's unspecified "default notification").
 */
export function renderInput(invocation: Invocation, attempt: number): string {
  if (invocation.input === undefined) return '{}';
  const values: Record<string, string> = {
    'schedule-arn': invocation.scheduleArn,
    'scheduled-time': new Date(invocation.scheduledAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'execution-id': invocation.executionId,
    'attempt-number': String(attempt),
  };
  return invocation.input.replace(/<aws\.scheduler\.(schedule-arn|scheduled-time|execution-id|attempt-number)>/g, (_, name: string) => values[name] ?? '');
}
