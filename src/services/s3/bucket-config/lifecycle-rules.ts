import type { ObjectSummary } from '../../../storage/index.js';
import type { LifecycleRule, LifecycleRuleFilter, Tag } from '../api.js';

/**
 * When S3's lifecycle expires an object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html):
 * for Days, the creation time plus that many days, rounded up to the next midnight UTC; for Date, that midnight.
 * A rule stored as JSON keeps its Date as ISO text.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/** A rule as stored: the model's rule with its Date as ISO text. */
export type StoredRule = Omit<LifecycleRule, 'Expiration'> & { Expiration?: { Days?: number; Date?: string; ExpiredObjectDeleteMarker?: boolean } };

/** When an object expires under a rule (epoch ms), or undefined if the rule does not expire it. */
export function expiryOf(rule: StoredRule, object: ObjectSummary, tags: readonly Tag[] | undefined): number | undefined {
  if (rule.Status !== 'Enabled' || !matches(rule, object, tags)) return undefined;
  const expiration = rule.Expiration;
  if (expiration?.Days !== undefined) return Math.ceil((object.lastModified + expiration.Days * DAY_MS) / DAY_MS) * DAY_MS;
  if (expiration?.Date !== undefined) return Date.parse(expiration.Date);
  return undefined;
}

/** The earliest expiry among the rules, with the rule's id (S3's x-amz-expiration names both). */
export function earliestExpiry(rules: readonly StoredRule[], object: ObjectSummary, tags: readonly Tag[] | undefined): { at: number; ruleId: string } | undefined {
  let best: { at: number; ruleId: string } | undefined;
  for (const rule of rules) {
    const at = expiryOf(rule, object, tags);
    if (at !== undefined && (!best || at < best.at)) best = { at, ruleId: rule.ID ?? '' };
  }
  return best;
}

/** The longest key prefix every object a rule applies to starts with (to list only those). */
export function prefixOf(rule: StoredRule): string {
  const filter = rule.Filter;
  return filter?.Prefix ?? filter?.And?.Prefix ?? rule.Prefix ?? '';
}

/**
 * Whether a rule's filter selects the object. `tags` are the object's tags when known; a rule that filters on tags
 * selects nothing when they are not (Flint never expires what it cannot show matches).
 */
function matches(rule: StoredRule, object: ObjectSummary, tags: readonly Tag[] | undefined): boolean {
  if (!object.key.startsWith(prefixOf(rule))) return false;
  const filter: LifecycleRuleFilter = rule.Filter ?? {};
  const and = filter.And ?? {};
  const wanted = [...(filter.Tag ? [filter.Tag] : []), ...(and.Tags ?? [])];
  if (wanted.length > 0 && !wanted.every((tag) => tags?.some((own) => own.Key === tag.Key && own.Value === tag.Value))) return false;
  const greater = filter.ObjectSizeGreaterThan ?? and.ObjectSizeGreaterThan;
  const less = filter.ObjectSizeLessThan ?? and.ObjectSizeLessThan;
  if (greater !== undefined && !(object.size > greater)) return false;
  if (less !== undefined && !(object.size < less)) return false;
  return true;
}

/** S3's x-amz-expiration header for an object's expiry (as on PutObject, GetObject and HeadObject). */
export function expirationHeader(expiry: { at: number; ruleId: string }): string {
  return `expiry-date="${new Date(expiry.at).toUTCString()}", rule-id="${expiry.ruleId}"`;
}
