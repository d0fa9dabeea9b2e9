import { shortId } from '../../../core/index.js';
import { reply, type Reply } from '../../../protocol/index.js';
import type {
  DeleteBucketLifecycleRequest,
  GetBucketLifecycleConfigurationOutput,
  GetBucketLifecycleConfigurationRequest,
  LifecycleRule,
  LifecycleRuleFilter,
  PutBucketLifecycleConfigurationOutput,
  PutBucketLifecycleConfigurationRequest,
} from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { invalidArgument, invalidRequest, malformedXml } from '../errors.js';
import { noSuchLifecycleConfiguration } from './errors.js';
import type { StoredRule } from './lifecycle-rules.js';
import { bucketConfig, CONFIG, writeConfig } from './store.js';

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html: up to 1,000 rules. */
const MAX_RULES = 1000;
const MAX_ID_LENGTH = 255;
const DEFAULT_MINIMUM_SIZE = 'all_storage_classes_128K';
const MINIMUM_SIZES: ReadonlySet<string> = new Set([DEFAULT_MINIMUM_SIZE, 'varies_by_storage_class']);

interface StoredLifecycle {
  rules: StoredRule[];
  minimumSize: string;
}

export async function putBucketLifecycle(input: PutBucketLifecycleConfigurationRequest, { deps }: S3Context): Promise<Reply<PutBucketLifecycleConfigurationOutput>> {
  const bucket = await requireBucket(deps, input.Bucket);
  const minimumSize = input.TransitionDefaultMinimumObjectSize ?? DEFAULT_MINIMUM_SIZE;
  if (!MINIMUM_SIZES.has(minimumSize)) throw invalidRequest(`Invalid TransitionDefaultMinimumObjectSize found: ${minimumSize}`);
  const rules = checkRules(input.LifecycleConfiguration?.Rules ?? []);
  const stored: StoredLifecycle = { rules, minimumSize };
  await writeConfig(deps, bucket.name, CONFIG.lifecycle, stored);
  return reply({ TransitionDefaultMinimumObjectSize: minimumSize }, {});
}

export async function getBucketLifecycle(input: GetBucketLifecycleConfigurationRequest, { deps }: S3Context): Promise<GetBucketLifecycleConfigurationOutput> {
  const { bucket, value } = await bucketConfig<StoredLifecycle>(deps, input.Bucket, CONFIG.lifecycle);
  if (!value) throw noSuchLifecycleConfiguration(bucket.name);
  return { Rules: value.rules.map(outputRule), TransitionDefaultMinimumObjectSize: value.minimumSize };
}

export async function deleteBucketLifecycle(input: DeleteBucketLifecycleRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  await writeConfig(deps, bucket.name, CONFIG.lifecycle, undefined);
}

/** The rules of a bucket's lifecycle configuration, if it has one. */
export function lifecycleRules(configs: Readonly<Record<string, string>>): StoredRule[] | undefined {
  const stored = configs[CONFIG.lifecycle];
  return stored === undefined ? undefined : (JSON.parse(stored) as StoredLifecycle).rules;
}

/** S3's checks of a lifecycle configuration, in the words test_put_bucket_lifecycle_conf_exc records. */
function checkRules(rules: readonly LifecycleRule[]): StoredRule[] {
  if (rules.length === 0 || rules.length > MAX_RULES) throw malformedXml();
  const ids = new Set<string>();
  return rules.map((rule) => {
    const id = rule.ID ?? shortId(20);
    if (id.length > MAX_ID_LENGTH) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', id);
    if (ids.has(id)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id);
    ids.add(id);
    return checkRule({ ...rule, ID: id });
  });
}

function checkRule(rule: LifecycleRule): StoredRule {
  if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled') throw malformedXml();
  // A rule names what it applies to: a Filter (possibly empty), or the legacy Prefix, not both.
  if ((rule.Filter === undefined) === (rule.Prefix === undefined)) throw malformedXml();
  if (rule.Filter) checkFilter(rule.Filter);
  const actions = [rule.Expiration, rule.Transitions?.length ? rule.Transitions : undefined, rule.NoncurrentVersionExpiration, rule.NoncurrentVersionTransitions?.length ? rule.NoncurrentVersionTransitions : undefined, rule.AbortIncompleteMultipartUpload];
  if (actions.every((action) => action === undefined)) throw invalidRequest('At least one action needs to be specified in a rule');
  const noncurrent = rule.NoncurrentVersionExpiration;
  if (noncurrent && noncurrent.NoncurrentDays === undefined && noncurrent.NewerNoncurrentVersions === undefined) throw malformedXml();
  const stored = { ...rule } as StoredRule;
  if (rule.Expiration) stored.Expiration = checkExpiration(rule.Expiration);
  return stored;
}

function checkFilter(filter: LifecycleRuleFilter): void {
  const given = [filter.Prefix, filter.Tag, filter.ObjectSizeGreaterThan, filter.ObjectSizeLessThan, filter.And].filter((part) => part !== undefined);
  if (given.length > 1) throw malformedXml();
  const tags = filter.And?.Tags ?? [];
  if (new Set(tags.map((tag) => tag.Key)).size !== tags.length) throw invalidRequest('Duplicate Tag Keys are not allowed.');
}

function checkExpiration(expiration: NonNullable<LifecycleRule['Expiration']>): StoredRule['Expiration'] {
  const { Days: days, Date: date, ExpiredObjectDeleteMarker: marker } = expiration;
  if ([days, date, marker].filter((part) => part !== undefined).length !== 1) throw malformedXml();
  if (days !== undefined && days <= 0) throw invalidArgument("'Days' for Expiration action must be a positive integer", 'Days', days);
  if (date !== undefined) {
    const time = new Date(date).getTime();
    if (time % (24 * 60 * 60 * 1000) !== 0) throw invalidArgument("'Date' must be at midnight GMT", 'Date', new Date(date).toISOString());
    return { Date: new Date(date).toISOString() };
  }
  return days !== undefined ? { Days: days } : { ExpiredObjectDeleteMarker: marker };
}

/** A stored rule as the model writes it (its Date a Date again). */
function outputRule(rule: StoredRule): LifecycleRule {
  const { Expiration: expiration, ...rest } = rule;
  if (!expiration) return rest as LifecycleRule;
  return { ...rest, Expiration: { ...expiration, Date: expiration.Date === undefined ? undefined : new Date(expiration.Date) } } as LifecycleRule;
}
