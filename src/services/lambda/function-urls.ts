import { isFlintError } from '../../core/index.js';
import { functionArn, parseFunctionRef, type ArnScope, type FunctionUrlRecord } from '../../functions/index.js';
import type { FunctionUrlConfig } from './api.js';
import type { LambdaContext, LambdaHandler } from './context.js';

/**
 * CreateFunctionUrlConfig, GetFunctionUrlConfig, UpdateFunctionUrlConfig, DeleteFunctionUrlConfig and
 * ListFunctionUrlConfigs. Shapes, statuses and messages are LocalStack's recordings of AWS (tests/aws/services/lambda_/
 * test_lambda_api.snapshot.json, TestLambdaUrl: test_url_config_lifecycle, test_url_config_list_paging,
 * test_url_config_exceptions, test_url_config_deletion_without_qualifier): a URL belongs to the unqualified function or
 * to an alias (the model's FunctionUrlQualifier pattern refuses versions and $LATEST); a missing function is "Function
 * does not exist" for create, update and list and "The resource you requested does not exist." for get and delete;
 * create and update echo InvokeMode only when it was set, get and list default it to BUFFERED. The URL is shaped as
 * AWS shapes it, https://<url-id>.lambda-url.<region>.on.aws/, and served by the node (see url/endpoint.ts).
 */

const NO_FUNCTION = 'Function does not exist';
/**
 * In the order Lambda lists them when it refuses another (LocalStack's recording of AWS, test_lambda.snapshot.json,
 * TestLambdaURL::test_lambda_url_invalid_invoke_mode); the model lists BUFFERED first.
 */
const INVOKE_MODES = ['RESPONSE_STREAM', 'BUFFERED'] as const;
const NO_RESOURCE = 'The resource you requested does not exist.';
const VERSION_OR_LATEST = /^(\d+|\$LATEST)$/;
/** Lambda's default and largest page for ListFunctionUrlConfigs. */
const MAX_ITEMS = 50;

/** The URL AWS would give this configuration. */
export function functionUrlOf(urlId: string, region: string): string {
  return `https://${urlId}.lambda-url.${region}.on.aws/`;
}

export const createFunctionUrlConfig: LambdaHandler<'CreateFunctionUrlConfig'> = async (input, ctx) => {
  checkInvokeMode(input.InvokeMode, ctx);
  const { name, qualifier } = await target(ctx, input.FunctionName, input.Qualifier, NO_FUNCTION);
  const settings = { authType: input.AuthType, cors: input.Cors, invokeMode: input.InvokeMode };
  const record = await ctx.registry.urls.create(name, qualifier, settings);
  if (!record) {
    const arn = functionArn(ctx.scope, name, qualifier);
    throw ctx.errors.user('ResourceConflictException', `Failed to create function url config for [functionArn = ${arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
  }
  const { LastModifiedTime: _modified, InvokeMode: _mode, ...rest } = rendered(record, ctx.scope);
  return { ...rest, ...(record.invokeMode !== undefined ? { InvokeMode: record.invokeMode } : {}) };
};

export const getFunctionUrlConfig: LambdaHandler<'GetFunctionUrlConfig'> = async (input, ctx) => {
  const { name, qualifier } = await target(ctx, input.FunctionName, input.Qualifier, NO_RESOURCE);
  const record = await ctx.registry.urls.get(name, qualifier);
  if (!record) throw ctx.errors.user('ResourceNotFoundException', NO_RESOURCE);
  return rendered(record, ctx.scope);
};

export const updateFunctionUrlConfig: LambdaHandler<'UpdateFunctionUrlConfig'> = async (input, ctx) => {
  checkInvokeMode(input.InvokeMode, ctx);
  const { name, qualifier } = await target(ctx, input.FunctionName, input.Qualifier, NO_FUNCTION);
  const record = await ctx.registry.urls.update(name, qualifier, { authType: input.AuthType, cors: input.Cors, invokeMode: input.InvokeMode });
  if (!record) throw ctx.errors.user('ResourceNotFoundException', NO_RESOURCE);
  const { InvokeMode: _mode, ...rest } = rendered(record, ctx.scope);
  return { ...rest, ...(record.invokeMode !== undefined ? { InvokeMode: record.invokeMode } : {}) };
};

export const deleteFunctionUrlConfig: LambdaHandler<'DeleteFunctionUrlConfig'> = async (input, ctx) => {
  const { name, qualifier } = await target(ctx, input.FunctionName, input.Qualifier, NO_RESOURCE);
  if (!(await ctx.registry.urls.delete(name, qualifier))) throw ctx.errors.user('ResourceNotFoundException', NO_RESOURCE);
};

export const listFunctionUrlConfigs: LambdaHandler<'ListFunctionUrlConfigs'> = async (input, ctx) => {
  const { name } = await target(ctx, input.FunctionName, undefined, NO_FUNCTION);
  const all = (await ctx.registry.urls.list(name)).map((record) => rendered(record, ctx.scope));
  const start = input.Marker === undefined ? 0 : Math.max(0, all.findIndex((config) => config.FunctionArn === input.Marker));
  const size = Math.min(input.MaxItems ?? MAX_ITEMS, MAX_ITEMS);
  const page = all.slice(start, start + size);
  const next = all[start + size];
  return { FunctionUrlConfigs: page, ...(next ? { NextMarker: next.FunctionArn } : {}) };
};

function checkInvokeMode(given: string | undefined, ctx: LambdaContext): void {
  if (given !== undefined && !INVOKE_MODES.some((mode) => mode === given)) throw ctx.errors.enumViolation('invokeMode', given, INVOKE_MODES);
}

/** The function and alias a call names, both checked to exist. */
async function target(ctx: LambdaContext, functionName: string, given: string | undefined, missing: string): Promise<{ name: string; qualifier?: string }> {
  const ref = parseFunctionRef(functionName);
  if (given !== undefined && ref.qualifier !== undefined && ref.qualifier !== given) {
    throw ctx.errors.invalidValue('The derived qualifier from the function name does not match the specified qualifier.');
  }
  const qualifier = given ?? ref.qualifier;
  if (qualifier !== undefined && VERSION_OR_LATEST.test(qualifier)) {
    // The model's words for a Qualifier parameter, used too for a version or $LATEST at the end of the name.
    throw ctx.errors.validation([`Value '${qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)`]);
  }
  try {
    await ctx.registry.get(ref.name);
    if (qualifier !== undefined) await ctx.registry.getAlias(ref.name, qualifier);
  } catch (error) {
    if (isFlintError(error, 'FUNCTION_NOT_FOUND')) throw ctx.errors.user('ResourceNotFoundException', missing);
    throw error;
  }
  return { name: ref.name, ...(qualifier !== undefined ? { qualifier } : {}) };
}

function rendered(record: FunctionUrlRecord, scope: ArnScope): FunctionUrlConfig {
  return {
    FunctionUrl: functionUrlOf(record.urlId, scope.region),
    FunctionArn: functionArn(scope, record.functionName, record.qualifier),
    AuthType: record.authType,
    ...(record.cors !== undefined ? { Cors: record.cors } : {}),
    CreationTime: timestamp(record.creationTime),
    LastModifiedTime: timestamp(record.lastModifiedTime),
    InvokeMode: record.invokeMode ?? 'BUFFERED',
  };
}

/** Lambda writes these times with microseconds: "2021-12-16T19:51:21.418476Z". */
function timestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '000Z');
}
