import type { ProvisionedConfig } from '../../functions/index.js';
import type { GetProvisionedConcurrencyConfigResponse } from './api.js';
import type { LambdaContext, LambdaHandler } from './context.js';
import { lambdaDate } from './views.js';

/**
 * PutProvisionedConcurrencyConfig, GetProvisionedConcurrencyConfig, DeleteProvisionedConcurrencyConfig and
 * ListProvisionedConcurrencyConfigs (the same path with `?List=ALL`). Status is READY once every requested instance
 * is initialised.
 */

export const putProvisionedConcurrencyConfig: LambdaHandler<'PutProvisionedConcurrencyConfig'> = async (input, ctx) => {
  return status(ctx, await ctx.registry.putProvisionedConcurrency(input.FunctionName, input.Qualifier, input.ProvisionedConcurrentExecutions));
};

export const getProvisionedConcurrencyConfig: LambdaHandler<'GetProvisionedConcurrencyConfig'> = async (input, ctx) => {
  return status(ctx, await ctx.registry.getProvisionedConcurrency(input.FunctionName, input.Qualifier));
};

export const deleteProvisionedConcurrencyConfig: LambdaHandler<'DeleteProvisionedConcurrencyConfig'> = async (input, ctx) => {
  await ctx.registry.deleteProvisionedConcurrency(input.FunctionName, input.Qualifier);
};

export const listProvisionedConcurrencyConfigs: LambdaHandler<'ListProvisionedConcurrencyConfigs'> = async (input, ctx) => {
  await ctx.registry.get(input.FunctionName);
  const configs = await ctx.registry.listProvisionedConcurrency(input.FunctionName);
  return { ProvisionedConcurrencyConfigs: configs.map((c) => ({ FunctionArn: ctx.registry.arn(c.functionName, c.qualifier), ...status(ctx, c) })) };
};

function status(ctx: LambdaContext, config: ProvisionedConfig): GetProvisionedConcurrencyConfigResponse {
  const ready = ctx.backend.provisionedReady(config.functionName, config.qualifier);
  const available = Math.min(ready, config.requested);
  return {
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: available,
    AllocatedProvisionedConcurrentExecutions: available,
    Status: available >= config.requested ? 'READY' : 'IN_PROGRESS',
    LastModified: lambdaDate(config.lastModified),
  };
}
