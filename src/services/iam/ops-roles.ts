import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import { entityArn, type IamCall, type IamContext } from './context.js';
import { alreadyExists, deleteConflict, iamError, noSuchEntity } from './errors.js';
import { uniqueId } from './ids.js';
import { page, pageInOrder } from './paging.js';
import { checkPolicyDocument } from './policy-document.js';
import { findPolicy } from './policies.js';
import type { RoleRecord } from './records.js';
import { renderRole, tags } from './render.js';
import { addTags, newTags, removeTags } from './tags.js';

/** Roles: trust policy, maximum session duration (3,600–43,200 s, the model checks the range), tags, boundary. */
export const ROLE_HANDLERS: Handlers<Operations, IamCall> = {
  async CreateRole(input, { iam }) {
    checkPolicyDocument(input.AssumeRolePolicyDocument, 'trust');
    const path = input.Path ?? '/';
    const role: RoleRecord = {
      name: input.RoleName,
      path,
      id: uniqueId('AROA', iam.accountId),
      arn: entityArn(iam, 'role', path, input.RoleName),
      createDate: iam.clock.now(),
      trustPolicy: input.AssumeRolePolicyDocument,
      description: input.Description,
      maxSessionDuration: input.MaxSessionDuration ?? 3600,
      permissionsBoundary: input.PermissionsBoundary === undefined ? undefined : await boundaryArn(iam, input.PermissionsBoundary),
      tags: newTags(input.Tags),
      inline: {},
      attached: [],
    };
    if (!(await iam.store.create('roles', role))) throw alreadyExists('role', input.RoleName);
    return { Role: renderRole(role, 'create') };
  },

  async GetRole(input, { iam }) {
    return { Role: renderRole(await role(iam, input.RoleName), 'get') };
  },

  async ListRoles(input, { iam }) {
    const prefix = input.PathPrefix ?? '/';
    const roles = (await iam.store.list('roles')).filter((r) => r.path.startsWith(prefix));
    const { items, ...more } = page(roles, (r) => r.name.toLowerCase(), input.Marker, input.MaxItems);
    return { Roles: items.map((r) => renderRole(r, 'list')), ...more };
  },

  async DeleteRole(input, { iam }) {
    const found = await role(iam, input.RoleName);
    const profiles = await iam.store.list('instance-profiles');
    if (profiles.some((p) => p.roles.some((name) => name.toLowerCase() === found.name.toLowerCase()))) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    if (found.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (Object.keys(found.inline).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    await iam.store.delete('roles', found.name);
  },

  async UpdateRole(input, { iam }) {
    await updateRole(iam, input.RoleName, (r) => {
      if (input.Description !== undefined) r.description = input.Description;
      if (input.MaxSessionDuration !== undefined) r.maxSessionDuration = input.MaxSessionDuration;
    });
    return {};
  },

  async UpdateRoleDescription(input, { iam }) {
    const updated = await updateRole(iam, input.RoleName, (r) => {
      r.description = input.Description;
    });
    return { Role: renderRole(updated, 'get') };
  },

  async UpdateAssumeRolePolicy(input, { iam }) {
    checkPolicyDocument(input.PolicyDocument, 'trust');
    await updateRole(iam, input.RoleName, (r) => {
      r.trustPolicy = input.PolicyDocument;
    });
  },

  async PutRolePermissionsBoundary(input, { iam }) {
    const arn = await boundaryArn(iam, input.PermissionsBoundary);
    await updateRole(iam, input.RoleName, (r) => {
      r.permissionsBoundary = arn;
    });
  },

  async DeleteRolePermissionsBoundary(input, { iam }) {
    await updateRole(iam, input.RoleName, (r) => {
      delete r.permissionsBoundary;
    });
  },

  async TagRole(input, { iam }) {
    await updateRole(iam, input.RoleName, (r) => {
      r.tags = addTags(r.tags, input.Tags);
    });
  },

  async UntagRole(input, { iam }) {
    await updateRole(iam, input.RoleName, (r) => {
      r.tags = removeTags(r.tags, input.TagKeys);
    });
  },

  async ListRoleTags(input, { iam }) {
    const found = await role(iam, input.RoleName);
    const { items, ...more } = pageInOrder(found.tags, input.Marker, input.MaxItems);
    return { Tags: tags(items), ...more };
  },
};

export async function role(iam: IamContext, name: string): Promise<RoleRecord> {
  const found = await iam.store.get('roles', name);
  if (!found) throw noSuchEntity('role', name);
  return found;
}

async function updateRole(iam: IamContext, name: string, edit: (role: RoleRecord) => void): Promise<RoleRecord> {
  const updated = await iam.store.update('roles', name, (r) => {
    edit(r);
    return r;
  });
  if (!updated) throw noSuchEntity('role', name);
  return updated;
}

/** A permissions boundary must be a managed policy that exists. */
export async function boundaryArn(iam: IamContext, arn: string): Promise<string> {
  const policy = await findPolicy(iam, arn);
  if (!policy) throw iamError('NoSuchEntityException', `Scope ARN: ${arn} does not exist or is not attachable.`);
  return policy.arn;
}
