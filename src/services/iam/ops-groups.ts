import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import { entityArn, type IamCall } from './context.js';
import { editEntity, entity, listByPath, moveEntity } from './entities.js';
import { alreadyExists, deleteConflict, noSuchEntity } from './errors.js';
import { uniqueId } from './ids.js';
import { page } from './paging.js';
import type { GroupRecord } from './records.js';
import { renderGroup, renderUser } from './render.js';

/** Groups and their members. */
export const GROUP_HANDLERS: Handlers<Operations, IamCall> = {
  async CreateGroup(input, { iam }) {
    const path = input.Path ?? '/';
    const group: GroupRecord = {
      name: input.GroupName,
      path,
      id: uniqueId('AGPA', iam.accountId),
      arn: entityArn(iam, 'group', path, input.GroupName),
      createDate: iam.clock.now(),
      members: [],
      inline: {},
      attached: [],
    };
    if (!(await iam.store.create('groups', group))) throw alreadyExists('group', input.GroupName);
    return { Group: renderGroup(group) };
  },

  async GetGroup(input, { iam }) {
    const found = await entity(iam, 'groups', input.GroupName);
    const members = [];
    for (const name of found.members) {
      const member = await iam.store.get('users', name);
      if (member) members.push(member);
    }
    const { items, ...more } = page(members, (u) => u.name.toLowerCase(), input.Marker, input.MaxItems);
    return { Group: renderGroup(found), Users: items.map((u) => renderUser(u, 'list')), ...more };
  },

  async ListGroups(input, { iam }) {
    const { items, ...more } = await listByPath(iam, 'groups', input.PathPrefix, input.Marker, input.MaxItems);
    return { Groups: items.map(renderGroup), ...more };
  },

  async ListGroupsForUser(input, { iam }) {
    const member = await entity(iam, 'users', input.UserName);
    const groups = (await iam.store.list('groups')).filter((g) => isMember(g, member.name));
    const { items, ...more } = page(groups, (g) => g.name.toLowerCase(), input.Marker, input.MaxItems);
    return { Groups: items.map(renderGroup), ...more };
  },

  async UpdateGroup(input, { iam }) {
    await moveEntity(iam, 'groups', await entity(iam, 'groups', input.GroupName), input.NewGroupName, input.NewPath);
  },

  async DeleteGroup(input, { iam }) {
    const found = await entity(iam, 'groups', input.GroupName);
    if (found.members.length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    if (Object.keys(found.inline).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (found.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    await iam.store.delete('groups', found.name);
  },

  async AddUserToGroup(input, { iam }) {
    const member = await entity(iam, 'users', input.UserName);
    await editEntity(iam, 'groups', input.GroupName, (g) => {
      if (!isMember(g, member.name)) g.members.push(member.name);
    });
  },

  async RemoveUserFromGroup(input, { iam }) {
    const member = await entity(iam, 'users', input.UserName);
    await editEntity(iam, 'groups', input.GroupName, (g) => {
      if (!isMember(g, member.name)) throw noSuchEntity('user', input.UserName);
      g.members = g.members.filter((m) => m.toLowerCase() !== member.name.toLowerCase());
    });
  },
};

function isMember(group: GroupRecord, userName: string): boolean {
  return group.members.some((m) => m.toLowerCase() === userName.toLowerCase());
}
