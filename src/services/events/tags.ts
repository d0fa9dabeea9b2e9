import type { ListTagsForResourceRequest, ListTagsForResourceResponse, Tag, TagResourceRequest, UntagResourceRequest } from './api.js';
import { resourceOf } from './arns.js';
import { busNotFound, ruleNotFound } from './errors.js';
import type { EventsContext } from './types.js';

/** Tags of buses and rules, named by ARN. A tag given again replaces the old value. */
export async function tagResource(ctx: EventsContext, input: TagResourceRequest): Promise<void> {
  await update(ctx, input.ResourceARN, (tags) => {
    const keys = new Set(input.Tags.map((t) => t.Key));
    return [...tags.filter((t) => !keys.has(t.Key)), ...input.Tags];
  });
}

export async function untagResource(ctx: EventsContext, input: UntagResourceRequest): Promise<void> {
  const keys = new Set(input.TagKeys);
  await update(ctx, input.ResourceARN, (tags) => tags.filter((t) => !keys.has(t.Key)));
}

export async function listTagsForResource(ctx: EventsContext, input: ListTagsForResourceRequest): Promise<ListTagsForResourceResponse> {
  let tags: Tag[] = [];
  await update(ctx, input.ResourceARN, (current) => {
    tags = current;
    return undefined;
  });
  return { Tags: tags };
}

/** Reads a resource's tags and stores what `change` returns (nothing when it returns undefined). */
async function update(ctx: EventsContext, arn: string, change: (tags: Tag[]) => Tag[] | undefined): Promise<void> {
  const resource = resourceOf(arn);
  if (!resource) throw busNotFound(arn);
  if (resource.kind === 'bus') {
    const bus = await ctx.state.bus(resource.bus);
    if (!bus) throw busNotFound(resource.bus);
    const tags = change(bus.tags);
    if (tags) await ctx.state.putBus({ ...bus, tags });
    return;
  }
  const rule = await ctx.state.rule(resource.bus, resource.name);
  if (!rule) throw ruleNotFound(resource.name, resource.bus);
  const tags = change(rule.tags);
  if (tags) await ctx.state.putRule({ ...rule, tags });
}
