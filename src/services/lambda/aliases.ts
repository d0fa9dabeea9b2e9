import type { RoutingConfig } from '../../functions/index.js';
import { empty, json, pathParam, queryInteger, queryParam, type Operation } from './http.js';
import { createAliasBody, parseBody, updateAliasBody } from './schemas.js';
import { aliasConfiguration, page } from './wire.js';

/** CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases. */

export const createAlias: Operation = async (ctx) => {
  const body = parseBody(ctx.req, createAliasBody);
  const alias = await ctx.registry.createAlias(pathParam(ctx, 'FunctionName'), {
    name: body.Name,
    functionVersion: body.FunctionVersion,
    description: body.Description,
    routingConfig: routing(body.RoutingConfig),
  });
  return json(ctx.req, 201, aliasConfiguration(alias, ctx.scope));
};

export const getAlias: Operation = async (ctx) => {
  const alias = await ctx.registry.getAlias(pathParam(ctx, 'FunctionName'), pathParam(ctx, 'Name'));
  return json(ctx.req, 200, aliasConfiguration(alias, ctx.scope));
};

export const updateAlias: Operation = async (ctx) => {
  const body = parseBody(ctx.req, updateAliasBody);
  const alias = await ctx.registry.updateAlias(pathParam(ctx, 'FunctionName'), pathParam(ctx, 'Name'), {
    functionVersion: body.FunctionVersion,
    description: body.Description,
    // An empty AdditionalVersionWeights map removes the routing configuration; leaving RoutingConfig out keeps it.
    routingConfig: routing(body.RoutingConfig),
    revisionId: body.RevisionId,
  });
  return json(ctx.req, 200, aliasConfiguration(alias, ctx.scope));
};

export const deleteAlias: Operation = async (ctx) => {
  await ctx.registry.deleteAlias(pathParam(ctx, 'FunctionName'), pathParam(ctx, 'Name'));
  return empty(ctx.req, 204);
};

export const listAliases: Operation = async (ctx) => {
  const found = await ctx.registry.listAliases(pathParam(ctx, 'FunctionName'), {
    functionVersion: queryParam(ctx.req, 'FunctionVersion'),
    marker: queryParam(ctx.req, 'Marker'),
    maxItems: queryInteger(ctx.req, 'MaxItems', 'maxItems'),
  });
  const items = found.items.map((alias) => aliasConfiguration(alias, ctx.scope));
  return json(ctx.req, 200, page('Aliases', items, found.nextMarker));
};

function routing(config: { AdditionalVersionWeights?: Record<string, number> } | undefined): RoutingConfig | undefined {
  return config === undefined ? undefined : { additionalVersionWeights: config.AdditionalVersionWeights ?? {} };
}
