import { LIMITS, type Clock, type Logger } from '../../core/index.js';
import type { Storage } from '../../storage/index.js';
import { Aliases } from './aliases.js';
import { functionArn, isVersion, LATEST, refWithQualifier, unqualifiedName, type ArnScope } from './arn.js';
import { CodeStore } from './code.js';
import { ProvisionedConcurrency, type ProvisionedConfig } from './provisioned.js';
import { ReservedConcurrency } from './concurrency.js';
import { arnOf, checkRevision, contentFingerprint, requireFunction, type RegistryContext } from './context.js';
import { functionExists, invalid } from './errors.js';
import type { FunctionLayer } from './layer-types.js';
import { LayerVersions } from './layers.js';
import { KeyedLock } from './lock.js';
import { deleteFunctionTree, insertFunction, writeLatest, type StoredCode } from './latest.js';
import { listEveryVersion, listFunctionVersions, listLatest } from './listing.js';
import { RegistryRecords, type FunctionRecord, type Stored } from './records.js';
import { Policies, type AddPermissionOptions, type PolicyWriteOptions } from './policies.js';
import { configFor, resolveTarget } from './resolve.js';
import { checkTagCount, Tags } from './tags.js';
import { FunctionUrls } from './urls.js';
import type {
  AliasConfig,
  ConfigurationPatch,
  CreateAliasInput,
  CreateFunctionInput,
  DeployInput,
  FunctionConfig,
  FunctionPolicy,
  ListOptions,
  Page,
  PermissionStatement,
  RegistryEvent,
  ResolvedTarget,
  UpdateAliasInput,
} from './types.js';
import { completeSettings } from './validate.js';
import { deleteVersionLocked, publishLocked, type PublishOptions } from './versions.js';

export interface FunctionRegistryOptions {
  storage: Storage;
  clock: Clock;
  /** Extracted code lives under `<dataDir>/code/`. */
  dataDir: string;
  region: string;
  accountId: string;
  /** Drives weighted alias routing; inject a fixed sequence in tests. */
  random?: () => number;
  logger?: Logger;
  /** Default LIMITS.accountConcurrency. */
  accountConcurrency?: number;
  /** Default 100, as on Lambda. */
  minUnreservedConcurrency?: number;
}

/**
 * The function registry: code packages, $LATEST, published versions, aliases and reserved concurrency, with
 * Lambda's semantics. Names may be given as a name, a partial ARN or a full ARN wherever a function is named.
 * Writes to one function are serialised in this process and compare-and-set against the store across nodes.
 */
export class FunctionRegistry {
  private readonly ctx: RegistryContext;
  private readonly aliases: Aliases;
  private readonly concurrency: ReservedConcurrency;
  private readonly provisioned: ProvisionedConcurrency;
  private readonly policies: Policies;
  private readonly tags: Tags;
  /** Function URL configurations (CreateFunctionUrlConfig and the rest), deleted with their function. */
  readonly urls: FunctionUrls;
  private readonly listeners = new Set<(event: RegistryEvent) => void>();
  private readonly logger?: Logger;
  /** Lambda layers: published versions, their permissions, and the /opt folder of a function's layers. */
  readonly layers: LayerVersions;

  constructor(options: FunctionRegistryOptions) {
    this.logger = options.logger;
    this.ctx = {
      records: new RegistryRecords(options.storage.metadata),
      code: new CodeStore(options.storage.blobs, options.dataDir),
      clock: options.clock,
      scope: { region: options.region, accountId: options.accountId },
      random: options.random ?? Math.random,
      lock: new KeyedLock(),
      emit: (event) => this.emit(event),
    };
    this.aliases = new Aliases(this.ctx);
    this.policies = new Policies(this.ctx);
    this.tags = new Tags(this.ctx);
    this.urls = new FunctionUrls(this.ctx, options.storage.metadata);
    this.concurrency = new ReservedConcurrency(this.ctx, {
      accountConcurrency: options.accountConcurrency ?? LIMITS.accountConcurrency,
      minUnreserved: options.minUnreservedConcurrency ?? 100,
    });
    this.layers = new LayerVersions(options.storage.metadata, this.ctx.code, this.ctx.scope, this.ctx.lock, () => options.clock.now(), options.dataDir);
    this.provisioned = new ProvisionedConcurrency(this.ctx, options.storage.metadata, (name) => this.ctx.records.getConcurrency(name));
  }

  get scope(): ArnScope {
    return this.ctx.scope;
  }

  /** The function's ARN, qualified when a qualifier is given. */
  arn(name: string, qualifier?: string): string {
    return functionArn(this.ctx.scope, name, qualifier);
  }

  // ---- functions -------------------------------------------------------------------------------------------

  /** CreateFunction. Returns $LATEST, or version 1 when `publish` is set. */
  async create(input: CreateFunctionInput): Promise<FunctionConfig> {
    const name = unqualifiedName(input.name);
    const settings = completeSettings(input, undefined, this.defaultRole(name));
    if (input.tags !== undefined) checkTagCount(input.tags);
    const layers = await this.layersOf(input.layers);
    const code = await this.ctx.code.store(input.zip);
    return this.ctx.lock.run(name, async () => {
      const existing = await this.ctx.records.getFunction(name);
      if (existing) throw functionExists(name, existing.value.config.app);
      const config = await insertFunction(this.ctx, name, { ...settings, ...layers }, code, input.app, input.tags);
      return input.publish ? publishLocked(this.ctx, name, {}) : config;
    });
  }

  /**
   * Creates or updates code and configuration in one step, for manifest deploys. Unchanged code, configuration
   * and reserved concurrency leave everything as it was (`changed: false`). A function deployed by another app
   * is not taken over.
   */
  async deploy(input: DeployInput): Promise<{ config: FunctionConfig; changed: boolean }> {
    const name = unqualifiedName(input.name);
    const layers = await this.layersOf(input.layers ?? []);
    const code = await this.ctx.code.store(input.zip);
    return this.ctx.lock.run(name, async () => {
      if (input.reservedConcurrency !== undefined) await this.concurrency.check(name, input.reservedConcurrency);
      const existing = await this.ctx.records.getFunction(name);
      const written = existing ? await this.replace(existing, input, code, layers) : await this.createFromDeploy(name, input, code, layers);
      const concurrencyChanged =
        input.reservedConcurrency === undefined
          ? await this.concurrency.deleteLocked(name)
          : await this.concurrency.putLocked(name, input.reservedConcurrency);
      const config = input.publish ? await publishLocked(this.ctx, name, {}) : written.config;
      return { config, changed: written.changed || concurrencyChanged };
    });
  }

  /** UpdateFunctionCode. Returns $LATEST, or the published version when `publish` is set. */
  async updateCode(functionName: string, zip: Uint8Array, options: { publish?: boolean; revisionId?: string } = {}): Promise<FunctionConfig> {
    const name = unqualifiedName(functionName);
    const code = await this.ctx.code.store(zip);
    return this.ctx.lock.run(name, async () => {
      const current = await requireFunction(this.ctx, name);
      checkRevision(options.revisionId, current.value.config.revisionId, this.arn(name, LATEST));
      const config = await writeLatest(this.ctx, current.value, current.revision, { codeSha256: code.sha256, codeSize: code.size });
      return options.publish ? publishLocked(this.ctx, name, {}) : config;
    });
  }

  /** UpdateFunctionConfiguration: the fields given replace the current ones (environment as a whole). */
  async updateConfiguration(functionName: string, patch: ConfigurationPatch, options: { revisionId?: string } = {}): Promise<FunctionConfig> {
    const name = unqualifiedName(functionName);
    const layers = await this.layersOf(patch.layers);
    return this.ctx.lock.run(name, async () => {
      const current = await requireFunction(this.ctx, name);
      checkRevision(options.revisionId, current.value.config.revisionId, this.arn(name, LATEST));
      const settings = completeSettings(patch, current.value.config, this.defaultRole(name));
      return writeLatest(this.ctx, current.value, current.revision, { ...settings, ...layers });
    });
  }

  /** GetFunctionConfiguration: $LATEST, a version, or the version an alias points at. */
  async get(functionName: string, qualifier?: string): Promise<FunctionConfig> {
    const ref = refWithQualifier(functionName, qualifier);
    const resource = arnOf(this.ctx, ref.name, ref.qualifier);
    return configFor(this.ctx, ref.name, ref.qualifier ?? LATEST, resource, (alias) => alias.functionVersion);
  }

  /** ListFunctions: $LATEST of each function by name, or every version of each with `allVersions`. */
  list(options: ListOptions & { allVersions?: boolean } = {}): Promise<Page<FunctionConfig>> {
    return options.allVersions ? listEveryVersion(this.ctx, options) : listLatest(this.ctx, options);
  }

  /**
   * DeleteFunction. Without a qualifier, the function with all its versions, aliases and reservation; with a
   * version number, that version only (absent versions are fine; one an alias uses is not).
   */
  async delete(functionName: string, qualifier?: string): Promise<void> {
    const ref = refWithQualifier(functionName, qualifier);
    const name = ref.name;
    if (ref.qualifier === LATEST) throw invalid('$LATEST version cannot be deleted without deleting the function.', 'value');
    if (ref.qualifier !== undefined && !isVersion(ref.qualifier)) throw invalid('Deletion of aliases is not currently supported.', 'value');
    const version = ref.qualifier;
    await this.ctx.lock.run(name, () =>
      version
        ? deleteVersionLocked(this.ctx, name, version)
        : deleteFunctionTree(this.ctx, name, async () => {
            await this.provisioned.deleteAllLocked(name);
            await this.urls.deleteAllLocked(name);
            return this.concurrency.deleteLocked(name);
          }),
    );
  }

  // ---- versions --------------------------------------------------------------------------------------------

  async publishVersion(functionName: string, options: PublishOptions = {}): Promise<FunctionConfig> {
    const name = unqualifiedName(functionName);
    return this.ctx.lock.run(name, () => publishLocked(this.ctx, name, options));
  }

  /** ListVersionsByFunction: $LATEST first, then versions in order. */
  async listVersions(functionName: string, options: ListOptions = {}): Promise<Page<FunctionConfig>> {
    return listFunctionVersions(this.ctx, unqualifiedName(functionName), options);
  }

  // ---- aliases ---------------------------------------------------------------------------------------------

  createAlias(functionName: string, input: CreateAliasInput): Promise<AliasConfig> {
    return this.aliases.create(functionName, input);
  }

  getAlias(functionName: string, aliasName: string): Promise<AliasConfig> {
    return this.aliases.get(functionName, aliasName);
  }

  updateAlias(functionName: string, aliasName: string, input: UpdateAliasInput): Promise<AliasConfig> {
    return this.aliases.update(functionName, aliasName, input);
  }

  deleteAlias(functionName: string, aliasName: string): Promise<void> {
    return this.aliases.delete(functionName, aliasName);
  }

  listAliases(functionName: string, options: ListOptions & { functionVersion?: string } = {}): Promise<Page<AliasConfig>> {
    return this.aliases.list(functionName, options);
  }

  // ---- reserved concurrency ------------------------------------------------------------------------------

  putReservedConcurrency(functionName: string, reserved: number): Promise<number> {
    return this.concurrency.put(functionName, reserved);
  }

  getReservedConcurrency(functionName: string): Promise<number | undefined> {
    return this.concurrency.get(functionName);
  }

  deleteReservedConcurrency(functionName: string): Promise<void> {
    return this.concurrency.delete(functionName);
  }

  /** Every function's reservation, by function name, in one read. */
  listReservedConcurrency(): Promise<Map<string, number>> {
    return this.concurrency.all();
  }

  /** Account limit minus all reservations (GetAccountSettings' UnreservedConcurrentExecutions). */
  unreservedConcurrency(): Promise<number> {
    return this.concurrency.unreserved();
  }

  // ---- resource-based policies and tags -------------------------------------------------------------------

  /** AddPermission on the function, a version or an alias ($LATEST is refused, as on Lambda). */
  addPermission(functionName: string, qualifier: string | undefined, statement: PermissionStatement, options?: AddPermissionOptions): Promise<PermissionStatement> {
    return this.policies.add(functionName, qualifier, statement, options);
  }

  removePermission(functionName: string, qualifier: string | undefined, sid: string, options?: PolicyWriteOptions): Promise<void> {
    return this.policies.remove(functionName, qualifier, sid, options);
  }

  getPolicy(functionName: string, qualifier: string | undefined): Promise<FunctionPolicy> {
    return this.policies.get(functionName, qualifier);
  }

  /** The function's tags; a qualified name or ARN is refused. */
  listTags(functionName: string): Promise<Record<string, string>> {
    return this.tags.list(functionName);
  }

  tagFunction(functionName: string, tags: Record<string, string>): Promise<void> {
    return this.tags.tag(functionName, tags);
  }

  untagFunction(functionName: string, keys: readonly string[]): Promise<void> {
    return this.tags.untag(functionName, keys);
  }

  // ---- provisioned concurrency ---------------------------------------------------------------------------

  /** PutProvisionedConcurrencyConfig; `allowLatest` for manifest deploys (Lambda refuses $LATEST). */
  putProvisionedConcurrency(functionName: string, qualifier: string | undefined, requested: number, options: { allowLatest?: boolean } = {}): Promise<ProvisionedConfig> {
    return this.provisioned.put(functionName, qualifier, requested, options);
  }

  getProvisionedConcurrency(functionName: string, qualifier: string | undefined): Promise<ProvisionedConfig> {
    return this.provisioned.get(functionName, qualifier);
  }

  deleteProvisionedConcurrency(functionName: string, qualifier: string | undefined): Promise<void> {
    return this.provisioned.delete(functionName, qualifier);
  }

  /** Every configuration of a function, or of every function when none is named. */
  listProvisionedConcurrency(functionName?: string): Promise<ProvisionedConfig[]> {
    return this.provisioned.list(functionName);
  }

  // ---- invocation targets and code -------------------------------------------------------------------------

  /** What an invocation of `nameOrArn` (and `qualifier`) runs; aliases with weights pick a version per call. */
  resolve(nameOrArn: string, qualifier?: string): Promise<ResolvedTarget> {
    return resolveTarget(this.ctx, nameOrArn, qualifier);
  }

  /** The extracted package, `<dataDir>/code/<sha256>/`, extracted once. */
  codeDir(sha256: string): Promise<string> {
    return this.ctx.code.dir(sha256);
  }

  /** The zip as stored, for GetFunction's code download. */
  codeZip(sha256: string): Promise<Uint8Array> {
    return this.ctx.code.zip(sha256);
  }

  /** Subscribes to code and configuration changes; returns the unsubscribe function. */
  onChange(listener: (event: RegistryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- internals -------------------------------------------------------------------------------------------

  private defaultRole(name: string): string {
    return `arn:aws:iam::${this.ctx.scope.accountId}:role/service-role/${name}-role`;
  }

  /**
   * The `layers` field a configuration gets for the ARNs given: none given leaves it alone ({}), an empty list
   * removes it (layers: undefined), others are resolved to the layer versions they name.
   */
  private async layersOf(arns: readonly string[] | undefined): Promise<{ layers?: FunctionLayer[] }> {
    if (arns === undefined) return {};
    if (arns.length === 0) return { layers: undefined };
    return { layers: await this.layers.forFunction(arns) };
  }

  private async createFromDeploy(name: string, input: DeployInput, code: StoredCode, layers: { layers?: FunctionLayer[] }): Promise<{ config: FunctionConfig; changed: boolean }> {
    const settings = completeSettings(input, undefined, this.defaultRole(name));
    return { config: await insertFunction(this.ctx, name, { ...settings, ...layers }, code, input.app), changed: true };
  }

  private async replace(
    existing: Stored<FunctionRecord>,
    input: DeployInput,
    code: StoredCode,
    layers: { layers?: FunctionLayer[] },
  ): Promise<{ config: FunctionConfig; changed: boolean }> {
    const current = existing.value.config;
    if (current.app !== undefined && input.app !== undefined && current.app !== input.app) throw functionExists(current.name, current.app);
    const settings = completeSettings({ ...input, role: input.role ?? current.role }, undefined, current.role);
    const app = input.app ?? current.app;
    const next: FunctionConfig = { ...current, ...settings, ...layers, codeSha256: code.sha256, codeSize: code.size, ...(app !== undefined ? { app } : {}) };
    if (contentFingerprint(next) === contentFingerprint(current) && app === current.app) return { config: current, changed: false };
    return { config: await writeLatest(this.ctx, existing.value, existing.revision, next), changed: true };
  }

  private emit(event: RegistryEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger?.warn('registry change listener failed', { error: String(error), ...event });
      }
    }
  }
}
