import type { BucketInfo } from '../../../storage/index.js';
import type { GetBucketAclOutput, GetBucketAclRequest, Grant, PutBucketAclRequest } from '../api.js';
import { requireBucket } from '../buckets.js';
import type { S3Context } from '../context.js';
import { accessDenied } from '../errors.js';
import { aclOf, grantsOf, hasAcl, isPublicAcl, ownerOnly, type AclRequest } from './acl-grants.js';
import { accessControlListNotSupported, missingSecurityHeader } from './errors.js';
import { ownershipOf, publicAccessBlockOf } from './ownership.js';
import { CONFIG, writeConfig } from './store.js';

/** PutBucketAcl: one of a canned ACL, grant headers or an AccessControlPolicy document (test_s3_bucket_acl). */
export async function putBucketAcl(input: PutBucketAclRequest, { deps, call }: S3Context): Promise<void> {
  const bucket = await requireBucket(deps, input.Bucket);
  const request: AclRequest = { canned: input.ACL, headers: call.headers, policy: input.AccessControlPolicy };
  if (!hasAcl(request)) throw missingSecurityHeader('x-amz-acl');
  const grants = grantsOf(request, deps.ownerId);
  checkAllowed(bucket, grants, deps.ownerId);
  await writeConfig(deps, bucket.name, CONFIG.acl, grants);
}

export async function getBucketAcl(input: GetBucketAclRequest, { deps }: S3Context): Promise<GetBucketAclOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  return { Owner: { ID: deps.ownerId }, Grants: aclOf(bucket, deps.ownerId) };
}

/**
 * What the bucket's settings let an ACL be: with ACLs disabled (BucketOwnerEnforced) only the owner's full control
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html), and nothing public while
 * BlockPublicAcls is on (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
 */
export function checkAllowed(bucket: BucketInfo, grants: readonly Grant[], ownerId: string): void {
  if (ownershipOf(bucket) === 'BucketOwnerEnforced' && !ownerOnly(grants, ownerId)) throw accessControlListNotSupported();
  if (publicAccessBlockOf(bucket)?.BlockPublicAcls === true && isPublicAcl(grants)) throw accessDenied();
}
