import { z } from 'zod';
import type { BucketInfo, ObjectStore } from '../../storage/index.js';
import { bucketOf, type S3Call, type S3Deps } from './context.js';
import { bucketAlreadyOwnedByYou, invalidArgument, invalidBucketName, invalidLocationConstraint, malformedXml, noSuchBucket } from './errors.js';
import { readSmallBody } from './small-body.js';
import { el, readXml, wrap, xmlDocument } from './xml.js';
import { isoDate, sendEmpty, sendXml } from './wire.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
/** S3's legacy name for eu-west-1 in a LocationConstraint. */
const LEGACY_LOCATIONS: Record<string, string> = { EU: 'eu-west-1' };
const DEFAULT_REGION = 'us-east-1';
const MAX_BUCKETS_PER_PAGE = 10_000;

const createSchema = z.preprocess((value) => (value === '' ? {} : value), z.object({ LocationConstraint: z.string().optional() }));

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

export async function requireBucket(deps: S3Deps, call: S3Call): Promise<BucketInfo> {
  const bucket = await deps.objects.getBucket(bucketOf(call));
  if (!bucket) throw noSuchBucket(bucketOf(call));
  return bucket;
}

export async function listBuckets(deps: S3Deps, call: S3Call): Promise<void> {
  const prefix = call.query.get('prefix') ?? '';
  const after = call.query.get('continuation-token') ?? '';
  const limit = maxBuckets(call.query.get('max-buckets'));
  const matching = (await deps.objects.listBuckets()).filter((bucket) => bucket.name.startsWith(prefix) && bucket.name > after);
  const page = matching.slice(0, limit);
  const buckets = page.map((bucket) => wrap('Bucket', el('Name', bucket.name) + el('CreationDate', isoDate(bucket.createdAt)) + el('BucketRegion', bucket.region)));
  const next = matching.length > limit ? page.at(-1)?.name : undefined;
  const inner = wrap('Owner', el('ID', deps.ownerId)) + wrap('Buckets', buckets.join('')) + el('ContinuationToken', next) + (prefix ? el('Prefix', prefix) : '');
  sendXml(call, 200, xmlDocument('ListAllMyBucketsResult', inner));
}

export async function createBucket(deps: S3Deps, call: S3Call): Promise<void> {
  const name = bucketOf(call);
  if (!isValidBucketName(name)) throw invalidBucketName(name);
  const location = await locationConstraint(call);
  const created = await deps.objects.createBucket(name, location ?? deps.region);
  // S3 in us-east-1 answers a repeated CreateBucket for your own bucket with 200 (its legacy behaviour).
  if (!created && (location !== undefined || deps.region !== DEFAULT_REGION)) throw bucketAlreadyOwnedByYou(name);
  sendEmpty(call, 200, { location: `/${name}` });
}

export async function headBucket(deps: S3Deps, call: S3Call): Promise<void> {
  const bucket = await requireBucket(deps, call);
  sendEmpty(call, 200, { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' });
}

export async function deleteBucket(deps: S3Deps, call: S3Call): Promise<void> {
  await deps.objects.deleteBucket(bucketOf(call));
  sendEmpty(call, 204);
}

export async function getBucketLocation(deps: S3Deps, call: S3Call): Promise<void> {
  const bucket = await requireBucket(deps, call);
  // us-east-1 is reported as an empty constraint, as S3 does.
  sendXml(call, 200, xmlDocument('LocationConstraint', bucket.region === DEFAULT_REGION ? '' : bucket.region));
}

/** Versioning is never enabled in Flint; tools that ask get S3's answer for an unversioned bucket. */
export async function getBucketVersioning(deps: S3Deps, call: S3Call): Promise<void> {
  await requireBucket(deps, call);
  sendXml(call, 200, xmlDocument('VersioningConfiguration', ''));
}

async function locationConstraint(call: S3Call): Promise<string | undefined> {
  const body = await readSmallBody(call);
  if (body.length === 0) return undefined;
  const { root, value } = readXml(body);
  const parsed = createSchema.safeParse(value);
  if (root !== 'CreateBucketConfiguration' || !parsed.success) throw malformedXml();
  const location = parsed.data.LocationConstraint;
  if (location === undefined || location === '') return undefined;
  if (location === DEFAULT_REGION) throw invalidLocationConstraint(location);
  return LEGACY_LOCATIONS[location] ?? location;
}

function maxBuckets(value: string | null): number {
  if (value === null) return MAX_BUCKETS_PER_PAGE;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BUCKETS_PER_PAGE) {
    throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', value);
  }
  return limit;
}
