import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import type { SchedulerContext } from './context.js';
import { createGroup, deleteGroup, getGroup, listGroups, listTags, tagResource, untagResource } from './groups.js';
import { createSchedule, deleteSchedule, getSchedule, listSchedules, updateSchedule } from './schedules.js';

/** Every operation of Scheduler's model, typed by it: the kit reads each request into the input and writes the output. */
export const HANDLERS: Handlers<Operations, SchedulerContext> = {
  CreateSchedule: (input, ctx) => createSchedule(ctx, input),
  GetSchedule: (input, ctx) => getSchedule(ctx, input),
  UpdateSchedule: (input, ctx) => updateSchedule(ctx, input),
  DeleteSchedule: async (input, ctx) => deleteSchedule(ctx, input),
  ListSchedules: (input, ctx) => listSchedules(ctx, input),
  CreateScheduleGroup: (input, ctx) => createGroup(ctx, input),
  GetScheduleGroup: (input, ctx) => getGroup(ctx, input.Name),
  DeleteScheduleGroup: async (input, ctx) => deleteGroup(ctx, input.Name),
  ListScheduleGroups: (input, ctx) => listGroups(ctx, input),
  TagResource: async (input, ctx) => tagResource(ctx, input.ResourceArn, input.Tags),
  UntagResource: async (input, ctx) => untagResource(ctx, input.ResourceArn, input.TagKeys),
  ListTagsForResource: (input, ctx) => listTags(ctx, input.ResourceArn),
};
