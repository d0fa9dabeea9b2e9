import type { DeleteBucketWebsiteRequest, GetBucketWebsiteOutput, GetBucketWebsiteRequest, PutBucketWebsiteRequest, WebsiteConfiguration } from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { invalidArgument, invalidRequest, malformedXml } from '../errors.js';
import { noSuchWebsiteConfiguration } from './errors.js';
import { bucketConfig, CONFIG, writeConfig } from './store.js';

const PROTOCOLS: ReadonlySet<string> = new Set(['http', 'https']);

/** PutBucketWebsite: kept and returned; Flint serves no website endpoint. Checks as test_validate_website_configuration records. */
export async function putBucketWebsite(input: PutBucketWebsiteRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const config = input.WebsiteConfiguration;
  if (!config) throw malformedXml();
  checkWebsite(config);
  await writeConfig(deps, bucket.name, CONFIG.website, config);
}

export async function getBucketWebsite(input: GetBucketWebsiteRequest, { deps }: S3Context): Promise<GetBucketWebsiteOutput> {
  const { bucket, value } = await bucketConfig<WebsiteConfiguration>(deps, input.Bucket, CONFIG.website);
  if (!value) throw noSuchWebsiteConfiguration(bucket.name);
  return value;
}

export async function deleteBucketWebsite(input: DeleteBucketWebsiteRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  await writeConfig(deps, bucket.name, CONFIG.website, undefined);
}

function checkWebsite(config: WebsiteConfiguration): void {
  const redirectAll = config.RedirectAllRequestsTo;
  if (redirectAll) {
    if (config.IndexDocument || config.ErrorDocument || config.RoutingRules?.length) {
      throw invalidArgument('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 'RedirectAllRequestsTo', 'not null');
    }
    checkProtocol(redirectAll.Protocol);
    return;
  }
  if (!config.IndexDocument) throw invalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument', 'null');
  const suffix = config.IndexDocument.Suffix;
  if (!suffix || suffix.includes('/')) throw invalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', suffix || undefined);
  for (const rule of config.RoutingRules ?? []) {
    if (rule.Condition && rule.Condition.HttpErrorCodeReturnedEquals === undefined && rule.Condition.KeyPrefixEquals === undefined) {
      throw invalidRequest("Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.");
    }
    if (!rule.Redirect) throw malformedXml();
    checkProtocol(rule.Redirect.Protocol);
    if (rule.Redirect.ReplaceKeyPrefixWith !== undefined && rule.Redirect.ReplaceKeyWith !== undefined) {
      throw invalidRequest('You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
    }
  }
}

function checkProtocol(protocol: string | undefined): void {
  if (protocol !== undefined && !PROTOCOLS.has(protocol)) {
    throw invalidRequest('Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.');
  }
}
