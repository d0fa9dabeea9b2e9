import type { Handlers } from '../../protocol/index.js';
import type { Operations, PolicyVersion } from './api.js';
import { entityArn, type IamCall, type IamContext } from './context.js';
import { deleteConflict, iamError, limitExceeded, policyNotFound } from './errors.js';
import { uniqueId } from './ids.js';
import { page, pageInOrder } from './paging.js';
import { checkPolicyDocument, encodeDocument } from './policy-document.js';
import { findPolicy, isAwsManaged, NO_USAGE, policyUsage, type ManagedPolicy } from './policies.js';
import type { PolicyRecord, PolicyVersionRecord } from './records.js';
import { iamTime, renderPolicy, tags } from './render.js';
import { addTags, newTags, removeTags } from './tags.js';

/** A managed policy keeps at most five versions (CreatePolicyVersion in the IAM API reference). */
const MAX_VERSIONS = 5;

/** Customer managed policies and their versions; AWS managed policies can be read and attached, not changed. */
export const POLICY_HANDLERS: Handlers<Operations, IamCall> = {
  async CreatePolicy(input, { iam }) {
    checkPolicyDocument(input.PolicyDocument, 'managed');
    const path = input.Path ?? '/';
    const now = iam.clock.now();
    const policy: PolicyRecord = {
      name: input.PolicyName,
      path,
      id: uniqueId('ANPA', iam.accountId),
      arn: entityArn(iam, 'policy', path, input.PolicyName),
      createDate: now,
      updateDate: now,
      description: input.Description,
      tags: newTags(input.Tags),
      defaultVersion: 'v1',
      versions: [{ id: 'v1', document: input.PolicyDocument, createDate: now }],
      nextVersion: 2,
    };
    if (!(await iam.store.create('policies', policy))) throw iamError('EntityAlreadyExistsException', `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
    return { Policy: renderPolicy(policy, NO_USAGE, 'create') };
  },

  async GetPolicy(input, { iam }) {
    const policy = await existing(iam, input.PolicyArn);
    return { Policy: renderPolicy(policy, (await policyUsage(iam)).get(policy.arn) ?? NO_USAGE, 'get') };
  },

  async ListPolicies(input, { iam }) {
    const scope = input.Scope ?? 'All';
    const prefix = input.PathPrefix ?? '/';
    const usage = await policyUsage(iam);
    const all: ManagedPolicy[] = [...(scope === 'Local' ? [] : iam.managed.values()), ...(scope === 'AWS' ? [] : await iam.store.list('policies'))];
    const shown = all.filter((policy) => {
      const used = usage.get(policy.arn) ?? NO_USAGE;
      if (!policy.path.startsWith(prefix)) return false;
      if (!input.OnlyAttached) return true;
      return input.PolicyUsageFilter === 'PermissionsBoundary' ? used.boundaries > 0 : used.attachments > 0;
    });
    const { items, ...more } = page(shown, (p) => `${p.name.toLowerCase()}\n${p.arn}`, input.Marker, input.MaxItems);
    return { Policies: items.map((p) => renderPolicy(p, usage.get(p.arn) ?? NO_USAGE, 'list')), ...more };
  },

  async DeletePolicy(input, { iam }) {
    const policy = await local(iam, input.PolicyArn);
    if (((await policyUsage(iam)).get(policy.arn) ?? NO_USAGE).attachments > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
    if (policy.versions.length > 1) {
      throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    await iam.store.delete('policies', policy.name);
  },

  async CreatePolicyVersion(input, { iam }) {
    checkPolicyDocument(input.PolicyDocument, 'managed');
    const policy = await local(iam, input.PolicyArn);
    let created: PolicyVersionRecord | undefined;
    const updated = await update(iam, policy, (p) => {
      if (p.versions.length >= MAX_VERSIONS) {
        throw limitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
      }
      created = { id: `v${p.nextVersion}`, document: input.PolicyDocument, createDate: iam.clock.now() };
      p.versions.push(created);
      p.nextVersion++;
      p.updateDate = created.createDate;
      if (input.SetAsDefault) p.defaultVersion = created.id;
    });
    return { PolicyVersion: renderVersion(updated, created!, false) };
  },

  async GetPolicyVersion(input, { iam }) {
    const policy = await existing(iam, input.PolicyArn);
    if (isAwsManaged(policy)) {
      if (input.VersionId !== policy.defaultVersionId) throw noSuchVersion(policy.arn, input.VersionId);
      return { PolicyVersion: { Document: encodeDocument(policy.document), VersionId: policy.defaultVersionId, IsDefaultVersion: true, CreateDate: iamTime(policy.updateDate) } };
    }
    return { PolicyVersion: renderVersion(policy, version(policy, input.VersionId), true) };
  },

  async ListPolicyVersions(input, { iam }) {
    const policy = await existing(iam, input.PolicyArn);
    const versions: PolicyVersion[] = isAwsManaged(policy)
      ? [{ VersionId: policy.defaultVersionId, IsDefaultVersion: true, CreateDate: iamTime(policy.updateDate) }]
      : [...policy.versions].reverse().map((v) => renderVersion(policy, v, false));
    const { items, ...more } = pageInOrder(versions, input.Marker, input.MaxItems);
    return { Versions: items, ...more };
  },

  async SetDefaultPolicyVersion(input, { iam }) {
    const policy = await local(iam, input.PolicyArn);
    await update(iam, policy, (p) => {
      p.defaultVersion = version(p, input.VersionId).id;
    });
  },

  async DeletePolicyVersion(input, { iam }) {
    const policy = await local(iam, input.PolicyArn);
    await update(iam, policy, (p) => {
      const doomed = version(p, input.VersionId);
      if (doomed.id === p.defaultVersion) throw deleteConflict('Cannot delete the default version of a policy.');
      p.versions = p.versions.filter((v) => v.id !== doomed.id);
    });
  },

  async ListEntitiesForPolicy(input, { iam }) {
    const policy = await existing(iam, input.PolicyArn);
    const filter = input.EntityFilter;
    // The managed-policy filters name kinds of policy, not of entity: every entity kind is listed under them.
    const wants = (kind: string): boolean => filter === undefined || filter === kind || filter.endsWith('ManagedPolicy');
    const attached = (p: { attached: string[]; path: string }): boolean => p.attached.includes(policy.arn) && p.path.startsWith(input.PathPrefix ?? '/');
    const roles = wants('Role') ? (await iam.store.list('roles')).filter(attached).map((r) => ({ RoleName: r.name, RoleId: r.id })) : [];
    const users = wants('User') ? (await iam.store.list('users')).filter(attached).map((u) => ({ UserName: u.name, UserId: u.id })) : [];
    const groups = wants('Group') ? (await iam.store.list('groups')).filter(attached).map((g) => ({ GroupName: g.name, GroupId: g.id })) : [];
    return { PolicyGroups: groups, PolicyUsers: users, PolicyRoles: roles, IsTruncated: false };
  },

  async TagPolicy(input, { iam }) {
    await update(iam, await local(iam, input.PolicyArn), (p) => {
      p.tags = addTags(p.tags, input.Tags);
    });
  },

  async UntagPolicy(input, { iam }) {
    await update(iam, await local(iam, input.PolicyArn), (p) => {
      p.tags = removeTags(p.tags, input.TagKeys);
    });
  },

  async ListPolicyTags(input, { iam }) {
    const policy = await existing(iam, input.PolicyArn);
    const { items, ...more } = pageInOrder(isAwsManaged(policy) ? [] : policy.tags, input.Marker, input.MaxItems);
    return { Tags: tags(items), ...more };
  },
};

async function existing(iam: IamContext, arn: string): Promise<ManagedPolicy> {
  const policy = await findPolicy(iam, arn);
  if (!policy) throw policyNotFound(arn);
  return policy;
}

/** One of the account's own policies: AWS's cannot be changed, and answer as not found to changes. */
async function local(iam: IamContext, arn: string): Promise<PolicyRecord> {
  const policy = await existing(iam, arn);
  if (isAwsManaged(policy)) throw policyNotFound(arn);
  return policy;
}

async function update(iam: IamContext, policy: PolicyRecord, edit: (policy: PolicyRecord) => void): Promise<PolicyRecord> {
  const updated = await iam.store.update('policies', policy.name, (p) => {
    edit(p);
    return p;
  });
  if (!updated) throw policyNotFound(policy.arn);
  return updated;
}

function version(policy: PolicyRecord, id: string): PolicyVersionRecord {
  const found = policy.versions.find((v) => v.id === id);
  if (!found) throw noSuchVersion(policy.arn, id);
  return found;
}

function noSuchVersion(arn: string, id: string) {
  return iamError('NoSuchEntityException', `Policy ${arn} version ${id} does not exist or is not attachable.`);
}

function renderVersion(policy: PolicyRecord, v: PolicyVersionRecord, withDocument: boolean): PolicyVersion {
  const out: PolicyVersion = { VersionId: v.id, IsDefaultVersion: v.id === policy.defaultVersion, CreateDate: iamTime(v.createDate) };
  if (withDocument) out.Document = encodeDocument(v.document);
  return out;
}
