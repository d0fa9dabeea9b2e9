import type { RoutingConfig } from '../../functions/index.js';
import type { AliasRoutingConfiguration } from './api.js';
import type { LambdaHandler } from './context.js';
import { aliasConfiguration } from './views.js';

/** CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases. */

export const createAlias: LambdaHandler<'CreateAlias'> = async (input, ctx) => {
  const alias = await ctx.registry.createAlias(input.FunctionName, {
    name: input.Name,
    functionVersion: input.FunctionVersion,
    description: input.Description,
    routingConfig: routing(input.RoutingConfig),
  });
  return aliasConfiguration(alias, ctx.scope);
};

export const getAlias: LambdaHandler<'GetAlias'> = async (input, ctx) => {
  return aliasConfiguration(await ctx.registry.getAlias(input.FunctionName, input.Name), ctx.scope);
};

export const updateAlias: LambdaHandler<'UpdateAlias'> = async (input, ctx) => {
  const alias = await ctx.registry.updateAlias(input.FunctionName, input.Name, {
    functionVersion: input.FunctionVersion,
    description: input.Description,
    // An empty AdditionalVersionWeights map removes the routing configuration; leaving RoutingConfig out keeps it.
    routingConfig: routing(input.RoutingConfig),
    revisionId: input.RevisionId,
  });
  return aliasConfiguration(alias, ctx.scope);
};

export const deleteAlias: LambdaHandler<'DeleteAlias'> = async (input, ctx) => {
  await ctx.registry.deleteAlias(input.FunctionName, input.Name);
};

export const listAliases: LambdaHandler<'ListAliases'> = async (input, ctx) => {
  const found = await ctx.registry.listAliases(input.FunctionName, { functionVersion: input.FunctionVersion, marker: input.Marker, maxItems: input.MaxItems });
  return { NextMarker: found.nextMarker, Aliases: found.items.map((alias) => aliasConfiguration(alias, ctx.scope)) };
};

function routing(config: AliasRoutingConfiguration | undefined): RoutingConfig | undefined {
  return config === undefined ? undefined : { additionalVersionWeights: config.AdditionalVersionWeights ?? {} };
}
