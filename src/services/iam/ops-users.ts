import type { Handlers } from '../../protocol/index.js';
import type { Operations, User } from './api.js';
import { entityArn, type IamCall, type IamContext } from './context.js';
import { boundaryArn, entity, entityTags, listByPath, moveEntity, setBoundary, tagEntity, untagEntity } from './entities.js';
import { alreadyExists, iamError, deleteConflict, limitExceeded, validationError } from './errors.js';
import { accessKeyId, secretAccessKey, uniqueId } from './ids.js';
import { pageInOrder } from './paging.js';
import type { AccessKeyRecord, UserRecord } from './records.js';
import { iamTime, renderUser, tags } from './render.js';
import { newTags } from './tags.js';

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
    return { User: renderUser(await entity(call.iam, 'users', name), 'get') };
  },

  async ListUsers(input, { iam }) {
    const { items, ...more } = await listByPath(iam, 'users', input.PathPrefix, input.Marker, input.MaxItems);
    return { Users: items.map((u) => renderUser(u, 'list')), ...more };
  },

  async UpdateUser(input, { iam }) {
    const found = await entity(iam, 'users', input.UserName);
    if (!(await moveEntity(iam, 'users', found, input.NewUserName, input.NewPath))) return;
    const name = input.NewUserName!;
    for (const key of await iam.store.accessKeysOf(found.name)) await iam.store.putAccessKey({ ...key, userName: name });
    for (const group of await iam.store.list('groups')) {
      if (group.members.some((member) => member.toLowerCase() === found.name.toLowerCase())) {
        await iam.store.update('groups', group.name, (g) => ({ ...g, members: g.members.map((m) => (m.toLowerCase() === found.name.toLowerCase() ? name : m)) }));
      }
    }
  },

  async DeleteUser(input, { iam }) {
    const found = await entity(iam, 'users', input.UserName);
    if (Object.keys(found.inline).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (found.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if ((await iam.store.accessKeysOf(found.name)).length > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
    const groups = await iam.store.list('groups');
    if (groups.some((g) => g.members.some((m) => m.toLowerCase() === found.name.toLowerCase()))) throw deleteConflict('Cannot delete entity, must remove user from all groups first.');
    await iam.store.delete('users', found.name);
  },

  PutUserPermissionsBoundary: async (input, { iam }) => setBoundary(iam, 'users', input.UserName, input.PermissionsBoundary),
  DeleteUserPermissionsBoundary: async (input, { iam }) => setBoundary(iam, 'users', input.UserName, undefined),

  TagUser: async (input, { iam }) => tagEntity(iam, 'users', input.UserName, input.Tags),
  UntagUser: async (input, { iam }) => untagEntity(iam, 'users', input.UserName, input.TagKeys),

  async ListUserTags(input, { iam }) {
    const { items, ...more } = await entityTags(iam, 'users', input.UserName, input.Marker, input.MaxItems);
    return { Tags: tags(items), ...more };
  },

  async CreateAccessKey(input, call) {
    const found = await entity(call.iam, 'users', input.UserName ?? (await callerUserName(call, false))!);
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
    const found = await entity(call.iam, 'users', input.UserName ?? (await callerUserName(call, false))!);
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

/**
 * The IAM user the call's credentials belong to, for operations whose UserName defaults to the caller. The root
 * has no user name (GetUser answers the root itself when `rootAllowed`); roles and federated users must name one.
 */
async function callerUserName(call: IamCall, rootAllowed: boolean): Promise<string | undefined> {
  const token = call.request.headers['x-amz-security-token'];
  const answer = await call.iam.identity.whoIs(call.request.credential?.accessKeyId, typeof token === 'string' ? token : undefined);
  const caller = 'caller' in answer ? answer.caller : undefined;
  if (caller?.userName) return caller.userName;
  if (caller?.kind === 'root' && rootAllowed) return undefined;
  throw validationError('Must specify userName when calling with non-User credentials');
}

/** GetUser of the account's root answers its id, ARN and creation time, without a name or path. */
function rootUser(iam: IamContext): User {
  const root = iam.identity.root(iam.accountId);
  // The model's User requires UserName and Path; IAM leaves both out for the root.
  return { UserId: root.userId, Arn: root.arn, CreateDate: iamTime(0) } as User;
}

async function accessKeyOf(call: IamCall, userName: string | undefined, id: string): Promise<AccessKeyRecord> {
  const name = userName ?? (await callerUserName(call, false))!;
  await entity(call.iam, 'users', name);
  const key = await call.iam.store.accessKey(id);
  if (!key || key.userName.toLowerCase() !== name.toLowerCase()) throw noSuchKey(id);
  return key;
}

function noSuchKey(id: string) {
  return iamError('NoSuchEntityException', `The Access Key with id ${id} cannot be found.`);
}
