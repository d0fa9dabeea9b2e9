import { invalidParameter, missingParameter } from './errors.js';

/**
 * Queue tags as SQS limits them (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-tags.html
 * and the quotas page): at most 50 per queue, keys of 1 to 128 and values of up to 256 Unicode characters, letters,
 * digits, spaces and `_ . : / = + - @` only, keys case-sensitive, and the `aws:` prefix reserved for AWS. SQS's
 * own wording of these refusals is not in any recording at hand; Flint uses SQS's "Value … for parameter … is
 * invalid. Reason: …" form.
 */
export const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;
const CHARSET = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function length(text: string): number {
  return [...text].length;
}

export function checkTagKey(key: string): void {
  if (length(key) < 1 || length(key) > MAX_KEY) throw invalidParameter('TagKey', key, `Tag keys must be between 1 and ${MAX_KEY} characters in length.`);
  if (!CHARSET.test(key)) throw invalidParameter('TagKey', key, 'Tag keys can only contain Unicode letters, digits, white space, and these characters: _ . : / = + - @');
  if (key.toLowerCase().startsWith('aws:')) throw invalidParameter('TagKey', key, "Tag keys can't start with the reserved prefix aws:.");
}

/** Checks tags given to CreateQueue or TagQueue; `existing` counts towards the 50. */
export function checkTags(tags: Record<string, string>, existing: Record<string, string> = {}): void {
  for (const [key, value] of Object.entries(tags)) {
    checkTagKey(key);
    if (length(value) > MAX_VALUE) throw invalidParameter('TagValue', value, `Tag values can be at most ${MAX_VALUE} characters in length.`);
    if (!CHARSET.test(value)) throw invalidParameter('TagValue', value, 'Tag values can only contain Unicode letters, digits, white space, and these characters: _ . : / = + - @');
  }
  const total = Object.keys({ ...existing, ...tags }).length;
  if (total > MAX_TAGS) throw invalidParameter('Tags', total, `Too many tags: a queue can have at most ${MAX_TAGS} tags.`);
}

/** TagQueue and UntagQueue need something to do: an empty map or list is refused as a missing parameter. */
export function checkNotEmpty(name: 'Tags' | 'TagKeys', count: number): void {
  if (count === 0) throw missingParameter(name);
}
