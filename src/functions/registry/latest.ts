import { randomUUID } from 'node:crypto';
import { LATEST } from './arn.js';
import { arnOf, newRevisionId, requireFunction, type RegistryContext } from './context.js';
import type { FunctionLayer } from './layer-types.js';
import type { FunctionRecord } from './records.js';
import type { FunctionConfig } from './types.js';
import type { CompleteSettings } from './validate.js';

/** Writing and removing a function's $LATEST record. Callers hold the function's lock. */

export interface StoredCode {
  sha256: string;
  size: number;
}

/** Writes a brand-new function; it starts a new incarnation, so its versions count from 1. */
export async function insertFunction(
  ctx: RegistryContext,
  name: string,
  settings: CompleteSettings & { layers?: FunctionLayer[] },
  code: StoredCode,
  app?: string,
  tags?: Record<string, string>,
): Promise<FunctionConfig> {
  await removeLeftovers(ctx, name);
  const config: FunctionConfig = {
    name,
    ...settings,
    codeSha256: code.sha256,
    codeSize: code.size,
    lastModified: ctx.clock.now(),
    revisionId: newRevisionId(),
    version: LATEST,
    ...(app !== undefined ? { app } : {}),
  };
  const hasTags = tags !== undefined && Object.keys(tags).length > 0;
  await ctx.records.putFunction({ config, incarnation: randomUUID(), ...(hasTags ? { tags: { ...tags } } : {}) }, 0, arnOf(ctx, name));
  return config;
}

/** Writes a new $LATEST (fresh revision id and time) over the one read at `revision`, and tells listeners. */
export async function writeLatest(
  ctx: RegistryContext,
  record: FunctionRecord,
  revision: number,
  changes: Partial<FunctionConfig>,
): Promise<FunctionConfig> {
  const config: FunctionConfig = {
    ...record.config,
    ...changes,
    name: record.config.name,
    version: LATEST,
    lastModified: ctx.clock.now(),
    revisionId: newRevisionId(),
  };
  await ctx.records.putFunction({ ...record, config }, revision, arnOf(ctx, config.name));
  ctx.emit({ type: 'updated', functionName: config.name, version: LATEST });
  return config;
}

/**
 * Deletes a function with its aliases, versions and reservation. Children go first, so an interrupted delete
 * leaves a function that a second delete finishes.
 */
export async function deleteFunctionTree(ctx: RegistryContext, name: string, dropReservation: () => Promise<unknown>): Promise<void> {
  const current = await requireFunction(ctx, name);
  for (const alias of await ctx.records.listAliases(name)) {
    await ctx.records.deleteAlias(name, alias.name);
    ctx.emit({ type: 'deleted', functionName: name, version: alias.name });
  }
  for (const version of await ctx.records.listVersions(name)) {
    await ctx.records.deleteVersion(name, version.config.version);
    ctx.emit({ type: 'deleted', functionName: name, version: version.config.version });
  }
  await ctx.records.deletePolicies(name);
  await dropReservation();
  await ctx.records.deleteFunction(name, current.revision, arnOf(ctx, name));
  ctx.emit({ type: 'deleted', functionName: name, version: LATEST });
}

/** Records a crashed delete (or a race between nodes) may have left behind under this name. */
async function removeLeftovers(ctx: RegistryContext, name: string): Promise<void> {
  for (const alias of await ctx.records.listAliases(name)) await ctx.records.deleteAlias(name, alias.name);
  for (const version of await ctx.records.listVersions(name)) await ctx.records.deleteVersion(name, version.config.version);
  await ctx.records.deletePolicies(name);
  await ctx.records.deleteConcurrency(name);
}
