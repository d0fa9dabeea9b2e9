import { LATEST, validateUploadedZip, type ConfigurationPatch, type FunctionConfig } from '../../functions/index.js';
import type { FunctionConfiguration, UpdateFunctionConfigurationRequest } from './api.js';
import { checkPackageType, inlineZip, readFunctionCode } from './code.js';
import type { LambdaContext, LambdaHandler } from './context.js';
import { layersForRegistry } from './layers.js';
import { givenQualifier } from './names.js';
import { sortedTags } from './tags.js';
import { functionConfiguration } from './views.js';

/** CreateFunction, GetFunction, GetFunctionConfiguration, UpdateFunctionCode/Configuration, ListFunctions, DeleteFunction. */

export const createFunction: LambdaHandler<'CreateFunction'> = async (input, ctx) => {
  const code = readFunctionCode(input.Code, ctx.errors);
  checkPackageType(input.PackageType, ctx.errors);
  const zip = inlineZip(code, ctx.errors);
  if (input.Runtime === undefined) throw ctx.errors.invalidValue('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  ctx.errors.checkRuntime(input.Runtime);
  const config = await ctx.registry.create({
    name: input.FunctionName,
    zip,
    runtime: input.Runtime,
    handler: input.Handler,
    memorySize: input.MemorySize,
    timeout: input.Timeout,
    ephemeralStorage: input.EphemeralStorage?.Size,
    environment: input.Environment?.Variables,
    description: input.Description,
    role: input.Role,
    publish: input.Publish,
    deadLetterTargetArn: input.DeadLetterConfig?.TargetArn,
    tags: input.Tags,
    layers: layersForRegistry(input.Layers, ctx),
  });
  return configurationOf(ctx, config);
};

export const getFunction: LambdaHandler<'GetFunction'> = async (input, ctx) => {
  const config = await ctx.registry.get(input.FunctionName, input.Qualifier);
  const reserved = await ctx.registry.getReservedConcurrency(config.name);
  const tags = await ctx.registry.listTags(config.name);
  return {
    Configuration: functionConfiguration(config, ctx.scope, { arnQualifier: givenQualifier(input.FunctionName, input.Qualifier) }),
    // Flint serves the zip itself where Lambda hands out a presigned S3 URL.
    Code: { RepositoryType: 'S3', Location: `${ctx.request.baseUrl}/_flint/code/${config.codeSha256}.zip` },
    // Lambda leaves Tags out when the function has none.
    ...(Object.keys(tags).length > 0 ? { Tags: sortedTags(tags) } : {}),
    ...(reserved !== undefined ? { Concurrency: { ReservedConcurrentExecutions: reserved } } : {}),
  };
};

export const getFunctionConfiguration: LambdaHandler<'GetFunctionConfiguration'> = async (input, ctx) => {
  const config = await ctx.registry.get(input.FunctionName, input.Qualifier);
  return functionConfiguration(config, ctx.scope, { arnQualifier: givenQualifier(input.FunctionName, input.Qualifier) });
};

export const updateFunctionCode: LambdaHandler<'UpdateFunctionCode'> = async (input, ctx) => {
  const zip = inlineZip(input, ctx.errors);
  if (input.DryRun) {
    validateUploadedZip(zip);
    return configurationOf(ctx, await ctx.registry.get(input.FunctionName));
  }
  const config = await ctx.registry.updateCode(input.FunctionName, zip, { publish: input.Publish, revisionId: input.RevisionId });
  return configurationOf(ctx, config);
};

export const updateFunctionConfiguration: LambdaHandler<'UpdateFunctionConfiguration'> = async (input, ctx) => {
  ctx.errors.checkRuntime(input.Runtime);
  const patch = { ...configurationPatch(input), ...(input.Layers !== undefined ? { layers: layersForRegistry(input.Layers, ctx) } : {}) };
  const config = await ctx.registry.updateConfiguration(input.FunctionName, patch, { revisionId: input.RevisionId });
  return configurationOf(ctx, config);
};

export const listFunctions: LambdaHandler<'ListFunctions'> = async (input, ctx) => {
  const allVersions = input.FunctionVersion === 'ALL';
  const found = await ctx.registry.list({ marker: input.Marker, maxItems: input.MaxItems, allVersions });
  const items = found.items.map((config) => functionConfiguration(config, ctx.scope, { list: true, arnQualifier: allVersions ? config.version : undefined }));
  return { NextMarker: found.nextMarker, Functions: items };
};

export const deleteFunction: LambdaHandler<'DeleteFunction'> = async (input, ctx) => {
  await ctx.registry.delete(input.FunctionName, input.Qualifier);
  return { StatusCode: 204 };
};

/** $LATEST answers with the unqualified ARN; a published version (Publish: true) with its qualified one. */
function configurationOf(ctx: LambdaContext, config: FunctionConfig): FunctionConfiguration {
  return functionConfiguration(config, ctx.scope, { arnQualifier: config.version === LATEST ? undefined : config.version });
}

function configurationPatch(input: UpdateFunctionConfigurationRequest): ConfigurationPatch {
  const patch: ConfigurationPatch = {};
  if (input.Runtime !== undefined) patch.runtime = input.Runtime;
  if (input.Handler !== undefined) patch.handler = input.Handler;
  if (input.MemorySize !== undefined) patch.memorySize = input.MemorySize;
  if (input.Timeout !== undefined) patch.timeout = input.Timeout;
  if (input.EphemeralStorage !== undefined) patch.ephemeralStorage = input.EphemeralStorage.Size;
  // Environment replaces the variables as a whole; {} (or no Variables) clears them.
  if (input.Environment !== undefined) patch.environment = input.Environment.Variables ?? {};
  if (input.Description !== undefined) patch.description = input.Description;
  if (input.Role !== undefined) patch.role = input.Role;
  // An empty DeadLetterConfig (or TargetArn "") removes the target.
  if (input.DeadLetterConfig !== undefined) patch.deadLetterTargetArn = input.DeadLetterConfig.TargetArn ?? '';
  return patch;
}
