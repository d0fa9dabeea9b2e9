import type { EventInvokeConfig, EventInvokeConfigInput, EventInvokeConfigs } from '../../events/index.js';
import type { DestinationConfig, FunctionEventInvokeConfig } from './api.js';
import type { LambdaContext, LambdaHandler } from './context.js';

/**
 * PutFunctionEventInvokeConfig (replaces), UpdateFunctionEventInvokeConfig (merges), GetFunctionEventInvokeConfig,
 * DeleteFunctionEventInvokeConfig and ListFunctionEventInvokeConfigs, per function and Qualifier.
 */

export const putFunctionEventInvokeConfig: LambdaHandler<'PutFunctionEventInvokeConfig'> = async (input, ctx) => {
  return invokeConfiguration(ctx, await configs(ctx).put(input.FunctionName, input.Qualifier, configInput(input)));
};

export const updateFunctionEventInvokeConfig: LambdaHandler<'UpdateFunctionEventInvokeConfig'> = async (input, ctx) => {
  return invokeConfiguration(ctx, await configs(ctx).update(input.FunctionName, input.Qualifier, configInput(input)));
};

export const getFunctionEventInvokeConfig: LambdaHandler<'GetFunctionEventInvokeConfig'> = async (input, ctx) => {
  return invokeConfiguration(ctx, await configs(ctx).get(input.FunctionName, input.Qualifier));
};

export const deleteFunctionEventInvokeConfig: LambdaHandler<'DeleteFunctionEventInvokeConfig'> = async (input, ctx) => {
  await configs(ctx).delete(input.FunctionName, input.Qualifier);
};

export const listFunctionEventInvokeConfigs: LambdaHandler<'ListFunctionEventInvokeConfigs'> = async (input, ctx) => {
  const found = await configs(ctx).list(input.FunctionName, { marker: input.Marker, maxItems: input.MaxItems });
  return { FunctionEventInvokeConfigs: found.items.map((c) => invokeConfiguration(ctx, c)), NextMarker: found.nextMarker };
};

function configs(ctx: LambdaContext): EventInvokeConfigs {
  const found = ctx.backend.eventInvokeConfigs;
  if (!found) throw ctx.errors.unknownOperation(ctx.request);
  return found;
}

interface ConfigFields {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: DestinationConfig;
}

function configInput(input: ConfigFields): EventInvokeConfigInput {
  const out: EventInvokeConfigInput = {};
  if (input.MaximumRetryAttempts !== undefined) out.maximumRetryAttempts = input.MaximumRetryAttempts;
  if (input.MaximumEventAgeInSeconds !== undefined) out.maximumEventAgeInSeconds = input.MaximumEventAgeInSeconds;
  if (input.DestinationConfig !== undefined) out.destinations = destinationsOf(input.DestinationConfig);
  return out;
}

export function destinationsOf(config: DestinationConfig): { onSuccess?: string; onFailure?: string } {
  return { onSuccess: config.OnSuccess?.Destination, onFailure: config.OnFailure?.Destination };
}

/** A FunctionEventInvokeConfig as Lambda answers it: the qualified ARN, both destinations (empty when unset). */
function invokeConfiguration(ctx: LambdaContext, config: EventInvokeConfig): FunctionEventInvokeConfig {
  return {
    LastModified: new Date(config.lastModified),
    FunctionArn: ctx.registry.arn(config.functionName, config.qualifier),
    MaximumRetryAttempts: config.maximumRetryAttempts,
    MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds,
    DestinationConfig: {
      OnSuccess: config.destinations.onSuccess ? { Destination: config.destinations.onSuccess } : {},
      OnFailure: config.destinations.onFailure ? { Destination: config.destinations.onFailure } : {},
    },
  };
}
