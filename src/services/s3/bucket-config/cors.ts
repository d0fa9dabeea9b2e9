import type { CORSRule, DeleteBucketCorsRequest, GetBucketCorsOutput, GetBucketCorsRequest, PutBucketCorsRequest } from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { invalidRequest, malformedXml } from '../errors.js';
import { noSuchCorsConfiguration } from './errors.js';
import { bucketConfig, CONFIG, writeConfig } from './store.js';

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html: up to 100 rules, these methods. */
const MAX_RULES = 100;
const METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);

export async function putBucketCors(input: PutBucketCorsRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const rules = checkCorsRules(input.CORSConfiguration?.CORSRules ?? []);
  await writeConfig(deps, bucket.name, CONFIG.cors, rules);
}

export async function getBucketCors(input: GetBucketCorsRequest, { deps }: S3Context): Promise<GetBucketCorsOutput> {
  const { bucket, value } = await bucketConfig<CORSRule[]>(deps, input.Bucket, CONFIG.cors);
  if (!value) throw noSuchCorsConfiguration(bucket.name);
  return { CORSRules: value };
}

export async function deleteBucketCors(input: DeleteBucketCorsRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  await writeConfig(deps, bucket.name, CONFIG.cors, undefined);
}

/** S3's checks of a CORS configuration (test_put_cors_invalid_rules: an empty rule list is MalformedXML). */
function checkCorsRules(rules: readonly CORSRule[]): CORSRule[] {
  if (rules.length === 0 || rules.length > MAX_RULES) throw malformedXml();
  for (const rule of rules) {
    if (!rule.AllowedMethods?.length || !rule.AllowedOrigins?.length) throw malformedXml();
    const unsupported = rule.AllowedMethods.find((method) => !METHODS.has(method));
    if (unsupported !== undefined) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${unsupported}`);
    for (const origin of rule.AllowedOrigins) {
      if (wildcards(origin) > 1) throw invalidRequest(`AllowedOrigin "${origin}" can not have more than one wildcard.`);
    }
    for (const header of rule.AllowedHeaders ?? []) {
      if (wildcards(header) > 1) throw invalidRequest(`AllowedHeader "${header}" can not have more than one wildcard.`);
    }
  }
  return rules.map(copyRule);
}

/** The members S3 keeps, in its order (a rule as GetBucketCors returns it). */
function copyRule(rule: CORSRule): CORSRule {
  const copy: CORSRule = { AllowedMethods: [...rule.AllowedMethods], AllowedOrigins: [...rule.AllowedOrigins] };
  if (rule.ID !== undefined) copy.ID = rule.ID;
  if (rule.AllowedHeaders?.length) copy.AllowedHeaders = [...rule.AllowedHeaders];
  if (rule.ExposeHeaders?.length) copy.ExposeHeaders = [...rule.ExposeHeaders];
  if (rule.MaxAgeSeconds !== undefined) copy.MaxAgeSeconds = rule.MaxAgeSeconds;
  return copy;
}

function wildcards(pattern: string): number {
  return pattern.split('*').length - 1;
}
