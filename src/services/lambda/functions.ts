import { LATEST, validateUploadedZip, type ConfigurationPatch, type FunctionConfig } from '../../functions/index.js';
import { checkArchitectures, checkLayers, checkPackageType, inlineZip } from './code.js';
import { enumViolation, invalidValue } from './errors.js';
import { empty, json, pathParam, queryInteger, queryParam, type Operation, type OperationContext } from './http.js';
import { givenQualifier } from './names.js';
import { createFunctionBody, parseBody, updateFunctionCodeBody, updateFunctionConfigurationBody, type UpdateFunctionConfigurationBody } from './schemas.js';
import { functionConfiguration, page } from './wire.js';

/** CreateFunction, GetFunction, GetFunctionConfiguration, UpdateFunctionCode/Configuration, ListFunctions, DeleteFunction. */

export const createFunction: Operation = async (ctx) => {
  const body = parseBody(ctx.req, createFunctionBody);
  checkPackageType(body.PackageType);
  checkLayers(body.Layers);
  checkArchitectures(body.Architectures);
  const zip = inlineZip(body.Code);
  if (body.Runtime === undefined) throw invalidValue('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  const config = await ctx.registry.create({
    name: body.FunctionName,
    zip,
    runtime: body.Runtime,
    handler: body.Handler,
    memorySize: body.MemorySize,
    timeout: body.Timeout,
    ephemeralStorage: body.EphemeralStorage?.Size,
    environment: body.Environment?.Variables,
    description: body.Description,
    role: body.Role,
    publish: body.Publish,
    deadLetterTargetArn: body.DeadLetterConfig?.TargetArn,
  });
  return json(ctx.req, 201, configurationOf(ctx, config));
};

export const getFunction: Operation = async (ctx) => {
  const name = pathParam(ctx, 'FunctionName');
  const qualifier = queryParam(ctx.req, 'Qualifier');
  const config = await ctx.registry.get(name, qualifier);
  const reserved = await ctx.registry.getReservedConcurrency(config.name);
  return json(ctx.req, 200, {
    Configuration: functionConfiguration(config, ctx.scope, { arnQualifier: givenQualifier(name, qualifier) }),
    // Flint serves the zip itself where Lambda hands out a presigned S3 URL.
    Code: { RepositoryType: 'S3', Location: `${ctx.req.baseUrl}/_flint/code/${config.codeSha256}.zip` },
    ...(reserved !== undefined ? { Concurrency: { ReservedConcurrentExecutions: reserved } } : {}),
  });
};

export const getFunctionConfiguration: Operation = async (ctx) => {
  const name = pathParam(ctx, 'FunctionName');
  const qualifier = queryParam(ctx.req, 'Qualifier');
  const config = await ctx.registry.get(name, qualifier);
  return json(ctx.req, 200, functionConfiguration(config, ctx.scope, { arnQualifier: givenQualifier(name, qualifier) }));
};

export const updateFunctionCode: Operation = async (ctx) => {
  const name = pathParam(ctx, 'FunctionName');
  const body = parseBody(ctx.req, updateFunctionCodeBody);
  checkArchitectures(body.Architectures);
  const zip = inlineZip(body);
  if (body.DryRun) {
    validateUploadedZip(zip);
    return json(ctx.req, 200, configurationOf(ctx, await ctx.registry.get(name)));
  }
  const config = await ctx.registry.updateCode(name, zip, { publish: body.Publish, revisionId: body.RevisionId });
  return json(ctx.req, 200, configurationOf(ctx, config));
};

export const updateFunctionConfiguration: Operation = async (ctx) => {
  const name = pathParam(ctx, 'FunctionName');
  const body = parseBody(ctx.req, updateFunctionConfigurationBody);
  checkLayers(body.Layers);
  const config = await ctx.registry.updateConfiguration(name, configurationPatch(body), { revisionId: body.RevisionId });
  return json(ctx.req, 200, configurationOf(ctx, config));
};

export const listFunctions: Operation = async (ctx) => {
  const functionVersion = queryParam(ctx.req, 'FunctionVersion');
  if (functionVersion !== undefined && functionVersion !== 'ALL') throw enumViolation('functionVersion', functionVersion, ['ALL']);
  const allVersions = functionVersion === 'ALL';
  const found = await ctx.registry.list({ marker: queryParam(ctx.req, 'Marker'), maxItems: queryInteger(ctx.req, 'MaxItems', 'maxItems'), allVersions });
  const items = found.items.map((config) =>
    functionConfiguration(config, ctx.scope, { list: true, arnQualifier: allVersions ? config.version : undefined }),
  );
  return json(ctx.req, 200, page('Functions', items, found.nextMarker));
};

export const deleteFunction: Operation = async (ctx) => {
  await ctx.registry.delete(pathParam(ctx, 'FunctionName'), queryParam(ctx.req, 'Qualifier'));
  return empty(ctx.req, 204);
};

/** $LATEST answers with the unqualified ARN; a published version (Publish: true) with its qualified one. */
function configurationOf(ctx: OperationContext, config: FunctionConfig): Record<string, unknown> {
  return functionConfiguration(config, ctx.scope, { arnQualifier: config.version === LATEST ? undefined : config.version });
}

function configurationPatch(body: UpdateFunctionConfigurationBody): ConfigurationPatch {
  const patch: ConfigurationPatch = {};
  if (body.Runtime !== undefined) patch.runtime = body.Runtime;
  if (body.Handler !== undefined) patch.handler = body.Handler;
  if (body.MemorySize !== undefined) patch.memorySize = body.MemorySize;
  if (body.Timeout !== undefined) patch.timeout = body.Timeout;
  if (body.EphemeralStorage !== undefined) patch.ephemeralStorage = body.EphemeralStorage.Size;
  // Environment replaces the variables as a whole; {} (or no Variables) clears them.
  if (body.Environment !== undefined) patch.environment = body.Environment.Variables ?? {};
  if (body.Description !== undefined) patch.description = body.Description;
  if (body.Role !== undefined) patch.role = body.Role;
  // An empty DeadLetterConfig (or TargetArn "") removes the target.
  if (body.DeadLetterConfig !== undefined) patch.deadLetterTargetArn = body.DeadLetterConfig.TargetArn ?? '';
  return patch;
}
