import type { Handlers } from '../../protocol/index.js';
import type { Operations, User } from './api.js';
import { entityArn, type IamCall, type IamContext } from './context.js';
import { alreadyExists, deleteConflict, iamError, limitExceeded, noSuchEntity, validationError } from './errors.js';
import { accessKeyId, secretAccessKey, uniqueId } from './ids.js';
import { page, pageInOrder } from './paging.js';
import type { AccessKeyRecord, UserRecord } from './records.js';
import { iamTime, renderUser, tags } from './render.js';
import { boundaryArn } from './ops-roles.js';
import { addTags, newTags, removeTags } from './tags.js';

/** IAM's default quota of access keys per user (reference_iam-quotas.html). */
const KEYS_PER_USER = 2;

/** Users and their access keys. */
export const USER_HANDLERS: Handlers<Operations, IamCall> = {
  async CreateUser(input, { iam }) {
    const path = input.Path ?? '/';
    const user: UserRecord = {
      name: input.UserName,
      path,
      id: uniqueId('AIDA', iam.accountId),
      arn: entityArn(iam, 'user', path, input.UserName),
      createDate: iam.clock.now(),
      permissionsBoundary: input.PermissionsBoundary === undefined ? undefined : await boundaryArn(iam, input.PermissionsBoundary),
      tags: newTags(input.Tags),
      inline: {},
      attached: [],
    };
    if (!(await iam.store.create('users', user))) throw alreadyExists('user', input.UserName);
    return { User: renderUser(user, 'create') };
  },

  async GetUser(input, call) {
    const name = input.UserName ?? (await callerUserName(call, true));
    if (name === undefined) return { User: rootUser(call.iam) };
    return { User: renderUser(await user(call.iam, name), 'get') };
  },

  async ListUsers(input, { iam }) {
    const prefix = input.PathPrefix ?? '/';
    const users = (await iam.store.list('users')).filter((u) => u.path.startsWith(prefix));
    const { items, ...more } = page(users, (u) => u.name.toLowerCase(), input.Marker, input.MaxItems);
    return { Users: items.map((u) => renderUser(u, 'list')), ...more };
  },

  async UpdateUser(input, { iam }) {
    const found = await user(iam, input.UserName);
    const name = input.NewUserName ?? found.name;
    const path = input.NewPath ?? found.path;
    const renamed: UserRecord = { ...found, name, path, arn: entityArn(iam, 'user', path, name) };
    if (name.toLowerCase() === found.name.toLowerCase()) {
      await iam.store.update('users', found.name, () => renamed);
      return;
    }
    if (!(await iam.store.create('users', renamed))) throw alreadyExists('user', name);
    await iam.store.delete('users', found.name);
    for (const key of await iam.store.accessKeysOf(found.name)) await iam.store.putAccessKey({ ...key, userName: name });
    for (const group of await iam.store.list('groups')) {
      if (group.members.some((member) => member.toLowerCase() === found.name.toLowerCase())) {
        await iam.store.update('groups', group.name, (g) => ({ ...g, members: g.members.map((m) => (m.toLowerCase() === found.name.toLowerCase() ? name : m)) }));
      }
    }
  },

  async DeleteUser(input, { iam }) {
    const found = await user(iam, input.UserName);
    if (Object.keys(found.inline).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (found.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if ((await iam.store.accessKeysOf(found.name)).length > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
    const groups = await iam.store.list('groups');
    if (groups.some((g) => g.members.some((m) => m.toLowerCase() === found.name.toLowerCase()))) throw deleteConflict('Cannot delete entity, must remove user from all groups first.');
    await iam.store.delete('users', found.name);
  },

  async PutUserPermissionsBoundary(input, { iam }) {
    const arn = await boundaryArn(iam, input.PermissionsBoundary);
    await updateUser(iam, input.UserName, (u) => {
      u.permissionsBoundary = arn;
    });
  },

  async DeleteUserPermissionsBoundary(input, { iam }) {
    await updateUser(iam, input.UserName, (u) => {
      delete u.permissionsBoundary;
    });
  },

  async TagUser(input, { iam }) {
    await updateUser(iam, input.UserName, (u) => {
      u.tags = addTags(u.tags, input.Tags);
    });
  },

  async UntagUser(input, { iam }) {
    await updateUser(iam, input.UserName, (u) => {
      u.tags = removeTags(u.tags, input.TagKeys);
    });
  },

  async ListUserTags(input, { iam }) {
    const found = await user(iam, input.UserName);
    const { items, ...more } = pageInOrder(found.tags, input.Marker, input.MaxItems);
    return { Tags: tags(items), ...more };
  },

  async CreateAccessKey(input, call) {
    const found = await user(call.iam, input.UserName ?? (await callerUserName(call, false))!);
    if ((await call.iam.store.accessKeysOf(found.name)).length >= KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`);
    const key: AccessKeyRecord = {
      accessKeyId: accessKeyId('AKIA', call.iam.accountId),
      secretAccessKey: secretAccessKey(),
      userName: found.name,
      status: 'Active',
      createDate: call.iam.clock.now(),
    };
    await call.iam.store.putAccessKey(key);
    return { AccessKey: { UserName: key.userName, AccessKeyId: key.accessKeyId, Status: key.status, SecretAccessKey: key.secretAccessKey, CreateDate: iamTime(key.createDate) } };
  },

  async ListAccessKeys(input, call) {
    const found = await user(call.iam, input.UserName ?? (await callerUserName(call, false))!);
    const keys = await call.iam.store.accessKeysOf(found.name);
    const { items, ...more } = pageInOrder(keys, input.Marker, input.MaxItems);
    return { AccessKeyMetadata: items.map((k) => ({ UserName: k.userName, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: iamTime(k.createDate) })), ...more };
  },

  async UpdateAccessKey(input, call) {
    const key = await accessKeyOf(call, input.UserName, input.AccessKeyId);
    await call.iam.store.putAccessKey({ ...key, status: input.Status === 'Inactive' ? 'Inactive' : 'Active' });
  },

  async DeleteAccessKey(input, call) {
    const key = await accessKeyOf(call, input.UserName, input.AccessKeyId);
    await call.iam.store.deleteAccessKey(key.accessKeyId);
  },

  async GetAccessKeyLastUsed(input, { iam }) {
    const key = await iam.store.accessKey(input.AccessKeyId);
    if (!key) throw noSuchKey(input.AccessKeyId);
    const used = key.lastUsed;
    // A key never used reads "N/A" for service and region (API_AccessKeyLastUsed.html).
    return { UserName: key.userName, AccessKeyLastUsed: used ? { LastUsedDate: iamTime(used.date), ServiceName: used.service, Region: used.region } : { ServiceName: 'N/A', Region: 'N/A' } };
  },
};

export async function user(iam: IamContext, name: string): Promise<UserRecord> {
  const found = await iam.store.get('users', name);
  if (!found) throw noSuchEntity('user', name);
  return found;
}

async function updateUser(iam: IamContext, name: string, edit: (user: UserRecord) => void): Promise<void> {
  const updated = await iam.store.update('users', name, (u) => {
    edit(u);
    return u;
  });
  if (!updated) throw noSuchEntity('user', name);
}

/**
 * The IAM user the call's credentials belong to, for operations whose UserName defaults to the caller. The root
 * has no user name (GetUser answers the root itself when `rootAllowed`); roles and federated users must name one.
 */
async function callerUserName(call: IamCall, rootAllowed: boolean): Promise<string | undefined> {
  const token = call.request.headers['x-amz-security-token'];
  const answer = await call.iam.identity.whoIs(call.request.accessKeyId, typeof token === 'string' ? token : undefined);
  const caller = 'caller' in answer ? answer.caller : undefined;
  if (caller?.userName) return caller.userName;
  if (caller?.kind === 'root' && rootAllowed) return undefined;
  throw validationError('Must specify userName when calling with non-User credentials');
}

/** GetUser of the account's root answers its id, ARN and creation time, without a name or path. */
function rootUser(iam: IamContext): User {
  const root = iam.identity.root();
  // The model's User requires UserName and Path; IAM leaves both out for the root.
  return { UserId: root.userId, Arn: root.arn, CreateDate: iamTime(0) } as User;
}

async function accessKeyOf(call: IamCall, userName: string | undefined, id: string): Promise<AccessKeyRecord> {
  const name = userName ?? (await callerUserName(call, false))!;
  await user(call.iam, name);
  const key = await call.iam.store.accessKey(id);
  if (!key || key.userName.toLowerCase() !== name.toLowerCase()) throw noSuchKey(id);
  return key;
}

function noSuchKey(id: string) {
  return iamError('NoSuchEntityException', `The Access Key with id ${id} cannot be found.`);
}
