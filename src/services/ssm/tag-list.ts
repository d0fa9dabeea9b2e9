import type { Tag } from './api.js';
import { ssmError } from './errors.js';

/** A resource carries at most 50 tags (AWS's documented quota). */
const MAX_TAGS = 50;

/** New values replace old ones of the same key; keys keep the order they were first set in. */
export function checkTags(current: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(current.map((t) => [t.Key, t.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  // Flint's wording.
  if (merged.size > MAX_TAGS) throw ssmError('TooManyTagsError', `A resource can have at most ${MAX_TAGS} tags.`);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
