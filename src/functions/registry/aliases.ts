import { isAliasName, isVersion, LATEST, unqualifiedName } from './arn.js';
import { arnOf, checkRevision, newRevisionId, requireFunction, type RegistryContext } from './context.js';
import { aliasExists, aliasNotFound, constraintViolation, functionNotFound, invalid } from './errors.js';
import { pageOf } from './paging.js';
import type { AliasConfig, CreateAliasInput, ListOptions, Page, RoutingConfig, UpdateAliasInput } from './types.js';

const DESCRIPTION_MAX = 256;
const WEIGHT_CONSTRAINT =
  'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]';
const VERSION_KEY_CONSTRAINT =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]';

/** Aliases: named pointers to a version, optionally sending a share of traffic to one more version. */
export class Aliases {
  constructor(private readonly ctx: RegistryContext) {}

  async create(functionName: string, input: CreateAliasInput): Promise<AliasConfig> {
    const name = unqualifiedName(functionName);
    checkAliasName(input.name);
    checkVersionField(input.functionVersion);
    checkDescription(input.description);
    return this.ctx.lock.run(name, async () => {
      await requireFunction(this.ctx, name);
      await this.requireVersion(name, input.functionVersion);
      const routingConfig = await this.checkRouting(name, input.functionVersion, input.routingConfig);
      if (await this.ctx.records.getAlias(name, input.name)) throw aliasExists(arnOf(this.ctx, name, input.name));
      const alias: AliasConfig = {
        name: input.name,
        functionName: name,
        functionVersion: input.functionVersion,
        description: input.description ?? '',
        ...(routingConfig ? { routingConfig } : {}),
        revisionId: newRevisionId(),
      };
      await this.ctx.records.putAlias(alias, 0, arnOf(this.ctx, name, alias.name));
      return alias;
    });
  }

  async get(functionName: string, aliasName: string): Promise<AliasConfig> {
    const name = unqualifiedName(functionName);
    await requireFunction(this.ctx, name);
    const found = await this.ctx.records.getAlias(name, aliasName);
    if (!found) throw aliasNotFound(arnOf(this.ctx, name, aliasName));
    return found.value;
  }

  async update(functionName: string, aliasName: string, input: UpdateAliasInput): Promise<AliasConfig> {
    const name = unqualifiedName(functionName);
    if (input.functionVersion !== undefined) checkVersionField(input.functionVersion);
    checkDescription(input.description);
    return this.ctx.lock.run(name, async () => {
      await requireFunction(this.ctx, name);
      const resource = arnOf(this.ctx, name, aliasName);
      const stored = await this.ctx.records.getAlias(name, aliasName);
      if (!stored) throw aliasNotFound(resource);
      checkRevision(input.revisionId, stored.value.revisionId, resource);
      const functionVersion = input.functionVersion ?? stored.value.functionVersion;
      await this.requireVersion(name, functionVersion);
      const routing = input.routingConfig === undefined ? stored.value.routingConfig : (input.routingConfig ?? undefined);
      const routingConfig = await this.checkRouting(name, functionVersion, routing);
      const { routingConfig: _previous, ...rest } = stored.value;
      const alias: AliasConfig = {
        ...rest,
        functionVersion,
        description: input.description ?? stored.value.description,
        ...(routingConfig ? { routingConfig } : {}),
        revisionId: newRevisionId(),
      };
      await this.ctx.records.putAlias(alias, stored.revision, resource);
      this.ctx.emit({ type: 'updated', functionName: name, version: aliasName });
      return alias;
    });
  }

  /** Deleting an alias that does not exist succeeds, as on Lambda. */
  async delete(functionName: string, aliasName: string): Promise<void> {
    const name = unqualifiedName(functionName);
    await this.ctx.lock.run(name, async () => {
      await requireFunction(this.ctx, name);
      // The alias's policy goes with it, so an alias made again under this name starts without one.
      await this.ctx.records.deletePolicy(name, aliasName);
      if (await this.ctx.records.deleteAlias(name, aliasName)) this.ctx.emit({ type: 'deleted', functionName: name, version: aliasName });
    });
  }

  /** Aliases by name; with `functionVersion`, only those whose primary version it is. */
  async list(functionName: string, options: ListOptions & { functionVersion?: string } = {}): Promise<Page<AliasConfig>> {
    const name = unqualifiedName(functionName);
    await requireFunction(this.ctx, name);
    const all = await this.ctx.records.listAliases(name);
    const matching = options.functionVersion === undefined ? all : all.filter((a) => a.functionVersion === options.functionVersion);
    return pageOf(matching, (alias) => alias.name, options);
  }

  private async requireVersion(name: string, version: string): Promise<void> {
    if (version === LATEST) return;
    if (!(await this.ctx.records.getVersion(name, version))) throw functionNotFound(arnOf(this.ctx, name, version));
  }

  private async checkRouting(name: string, primary: string, routing: RoutingConfig | undefined): Promise<RoutingConfig | undefined> {
    const entries = Object.entries(routing?.additionalVersionWeights ?? {});
    const [entry] = entries;
    if (!entry) return undefined;
    if (entries.length > 1) throw invalid('Number of items in AdditionalVersionWeights cannot be greater than 1', 'value');
    const [version, weight] = entry;
    const shown = `{${version}=${String(weight)}}`;
    if (!isVersion(version)) throw constraintViolation('routingConfig.additionalVersionWeights', shown, VERSION_KEY_CONSTRAINT);
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) {
      throw constraintViolation('routingConfig.additionalVersionWeights', shown, WEIGHT_CONSTRAINT);
    }
    if (primary === LATEST) throw invalid('$LATEST is not supported for an alias pointing to more than 1 version', 'value');
    if (version === primary) {
      throw invalid(`Invalid function version ${primary}. Function version ${primary} is already included in routing configuration.`, 'value');
    }
    await this.requireVersion(name, version);
    return { additionalVersionWeights: { [version]: weight } };
  }
}

function checkAliasName(name: string): void {
  if (!isAliasName(name)) {
    throw constraintViolation('name', name, 'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)');
  }
}

function checkVersionField(version: string): void {
  if (version !== LATEST && !isVersion(version)) {
    throw constraintViolation('functionVersion', version, 'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)');
  }
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > DESCRIPTION_MAX) {
    throw constraintViolation('description', description, `Member must have length less than or equal to ${DESCRIPTION_MAX}`);
  }
}
