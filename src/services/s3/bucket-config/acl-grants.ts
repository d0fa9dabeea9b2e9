import type { BucketInfo } from '../../../storage/index.js';
import type { AccessControlPolicy, Grant, Grantee } from '../api.js';
import { invalidArgument, invalidRequest } from '../errors.js';
import { malformedAcl } from './errors.js';
import { CONFIG, readConfig } from './store.js';

/**
 * Access control lists as S3 writes and reads them (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html):
 * canned ACLs, x-amz-grant-* headers and AccessControlPolicy documents, each turned into the grants S3 stores, with
 * S3's errors for what it refuses (test_s3_bucket_acl_exceptions).
 */

const GROUPS = {
  allUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  authenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  logDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
} as const;
const GROUP_URIS: ReadonlySet<string> = new Set(Object.values(GROUPS));
const PUBLIC_GROUPS: ReadonlySet<string> = new Set([GROUPS.allUsers, GROUPS.authenticatedUsers]);
const PERMISSIONS: ReadonlySet<string> = new Set(['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP']);
const CANONICAL_ID = /^[0-9a-f]{64}$/;

/** The x-amz-grant-* headers and the permission each grants, in the order S3 lists grants. */
export const GRANT_HEADERS: readonly (readonly [header: string, permission: string])[] = [
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
];

const group = (uri: string, permission: string): Grant => ({ Grantee: { Type: 'Group', URI: uri }, Permission: permission });

/** Canned ACLs S3 accepts on buckets, beside the owner's FULL_CONTROL. */
const CANNED: Readonly<Record<string, readonly Grant[]>> = {
  private: [],
  'public-read': [group(GROUPS.allUsers, 'READ')],
  'public-read-write': [group(GROUPS.allUsers, 'READ'), group(GROUPS.allUsers, 'WRITE')],
  'authenticated-read': [group(GROUPS.authenticatedUsers, 'READ')],
  'log-delivery-write': [group(GROUPS.logDelivery, 'WRITE'), group(GROUPS.logDelivery, 'READ_ACP')],
};

export function ownerGrant(ownerId: string): Grant {
  return { Grantee: { ID: ownerId, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' };
}

/** The bucket's stored grants, or the owner's FULL_CONTROL every new bucket has. */
export function aclOf(bucket: BucketInfo, ownerId: string): Grant[] {
  return readConfig<Grant[]>(bucket, CONFIG.acl) ?? [ownerGrant(ownerId)];
}

/** Only the owner holds anything, with FULL_CONTROL: the one ACL a bucket without ACLs (BucketOwnerEnforced) has. */
export function ownerOnly(grants: readonly Grant[], ownerId: string): boolean {
  return grants.every((grant) => grant.Grantee?.Type === 'CanonicalUser' && grant.Grantee.ID === ownerId && grant.Permission === 'FULL_CONTROL');
}

/** Grants to everyone or to any AWS user: what BlockPublicAcls refuses. */
export function isPublicAcl(grants: readonly Grant[]): boolean {
  return grants.some((grant) => grant.Grantee?.URI !== undefined && PUBLIC_GROUPS.has(grant.Grantee.URI));
}

export interface AclRequest {
  canned?: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  policy?: AccessControlPolicy;
}

/** Whether the request names an ACL at all (a canned ACL, a grant header or a document). */
export function hasAcl(request: AclRequest): boolean {
  return request.canned !== undefined || request.policy !== undefined || GRANT_HEADERS.some(([name]) => request.headers[name] !== undefined);
}

/** The grants a request sets: from its canned ACL, its grant headers or its AccessControlPolicy document. */
export function grantsOf(request: AclRequest, ownerId: string): Grant[] {
  const headerGrants = GRANT_HEADERS.flatMap(([name, permission]) => parseGrantHeader(name, single(request.headers[name]), permission));
  if (request.canned !== undefined) {
    if (headerGrants.length > 0) throw invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
    const extra = CANNED[request.canned];
    if (!extra) throw invalidArgument('', 'x-amz-acl', request.canned);
    return [ownerGrant(ownerId), ...extra];
  }
  if (headerGrants.length > 0) return headerGrants;
  return policyGrants(request.policy);
}

/** `id="…", uri="…", emailAddress="…"` as S3 reads a grant header. */
function parseGrantHeader(name: string, value: string | undefined, permission: string): Grant[] {
  if (value === undefined) return [];
  return value.split(',').map((item) => {
    const match = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/.exec(item);
    if (!match) throw invalidArgument('Argument format not recognized', name, item.trim());
    const [, kind, text] = match as unknown as [string, string, string];
    if (kind === 'id') return { Grantee: canonicalUser(text, 'id'), Permission: permission };
    if (kind === 'uri') return { Grantee: groupGrantee(text, 'uri'), Permission: permission };
    return { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: text }, Permission: permission };
  });
}

function policyGrants(policy: AccessControlPolicy | undefined): Grant[] {
  if (!policy?.Owner?.ID) throw malformedAcl();
  return (policy.Grants ?? []).map((grant) => {
    const grantee = grant.Grantee;
    if (!grantee || grant.Permission === undefined || !PERMISSIONS.has(grant.Permission)) throw malformedAcl();
    return { Grantee: granteeOf(grantee), Permission: grant.Permission };
  });
}

function granteeOf(grantee: Grantee): Grantee {
  switch (grantee.Type) {
    case 'CanonicalUser':
      if (grantee.ID === undefined) throw malformedAcl();
      return canonicalUser(grantee.ID, 'CanonicalUser/ID');
    case 'Group':
      if (grantee.URI === undefined) throw malformedAcl();
      return groupGrantee(grantee.URI, 'Group/URI');
    case 'AmazonCustomerByEmail':
      if (grantee.EmailAddress === undefined) throw malformedAcl();
      return { Type: 'AmazonCustomerByEmail', EmailAddress: grantee.EmailAddress };
    default:
      throw malformedAcl();
  }
}

function canonicalUser(id: string, argument: string): Grantee {
  if (!CANONICAL_ID.test(id)) throw invalidArgument('Invalid id', argument, id);
  return { ID: id, Type: 'CanonicalUser' };
}

function groupGrantee(uri: string, argument: string): Grantee {
  if (!GROUP_URIS.has(uri)) throw invalidArgument('Invalid group uri', argument, uri);
  return { Type: 'Group', URI: uri };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
