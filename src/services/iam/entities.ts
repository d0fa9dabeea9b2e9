import type { Tag } from './api.js';
import { entityArn, type IamContext } from './context.js';
import { alreadyExists, iamError, noSuchEntity, noSuchInstanceProfile } from './errors.js';
import { page, pageInOrder, type Page } from './paging.js';
import { findPolicy } from './policies.js';
import type { EntityCollection } from './records.js';
import type { RecordOf } from './store.js';
import { addTags, removeTags } from './tags.js';

/**
 * What the operations on roles, users, groups and instance profiles share: finding one by name (NoSuchEntity in
 * IAM's words when it is not there), changing one, listing by path prefix a page at a time, and tags.
 */
export type NamedCollection = Exclude<EntityCollection, 'policies'>;
type Tagged = 'roles' | 'users' | 'instance-profiles';

function notFound(collection: NamedCollection, name: string): Error {
  if (collection === 'instance-profiles') return noSuchInstanceProfile(name);
  return noSuchEntity(collection === 'roles' ? 'role' : collection === 'users' ? 'user' : 'group', name);
}

export async function entity<C extends NamedCollection>(iam: IamContext, collection: C, name: string): Promise<RecordOf<C>> {
  const found = await iam.store.get(collection, name);
  if (!found) throw notFound(collection, name);
  return found;
}

/** Changes a stored entity in place (`edit` may throw to refuse); returns it as stored. */
export async function editEntity<C extends NamedCollection>(iam: IamContext, collection: C, name: string, edit: (record: RecordOf<C>) => void): Promise<RecordOf<C>> {
  const updated = await iam.store.update(collection, name, (record) => {
    edit(record);
    return record;
  });
  if (!updated) throw notFound(collection, name);
  return updated;
}

/** The entities whose path starts with `pathPrefix` (default "/"), a page at a time in order of name. */
export async function listByPath<C extends NamedCollection>(iam: IamContext, collection: C, pathPrefix: string | undefined, marker: string | undefined, maxItems: number | undefined): Promise<Page<RecordOf<C>>> {
  const prefix = pathPrefix ?? '/';
  const records = (await iam.store.list(collection)).filter((record) => record.path.startsWith(prefix));
  return page(records, (record) => record.name.toLowerCase(), marker, maxItems);
}

export async function tagEntity(iam: IamContext, collection: Tagged, name: string, tags: readonly Tag[]): Promise<void> {
  await editEntity(iam, collection, name, (record) => {
    record.tags = addTags(record.tags, tags);
  });
}

export async function untagEntity(iam: IamContext, collection: Tagged, name: string, keys: readonly string[]): Promise<void> {
  await editEntity(iam, collection, name, (record) => {
    record.tags = removeTags(record.tags, keys);
  });
}

export async function entityTags(iam: IamContext, collection: Tagged, name: string, marker: string | undefined, maxItems: number | undefined): Promise<Page<Tag>> {
  return pageInOrder((await entity(iam, collection, name)).tags, marker, maxItems);
}

/** Renames and moves a user or group (a new document under the new name); true when the name changed. */
export async function moveEntity<C extends 'users' | 'groups'>(iam: IamContext, collection: C, found: RecordOf<C>, name = found.name, path = found.path): Promise<boolean> {
  const kind = collection === 'users' ? 'user' : 'group';
  const moved: RecordOf<C> = { ...found, name, path, arn: entityArn(iam, kind, path, name) };
  if (name.toLowerCase() === found.name.toLowerCase()) {
    await iam.store.update(collection, found.name, () => moved);
    return false;
  }
  if (!(await iam.store.create(collection, moved))) throw alreadyExists(kind, name);
  await iam.store.delete(collection, found.name);
  return true;
}

/** Sets (or with no ARN removes) the permissions boundary of a role or user; it must be a managed policy that exists. */
export async function setBoundary(iam: IamContext, collection: 'roles' | 'users', name: string, policyArn: string | undefined): Promise<void> {
  const arn = policyArn === undefined ? undefined : await boundaryArn(iam, policyArn);
  await editEntity(iam, collection, name, (record) => {
    if (arn === undefined) delete record.permissionsBoundary;
    else record.permissionsBoundary = arn;
  });
}

export async function boundaryArn(iam: IamContext, arn: string): Promise<string> {
  const policy = await findPolicy(iam, arn);
  if (!policy) throw iamError('NoSuchEntityException', `Scope ARN: ${arn} does not exist or is not attachable.`);
  return policy.arn;
}
