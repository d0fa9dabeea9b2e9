import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import { entityArn, type IamCall, type IamContext } from './context.js';
import { deleteConflict, iamError, limitExceeded, noSuchEntity } from './errors.js';
import { uniqueId } from './ids.js';
import { role } from './ops-roles.js';
import { page, pageInOrder } from './paging.js';
import type { InstanceProfileRecord, RoleRecord } from './records.js';
import { renderInstanceProfile, tags, type View } from './render.js';
import { addTags, newTags, removeTags } from './tags.js';

/** Instance profiles: a container for one role (IAM's quota of roles per instance profile is one). */
export const INSTANCE_PROFILE_HANDLERS: Handlers<Operations, IamCall> = {
  async CreateInstanceProfile(input, { iam }) {
    const path = input.Path ?? '/';
    const profile: InstanceProfileRecord = {
      name: input.InstanceProfileName,
      path,
      id: uniqueId('AIPA', iam.accountId),
      arn: entityArn(iam, 'instance-profile', path, input.InstanceProfileName),
      createDate: iam.clock.now(),
      tags: newTags(input.Tags),
      roles: [],
    };
    if (!(await iam.store.create('instance-profiles', profile))) throw iamError('EntityAlreadyExistsException', `Instance Profile ${input.InstanceProfileName} already exists.`);
    return { InstanceProfile: await render(iam, profile, 'create') };
  },

  async GetInstanceProfile(input, { iam }) {
    return { InstanceProfile: await render(iam, await profile(iam, input.InstanceProfileName), 'get') };
  },

  async ListInstanceProfiles(input, { iam }) {
    const prefix = input.PathPrefix ?? '/';
    const profiles = (await iam.store.list('instance-profiles')).filter((p) => p.path.startsWith(prefix));
    const { items, ...more } = page(profiles, (p) => p.name.toLowerCase(), input.Marker, input.MaxItems);
    return { InstanceProfiles: await Promise.all(items.map((p) => render(iam, p, 'list'))), ...more };
  },

  async ListInstanceProfilesForRole(input, { iam }) {
    const found = await role(iam, input.RoleName);
    const profiles = (await iam.store.list('instance-profiles')).filter((p) => holds(p, found.name));
    const { items, ...more } = page(profiles, (p) => p.name.toLowerCase(), input.Marker, input.MaxItems);
    return { InstanceProfiles: await Promise.all(items.map((p) => render(iam, p, 'list'))), ...more };
  },

  async DeleteInstanceProfile(input, { iam }) {
    const found = await profile(iam, input.InstanceProfileName);
    if (found.roles.length > 0) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    await iam.store.delete('instance-profiles', found.name);
  },

  async AddRoleToInstanceProfile(input, { iam }) {
    const added = await role(iam, input.RoleName);
    await update(iam, input.InstanceProfileName, (p) => {
      if (p.roles.length >= 1) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
      p.roles.push(added.name);
    });
  },

  async RemoveRoleFromInstanceProfile(input, { iam }) {
    await role(iam, input.RoleName);
    await update(iam, input.InstanceProfileName, (p) => {
      if (!holds(p, input.RoleName)) throw noSuchEntity('role', input.RoleName);
      p.roles = p.roles.filter((name) => name.toLowerCase() !== input.RoleName.toLowerCase());
    });
  },

  async TagInstanceProfile(input, { iam }) {
    await update(iam, input.InstanceProfileName, (p) => {
      p.tags = addTags(p.tags, input.Tags);
    });
  },

  async UntagInstanceProfile(input, { iam }) {
    await update(iam, input.InstanceProfileName, (p) => {
      p.tags = removeTags(p.tags, input.TagKeys);
    });
  },

  async ListInstanceProfileTags(input, { iam }) {
    const found = await profile(iam, input.InstanceProfileName);
    const { items, ...more } = pageInOrder(found.tags, input.Marker, input.MaxItems);
    return { Tags: tags(items), ...more };
  },
};

function notFound(name: string) {
  return iamError('NoSuchEntityException', `Instance Profile ${name} cannot be found.`);
}

async function profile(iam: IamContext, name: string): Promise<InstanceProfileRecord> {
  const found = await iam.store.get('instance-profiles', name);
  if (!found) throw notFound(name);
  return found;
}

async function update(iam: IamContext, name: string, edit: (profile: InstanceProfileRecord) => void): Promise<void> {
  const updated = await iam.store.update('instance-profiles', name, (p) => {
    edit(p);
    return p;
  });
  if (!updated) throw notFound(name);
}

function holds(profile: InstanceProfileRecord, roleName: string): boolean {
  return profile.roles.some((name) => name.toLowerCase() === roleName.toLowerCase());
}

async function render(iam: IamContext, profile: InstanceProfileRecord, view: View) {
  const roles: RoleRecord[] = [];
  for (const name of profile.roles) {
    const found = await iam.store.get('roles', name);
    if (found) roles.push(found);
  }
  return renderInstanceProfile(profile, roles, view);
}
