import { isVersion, LATEST, refWithQualifier, unqualifiedName } from './arn.js';
import type { MetadataStore } from '../../storage/index.js';
import { arnOf, requireFunction, type RegistryContext } from './context.js';
import { constraintViolation, functionNotFound, invalid } from './errors.js';

const COLLECTION = 'provisioned_concurrency';

export interface ProvisionedConfig {
  functionName: string;
  /** A version number or an alias ('$LATEST' only through a manifest, see `allowLatest`). */
  qualifier: string;
  requested: number;
  lastModified: number;
}

/**
 * Provisioned concurrency per version or alias, as Lambda's PutProvisionedConcurrencyConfig keeps it.
 * Lambda refuses it on $LATEST; Flint's manifest may ask for it there (`allowLatest`), because its routes
 * call the unqualified function.
 */
export class ProvisionedConcurrency {
  constructor(
    private readonly ctx: RegistryContext,
    private readonly metadata: MetadataStore,
    private readonly reservedOf: (name: string) => Promise<number | undefined>,
  ) {}

  async put(functionName: string, qualifier: string | undefined, requested: number, options: { allowLatest?: boolean } = {}): Promise<ProvisionedConfig> {
    const ref = refWithQualifier(functionName, qualifier);
    const name = ref.name;
    const q = ref.qualifier;
    if (!q) throw invalid('Qualifier is required for provisioned concurrency.', 'validation', { field: 'qualifier' });
    if (q === LATEST && !options.allowLatest) throw invalid('Provisioned Concurrency Configs cannot be applied to unpublished function versions.', 'value');
    if (!Number.isInteger(requested) || requested < 1) {
      throw constraintViolation('provisionedConcurrentExecutions', requested, 'Member must have value greater than or equal to 1');
    }
    return this.ctx.lock.run(name, async () => {
      await requireFunction(this.ctx, name);
      await this.requireQualifier(name, q);
      const reserved = await this.reservedOf(name);
      const others = (await this.list(name)).filter((c) => c.qualifier !== q).reduce((sum, c) => sum + c.requested, 0);
      if (reserved !== undefined && others + requested > reserved) {
        throw invalid("Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function", 'value');
      }
      const config: ProvisionedConfig = { functionName: name, qualifier: q, requested, lastModified: this.ctx.clock.now() };
      await this.metadata.put(COLLECTION, key(name, q), config);
      this.ctx.emit({ type: 'provisioned', functionName: name, version: q });
      return config;
    });
  }

  async get(functionName: string, qualifier: string | undefined): Promise<ProvisionedConfig> {
    const ref = refWithQualifier(functionName, qualifier);
    if (!ref.qualifier) throw invalid('Qualifier is required for provisioned concurrency.', 'validation', { field: 'qualifier' });
    await requireFunction(this.ctx, ref.name);
    const doc = await this.metadata.get<ProvisionedConfig>(COLLECTION, key(ref.name, ref.qualifier));
    if (!doc) throw functionNotFound(`No Provisioned Concurrency Config found for this function`);
    return doc.value;
  }

  async delete(functionName: string, qualifier: string | undefined): Promise<void> {
    const ref = refWithQualifier(functionName, qualifier);
    if (!ref.qualifier) throw invalid('Qualifier is required for provisioned concurrency.', 'validation', { field: 'qualifier' });
    await this.ctx.lock.run(ref.name, async () => {
      await requireFunction(this.ctx, ref.name);
      if (await this.metadata.delete(COLLECTION, key(ref.name, ref.qualifier!))) {
        this.ctx.emit({ type: 'provisioned', functionName: ref.name, version: ref.qualifier! });
      }
    });
  }

  /** Every provisioned configuration of one function, or of all functions. */
  async list(functionName?: string): Promise<ProvisionedConfig[]> {
    const prefix = functionName ? `${unqualifiedName(functionName)}\u0000` : undefined;
    return (await this.metadata.list<ProvisionedConfig>(COLLECTION, { prefix })).map((d) => d.value);
  }

  /** Removes a function's configurations (the function is being deleted). Caller holds its lock. */
  async deleteAllLocked(name: string): Promise<void> {
    for (const config of await this.list(name)) {
      await this.metadata.delete(COLLECTION, key(name, config.qualifier));
      this.ctx.emit({ type: 'provisioned', functionName: name, version: config.qualifier });
    }
  }

  private async requireQualifier(name: string, qualifier: string): Promise<void> {
    if (qualifier === LATEST) return;
    const found = isVersion(qualifier) ? await this.ctx.records.getVersion(name, qualifier) : await this.ctx.records.getAlias(name, qualifier);
    if (!found) throw functionNotFound(arnOf(this.ctx, name, qualifier));
  }
}

function key(name: string, qualifier: string): string {
  return `${name}\u0000${qualifier}`;
}
