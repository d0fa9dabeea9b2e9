import type {
  CreateScheduleInput,
  CreateScheduleOutput,
  DeleteScheduleInput,
  GetScheduleInput,
  GetScheduleOutput,
  ListSchedulesInput,
  ListSchedulesOutput,
  UpdateScheduleInput,
  UpdateScheduleOutput,
} from './api.js';
import { page, scheduleArn, type SchedulerContext } from './context.js';
import { groupNotFound, scheduleExists, scheduleNotFound } from './errors.js';
import { checkScheduleInput, scheduleFields, targetView } from './schedule-input.js';
import { scheduleKey } from './state.js';
import { DEFAULT_GROUP, type ScheduleRecord } from './types.js';

export async function createSchedule(ctx: SchedulerContext, input: CreateScheduleInput): Promise<CreateScheduleOutput> {
  checkScheduleInput(input);
  const group = input.GroupName ?? DEFAULT_GROUP;
  if (!(await ctx.state.group(group))) throw groupNotFound(group);
  const now = ctx.clock.now();
  const fields = scheduleFields(input);
  const schedule: ScheduleRecord = {
    name: input.Name,
    group,
    arn: scheduleArn(ctx.scope, group, input.Name),
    createdAt: now,
    modifiedAt: now,
    ...fields,
    clientToken: input.ClientToken,
    anchor: fields.startDate ?? now,
    generation: 1,
  };
  if (!(await ctx.state.createSchedule(schedule))) {
    // A retried request (same client token) gets the schedule it created.
    const existing = (await ctx.state.schedule(group, input.Name))?.value;
    if (input.ClientToken !== undefined && existing?.clientToken === input.ClientToken) return { ScheduleArn: existing.arn };
    throw scheduleExists(input.Name);
  }
  ctx.runner.arm(schedule, now);
  return { ScheduleArn: schedule.arn };
}

export async function getSchedule(ctx: SchedulerContext, input: GetScheduleInput): Promise<GetScheduleOutput> {
  return scheduleView(await existing(ctx, input.GroupName, input.Name));
}

export async function updateSchedule(ctx: SchedulerContext, input: UpdateScheduleInput): Promise<UpdateScheduleOutput> {
  checkScheduleInput(input);
  const group = input.GroupName ?? DEFAULT_GROUP;
  const now = ctx.clock.now();
  const fields = scheduleFields(input);
  const updated = await ctx.state.updateSchedule(group, input.Name, (schedule) => {
    // A new expression, zone or start is a new plan: it counts from now and may run again.
    const replanned = schedule.expression !== fields.expression || schedule.timezone !== fields.timezone || schedule.startDate !== fields.startDate;
    const next: ScheduleRecord = { ...schedule, ...fields, modifiedAt: now, generation: schedule.generation + 1 };
    if (replanned) {
      next.anchor = fields.startDate ?? now;
      delete next.lastFiredAt;
    }
    delete next.completed;
    return next;
  });
  if (!updated) throw scheduleNotFound(input.Name);
  ctx.runner.arm(updated, now);
  return { ScheduleArn: updated.arn };
}

export async function deleteSchedule(ctx: SchedulerContext, input: DeleteScheduleInput): Promise<void> {
  const group = input.GroupName ?? DEFAULT_GROUP;
  if (!(await ctx.state.deleteSchedule(group, input.Name))) throw scheduleNotFound(input.Name);
  ctx.runner.disarm(group, input.Name);
}

/** Schedules by group, then name, filtered by group, name prefix and state. */
export async function listSchedules(ctx: SchedulerContext, input: ListSchedulesInput): Promise<ListSchedulesOutput> {
  if (input.GroupName !== undefined && !(await ctx.state.group(input.GroupName))) throw groupNotFound(input.GroupName);
  const all = await ctx.state.schedules(input.GroupName);
  const matching = all.filter((s) => (input.NamePrefix === undefined || s.name.startsWith(input.NamePrefix)) && (input.State === undefined || s.state === input.State));
  const { items, nextToken } = page(matching, (s) => scheduleKey(s.group, s.name), input.NextToken, input.MaxResults);
  return {
    Schedules: items.map((s) => ({
      Arn: s.arn,
      CreationDate: new Date(s.createdAt),
      GroupName: s.group,
      LastModificationDate: new Date(s.modifiedAt),
      Name: s.name,
      State: s.state,
      Target: { Arn: s.target.Arn },
    })),
    NextToken: nextToken,
  };
}

async function existing(ctx: SchedulerContext, group: string | undefined, name: string): Promise<ScheduleRecord> {
  const schedule = (await ctx.state.schedule(group ?? DEFAULT_GROUP, name))?.value;
  if (!schedule) throw scheduleNotFound(name);
  return schedule;
}

/** GetSchedule's answer: what was set, with AWS's defaults for what was not (UTC, NONE, the default RetryPolicy). */
function scheduleView(s: ScheduleRecord): GetScheduleOutput {
  return {
    ActionAfterCompletion: s.actionAfterCompletion,
    Arn: s.arn,
    CreationDate: new Date(s.createdAt),
    Description: s.description,
    EndDate: s.endDate === undefined ? undefined : new Date(s.endDate),
    FlexibleTimeWindow: s.flexibleTimeWindow,
    GroupName: s.group,
    KmsKeyArn: s.kmsKeyArn,
    LastModificationDate: new Date(s.modifiedAt),
    Name: s.name,
    ScheduleExpression: s.expression,
    ScheduleExpressionTimezone: s.timezone ?? 'UTC',
    StartDate: s.startDate === undefined ? undefined : new Date(s.startDate),
    State: s.state,
    Target: targetView(s.target),
  };
}
