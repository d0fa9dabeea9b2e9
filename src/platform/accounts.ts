/**
 * Accounts: every access key belongs to an account (IAM's identity says which: a 12-digit access key id names its
 * account as LocalStack's convention has it, a role session STS issued is its role's account, an IAM user's key is
 * its user's account, any other key is the node's). Each account other than the node's is a scope of its own,
 * built at its first request (or at start, when it has storage from before) on its own storage under
 * `<data>/accounts/<id>/`:
 * - its data services (SQS, SNS, DynamoDB, EventBridge, Scheduler, SSM, Secrets Manager);
 * - its compute (account-compute.ts): a function registry (functions, versions, aliases, URLs, layers, concurrency),
 *   an invoker, an event system (async queue, event source mappings, invoke configs), the Lambda and Logs APIs, and a
 *   runtime host whose functions log into the account's log groups and call AWS with the account's key. Its data
 *   services deliver to its functions, so its queues, topics, rules and schedules reach its functions by name.
 *   A scope per account rather than one registry keyed by account: every part below stays as it is, and what AWS
 *   limits per account (concurrency) is per account here too; the machine's sandbox and settings are shared, not its
 *   stem cells (other accounts' functions start their own processes);
 * - IAM is one service with one directory of keys and sessions (a key is found before its account is known) and
 *   each account's users, roles, groups, policies and instance profiles apart (`routed` hands a request to the
 *   account's view, IamService.forAccount); AWS managed policies are every account's.
 * A request reaches its account's instance through `mounted()`/`routed()`: a request without a key, or with a key
 * already known to be the node's, goes straight to the node's service, so the node's own account pays nothing.
 *
 * What stays the node's by design: S3 (bucket names are global on AWS too; S3 tells owners apart itself), STS, the
 * apps `flint deploy` creates, their HTTP and WebSocket APIs, and the admin API and dashboard. Cross-account access
 * to another account's queue, table or function is not granted by resource policies here: the caller sees only its
 * own account's resources.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Service, ServiceRequest, ServiceResponse } from '../core/index.js';
import { openStorage, type Storage } from '../storage/index.js';
import { openAccountServices, type AccountServices, type ComputeParts } from './account-compute.js';
import { DataServices, type DataServiceParts } from './data-services.js';

/** Services that are the same for every account (see the note above). */
const SHARED = new Set(['s3']);
/** Keys whose account is known; key ids are unique and never change account, so this never goes stale. */
const REMEMBERED_KEYS = 10_000;
/** An account's folder under `<data>/accounts/`. */
const ACCOUNT_ID = /^\d{12}$/;

export interface AccountScopesParts {
  /** The node's own data services and the parts they were built from. */
  home: DataServices;
  homeParts: DataServiceParts;
  /** The node's own Lambda and Logs APIs, scoped like the data services. */
  homeServices?: Record<string, Service>;
  /** What each other account's Lambda and Logs are built from (late: the node's runtime host comes after; none: data services only). */
  compute?: () => ComputeParts | undefined;
  dataDir: string;
  /** The account an access key belongs to. */
  accountOf: (accessKeyId: string) => Promise<string>;
}

interface Scope extends AccountServices {
  storage: Storage;
}

export class AccountScopes {
  private readonly scopes = new Map<string, Promise<Scope>>();
  private readonly keys = new Map<string, string>();
  private closed = false;

  constructor(private readonly parts: AccountScopesParts) {}

  /** The home services, each wrapped so a request signed by another account's key reaches that account's instance. */
  mounted(): Record<string, Service> {
    const home = { ...this.parts.home.mounted(), ...this.parts.homeServices };
    return Object.fromEntries(
      Object.entries(home).map(([name, service]) => [name, SHARED.has(name) ? service : this.scoped(name, service)]),
    );
  }

  /**
   * Opens every account that has storage from before, so its event source mappings, schedules, rules and retries run
   * without waiting for a request of that account. Nothing to do on a node that has only its own account.
   */
  async start(): Promise<void> {
    const dir = join(this.parts.dataDir, 'accounts');
    const accounts = existsSync(dir) ? readdirSync(dir).filter((name) => ACCOUNT_ID.test(name)) : [];
    await Promise.all(accounts.map((id) => this.scope(id)));
  }

  /** The function URL endpoint of the account whose function has the URL of that id (URL ids are unique on the node). */
  async functionUrl(urlId: string): Promise<Service | undefined> {
    for (const scope of this.scopes.values()) {
      const endpoint = await (await scope).functionUrl(urlId);
      if (endpoint) return endpoint;
    }
    return undefined;
  }

  /** A code package (function or layer zip) stored by another account, by its digest. */
  async codeZip(sha256: string): Promise<Uint8Array | undefined> {
    for (const scope of this.scopes.values()) {
      const zip = await (await scope).storage.blobs.get(sha256);
      if (zip) return zip;
    }
    return undefined;
  }

  /** The accounts that have their own services, besides the node's. */
  accounts(): string[] {
    return [...this.scopes.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    const scopes = await Promise.allSettled(this.scopes.values());
    for (const result of scopes) {
      if (result.status !== 'fulfilled') continue;
      await result.value.close();
      await result.value.storage.close();
    }
    this.scopes.clear();
  }

  /**
   * A service answering the node's account's requests with `home` and another account's with `elsewhere(account)`:
   * the common case (no key, or a key already known to be the node's) goes straight through, without a hop.
   */
  routed(home: Service, elsewhere: (accountId: string) => Service | Promise<Service>): Service {
    const homeAccount = this.parts.homeParts.accountId;
    const other = async (request: ServiceRequest, account: Promise<string>): Promise<ServiceResponse> => {
      const id = await account;
      return (id === homeAccount ? home : await elsewhere(id)).handle(request);
    };
    return {
      handle: (request: ServiceRequest): Promise<ServiceResponse> => {
        const key = request.credential?.accessKeyId;
        const known = key === undefined ? homeAccount : this.keys.get(key);
        if (known === homeAccount) return home.handle(request);
        return other(request, known !== undefined ? Promise.resolve(known) : this.learn(key as string));
      },
    };
  }

  private scoped(name: string, home: Service): Service {
    return this.routed(home, async (id) => (await this.scope(id)).services[name] ?? home);
  }

  private async learn(key: string): Promise<string> {
    const account = await this.parts.accountOf(key);
    if (this.keys.size >= REMEMBERED_KEYS) this.keys.clear();
    this.keys.set(key, account);
    return account;
  }

  private scope(accountId: string): Promise<Scope> {
    let scope = this.scopes.get(accountId);
    if (!scope) {
      scope = this.open(accountId);
      this.scopes.set(accountId, scope);
    }
    return scope;
  }

  private async open(accountId: string): Promise<Scope> {
    if (this.closed) throw new Error('the node is closing');
    const { homeParts, dataDir } = this.parts;
    const dir = join(dataDir, 'accounts', accountId);
    const storage = await openStorage({ dir, clock: homeParts.clock });
    const parts: DataServiceParts = { ...homeParts, storage, accountId, logger: homeParts.logger.child(`account ${accountId}`) };
    try {
      const compute = this.parts.compute?.();
      if (compute) return { storage, ...(await openAccountServices(compute, parts, storage, dir)) };
      const data = new DataServices(parts);
      await data.start();
      return { storage, services: data.mounted(), functionUrl: () => Promise.resolve(undefined), close: () => data.close() };
    } catch (error) {
      await storage.close();
      throw error;
    }
  }
}
