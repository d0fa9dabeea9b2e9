import { FlintError, isFlintError } from '../../core/index.js';
import type { MetadataStore } from '../../storage/index.js';
import type { AccessKeyRecord, EntityCollection, GroupRecord, InstanceProfileRecord, PolicyRecord, RoleRecord, SessionRecord, UserRecord } from './records.js';

/**
 * IAM's state in the metadata store: one collection per kind of entity (keyed by lowercased name), access keys
 * and STS sessions keyed by access key id. Read-modify-write goes through compare-and-set, so concurrent calls on
 * one role (two AttachRolePolicy at once) both land.
 */
const COLLECTIONS: Record<EntityCollection, string> = {
  roles: 'iam-roles',
  users: 'iam-users',
  groups: 'iam-groups',
  policies: 'iam-policies',
  'instance-profiles': 'iam-instance-profiles',
};
const ACCESS_KEYS = 'iam-access-keys';
const SESSIONS = 'iam-sessions';
/** Writers that lose a compare-and-set race retry this often before giving up. */
const CAS_ATTEMPTS = 8;

interface RecordTypes {
  roles: RoleRecord;
  users: UserRecord;
  groups: GroupRecord;
  policies: PolicyRecord;
  'instance-profiles': InstanceProfileRecord;
}

export type RecordOf<C extends EntityCollection> = RecordTypes[C];

export class IamStore {
  constructor(private readonly metadata: MetadataStore) {}

  async get<C extends EntityCollection>(collection: C, name: string): Promise<RecordOf<C> | undefined> {
    return (await this.metadata.get<RecordOf<C>>(COLLECTIONS[collection], name.toLowerCase()))?.value;
  }

  /** Stores a new entity; false when one of that name (in any case) exists. */
  async create<C extends EntityCollection>(collection: C, record: RecordOf<C>): Promise<boolean> {
    try {
      await this.metadata.put(COLLECTIONS[collection], record.name.toLowerCase(), record, { ifRevision: 0 });
      return true;
    } catch (error) {
      if (isFlintError(error, 'PRECONDITION_FAILED')) return false;
      throw error;
    }
  }

  /** Read-modify-write of one entity; undefined when it does not exist. `change` may throw to refuse. */
  async update<C extends EntityCollection>(collection: C, name: string, change: (record: RecordOf<C>) => RecordOf<C>): Promise<RecordOf<C> | undefined> {
    const key = name.toLowerCase();
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const doc = await this.metadata.get<RecordOf<C>>(COLLECTIONS[collection], key);
      if (!doc) return undefined;
      const next = change(structuredClone(doc.value));
      try {
        await this.metadata.put(COLLECTIONS[collection], key, next, { ifRevision: doc.revision });
        return next;
      } catch (error) {
        if (!isFlintError(error, 'PRECONDITION_FAILED')) throw error;
      }
    }
    throw new FlintError('RESOURCE_CONFLICT', `IAM ${collection} ${name} is being changed by other requests`);
  }

  delete(collection: EntityCollection, name: string): Promise<boolean> {
    return this.metadata.delete(COLLECTIONS[collection], name.toLowerCase());
  }

  /** Every entity of a kind, in order of their lowercased names. */
  async list<C extends EntityCollection>(collection: C): Promise<RecordOf<C>[]> {
    return (await this.metadata.list<RecordOf<C>>(COLLECTIONS[collection])).map((doc) => doc.value);
  }

  async accessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    return (await this.metadata.get<AccessKeyRecord>(ACCESS_KEYS, accessKeyId))?.value;
  }

  async putAccessKey(key: AccessKeyRecord): Promise<void> {
    await this.metadata.put(ACCESS_KEYS, key.accessKeyId, key);
  }

  deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return this.metadata.delete(ACCESS_KEYS, accessKeyId);
  }

  /** The access keys of a user, oldest first. */
  async accessKeysOf(userName: string): Promise<AccessKeyRecord[]> {
    const lower = userName.toLowerCase();
    const keys = (await this.metadata.list<AccessKeyRecord>(ACCESS_KEYS)).map((doc) => doc.value).filter((key) => key.userName.toLowerCase() === lower);
    return keys.sort((a, b) => a.createDate - b.createDate);
  }

  async session(accessKeyId: string): Promise<SessionRecord | undefined> {
    return (await this.metadata.get<SessionRecord>(SESSIONS, accessKeyId))?.value;
  }

  async putSession(session: SessionRecord): Promise<void> {
    await this.metadata.put(SESSIONS, session.accessKeyId, session);
  }

  /** Forgets sessions that expired before `before` (epoch ms). */
  async purgeSessions(before: number): Promise<void> {
    for (const doc of await this.metadata.list<SessionRecord>(SESSIONS)) {
      if (doc.value.expiration < before) await this.metadata.delete(SESSIONS, doc.key);
    }
  }
}
