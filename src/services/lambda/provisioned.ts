import type { ProvisionedConfig } from '../../functions/index.js';
import { empty, json, pathParam, queryParam, type Operation, type OperationContext } from './http.js';
import { lambdaDate } from './wire.js';
import { parseBody, putProvisionedBody } from './schemas.js';

/**
 * PutProvisionedConcurrencyConfig, GetProvisionedConcurrencyConfig, DeleteProvisionedConcurrencyConfig and
 * ListProvisionedConcurrencyConfigs. Status is READY once every requested instance is initialised.
 */

export const putProvisioned: Operation = async (ctx) => {
  const body = parseBody(ctx.req, putProvisionedBody);
  const config = await ctx.registry.putProvisionedConcurrency(pathParam(ctx, 'FunctionName'), queryParam(ctx.req, 'Qualifier'), body.ProvisionedConcurrentExecutions);
  return json(ctx.req, 202, document(ctx, config));
};

export const getProvisioned: Operation = async (ctx) => {
  const config = await ctx.registry.getProvisionedConcurrency(pathParam(ctx, 'FunctionName'), queryParam(ctx.req, 'Qualifier'));
  return json(ctx.req, 200, document(ctx, config));
};

export const deleteProvisioned: Operation = async (ctx) => {
  await ctx.registry.deleteProvisionedConcurrency(pathParam(ctx, 'FunctionName'), queryParam(ctx.req, 'Qualifier'));
  return empty(ctx.req, 204);
};

export const listProvisioned: Operation = async (ctx) => {
  const name = pathParam(ctx, 'FunctionName');
  await ctx.registry.get(name);
  const configs = await ctx.registry.listProvisionedConcurrency(name);
  return json(ctx.req, 200, {
    ProvisionedConcurrencyConfigs: configs.map((c) => ({ FunctionArn: ctx.registry.arn(c.functionName, c.qualifier), ...document(ctx, c) })),
  });
};

function document(ctx: OperationContext, config: ProvisionedConfig): Record<string, unknown> {
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
