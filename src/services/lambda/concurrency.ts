import { LATEST, MAX_UNZIPPED_BYTES, type FunctionConfig, type FunctionRegistry } from '../../functions/index.js';
import { MAX_ZIPPED_BYTES } from './code.js';
import { empty, json, pathParam, type Operation } from './http.js';
import { latestNotFound } from './names.js';
import { putConcurrencyBody, parseBody } from './schemas.js';

/** PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency and GetAccountSettings. */

/** Lambda's default quota for all code stored in a region (75 GB). */
const TOTAL_CODE_SIZE = 80_530_636_800;

export const putConcurrency: Operation = async (ctx) => {
  const name = pathParam(ctx, 'FunctionName');
  const body = parseBody(ctx.req, putConcurrencyBody);
  try {
    const reserved = await ctx.registry.putReservedConcurrency(name, body.ReservedConcurrentExecutions);
    return json(ctx.req, 200, { ReservedConcurrentExecutions: reserved });
  } catch (error) {
    throw latestNotFound(error, ctx.registry, name, undefined);
  }
};

/** Without a reservation Lambda answers an empty document. */
export const getConcurrency: Operation = async (ctx) => {
  const reserved = await ctx.registry.getReservedConcurrency(pathParam(ctx, 'FunctionName'));
  return json(ctx.req, 200, reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
};

export const deleteConcurrency: Operation = async (ctx) => {
  await ctx.registry.deleteReservedConcurrency(pathParam(ctx, 'FunctionName'));
  return empty(ctx.req, 204);
};

export const getAccountSettings: Operation = async (ctx) => {
  const usage = await measureUsage(ctx.registry);
  const unreserved = await ctx.registry.unreservedConcurrency();
  return json(ctx.req, 200, {
    AccountLimit: {
      TotalCodeSize: TOTAL_CODE_SIZE,
      CodeSizeUnzipped: MAX_UNZIPPED_BYTES,
      CodeSizeZipped: MAX_ZIPPED_BYTES,
      ConcurrentExecutions: unreserved + usage.reserved,
      UnreservedConcurrentExecutions: unreserved,
    },
    AccountUsage: { TotalCodeSize: usage.codeSize, FunctionCount: usage.functions },
  });
};

/** As on Lambda, every published version counts towards the stored code size. */
async function measureUsage(registry: FunctionRegistry): Promise<{ functions: number; codeSize: number; reserved: number }> {
  const usage = { functions: 0, codeSize: 0, reserved: 0 };
  for await (const config of everyVersion(registry)) {
    usage.codeSize += config.codeSize;
    if (config.version !== LATEST) continue;
    usage.functions++;
    usage.reserved += (await registry.getReservedConcurrency(config.name)) ?? 0;
  }
  return usage;
}

async function* everyVersion(registry: FunctionRegistry): AsyncGenerator<FunctionConfig> {
  let marker: string | undefined;
  do {
    const found = await registry.list({ allVersions: true, marker, maxItems: 1000 });
    yield* found.items;
    marker = found.nextMarker;
  } while (marker !== undefined);
}
