import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import type { LogsBackend } from './backend.js';
import { groupNotFound, invalidParameter, tooManyTags } from './errors.js';
import { groupFromResourceArn } from './names.js';

type Ctx = { backend: LogsBackend };

const MAX_TAGS = 50;

/** A group has at most 50 tags (TooManyTagsException past that). */
export function checkTags(group: string, tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw tooManyTags(group);
}

/** Tags of log groups, by name (the older TagLogGroup family) and by ARN (TagResource family). */
export function tagHandlers(): Handlers<Operations, Ctx> {
  const tag = async (backend: LogsBackend, group: string, tags: Record<string, string>): Promise<void> => {
    await backend.group(group);
    let error: Error | undefined;
    await backend.groups.update(group, (g) => {
      const next = { ...g.tags, ...tags };
      error = Object.keys(next).length > MAX_TAGS ? tooManyTags(group) : undefined;
      return error ? g : { ...g, tags: next };
    });
    if (error) throw error;
  };
  const untag = async (backend: LogsBackend, group: string, keys: string[]): Promise<void> => {
    await backend.group(group);
    await backend.groups.update(group, (g) => ({ ...g, tags: Object.fromEntries(Object.entries(g.tags).filter(([k]) => !keys.includes(k))) }));
  };
  const groupOfArn = (arn: string): string => {
    const group = groupFromResourceArn(arn);
    if (group === undefined) throw invalidParameter(`Invalid resource ARN: ${arn}`);
    return group;
  };
  return {
    TagLogGroup: async (input, { backend }) => tag(backend, input.logGroupName, input.tags),
    UntagLogGroup: async (input, { backend }) => untag(backend, input.logGroupName, input.tags),
    ListTagsLogGroup: async (input, { backend }) => ({ tags: (await backend.group(input.logGroupName)).tags }),
    TagResource: async (input, { backend }) => tag(backend, groupOfArn(input.resourceArn), input.tags),
    UntagResource: async (input, { backend }) => untag(backend, groupOfArn(input.resourceArn), input.tagKeys),
    ListTagsForResource: async (input, { backend }) => {
      const group = await backend.groups.get(groupOfArn(input.resourceArn));
      if (!group) throw groupNotFound();
      return { tags: group.tags };
    },
  };
}
