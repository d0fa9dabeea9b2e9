import type { BucketInfo, ObjectStore } from '../../storage/index.js';
import { escapeXml, reply, XML_DECLARATION, type Reply } from '../../protocol/index.js';
import type {
  CreateBucketOutput,
  CreateBucketRequest,
  DeleteBucketRequest,
  GetBucketLocationOutput,
  GetBucketLocationRequest,
  HeadBucketOutput,
  HeadBucketRequest,
  ListBucketsOutput,
  ListBucketsRequest,
} from './api.js';
import type { S3Context, S3Deps } from './context.js';
import { bucketAlreadyOwnedByYou, invalidArgument, invalidBucketName, invalidLocationConstraint, noSuchBucket } from './errors.js';
import { S3_NAMESPACE, seconds } from './format.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
/** S3's legacy name for eu-west-1 in a LocationConstraint. */
const LEGACY_LOCATIONS: Record<string, string> = { EU: 'eu-west-1' };
const DEFAULT_REGION = 'us-east-1';
const MAX_BUCKETS_PER_PAGE = 10_000;

/** S3's general purpose bucket naming rules. */
export function isValidBucketName(name: string): boolean {
  return (
    BUCKET_NAME.test(name) &&
    !name.includes('..') &&
    !IP_ADDRESS.test(name) &&
    !RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
    !RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

/** Creates a bucket declared in flint.yaml if it does not exist yet; returns whether it was created. */
export async function ensureBucket(objects: ObjectStore, name: string, region = DEFAULT_REGION): Promise<boolean> {
  if (!isValidBucketName(name)) throw invalidBucketName(name);
  return objects.createBucket(name, region);
}

/** requireBucket through the call's lookups, so later reads of the same bucket in this call cost nothing. */
export async function requireBucketOf(context: S3Context, name: string): Promise<BucketInfo> {
  const bucket = await context.buckets.get(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

export async function requireBucket(deps: S3Deps, name: string): Promise<BucketInfo> {
  const bucket = await deps.objects.getBucket(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

/**
 * ListBuckets: the owner's buckets. A principal of another account owns none of them: it sees an empty list under
 * its own canonical id (every bucket belongs to the node's account).
 */
export async function listBuckets(input: ListBucketsRequest, { deps, requester }: S3Context): Promise<ListBucketsOutput> {
  const who = await requester();
  if (who.kind === 'account') return { Owner: { ID: who.canonicalId }, Buckets: [] };
  const prefix = input.Prefix ?? '';
  const after = input.ContinuationToken ?? '';
  const limit = maxBuckets(input.MaxBuckets as string | undefined);
  const matching = (await deps.objects.listBuckets()).filter((bucket) => bucket.name.startsWith(prefix) && bucket.name > after);
  const page = matching.slice(0, limit);
  return {
    Owner: { ID: deps.ownerId },
    Buckets: page.map((bucket) => ({ Name: bucket.name, CreationDate: seconds(bucket.createdAt), BucketRegion: bucket.region })),
    ContinuationToken: matching.length > limit ? page.at(-1)?.name : undefined,
    Prefix: prefix || undefined,
  };
}

export async function createBucket(input: CreateBucketRequest, { deps }: S3Context): Promise<CreateBucketOutput> {
  const name = input.Bucket;
  if (!isValidBucketName(name)) throw invalidBucketName(name);
  const location = locationConstraint(input);
  const created = await deps.objects.createBucket(name, location ?? deps.region);
  // S3 in us-east-1 answers a repeated CreateBucket for your own bucket with 200 (its legacy behaviour).
  if (!created && (location !== undefined || deps.region !== DEFAULT_REGION)) throw bucketAlreadyOwnedByYou(name);
  return { Location: `/${name}` };
}

export async function headBucket(input: HeadBucketRequest, { deps }: S3Context): Promise<HeadBucketOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  return { BucketRegion: bucket.region, AccessPointAlias: false };
}

export async function deleteBucket(input: DeleteBucketRequest, { deps }: S3Context): Promise<void> {
  await deps.objects.deleteBucket(input.Bucket);
}

/**
 * S3 answers with the constraint as the text of a bare `<LocationConstraint>` (botocore reads it specially); the
 * model's output shape would nest it, so the document is written here. us-east-1 is an empty constraint.
 */
export async function getBucketLocation(input: GetBucketLocationRequest, { deps }: S3Context): Promise<Reply<GetBucketLocationOutput>> {
  const bucket = await requireBucket(deps, input.Bucket);
  const constraint = bucket.region === DEFAULT_REGION ? '' : bucket.region;
  const body = `${XML_DECLARATION}<LocationConstraint xmlns="${S3_NAMESPACE}">${escapeXml(constraint)}</LocationConstraint>`;
  return reply({}, { body, headers: { 'content-type': 'application/xml' } });
}

function locationConstraint(input: CreateBucketRequest): string | undefined {
  const location = input.CreateBucketConfiguration?.LocationConstraint;
  if (location === undefined || location === '') return undefined;
  if (location === DEFAULT_REGION) throw invalidLocationConstraint(location);
  return LEGACY_LOCATIONS[location] ?? location;
}

function maxBuckets(value: string | undefined): number {
  if (value === undefined) return MAX_BUCKETS_PER_PAGE;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BUCKETS_PER_PAGE) {
    throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', value);
  }
  return limit;
}
