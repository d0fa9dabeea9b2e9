import { FlintError, isFlintError } from '../../core/index.js';
import type { MetadataStore } from '../../storage/index.js';
import type { AccessKeyRecord, EntityCollection, GroupRecord, InstanceProfileRecord, PolicyRecord, RoleRecord, SessionRecord, UserRecord } from './records.js';

/**
 * IAM's state in the metadata store: one collection per kind of entity (keyed by lowercased name), access keys
 * and STS sessions keyed by access key id. Read-modify-write goes through compare-and-set, so concurrent calls on
 * one role (two AttachRolePolicy at once) both land.
 *
 * Accounts: the node's account has the collections below; another account's entities are in collections of their
 * own (`iam-roles@<account>`, see `forAccount`), so names are unique per account. Access keys and sessions are one
 * directory for every account, since a key must be found before its account is known; a key records the account of
 * its user (none: the node's).
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
  /** @param account the account whose entities this store holds; undefined for the node's own. */
  constructor(
    private readonly metadata: MetadataStore,
    readonly account?: string,
  ) {}

  /** The same directory of keys and sessions, with another account's entities. */
  forAccount(account: string | undefined): IamStore {
    return account === this.account ? this : new IamStore(this.metadata, account);
  }

  private collection(collection: EntityCollection): string {
    return this.account === undefined ? COLLECTIONS[collection] : `${COLLECTIONS[collection]}@${this.account}`;
  }

  async get<C extends EntityCollection>(collection: C, name: string): Promise<RecordOf<C> | undefined> {
    return (await this.metadata.get<RecordOf<C>>(this.collection(collection), name.toLowerCase()))?.value;
  }

  /** Stores a new entity; false when one of that name (in any case) exists. */
  async create<C extends EntityCollection>(collection: C, record: RecordOf<C>): Promise<boolean> {
    try {
      await this.metadata.put(this.collection(collection), record.name.toLowerCase(), record, { ifRevision: 0 });
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
      const doc = await this.metadata.get<RecordOf<C>>(this.collection(collection), key);
      if (!doc) return undefined;
      const next = change(structuredClone(doc.value));
      try {
        await this.metadata.put(this.collection(collection), key, next, { ifRevision: doc.revision });
        return next;
      } catch (error) {
        if (!isFlintError(error, 'PRECONDITION_FAILED')) throw error;
      }
    }
    throw new FlintError('RESOURCE_CONFLICT', `IAM ${collection} ${name} is being changed by other requests`);
  }

  delete(collection: EntityCollection, name: string): Promise<boolean> {
    return this.metadata.delete(this.collection(collection), name.toLowerCase());
  }

  /** Every entity of a kind, in order of their lowercased names. */
  async list<C extends EntityCollection>(collection: C): Promise<RecordOf<C>[]> {
    return (await this.metadata.list<RecordOf<C>>(this.collection(collection))).map((doc) => doc.value);
  }

  /** An access key of this account's users. */
  async accessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const key = await this.anyAccessKey(accessKeyId);
    return key?.accountId === this.account ? key : undefined;
  }

  /** An access key of any account's users (who a key is, before its account is known). */
  async anyAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    return (await this.metadata.get<AccessKeyRecord>(ACCESS_KEYS, accessKeyId))?.value;
  }

  /** Stores a key of this account's users. */
  async putAccessKey(key: AccessKeyRecord): Promise<void> {
    const { accountId: _, ...rest } = key;
    await this.metadata.put(ACCESS_KEYS, key.accessKeyId, this.account === undefined ? rest : { ...rest, accountId: this.account });
  }

  deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return this.metadata.delete(ACCESS_KEYS, accessKeyId);
  }

  /** The access keys of a user, oldest first. */
  async accessKeysOf(userName: string): Promise<AccessKeyRecord[]> {
    const lower = userName.toLowerCase();
    const keys = (await this.metadata.list<AccessKeyRecord>(ACCESS_KEYS)).map((doc) => doc.value).filter((key) => key.accountId === this.account && key.userName.toLowerCase() === lower);
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
