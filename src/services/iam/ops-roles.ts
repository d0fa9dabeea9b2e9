import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import { entityArn, type IamCall } from './context.js';
import { boundaryArn, editEntity, entity, entityTags, listByPath, setBoundary, tagEntity, untagEntity } from './entities.js';
import { alreadyExists, deleteConflict } from './errors.js';
import { uniqueId } from './ids.js';
import { checkPolicyDocument } from './policy-document.js';
import type { RoleRecord } from './records.js';
import { renderRole, tags } from './render.js';
import { newTags } from './tags.js';

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
    return { Role: renderRole(await entity(iam, 'roles', input.RoleName), 'get') };
  },

  async ListRoles(input, { iam }) {
    const { items, ...more } = await listByPath(iam, 'roles', input.PathPrefix, input.Marker, input.MaxItems);
    return { Roles: items.map((r) => renderRole(r, 'list')), ...more };
  },

  async DeleteRole(input, { iam }) {
    const found = await entity(iam, 'roles', input.RoleName);
    const profiles = await iam.store.list('instance-profiles');
    if (profiles.some((p) => p.roles.some((name) => name.toLowerCase() === found.name.toLowerCase()))) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    if (found.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (Object.keys(found.inline).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    await iam.store.delete('roles', found.name);
  },

  async UpdateRole(input, { iam }) {
    await editEntity(iam, 'roles', input.RoleName, (r) => {
      if (input.Description !== undefined) r.description = input.Description;
      if (input.MaxSessionDuration !== undefined) r.maxSessionDuration = input.MaxSessionDuration;
    });
    return {};
  },

  async UpdateRoleDescription(input, { iam }) {
    const updated = await editEntity(iam, 'roles', input.RoleName, (r) => {
      r.description = input.Description;
    });
    return { Role: renderRole(updated, 'get') };
  },

  async UpdateAssumeRolePolicy(input, { iam }) {
    checkPolicyDocument(input.PolicyDocument, 'trust');
    await editEntity(iam, 'roles', input.RoleName, (r) => {
      r.trustPolicy = input.PolicyDocument;
    });
  },

  PutRolePermissionsBoundary: async (input, { iam }) => setBoundary(iam, 'roles', input.RoleName, input.PermissionsBoundary),
  DeleteRolePermissionsBoundary: async (input, { iam }) => setBoundary(iam, 'roles', input.RoleName, undefined),

  TagRole: async (input, { iam }) => tagEntity(iam, 'roles', input.RoleName, input.Tags),
  UntagRole: async (input, { iam }) => untagEntity(iam, 'roles', input.RoleName, input.TagKeys),

  async ListRoleTags(input, { iam }) {
    const { items, ...more } = await entityTags(iam, 'roles', input.RoleName, input.Marker, input.MaxItems);
    return { Tags: tags(items), ...more };
  },
};
