import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import type { IamCall } from './context.js';
import { attach, deleteInline, detach, getInline, listAttached, listInline, putInline } from './principal-policies.js';
import { encodeDocument } from './policy-document.js';

/** Inline and attached policies of roles, users and groups (principal-policies.ts does the work for all three). */
export const PRINCIPAL_POLICY_HANDLERS: Handlers<Operations, IamCall> = {
  PutRolePolicy: async (input, { iam }) => putInline(iam, 'role', input.RoleName, input.PolicyName, input.PolicyDocument),
  PutUserPolicy: async (input, { iam }) => putInline(iam, 'user', input.UserName, input.PolicyName, input.PolicyDocument),
  PutGroupPolicy: async (input, { iam }) => putInline(iam, 'group', input.GroupName, input.PolicyName, input.PolicyDocument),

  async GetRolePolicy(input, { iam }) {
    const { name, document } = await getInline(iam, 'role', input.RoleName, input.PolicyName);
    return { RoleName: name, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
  },
  async GetUserPolicy(input, { iam }) {
    const { name, document } = await getInline(iam, 'user', input.UserName, input.PolicyName);
    return { UserName: name, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
  },
  async GetGroupPolicy(input, { iam }) {
    const { name, document } = await getInline(iam, 'group', input.GroupName, input.PolicyName);
    return { GroupName: name, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
  },

  async ListRolePolicies(input, { iam }) {
    const { items, ...more } = await listInline(iam, 'role', input.RoleName, input.Marker, input.MaxItems);
    return { PolicyNames: items, ...more };
  },
  async ListUserPolicies(input, { iam }) {
    const { items, ...more } = await listInline(iam, 'user', input.UserName, input.Marker, input.MaxItems);
    return { PolicyNames: items, ...more };
  },
  async ListGroupPolicies(input, { iam }) {
    const { items, ...more } = await listInline(iam, 'group', input.GroupName, input.Marker, input.MaxItems);
    return { PolicyNames: items, ...more };
  },

  DeleteRolePolicy: async (input, { iam }) => deleteInline(iam, 'role', input.RoleName, input.PolicyName),
  DeleteUserPolicy: async (input, { iam }) => deleteInline(iam, 'user', input.UserName, input.PolicyName),
  DeleteGroupPolicy: async (input, { iam }) => deleteInline(iam, 'group', input.GroupName, input.PolicyName),

  AttachRolePolicy: async (input, { iam }) => attach(iam, 'role', input.RoleName, input.PolicyArn),
  AttachUserPolicy: async (input, { iam }) => attach(iam, 'user', input.UserName, input.PolicyArn),
  AttachGroupPolicy: async (input, { iam }) => attach(iam, 'group', input.GroupName, input.PolicyArn),

  DetachRolePolicy: async (input, { iam }) => detach(iam, 'role', input.RoleName, input.PolicyArn),
  DetachUserPolicy: async (input, { iam }) => detach(iam, 'user', input.UserName, input.PolicyArn),
  DetachGroupPolicy: async (input, { iam }) => detach(iam, 'group', input.GroupName, input.PolicyArn),

  async ListAttachedRolePolicies(input, { iam }) {
    const { items, ...more } = await listAttached(iam, 'role', input.RoleName, input.PathPrefix, input.Marker, input.MaxItems);
    return { AttachedPolicies: items, ...more };
  },
  async ListAttachedUserPolicies(input, { iam }) {
    const { items, ...more } = await listAttached(iam, 'user', input.UserName, input.PathPrefix, input.Marker, input.MaxItems);
    return { AttachedPolicies: items, ...more };
  },
  async ListAttachedGroupPolicies(input, { iam }) {
    const { items, ...more } = await listAttached(iam, 'group', input.GroupName, input.PathPrefix, input.Marker, input.MaxItems);
    return { AttachedPolicies: items, ...more };
  },
};
