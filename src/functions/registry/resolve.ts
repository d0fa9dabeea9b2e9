import { isVersion, LATEST, refWithQualifier } from './arn.js';
import { arnOf, type RegistryContext } from './context.js';
import { functionNotFound } from './errors.js';
import type { AliasConfig, FunctionConfig, ResolvedTarget } from './types.js';

/**
 * Finds what an invocation runs. An alias with a routing configuration sends each call to its additional version
 * with that version's weight, drawing from the injected random source.
 */
export async function resolveTarget(ctx: RegistryContext, nameOrArn: string, qualifier?: string): Promise<ResolvedTarget> {
  const ref = refWithQualifier(nameOrArn, qualifier);
  const name = ref.name;
  const given = ref.qualifier;
  const arn = arnOf(ctx, name, given);
  const config = await configFor(ctx, name, given ?? LATEST, arn, (alias) => pickVersion(alias, ctx.random));
  return {
    functionName: name,
    version: config.version,
    qualifier: given ?? LATEST,
    arn,
    config,
    key: `${name}:${config.version}:${config.revisionId}`,
  };
}

/**
 * The configuration a qualifier serves; `chooseVersion` decides where an alias leads, and `resource` names the
 * target in a not-found error.
 */
export async function configFor(
  ctx: RegistryContext,
  name: string,
  qualifier: string,
  resource: string,
  chooseVersion: (alias: AliasConfig) => string,
): Promise<FunctionConfig> {
  if (qualifier === LATEST) return latestConfig(ctx, name, resource);
  if (isVersion(qualifier)) return versionConfig(ctx, name, qualifier, resource);
  const alias = await ctx.records.getAlias(name, qualifier);
  if (!alias) throw functionNotFound(resource);
  const version = chooseVersion(alias.value);
  return version === LATEST ? latestConfig(ctx, name, resource) : versionConfig(ctx, name, version, resource);
}

export function pickVersion(alias: AliasConfig, random: () => number): string {
  const [extra] = Object.entries(alias.routingConfig?.additionalVersionWeights ?? {});
  if (extra && random() < extra[1]) return extra[0];
  return alias.functionVersion;
}

async function latestConfig(ctx: RegistryContext, name: string, resource: string): Promise<FunctionConfig> {
  const found = await ctx.records.getFunction(name);
  if (!found) throw functionNotFound(resource);
  return found.value.config;
}

async function versionConfig(ctx: RegistryContext, name: string, version: string, resource: string): Promise<FunctionConfig> {
  const found = await ctx.records.getVersion(name, version);
  if (!found) throw functionNotFound(resource);
  return found.config;
}
