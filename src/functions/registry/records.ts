import { isFlintError } from '../../core/index.js';
import type { MetadataStore } from '../../storage/index.js';
import { concurrentUpdate } from './errors.js';
import type { AliasConfig, FunctionConfig, FunctionPolicy } from './types.js';

/** What the 'functions' collection holds per function: its $LATEST configuration. */
export interface FunctionRecord {
  config: FunctionConfig;
  /** Names this life of the function, so a re-created function numbers its versions from 1 again. */
  incarnation: string;
  /** The function's tags (Lambda tags functions, never their versions or aliases). */
  tags?: Record<string, string>;
}

/** A published version: a frozen copy of $LATEST, plus what $LATEST looked like when it was taken. */
export interface VersionRecord {
  config: FunctionConfig;
  /** Fingerprint of $LATEST at publish time; publishing again without changes returns this version. */
  sourceFingerprint: string;
}

interface ConcurrencyRecord {
  reservedConcurrency: number;
}

export interface Stored<T> {
  value: T;
  revision: number;
}

const FUNCTIONS = 'functions';
const VERSIONS = 'function_versions';
const ALIASES = 'function_aliases';
const CONCURRENCY = 'function_concurrency';
const POLICIES = 'function_policies';

/** Zero-padded so that keys sort in version order. */
const versionKey = (name: string, version: string): string => `${name}/${version.padStart(10, '0')}`;
const aliasKey = (name: string, alias: string): string => `${name}/${alias}`;
/** The function's own policy is "name/"; a version's or an alias's "name/qualifier". */
const policyKey = (name: string, qualifier: string | undefined): string => `${name}/${qualifier ?? ''}`;

/**
 * Typed access to the registry's collections. Writes that follow a read pass the revision they read; a
 * mismatch means another writer got there first and surfaces as RESOURCE_CONFLICT.
 */
export class RegistryRecords {
  constructor(private readonly metadata: MetadataStore) {}

  async getFunction(name: string): Promise<Stored<FunctionRecord> | undefined> {
    return this.stored(await this.metadata.get<FunctionRecord>(FUNCTIONS, name));
  }

  async listFunctions(after?: string, limit?: number): Promise<FunctionRecord[]> {
    const docs = await this.metadata.list<FunctionRecord>(FUNCTIONS, { after, limit });
    return docs.map((d) => d.value);
  }

  async putFunction(record: FunctionRecord, ifRevision: number, resource: string): Promise<number> {
    return this.guarded(resource, () => this.metadata.put(FUNCTIONS, record.config.name, record, { ifRevision }));
  }

  async deleteFunction(name: string, ifRevision: number, resource: string): Promise<void> {
    await this.guarded(resource, () => this.metadata.delete(FUNCTIONS, name, { ifRevision }));
  }

  async getVersion(name: string, version: string): Promise<VersionRecord | undefined> {
    return (await this.metadata.get<VersionRecord>(VERSIONS, versionKey(name, version)))?.value;
  }

  /** Every published version of a function, oldest first. */
  async listVersions(name: string): Promise<VersionRecord[]> {
    const docs = await this.metadata.list<VersionRecord>(VERSIONS, { prefix: `${name}/` });
    return docs.map((d) => d.value);
  }

  async addVersion(record: VersionRecord, resource: string): Promise<void> {
    const key = versionKey(record.config.name, record.config.version);
    await this.guarded(resource, () => this.metadata.put(VERSIONS, key, record, { ifRevision: 0 }));
  }

  async deleteVersion(name: string, version: string): Promise<void> {
    await this.metadata.delete(VERSIONS, versionKey(name, version));
  }

  async getAlias(name: string, alias: string): Promise<Stored<AliasConfig> | undefined> {
    return this.stored(await this.metadata.get<AliasConfig>(ALIASES, aliasKey(name, alias)));
  }

  async listAliases(name: string): Promise<AliasConfig[]> {
    const docs = await this.metadata.list<AliasConfig>(ALIASES, { prefix: `${name}/` });
    return docs.map((d) => d.value);
  }

  async putAlias(alias: AliasConfig, ifRevision: number, resource: string): Promise<void> {
    const key = aliasKey(alias.functionName, alias.name);
    await this.guarded(resource, () => this.metadata.put(ALIASES, key, alias, { ifRevision }));
  }

  async deleteAlias(name: string, alias: string): Promise<boolean> {
    return this.metadata.delete(ALIASES, aliasKey(name, alias));
  }

  async getConcurrency(name: string): Promise<number | undefined> {
    return (await this.metadata.get<ConcurrencyRecord>(CONCURRENCY, name))?.value.reservedConcurrency;
  }

  /** Reserved concurrency of every function that has one. */
  async listConcurrency(): Promise<Map<string, number>> {
    const docs = await this.metadata.list<ConcurrencyRecord>(CONCURRENCY);
    return new Map(docs.map((d) => [d.key, d.value.reservedConcurrency]));
  }

  async putConcurrency(name: string, reservedConcurrency: number): Promise<void> {
    await this.metadata.put<ConcurrencyRecord>(CONCURRENCY, name, { reservedConcurrency });
  }

  async deleteConcurrency(name: string): Promise<boolean> {
    return this.metadata.delete(CONCURRENCY, name);
  }

  async getPolicy(name: string, qualifier: string | undefined): Promise<Stored<FunctionPolicy> | undefined> {
    return this.stored(await this.metadata.get<FunctionPolicy>(POLICIES, policyKey(name, qualifier)));
  }

  async putPolicy(name: string, qualifier: string | undefined, policy: FunctionPolicy, ifRevision: number, resource: string): Promise<void> {
    await this.guarded(resource, () => this.metadata.put(POLICIES, policyKey(name, qualifier), policy, { ifRevision }));
  }

  async deletePolicy(name: string, qualifier: string | undefined, ifRevision?: number): Promise<void> {
    await this.metadata.delete(POLICIES, policyKey(name, qualifier), ifRevision === undefined ? {} : { ifRevision });
  }

  /** Removes the function's policy and those of all its versions and aliases. */
  async deletePolicies(name: string): Promise<void> {
    for (const doc of await this.metadata.list<FunctionPolicy>(POLICIES, { prefix: `${name}/` })) await this.metadata.delete(POLICIES, doc.key);
  }

  nextVersionNumber(record: FunctionRecord): Promise<number> {
    return this.metadata.nextSequence(`function-version:${record.config.name}:${record.incarnation}`);
  }

  private stored<T>(doc: { value: T; revision: number } | undefined): Stored<T> | undefined {
    return doc ? { value: doc.value, revision: doc.revision } : undefined;
  }

  private async guarded<T>(resource: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isFlintError(error, 'PRECONDITION_FAILED')) throw concurrentUpdate(resource, error);
      throw error;
    }
  }
}
