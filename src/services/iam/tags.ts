import type { Tag } from './api.js';
import { invalidInput, limitExceeded } from './errors.js';
import type { TagRecord } from './records.js';

/**
 * Tags of roles, users, policies and instance profiles. Keys are case-insensitive in IAM: a request naming one
 * key twice in any case is refused, and tagging with a key that exists in another case replaces it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#id_tags_rules_creating). At most 50 per entity.
 */
const TAG_QUOTA = 50;

export function newTags(tags: readonly Tag[] | undefined): TagRecord[] {
  const list = (tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value }));
  const keys = new Set<string>();
  for (const tag of list) {
    const key = tag.Key.toLowerCase();
    if (keys.has(key)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    keys.add(key);
  }
  return list;
}

export function addTags(existing: readonly TagRecord[], tags: readonly Tag[]): TagRecord[] {
  const added = newTags(tags);
  const replaced = new Set(added.map((tag) => tag.Key.toLowerCase()));
  const merged = [...existing.filter((tag) => !replaced.has(tag.Key.toLowerCase())), ...added];
  if (merged.length > TAG_QUOTA) throw limitExceeded(`The number of tags has reached the maximum limit.`);
  return merged;
}

export function removeTags(existing: readonly TagRecord[], keys: readonly string[]): TagRecord[] {
  const removed = new Set(keys.map((key) => key.toLowerCase()));
  return existing.filter((tag) => !removed.has(tag.Key.toLowerCase()));
}
