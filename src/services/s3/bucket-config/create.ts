import { loadModel, type Handler } from '../../../protocol/index.js';
import type { CreateBucketOutput, CreateBucketRequest } from '../api.js';
import { header, type S3Call, type S3Context } from '../context.js';
import { invalidLocationConstraint } from '../errors.js';
import { grantsOf, hasAcl, ownerOnly } from './acl-grants.js';
import { illegalLocationConstraint, invalidBucketAclWithObjectOwnership } from './errors.js';
import { checkOwnershipHeader, DEFAULT_OWNERSHIP } from './ownership.js';
import { enableLock } from '../object-lock/index.js';
import { CONFIG, writeConfig } from './store.js';

const GLOBAL_REGION = 'us-east-1';
/** S3's location constraints (the model's BucketLocationConstraint enum), "EU" being eu-west-1's legacy name. */
const LOCATIONS: ReadonlySet<string> = new Set(loadModel('s3').shape('BucketLocationConstraint').enum ?? []);

type CreateBucket = Handler<CreateBucketRequest, CreateBucketOutput, S3Context>;

/**
 * CreateBucket with what it sets besides the bucket: the location constraint checked against the region the request
 * was sent to (its signature's region), x-amz-object-ownership and an initial ACL (x-amz-acl, x-amz-grant-*), which
 * a bucket without ACLs (BucketOwnerEnforced, the default) refuses; x-amz-bucket-object-lock-enabled, which turns
 * versioning on with object lock (test_s3_api.py test_get_put_object_lock_configuration).
 */
export function withBucketSettings(create: CreateBucket): CreateBucket {
  return async (input, context) => {
    const { deps, call } = context;
    checkLocation(input, requestRegion(call) ?? deps.region);
    checkOwnershipHeader(input.ObjectOwnership);
    const acl = { canned: input.ACL, headers: call.headers };
    const grants = hasAcl(acl) ? grantsOf(acl, deps.ownerId) : undefined;
    const ownership = input.ObjectOwnership ?? DEFAULT_OWNERSHIP;
    if (grants && ownership === 'BucketOwnerEnforced' && !ownerOnly(grants, deps.ownerId)) throw invalidBucketAclWithObjectOwnership();
    const existed = (await deps.objects.getBucket(input.Bucket)) !== undefined;
    const output = await create(input, context);
    if (!existed) {
      if (input.ObjectOwnership !== undefined) await writeConfig(deps, input.Bucket, CONFIG.ownership, input.ObjectOwnership);
      if (grants) await writeConfig(deps, input.Bucket, CONFIG.acl, grants);
      if (lockRequested(input.ObjectLockEnabledForBucket)) await enableLock(deps, input.Bucket);
    }
    return output;
  };
}

/**
 * Outside us-east-1 the constraint must name the endpoint's region; us-east-1 takes any region S3 knows
 * (test_different_location_constraint, test_create_bucket_with_invalid_location_constraint). us-east-1 itself as a
 * constraint is refused by CreateBucket's own check.
 */
function checkLocation(input: CreateBucketRequest, region: string): void {
  const constraint = input.CreateBucketConfiguration?.LocationConstraint || undefined;
  if (region === GLOBAL_REGION) {
    if (constraint !== undefined && constraint !== GLOBAL_REGION && !LOCATIONS.has(constraint)) throw invalidLocationConstraint(constraint);
    return;
  }
  if (constraint === undefined) throw illegalLocationConstraint('unspecified');
  if (constraint !== region) throw illegalLocationConstraint(constraint);
}

/** The region in the request's SigV4 credential scope (header or presigned URL), if signed that way. */
function requestRegion(call: S3Call): string | undefined {
  const auth = header(call, 'authorization');
  const credential = auth?.startsWith('AWS4-HMAC-SHA256') ? /Credential=([^,\s]+)/.exec(auth)?.[1] : (call.query.get('X-Amz-Credential') ?? undefined);
  return credential?.split('/')[2] || undefined;
}

/** x-amz-bucket-object-lock-enabled as the kit read it (a boolean) or as sent. */
function lockRequested(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}
