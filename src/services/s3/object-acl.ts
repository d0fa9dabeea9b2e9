import type { BucketInfo, ObjectGrant, ObjectGrantee } from '../../storage/index.js';
import type { AccessControlPolicy, GetObjectAclOutput, GetObjectAclRequest, Grant, PutObjectAclOutput, PutObjectAclRequest } from './api.js';
import { accessControlListNotSupported } from './bucket-config/errors.js';
import { ownershipOf, publicAccessBlockOf } from './bucket-config/ownership.js';
import { requireBucket } from './buckets.js';
import type { S3Context } from './context.js';
import { accessDenied, invalidArgument, invalidRequest, malformedAcl, missingSecurityHeader, unexpectedContent } from './errors.js';
import { findVersion } from './versioning.js';

const GROUPS = 'http://acs.amazonaws.com/groups/';
const ALL_USERS = `${GROUPS}global/AllUsers`;
const AUTHENTICATED_USERS = `${GROUPS}global/AuthenticatedUsers`;
const LOG_DELIVERY = `${GROUPS}s3/LogDelivery`;
const KNOWN_GROUPS: ReadonlySet<string> = new Set([ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY]);
const PERMISSIONS: ReadonlySet<string> = new Set(['FULL_CONTROL', 'READ', 'READ_ACP', 'WRITE', 'WRITE_ACP']);
/** A canonical user id: 64 hex digits. */
const CANONICAL_ID = /^[0-9a-f]{64}$/;

/** The grant headers, with the permission each gives. */
const GRANT_HEADERS = [
  ['GrantFullControl', 'x-amz-grant-full-control', 'FULL_CONTROL'],
  ['GrantRead', 'x-amz-grant-read', 'READ'],
  ['GrantReadACP', 'x-amz-grant-read-acp', 'READ_ACP'],
  ['GrantWrite', 'x-amz-grant-write', 'WRITE'],
  ['GrantWriteACP', 'x-amz-grant-write-acp', 'WRITE_ACP'],
] as const;

type GrantMember = (typeof GRANT_HEADERS)[number][0];
/** The ACL members a request may carry (PutObject, CopyObject, CreateMultipartUpload, PutObjectAcl). */
export type AclHeaders = { ACL?: string } & Partial<Record<GrantMember, string>>;

/**
 * What each canned ACL grants besides the owner's FULL_CONTROL (User Guide, "Canned ACL"). The bucket owner is the
 * object owner in Flint (one account), so bucket-owner-read and bucket-owner-full-control add nothing.
 */
const CANNED: Readonly<Record<string, readonly [uri: string, permission: string][]>> = {
  private: [],
  'public-read': [[ALL_USERS, 'READ']],
  'public-read-write': [
    [ALL_USERS, 'READ'],
    [ALL_USERS, 'WRITE'],
  ],
  'authenticated-read': [[AUTHENTICATED_USERS, 'READ']],
  'aws-exec-read': [],
  'bucket-owner-read': [],
  'bucket-owner-full-control': [],
};

/**
 * The ACL a write's headers ask for: a canned ACL or grant headers, not both (test_s3.py
 * test_s3_object_acl_exceptions: put-object-two-type-acl); undefined when they name none (S3's default, private).
 * With the bucket's ObjectOwnership at BucketOwnerEnforced (ACLs disabled) S3 refuses any ACL but
 * bucket-owner-full-control with AccessControlListNotSupported
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html, "ACLs disabled").
 */
export function aclFromHeaders(input: AclHeaders, ownerId: string, bucket?: BucketInfo): ObjectGrant[] | undefined {
  const grants = grantsFromHeaders(input);
  if (bucket && aclsDisabled(bucket) && (grants || (input.ACL !== undefined && input.ACL !== 'bucket-owner-full-control'))) throw accessControlListNotSupported();
  if (input.ACL !== undefined) {
    if (grants) throw invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
    return checkPublic(cannedAcl(input.ACL, ownerId), bucket);
  }
  return grants && checkPublic(grants, bucket);
}

/**
 * BlockPublicAcls refuses a write that sets a public ACL (AllUsers or AuthenticatedUsers) with 403
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
 */
function checkPublic(acl: ObjectGrant[], bucket: BucketInfo | undefined): ObjectGrant[] {
  if (bucket && publicAccessBlockOf(bucket)?.BlockPublicAcls === true && acl.some((grant) => grant.grantee.uri === ALL_USERS || grant.grantee.uri === AUTHENTICATED_USERS)) throw accessDenied();
  return acl;
}

function cannedAcl(name: string, ownerId: string): ObjectGrant[] {
  const extra = CANNED[name];
  if (!extra) throw invalidArgument('', 'x-amz-acl', name);
  return [ownerGrant(ownerId), ...extra.map(([uri, permission]) => ({ grantee: { type: 'Group' as const, uri }, permission }))];
}

function ownerGrant(ownerId: string): ObjectGrant {
  return { grantee: { type: 'CanonicalUser', id: ownerId }, permission: 'FULL_CONTROL' };
}

/** x-amz-grant-*: comma-separated `id="..."`, `uri="..."` or `emailAddress="..."` grantees. */
function grantsFromHeaders(input: AclHeaders): ObjectGrant[] | undefined {
  const grants: ObjectGrant[] = [];
  for (const [member, header, permission] of GRANT_HEADERS) {
    const value = input[member];
    if (value === undefined) continue;
    for (const part of value.split(',')) grants.push({ grantee: granteeOf(part.trim(), header, value), permission });
  }
  return grants.length > 0 ? grants : undefined;
}

function granteeOf(part: string, header: string, value: string): ObjectGrantee {
  const at = part.indexOf('=');
  const kind = at < 0 ? '' : part.slice(0, at).trim();
  const text = at < 0 ? '' : part.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
  switch (kind) {
    case 'id':
      if (!CANONICAL_ID.test(text)) throw invalidArgument('Invalid id', 'id', text);
      return { type: 'CanonicalUser', id: text };
    case 'uri':
      if (!KNOWN_GROUPS.has(text)) throw invalidArgument('Invalid group uri', 'uri', text);
      return { type: 'Group', uri: text };
    case 'emailAddress':
      return { type: 'AmazonCustomerByEmail', email: text };
    default:
      throw invalidArgument('Argument format not recognized', header, value);
  }
}

/**
 * An AccessControlPolicy document: an Owner is required and grants must be well formed (MalformedACLError); ids
 * and group URIs are checked as in headers, with S3's argument names (test_s3_object_acl_exceptions put-object-acp-acl-*).
 */
function aclFromDocument(policy: AccessControlPolicy): ObjectGrant[] {
  const ownerId = policy.Owner?.ID;
  if (ownerId === undefined) throw malformedAcl();
  if (!CANONICAL_ID.test(ownerId)) throw invalidArgument('Invalid id', 'CanonicalUser/ID', ownerId);
  return (policy.Grants ?? []).map(grantOfDocument);
}

function grantOfDocument(grant: Grant): ObjectGrant {
  const { Grantee: grantee, Permission: permission } = grant;
  if (!grantee || permission === undefined || !PERMISSIONS.has(permission)) throw malformedAcl();
  switch (grantee.Type) {
    case 'CanonicalUser':
      if (grantee.ID === undefined || !CANONICAL_ID.test(grantee.ID)) throw invalidArgument('Invalid id', 'CanonicalUser/ID', grantee.ID ?? '');
      return { grantee: { type: 'CanonicalUser', id: grantee.ID }, permission };
    case 'Group':
      if (grantee.URI === undefined || !KNOWN_GROUPS.has(grantee.URI)) throw invalidArgument('Invalid group uri', 'Group/URI', grantee.URI ?? '');
      return { grantee: { type: 'Group', uri: grantee.URI }, permission };
    case 'AmazonCustomerByEmail':
      if (grantee.EmailAddress === undefined) throw malformedAcl();
      return { grantee: { type: 'AmazonCustomerByEmail', email: grantee.EmailAddress }, permission };
    default:
      throw malformedAcl();
  }
}

/**
 * PutObjectAcl: a canned ACL or grant headers, or a document, never both (UnexpectedContent) and never none
 * (MissingSecurityHeader). A delete marker has no ACL (405; test_s3.py test_put_object_acl_on_delete_marker).
 */
export async function putObjectAcl(input: PutObjectAclRequest, { deps }: S3Context): Promise<PutObjectAclOutput> {
  const fromHeaders = aclFromHeaders(input, deps.ownerId);
  const policy = input.AccessControlPolicy;
  const hasDocument = policy !== undefined && (policy.Owner !== undefined || policy.Grants !== undefined);
  if (fromHeaders && policy !== undefined) throw unexpectedContent();
  if (!fromHeaders && policy === undefined) throw missingSecurityHeader('x-amz-acl');
  const acl = fromHeaders ?? (hasDocument ? aclFromDocument(policy!) : failMalformed());
  const bucket = await requireBucket(deps, input.Bucket);
  // A bucket without ACLs refuses every PutObjectAcl (about-object-ownership.html: "requests to set ACLs ... fail").
  if (aclsDisabled(bucket)) throw accessControlListNotSupported();
  checkPublic(acl, bucket);
  const object = await findVersion(deps, bucket, input.Key, input.VersionId, 'PUT', 'MethodNotAllowed');
  await deps.objects.patchObject(bucket.name, input.Key, object.versionId ?? 'null', { acl });
  return {};
}

function aclsDisabled(bucket: BucketInfo): boolean {
  return ownershipOf(bucket) === 'BucketOwnerEnforced';
}

function failMalformed(): never {
  throw malformedAcl();
}

/** GetObjectAcl: the stored grants, or the default (the owner's FULL_CONTROL); the owner as S3 shows it, by id. */
export async function getObjectAcl(input: GetObjectAclRequest, { deps }: S3Context): Promise<GetObjectAclOutput> {
  const bucket = await requireBucket(deps, input.Bucket);
  const object = await findVersion(deps, bucket, input.Key, input.VersionId, 'GET');
  const grants = object.attributes.acl ?? [ownerGrant(deps.ownerId)];
  return { Owner: { ID: deps.ownerId }, Grants: grants.map(toGrant) };
}

function toGrant(grant: ObjectGrant): Grant {
  const { grantee } = grant;
  return { Grantee: { Type: grantee.type, ID: grantee.id, URI: grantee.uri, EmailAddress: grantee.email }, Permission: grant.permission };
}
