import { FlintError } from '../../core/index.js';
import { LATEST } from './arn.js';
import { arnOf, checkRevision, contentFingerprint, newRevisionId, requireFunction, type RegistryContext } from './context.js';
import { constraintViolation, invalid } from './errors.js';
import type { AliasConfig, FunctionConfig } from './types.js';

export interface PublishOptions {
  description?: string;
  /** Hex SHA-256 that $LATEST's code must have (Lambda's CodeSha256, decoded from base64 by the API layer). */
  codeSha256?: string;
  revisionId?: string;
}

const DESCRIPTION_MAX = 256;

/**
 * Publishes $LATEST as the next numbered version. As on Lambda, when nothing changed since the last version,
 * that version is returned instead of a new one. Callers hold the function's lock.
 */
export async function publishLocked(ctx: RegistryContext, name: string, options: PublishOptions): Promise<FunctionConfig> {
  const { value: fn } = await requireFunction(ctx, name);
  const latest = fn.config;
  checkRevision(options.revisionId, latest.revisionId, arnOf(ctx, name, LATEST));
  if (options.codeSha256 !== undefined && options.codeSha256 !== latest.codeSha256) {
    throw invalid(
      `CodeSHA256 (${options.codeSha256}) is different from current CodeSHA256 in $LATEST (${latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
      'value',
      { field: 'codeSha256', expected: latest.codeSha256, actual: options.codeSha256 },
    );
  }
  if (options.description !== undefined && options.description.length > DESCRIPTION_MAX) {
    throw constraintViolation('description', options.description, `Member must have length less than or equal to ${DESCRIPTION_MAX}`);
  }
  const fingerprint = contentFingerprint(latest);
  const previous = (await ctx.records.listVersions(name)).at(-1);
  if (previous && previous.sourceFingerprint === fingerprint) return previous.config;
  const number = await ctx.records.nextVersionNumber(fn);
  const config: FunctionConfig = {
    ...latest,
    version: String(number),
    description: options.description ?? latest.description,
    revisionId: newRevisionId(),
    lastModified: ctx.clock.now(),
  };
  await ctx.records.addVersion({ config, sourceFingerprint: fingerprint }, arnOf(ctx, name, config.version));
  return config;
}

/** Deletes one published version; an alias still routing to it blocks the delete, as on Lambda. */
export async function deleteVersionLocked(ctx: RegistryContext, name: string, version: string): Promise<void> {
  await requireFunction(ctx, name);
  const referencing = (await ctx.records.listAliases(name)).filter((alias) => routesTo(alias, version)).map((a) => a.name);
  if (referencing.length > 0) {
    throw new FlintError('RESOURCE_CONFLICT', `Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`, {
      resource: arnOf(ctx, name, version),
      aliases: referencing,
    });
  }
  if (!(await ctx.records.getVersion(name, version))) return;
  await ctx.records.deletePolicy(name, version);
  await ctx.records.deleteVersion(name, version);
  ctx.emit({ type: 'deleted', functionName: name, version });
}

export function routesTo(alias: AliasConfig, version: string): boolean {
  return alias.functionVersion === version || Object.hasOwn(alias.routingConfig?.additionalVersionWeights ?? {}, version);
}
