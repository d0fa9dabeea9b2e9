import { LATEST, MAX_UNZIPPED_BYTES, type FunctionConfig, type FunctionRegistry } from '../../functions/index.js';
import { MAX_ZIPPED_BYTES } from './code.js';
import type { LambdaHandler } from './context.js';
import { latestNotFound } from './names.js';

/** PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency and GetAccountSettings. */

/** Lambda's default quota for all code stored in a region (75 GB). */
const TOTAL_CODE_SIZE = 80_530_636_800;

export const putFunctionConcurrency: LambdaHandler<'PutFunctionConcurrency'> = async (input, ctx) => {
  try {
    return { ReservedConcurrentExecutions: await ctx.registry.putReservedConcurrency(input.FunctionName, input.ReservedConcurrentExecutions) };
  } catch (error) {
    throw latestNotFound(error, ctx.registry, input.FunctionName, undefined);
  }
};

/** Without a reservation Lambda answers an empty document. */
export const getFunctionConcurrency: LambdaHandler<'GetFunctionConcurrency'> = async (input, ctx) => {
  return { ReservedConcurrentExecutions: await ctx.registry.getReservedConcurrency(input.FunctionName) };
};

export const deleteFunctionConcurrency: LambdaHandler<'DeleteFunctionConcurrency'> = async (input, ctx) => {
  await ctx.registry.deleteReservedConcurrency(input.FunctionName);
};

export const getAccountSettings: LambdaHandler<'GetAccountSettings'> = async (_input, ctx) => {
  const usage = await measureUsage(ctx.registry);
  const unreserved = await ctx.registry.unreservedConcurrency();
  return {
    AccountLimit: {
      TotalCodeSize: TOTAL_CODE_SIZE,
      CodeSizeUnzipped: MAX_UNZIPPED_BYTES,
      CodeSizeZipped: MAX_ZIPPED_BYTES,
      ConcurrentExecutions: unreserved + usage.reserved,
      UnreservedConcurrentExecutions: unreserved,
    },
    AccountUsage: { TotalCodeSize: usage.codeSize, FunctionCount: usage.functions },
  };
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
