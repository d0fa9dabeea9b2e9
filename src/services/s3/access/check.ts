import type { BucketInfo, ObjectGrant, ObjectInfo } from '../../../storage/index.js';
import type { Grant } from '../api.js';
import { aclOf } from '../bucket-config/acl-grants.js';
import { ownershipOf, publicAccessBlockOf } from '../bucket-config/ownership.js';
import { CONFIG, readConfig } from '../bucket-config/store.js';
import type { S3Deps } from '../context.js';
import { bucketAclPermissions, objectAclPermissions } from './actions.js';

import { evaluatePolicy, isPublicStatement, statementsOf, type ConditionKeys, type Outsider } from './policy-eval.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** One resource a request acts on, with the action it needs there. */
export interface AccessTarget {
  bucket: BucketInfo;
  key?: string;
  versionId?: string;
  action: string;
}

/**
 * Whether a requester outside the bucket owner's account may act on a target
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html): an explicit Deny
 * in the bucket policy refuses; an Allow grants, unless RestrictPublicBuckets is on and the policy is public (then
 * it grants nobody outside the account); otherwise the bucket's or the object's ACL may grant, unless ACLs are
 * disabled (BucketOwnerEnforced), and public grants count only while IgnorePublicAcls is off.
 */
export async function mayAccess(deps: S3Deps, requester: Outsider, target: AccessTarget, keys: ConditionKeys): Promise<boolean> {
  const { bucket, key, action } = target;
  const policy = readConfig<string>(bucket, CONFIG.policy);
  const resource = key === undefined ? `arn:aws:s3:::${bucket.name}` : `arn:aws:s3:::${bucket.name}/${key}`;
  const decision = evaluatePolicy(policy, { requester, action, resource, keys });
  if (decision === 'deny') return false;
  const block = publicAccessBlockOf(bucket);
  if (decision === 'allow' && !(block?.RestrictPublicBuckets === true && policy !== undefined && statementsOf(policy).some(isPublicStatement))) return true;
  if (ownershipOf(bucket) === 'BucketOwnerEnforced') return false;
  const ignorePublic = block?.IgnorePublicAcls === true;
  const fromBucket = bucketAclPermissions(action);
  if (fromBucket && aclOf(bucket, deps.ownerId).some((grant) => grants(fromBucketAcl(grant), fromBucket, requester, ignorePublic))) return true;
  const fromObject = objectAclPermissions(action);
  if (!fromObject || key === undefined) return false;
  const object = await objectAt(deps, bucket, key, target.versionId);
  const acl = object?.attributes.acl ?? [];
  return acl.some((grant) => grants(fromObjectAcl(grant), fromObject, requester, ignorePublic));
}

/** The object (or delete marker) a key and version name, if any; "null" names an unversioned bucket's latest. */
export async function objectAt(deps: S3Deps, bucket: BucketInfo, key: string, versionId: string | undefined): Promise<ObjectInfo | undefined> {
  const named = versionId === 'null' && !bucket.versioning ? undefined : versionId;
  return deps.objects.getVersion(bucket.name, key, named).catch(() => undefined);
}

/** A grant as both kinds of ACL store it: to a canonical user (id) or a group (uri). */
interface AnyGrant {
  id?: string;
  uri?: string;
  permission: string;
}

const fromBucketAcl = (grant: Grant): AnyGrant => ({ id: grant.Grantee?.ID, uri: grant.Grantee?.URI, permission: grant.Permission ?? '' });
const fromObjectAcl = (grant: ObjectGrant): AnyGrant => ({ id: grant.grantee.id, uri: grant.grantee.uri, permission: grant.permission });

function grants(grant: AnyGrant, permissions: readonly string[], requester: Outsider, ignorePublic: boolean): boolean {
  if (!permissions.includes(grant.permission)) return false;
  if (grant.uri === ALL_USERS) return !ignorePublic;
  if (requester.kind !== 'account') return false;
  if (grant.uri === AUTHENTICATED_USERS) return !ignorePublic;
  return grant.id !== undefined && grant.id === requester.canonicalId;
}
