import { LATEST } from './arn.js';
import { requireFunction, type RegistryContext } from './context.js';
import { decodeMarker, encodeMarker, pageOf, pageSize } from './paging.js';
import type { FunctionConfig, ListOptions, Page } from './types.js';

/** ListFunctions: $LATEST of each function by name, paged in the store. */
export async function listLatest(ctx: RegistryContext, options: ListOptions): Promise<Page<FunctionConfig>> {
  const size = pageSize(options);
  const records = await ctx.records.listFunctions(decodeMarker(options.marker), size + 1);
  const items = records.slice(0, size).map((r) => r.config);
  const last = items.at(-1);
  return records.length > size && last ? { items, nextMarker: encodeMarker(last.name) } : { items };
}

/** ListFunctions with FunctionVersion=ALL: each function's $LATEST followed by its versions. */
export async function listEveryVersion(ctx: RegistryContext, options: ListOptions): Promise<Page<FunctionConfig>> {
  const items: FunctionConfig[] = [];
  for (const fn of await ctx.records.listFunctions()) {
    items.push(fn.config, ...(await ctx.records.listVersions(fn.config.name)).map((v) => v.config));
  }
  // NUL sorts below every character a function name may hold, so "a" and its versions come before "a-b".
  return pageOf(items, (config) => `${config.name}\u0000${versionPosition(config)}`, options);
}

/** ListVersionsByFunction: $LATEST first, then versions in order. */
export async function listFunctionVersions(ctx: RegistryContext, name: string, options: ListOptions): Promise<Page<FunctionConfig>> {
  const { value: fn } = await requireFunction(ctx, name);
  const versions = await ctx.records.listVersions(name);
  return pageOf([fn.config, ...versions.map((v) => v.config)], versionPosition, options);
}

/** '$LATEST' sorts before the zero-padded numbers. */
function versionPosition(config: FunctionConfig): string {
  return config.version === LATEST ? LATEST : config.version.padStart(10, '0');
}
