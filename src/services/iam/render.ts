import type { AttachedPermissionsBoundary, Group, InstanceProfile, Policy, Role, Tag, User } from './api.js';
import type { AwsManagedPolicy } from './aws-managed.js';
import { encodeDocument } from './policy-document.js';
import type { GroupRecord, InstanceProfileRecord, PolicyRecord, RoleRecord, TagRecord, UserRecord } from './records.js';

/**
 * Stored entities as IAM answers them. IAM leaves members out of some answers: CreateRole has no
 * MaxSessionDuration; GetRole adds it, the tags, the permissions boundary and RoleLastUsed (empty until used);
 * ListRoles has MaxSessionDuration but no tags, boundary or RoleLastUsed (LocalStack's AWS recordings
 * test_create_describe_role, test_role_with_tags, test_list_roles_with_permission_boundary); ListUsers and
 * ListPolicies leave out tags, and ListPolicies descriptions
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html).
 */
export type View = 'create' | 'get' | 'list';

/** IAM writes times to the second ("2024-05-06T07:08:09Z"); the kit sends a string timestamp as given (protocol/timestamps.ts). */
export function iamTime(ms: number): Date {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') as unknown as Date;
}

export function renderRole(role: RoleRecord, view: View): Role {
  const out: Role = { Path: role.path, RoleName: role.name, RoleId: role.id, Arn: role.arn, CreateDate: iamTime(role.createDate), AssumeRolePolicyDocument: encodeDocument(role.trustPolicy) };
  if (role.description !== undefined) out.Description = role.description;
  if (view !== 'create') out.MaxSessionDuration = role.maxSessionDuration;
  if (view === 'list') return out;
  if (role.permissionsBoundary) out.PermissionsBoundary = boundary(role.permissionsBoundary);
  if (role.tags.length > 0) out.Tags = tags(role.tags);
  if (view === 'get') out.RoleLastUsed = role.lastUsed ? { LastUsedDate: iamTime(role.lastUsed.date), Region: role.lastUsed.region } : {};
  return out;
}

export function renderUser(user: UserRecord, view: View): User {
  const out: User = { Path: user.path, UserName: user.name, UserId: user.id, Arn: user.arn, CreateDate: iamTime(user.createDate) };
  if (view === 'list') return out;
  if (user.permissionsBoundary) out.PermissionsBoundary = boundary(user.permissionsBoundary);
  if (user.tags.length > 0) out.Tags = tags(user.tags);
  return out;
}

export function renderGroup(group: GroupRecord): Group {
  return { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: group.arn, CreateDate: iamTime(group.createDate) };
}

/** How many principals a managed policy is attached to, and is the permissions boundary of. */
export interface PolicyUsage {
  attachments: number;
  boundaries: number;
}

export function renderPolicy(policy: PolicyRecord | AwsManagedPolicy, usage: PolicyUsage, view: View): Policy {
  const out: Policy = {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: 'defaultVersion' in policy ? policy.defaultVersion : policy.defaultVersionId,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
    CreateDate: iamTime(policy.createDate),
    UpdateDate: iamTime(policy.updateDate),
  };
  if (view === 'list') return out;
  if (policy.description !== undefined) out.Description = policy.description;
  const policyTags = 'tags' in policy ? policy.tags : [];
  if (policyTags.length > 0) out.Tags = tags(policyTags);
  return out;
}

export function renderInstanceProfile(profile: InstanceProfileRecord, roles: RoleRecord[], view: View): InstanceProfile {
  const out: InstanceProfile = {
    Path: profile.path,
    InstanceProfileName: profile.name,
    InstanceProfileId: profile.id,
    Arn: profile.arn,
    CreateDate: iamTime(profile.createDate),
    Roles: roles.map((role) => renderRole(role, 'create')),
  };
  if (view !== 'list' && profile.tags.length > 0) out.Tags = tags(profile.tags);
  return out;
}

export function tags(list: readonly TagRecord[]): Tag[] {
  return list.map((tag) => ({ Key: tag.Key, Value: tag.Value }));
}

function boundary(arn: string): AttachedPermissionsBoundary {
  return { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn };
}
