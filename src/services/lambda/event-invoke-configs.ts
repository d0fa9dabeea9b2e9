import type { EventInvokeConfig, EventInvokeConfigInput, EventInvokeConfigs } from '../../events/index.js';
import { unknownOperation } from './errors.js';
import { empty, json, pathParam, queryInteger, queryParam, type Operation, type OperationContext } from './http.js';
import { parseBody } from './schemas.js';
import { eventInvokeConfigBody, type EventInvokeConfigBody } from './schemas-events.js';
import { page } from './wire.js';

/**
 * PutFunctionEventInvokeConfig (replaces), UpdateFunctionEventInvokeConfig (merges), GetFunctionEventInvokeConfig,
 * DeleteFunctionEventInvokeConfig and ListFunctionEventInvokeConfigs, per function and Qualifier.
 */

export const putInvokeConfig: Operation = async (ctx) => {
  const body = parseBody(ctx.req, eventInvokeConfigBody);
  const config = await configs(ctx).put(pathParam(ctx, 'FunctionName'), queryParam(ctx.req, 'Qualifier'), configInput(body));
  return json(ctx.req, 200, invokeConfiguration(ctx, config));
};

export const updateInvokeConfig: Operation = async (ctx) => {
  const body = parseBody(ctx.req, eventInvokeConfigBody);
  const config = await configs(ctx).update(pathParam(ctx, 'FunctionName'), queryParam(ctx.req, 'Qualifier'), configInput(body));
  return json(ctx.req, 200, invokeConfiguration(ctx, config));
};

export const getInvokeConfig: Operation = async (ctx) => {
  const config = await configs(ctx).get(pathParam(ctx, 'FunctionName'), queryParam(ctx.req, 'Qualifier'));
  return json(ctx.req, 200, invokeConfiguration(ctx, config));
};

export const deleteInvokeConfig: Operation = async (ctx) => {
  await configs(ctx).delete(pathParam(ctx, 'FunctionName'), queryParam(ctx.req, 'Qualifier'));
  return empty(ctx.req, 204);
};

export const listInvokeConfigs: Operation = async (ctx) => {
  const found = await configs(ctx).list(pathParam(ctx, 'FunctionName'), {
    marker: queryParam(ctx.req, 'Marker'),
    maxItems: queryInteger(ctx.req, 'MaxItems', 'maxItems'),
  });
  return json(ctx.req, 200, page('FunctionEventInvokeConfigs', found.items.map((c) => invokeConfiguration(ctx, c)), found.nextMarker));
};

function configs(ctx: OperationContext): EventInvokeConfigs {
  const found = ctx.backend.eventInvokeConfigs;
  if (!found) throw unknownOperation(ctx.req.method, ctx.req.rawPath);
  return found;
}

function configInput(body: EventInvokeConfigBody): EventInvokeConfigInput {
  const input: EventInvokeConfigInput = {};
  if (body.MaximumRetryAttempts !== undefined) input.maximumRetryAttempts = body.MaximumRetryAttempts;
  if (body.MaximumEventAgeInSeconds !== undefined) input.maximumEventAgeInSeconds = body.MaximumEventAgeInSeconds;
  if (body.DestinationConfig !== undefined) {
    input.destinations = { onSuccess: body.DestinationConfig.OnSuccess?.Destination, onFailure: body.DestinationConfig.OnFailure?.Destination };
  }
  return input;
}

/** A FunctionEventInvokeConfig as Lambda answers it: the qualified ARN, both destinations (empty when unset). */
function invokeConfiguration(ctx: OperationContext, config: EventInvokeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LastModified: config.lastModified / 1000,
    FunctionArn: ctx.registry.arn(config.functionName, config.qualifier),
  };
  if (config.maximumRetryAttempts !== undefined) out.MaximumRetryAttempts = config.maximumRetryAttempts;
  if (config.maximumEventAgeInSeconds !== undefined) out.MaximumEventAgeInSeconds = config.maximumEventAgeInSeconds;
  out.DestinationConfig = {
    OnSuccess: config.destinations.onSuccess ? { Destination: config.destinations.onSuccess } : {},
    OnFailure: config.destinations.onFailure ? { Destination: config.destinations.onFailure } : {},
  };
  return out;
}
