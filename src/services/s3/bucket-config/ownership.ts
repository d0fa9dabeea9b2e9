import type { BucketInfo } from '../../../storage/index.js';
import type {
  DeleteBucketOwnershipControlsRequest,
  DeletePublicAccessBlockRequest,
  GetBucketOwnershipControlsOutput,
  GetBucketOwnershipControlsRequest,
  GetPublicAccessBlockOutput,
  GetPublicAccessBlockRequest,
  PublicAccessBlockConfiguration,
  PutBucketOwnershipControlsRequest,
  PutPublicAccessBlockRequest,
} from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { invalidArgument, malformedXml } from '../errors.js';
import { invalidBucketAclWithObjectOwnership, noSuchPublicAccessBlock, ownershipControlsNotFound } from './errors.js';
import { CONFIG, readConfig, removeDefaulted, wasRemoved, writeConfig } from './store.js';
import { aclOf, ownerOnly } from './acl-grants.js';

/**
 * Object ownership and the public access block. Since April 2023 a new bucket has ObjectOwnership
 * BucketOwnerEnforced (ACLs disabled) and all four public access blocks on
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-overview.html; test_crud_bucket_ownership_controls
 * and test_crud_public_access_block record the defaults); once deleted, S3 answers "not found".
 */
export const OBJECT_OWNERSHIPS: ReadonlySet<string> = new Set(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']);
export const DEFAULT_OWNERSHIP = 'BucketOwnerEnforced';
const DEFAULT_PUBLIC_ACCESS_BLOCK: Required<PublicAccessBlockConfiguration> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/** The bucket's ObjectOwnership, or undefined once its ownership controls were deleted. */
export function ownershipOf(bucket: BucketInfo): string | undefined {
  if (wasRemoved(bucket, CONFIG.ownership)) return undefined;
  return readConfig<string>(bucket, CONFIG.ownership) ?? DEFAULT_OWNERSHIP;
}

export function publicAccessBlockOf(bucket: BucketInfo): PublicAccessBlockConfiguration | undefined {
  if (wasRemoved(bucket, CONFIG.publicAccessBlock)) return undefined;
  return readConfig<PublicAccessBlockConfiguration>(bucket, CONFIG.publicAccessBlock) ?? DEFAULT_PUBLIC_ACCESS_BLOCK;
}

/** CreateBucket's x-amz-object-ownership (test_bucket_ownership_controls_exc words the error). */
export function checkOwnershipHeader(value: string | undefined): void {
  if (value !== undefined && !OBJECT_OWNERSHIPS.has(value)) {
    throw invalidArgument(`Invalid x-amz-object-ownership header: ${value}`, 'x-amz-object-ownership', undefined);
  }
}

export async function putBucketOwnershipControls(input: PutBucketOwnershipControlsRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const rules = input.OwnershipControls?.Rules ?? [];
  const ownership = rules[0]?.ObjectOwnership;
  if (rules.length !== 1 || ownership === undefined || !OBJECT_OWNERSHIPS.has(ownership)) throw malformedXml();
  // Disabling ACLs needs a bucket ACL that grants only the owner (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-migrating-acls-prerequisites.html).
  if (ownership === 'BucketOwnerEnforced' && !ownerOnly(aclOf(bucket, deps.ownerId), deps.ownerId)) throw invalidBucketAclWithObjectOwnership();
  await writeConfig(deps, bucket.name, CONFIG.ownership, ownership);
}

export async function getBucketOwnershipControls(input: GetBucketOwnershipControlsRequest, { deps }: S3Context): Promise<GetBucketOwnershipControlsOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  const ownership = ownershipOf(bucket);
  if (ownership === undefined) throw ownershipControlsNotFound(bucket.name);
  return { OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } };
}

export async function deleteBucketOwnershipControls(input: DeleteBucketOwnershipControlsRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  await removeDefaulted(deps, bucket.name, CONFIG.ownership);
}

export async function putPublicAccessBlock(input: PutPublicAccessBlockRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const given = input.PublicAccessBlockConfiguration ?? {};
  const config: Required<PublicAccessBlockConfiguration> = {
    BlockPublicAcls: given.BlockPublicAcls ?? false,
    IgnorePublicAcls: given.IgnorePublicAcls ?? false,
    BlockPublicPolicy: given.BlockPublicPolicy ?? false,
    RestrictPublicBuckets: given.RestrictPublicBuckets ?? false,
  };
  await writeConfig(deps, bucket.name, CONFIG.publicAccessBlock, config);
}

export async function getPublicAccessBlock(input: GetPublicAccessBlockRequest, { deps }: S3Context): Promise<GetPublicAccessBlockOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  const config = publicAccessBlockOf(bucket);
  if (!config) throw noSuchPublicAccessBlock(bucket.name);
  return { PublicAccessBlockConfiguration: config };
}

export async function deletePublicAccessBlock(input: DeletePublicAccessBlockRequest, { deps }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  await removeDefaulted(deps, bucket.name, CONFIG.publicAccessBlock);
}
