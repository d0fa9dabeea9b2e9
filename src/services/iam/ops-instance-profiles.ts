import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import { entityArn, type IamCall, type IamContext } from './context.js';
import { editEntity, entity, entityTags, listByPath, tagEntity, untagEntity } from './entities.js';
import { deleteConflict, iamError, limitExceeded, noSuchEntity } from './errors.js';
import { uniqueId } from './ids.js';
import { page } from './paging.js';
import type { InstanceProfileRecord, RoleRecord } from './records.js';
import { renderInstanceProfile, tags, type View } from './render.js';
import { newTags } from './tags.js';

const PROFILES = 'instance-profiles';

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
    if (!(await iam.store.create(PROFILES, profile))) throw iamError('EntityAlreadyExistsException', `Instance Profile ${input.InstanceProfileName} already exists.`);
    return { InstanceProfile: await render(iam, profile, 'create') };
  },

  async GetInstanceProfile(input, { iam }) {
    return { InstanceProfile: await render(iam, await entity(iam, PROFILES, input.InstanceProfileName), 'get') };
  },

  async ListInstanceProfiles(input, { iam }) {
    const { items, ...more } = await listByPath(iam, PROFILES, input.PathPrefix, input.Marker, input.MaxItems);
    return { InstanceProfiles: await Promise.all(items.map((p) => render(iam, p, 'list'))), ...more };
  },

  async ListInstanceProfilesForRole(input, { iam }) {
    const found = await entity(iam, 'roles', input.RoleName);
    const profiles = (await iam.store.list(PROFILES)).filter((p) => holds(p, found.name));
    const { items, ...more } = page(profiles, (p) => p.name.toLowerCase(), input.Marker, input.MaxItems);
    return { InstanceProfiles: await Promise.all(items.map((p) => render(iam, p, 'list'))), ...more };
  },

  async DeleteInstanceProfile(input, { iam }) {
    const found = await entity(iam, PROFILES, input.InstanceProfileName);
    if (found.roles.length > 0) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    await iam.store.delete(PROFILES, found.name);
  },

  async AddRoleToInstanceProfile(input, { iam }) {
    const added = await entity(iam, 'roles', input.RoleName);
    await editEntity(iam, PROFILES, input.InstanceProfileName, (p) => {
      if (p.roles.length >= 1) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
      p.roles.push(added.name);
    });
  },

  async RemoveRoleFromInstanceProfile(input, { iam }) {
    await entity(iam, 'roles', input.RoleName);
    await editEntity(iam, PROFILES, input.InstanceProfileName, (p) => {
      if (!holds(p, input.RoleName)) throw noSuchEntity('role', input.RoleName);
      p.roles = p.roles.filter((name) => name.toLowerCase() !== input.RoleName.toLowerCase());
    });
  },

  TagInstanceProfile: async (input, { iam }) => tagEntity(iam, PROFILES, input.InstanceProfileName, input.Tags),
  UntagInstanceProfile: async (input, { iam }) => untagEntity(iam, PROFILES, input.InstanceProfileName, input.TagKeys),

  async ListInstanceProfileTags(input, { iam }) {
    const { items, ...more } = await entityTags(iam, PROFILES, input.InstanceProfileName, input.Marker, input.MaxItems);
    return { Tags: tags(items), ...more };
  },
};

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
