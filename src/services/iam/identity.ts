import type { Clock } from '../../core/index.js';
import { accessKeyId, secretAccessKey, sessionToken } from './ids.js';
import type { SessionRecord } from './records.js';
import type { IamStore } from './store.js';

/**
 * Who an access key is. Long-term keys made by IAM's CreateAccessKey answer as their user
 * (arn:aws:iam::ACCT:user/path/name, user id AIDA…); temporary keys made by STS answer as the session they belong
 * to (an assumed role: arn:aws:sts::ACCT:assumed-role/Role/session, user id AROA…:session), in the account of the
 * user or role (keys and sessions of every account are in one directory); any other key is the root of the node's
 * account, so every client's first call (`aws sts get-caller-identity`) answers whatever
 * credentials it was configured with, as local emulators do. In server mode the gateway verifies signatures first
 * (gateway/auth/), so only keys Flint issued and the node's root key get this far.
 */
export type CallerKind = 'root' | 'user' | 'assumed-role' | 'federated-user';

export interface Caller {
  kind: CallerKind;
  accountId: string;
  arn: string;
  userId: string;
  /** The IAM user, for a user's long-term key or a session it made with GetSessionToken. */
  userName?: string;
  /** The temporary credentials the call was made with. */
  session?: SessionRecord;
}

/** The caller, or why STS refuses the credentials (an expired session, a wrong token, a deactivated key). */
export type CallerAnswer = { caller: Caller } | { refused: 'expired' | 'invalid' };

/** An access key id of 12 digits is that account's root (any secret). */
const ACCOUNT_KEY = /^\d{12}$/;

export interface IdentityOptions {
  accountId: string;
  partition: string;
  clock: Clock;
}

/** What STS stores for new temporary credentials. */
export type NewSession = Omit<SessionRecord, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration'> & { durationSeconds: number };

export class Identity {
  constructor(
    private readonly store: IamStore,
    private readonly options: IdentityOptions,
  ) {}

  get accountId(): string {
    return this.options.accountId;
  }

  get partition(): string {
    return this.options.partition;
  }

  /** The account's root: what any key Flint did not issue answers as. */
  root(accountId = this.options.accountId): Caller {
    return { kind: 'root', accountId, arn: `arn:${this.options.partition}:iam::${accountId}:root`, userId: accountId };
  }

  /** Who the key (and, for temporary credentials, the session token sent with it) belongs to. */
  async whoIs(key: string | undefined, token?: string): Promise<CallerAnswer> {
    if (!key) return { caller: this.root() };
    if (ACCOUNT_KEY.test(key)) return { caller: this.root(key) };
    const session = await this.store.session(key);
    if (session) {
      if (token !== undefined && token !== session.sessionToken) return { refused: 'invalid' };
      if (session.expiration <= this.options.clock.now()) return { refused: 'expired' };
      const kind: CallerKind = session.kind === 'assumed-role' ? 'assumed-role' : session.kind === 'federated-user' ? 'federated-user' : session.kind === 'root-session' ? 'root' : 'user';
      return { caller: { kind, accountId: session.accountId, arn: session.arn, userId: session.userId, session, userName: kind === 'user' ? session.arn.slice(session.arn.lastIndexOf('/') + 1) : undefined } };
    }
    const stored = await this.store.anyAccessKey(key);
    if (!stored) return { caller: this.root() };
    if (stored.status !== 'Active') return { refused: 'invalid' };
    const user = await this.store.forAccount(stored.accountId).get('users', stored.userName);
    if (!user) return { refused: 'invalid' };
    return { caller: { kind: 'user', accountId: stored.accountId ?? this.options.accountId, arn: user.arn, userId: user.id, userName: user.name } };
  }

  /**
   * The secret of a key Flint issued, for verifying signatures in server mode: a session's (with the token that must
   * come with it and its expiry) or an active IAM user key's; undefined for any other key.
   */
  async secretOf(key: string): Promise<{ secretAccessKey: string; sessionToken?: string; expiration?: number } | undefined> {
    const session = await this.store.session(key);
    if (session) return { secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, expiration: session.expiration };
    const stored = await this.store.accessKey(key);
    return stored?.status === 'Active' ? { secretAccessKey: stored.secretAccessKey } : undefined;
  }

  /**
   * The account a key belongs to: its session's; the account a 12-digit key id names (LocalStack's convention, so a
   * test picks its account with its credentials); its IAM user's; the node's for any other key.
   */
  async accountOf(key: string): Promise<string> {
    if (ACCOUNT_KEY.test(key)) return key;
    const session = await this.store.session(key);
    if (session) return session.accountId;
    return (await this.store.anyAccessKey(key))?.accountId ?? this.options.accountId;
  }

  /** Issues temporary credentials (ASIA… key id, secret, session token) that answer as `session` until they expire. */
  async issue(session: NewSession): Promise<SessionRecord> {
    const { durationSeconds, ...who } = session;
    // AWS states expirations to the second.
    const now = Math.floor(this.options.clock.now() / 1000) * 1000;
    const record: SessionRecord = {
      ...who,
      accessKeyId: accessKeyId('ASIA', session.accountId),
      secretAccessKey: secretAccessKey(),
      sessionToken: sessionToken(),
      expiration: now + durationSeconds * 1000,
    };
    await this.store.putSession(record);
    return record;
  }

  /** Forgets sessions that expired more than a day ago (they would only answer ExpiredToken). */
  async purgeExpired(): Promise<void> {
    await this.store.purgeSessions(this.options.clock.now() - 24 * 3600 * 1000);
  }
}
