import type {
  CreateScheduleGroupInput,
  CreateScheduleGroupOutput,
  GetScheduleGroupOutput,
  ListScheduleGroupsInput,
  ListScheduleGroupsOutput,
  ListTagsForResourceOutput,
  ScheduleGroupSummary,
  Tag,
} from './api.js';
import { groupArn, page, type SchedulerContext } from './context.js';
import { groupExists, groupNotFound, validation } from './errors.js';
import { DEFAULT_GROUP, type GroupRecord } from './types.js';

/** Tags a group holds at most (as many as one TagResource may set: the model's TagList limit). */
const MAX_TAGS = 200;

/** The default group exists in every account from the start. */
export async function ensureDefaultGroup(ctx: SchedulerContext): Promise<void> {
  if (await ctx.state.group(DEFAULT_GROUP)) return;
  const now = ctx.clock.now();
  await ctx.state.createGroup({ name: DEFAULT_GROUP, arn: groupArn(ctx.scope, DEFAULT_GROUP), createdAt: now, modifiedAt: now, tags: [] });
}

export async function createGroup(ctx: SchedulerContext, input: CreateScheduleGroupInput): Promise<CreateScheduleGroupOutput> {
  const tags = mergeTags([], input.Tags ?? []);
  const now = ctx.clock.now();
  const group: GroupRecord = { name: input.Name, arn: groupArn(ctx.scope, input.Name), createdAt: now, modifiedAt: now, tags };
  if (!(await ctx.state.createGroup(group))) throw groupExists(input.Name);
  return { ScheduleGroupArn: group.arn };
}

export async function getGroup(ctx: SchedulerContext, name: string): Promise<GetScheduleGroupOutput> {
  return groupView(await existingGroup(ctx, name));
}

/**
 * Deletes the group and its schedules. AWS marks the group DELETING and removes its schedules in the background;
 * Flint does it before answering. The default group cannot be deleted (Flint's wording).
 */
export async function deleteGroup(ctx: SchedulerContext, name: string): Promise<void> {
  if (name === DEFAULT_GROUP) throw validation('The default schedule group cannot be deleted.');
  await existingGroup(ctx, name);
  for (const schedule of await ctx.state.schedules(name)) {
    ctx.runner.disarm(schedule.group, schedule.name);
    await ctx.state.deleteSchedule(schedule.group, schedule.name);
  }
  await ctx.state.deleteGroup(name);
}

export async function listGroups(ctx: SchedulerContext, input: ListScheduleGroupsInput): Promise<ListScheduleGroupsOutput> {
  const groups = (await ctx.state.groups()).filter((g) => input.NamePrefix === undefined || g.name.startsWith(input.NamePrefix));
  const { items, nextToken } = page(groups, (g) => g.name, input.NextToken, input.MaxResults);
  return { ScheduleGroups: items.map(groupView), NextToken: nextToken };
}

export async function tagResource(ctx: SchedulerContext, arn: string, tags: Tag[]): Promise<void> {
  const name = await groupOfArn(ctx, arn);
  const updated = await ctx.state.updateGroup(name, (group) => ({ ...group, tags: mergeTags(group.tags, tags) }));
  if (!updated) throw groupNotFound(name);
}

export async function untagResource(ctx: SchedulerContext, arn: string, keys: string[]): Promise<void> {
  const name = await groupOfArn(ctx, arn);
  const gone = new Set(keys);
  const updated = await ctx.state.updateGroup(name, (group) => ({ ...group, tags: group.tags.filter((t) => !gone.has(t.Key)) }));
  if (!updated) throw groupNotFound(name);
}

export async function listTags(ctx: SchedulerContext, arn: string): Promise<ListTagsForResourceOutput> {
  return { Tags: (await existingGroup(ctx, await groupOfArn(ctx, arn))).tags };
}

/** Tags are on schedule groups only (the model's TagResourceArn pattern); another region's or account's is not here. */
async function groupOfArn(ctx: SchedulerContext, arn: string): Promise<string> {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  if (arn !== groupArn(ctx.scope, name)) throw groupNotFound(name);
  return name;
}

async function existingGroup(ctx: SchedulerContext, name: string): Promise<GroupRecord> {
  const group = await ctx.state.group(name);
  if (!group) throw groupNotFound(name);
  return group;
}

/** New values replace old ones of the same key; keys keep the order they were first set in. */
function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(current.map((t) => [t.Key, t.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS) throw validation(`A resource can have at most ${MAX_TAGS} tags.`);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

function groupView(group: GroupRecord): ScheduleGroupSummary {
  return { Arn: group.arn, CreationDate: new Date(group.createdAt), LastModificationDate: new Date(group.modifiedAt), Name: group.name, State: 'ACTIVE' };
}
