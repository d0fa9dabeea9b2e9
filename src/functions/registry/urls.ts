import { randomBytes } from 'node:crypto';
import type { MetadataStore } from '../../storage/index.js';
import type { RegistryContext } from './context.js';

/** A function URL's CORS settings, as Lambda's Cors shape holds them. */
export interface FunctionUrlCors {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

/** One function URL configuration: on the unqualified function ($LATEST) or on an alias. */
export interface FunctionUrlRecord {
  /** The 32 lowercase letters and digits of `https://<urlId>.lambda-url.<region>.on.aws/`. */
  urlId: string;
  functionName: string;
  /** An alias name, or undefined for the unqualified function. */
  qualifier?: string;
  authType: string;
  cors?: FunctionUrlCors;
  /** As given: Lambda echoes InvokeMode on create and update only when it was given. */
  invokeMode?: string;
  creationTime: number;
  lastModifiedTime: number;
}

export type FunctionUrlSettings = Pick<FunctionUrlRecord, 'authType' | 'cors' | 'invokeMode'>;

const CONFIGS = 'function_urls';
/** url id → the config's key, for the requests that come to a URL. */
const IDS = 'function_url_ids';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Function URL configurations, kept beside the function and deleted with it. This is storage only: the Lambda API
 * (services/lambda/function-urls.ts) checks functions and aliases and words the errors as Lambda does.
 */
export class FunctionUrls {
  constructor(
    private readonly ctx: RegistryContext,
    private readonly metadata: MetadataStore,
  ) {}

  async get(name: string, qualifier: string | undefined): Promise<FunctionUrlRecord | undefined> {
    return (await this.metadata.get<FunctionUrlRecord>(CONFIGS, key(name, qualifier)))?.value;
  }

  /** The configuration a URL id names. */
  async byId(urlId: string): Promise<FunctionUrlRecord | undefined> {
    const ref = (await this.metadata.get<string>(IDS, urlId))?.value;
    if (ref === undefined) return undefined;
    const found = (await this.metadata.get<FunctionUrlRecord>(CONFIGS, ref))?.value;
    return found?.urlId === urlId ? found : undefined;
  }

  /** Creates a configuration; undefined when one exists already. */
  async create(name: string, qualifier: string | undefined, settings: FunctionUrlSettings): Promise<FunctionUrlRecord | undefined> {
    return this.ctx.lock.run(name, async () => {
      if (await this.get(name, qualifier)) return undefined;
      const now = this.ctx.clock.now();
      const record: FunctionUrlRecord = { urlId: newUrlId(), functionName: name, ...(qualifier !== undefined ? { qualifier } : {}), ...defined(settings), authType: settings.authType, creationTime: now, lastModifiedTime: now };
      await this.metadata.put(IDS, record.urlId, key(name, qualifier));
      await this.metadata.put(CONFIGS, key(name, qualifier), record);
      return record;
    });
  }

  /** Changes the settings given; undefined when there is no configuration. */
  async update(name: string, qualifier: string | undefined, patch: Partial<FunctionUrlSettings>): Promise<FunctionUrlRecord | undefined> {
    return this.ctx.lock.run(name, async () => {
      const current = await this.get(name, qualifier);
      if (!current) return undefined;
      const record: FunctionUrlRecord = { ...current, ...defined(patch), lastModifiedTime: this.ctx.clock.now() };
      await this.metadata.put(CONFIGS, key(name, qualifier), record);
      return record;
    });
  }

  /** False when there was nothing to delete. */
  async delete(name: string, qualifier: string | undefined): Promise<boolean> {
    return this.ctx.lock.run(name, () => this.deleteLocked(name, qualifier));
  }

  /** Every configuration of one function: the unqualified one first, then aliases by name. */
  async list(name: string): Promise<FunctionUrlRecord[]> {
    return (await this.metadata.list<FunctionUrlRecord>(CONFIGS, { prefix: `${name}\u0000` })).map((doc) => doc.value);
  }

  /** Removes a function's configurations (the function is being deleted). Caller holds its lock. */
  async deleteAllLocked(name: string): Promise<void> {
    for (const record of await this.list(name)) await this.deleteLocked(name, record.qualifier);
  }

  private async deleteLocked(name: string, qualifier: string | undefined): Promise<boolean> {
    const current = await this.get(name, qualifier);
    if (!current) return false;
    await this.metadata.delete(CONFIGS, key(name, qualifier));
    await this.metadata.delete(IDS, current.urlId);
    return true;
  }
}

function key(name: string, qualifier: string | undefined): string {
  return `${name}\u0000${qualifier ?? ''}`;
}

/** Lambda's URL ids: 32 characters of lowercase letters and digits. */
function newUrlId(): string {
  return Array.from(randomBytes(32), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
