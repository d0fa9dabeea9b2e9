import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './aliases.js';
import { deleteConcurrency, getAccountSettings, getConcurrency, putConcurrency } from './concurrency.js';
import { deleteInvokeConfig, getInvokeConfig, listInvokeConfigs, putInvokeConfig, updateInvokeConfig } from './event-invoke-configs.js';
import { createMapping, deleteMapping, getMapping, listMappings, updateMapping } from './event-source-mappings.js';
import { createFunction, deleteFunction, getFunction, getFunctionConfiguration, listFunctions, updateFunctionCode, updateFunctionConfiguration } from './functions.js';
import type { Operation } from './http.js';
import { invoke } from './invoke.js';
import { deleteProvisioned, getProvisioned, listProvisioned, putProvisioned } from './provisioned.js';
import { listVersions, publishVersion } from './versions.js';

export type OperationName =
  | 'Invoke'
  | 'CreateFunction'
  | 'GetFunction'
  | 'GetFunctionConfiguration'
  | 'UpdateFunctionCode'
  | 'UpdateFunctionConfiguration'
  | 'ListFunctions'
  | 'DeleteFunction'
  | 'PublishVersion'
  | 'ListVersionsByFunction'
  | 'CreateAlias'
  | 'GetAlias'
  | 'UpdateAlias'
  | 'DeleteAlias'
  | 'ListAliases'
  | 'PutFunctionConcurrency'
  | 'GetFunctionConcurrency'
  | 'DeleteFunctionConcurrency'
  | 'GetAccountSettings'
  | 'PutProvisionedConcurrencyConfig'
  | 'GetProvisionedConcurrencyConfig'
  | 'DeleteProvisionedConcurrencyConfig'
  | 'ListProvisionedConcurrencyConfigs'
  | 'CreateEventSourceMapping'
  | 'GetEventSourceMapping'
  | 'ListEventSourceMappings'
  | 'UpdateEventSourceMapping'
  | 'DeleteEventSourceMapping'
  | 'PutFunctionEventInvokeConfig'
  | 'GetFunctionEventInvokeConfig'
  | 'UpdateFunctionEventInvokeConfig'
  | 'DeleteFunctionEventInvokeConfig'
  | 'ListFunctionEventInvokeConfigs';

interface Route {
  method: string;
  /** Path template as Lambda's service model writes it; `{Name}` is a path parameter. */
  path: string;
  name: OperationName;
  operation: Operation;
}

const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/invocations', name: 'Invoke', operation: invoke },
  { method: 'POST', path: '/2015-03-31/functions', name: 'CreateFunction', operation: createFunction },
  { method: 'GET', path: '/2015-03-31/functions', name: 'ListFunctions', operation: listFunctions },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}', name: 'GetFunction', operation: getFunction },
  { method: 'DELETE', path: '/2015-03-31/functions/{FunctionName}', name: 'DeleteFunction', operation: deleteFunction },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/configuration', name: 'GetFunctionConfiguration', operation: getFunctionConfiguration },
  { method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/configuration', name: 'UpdateFunctionConfiguration', operation: updateFunctionConfiguration },
  { method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/code', name: 'UpdateFunctionCode', operation: updateFunctionCode },
  { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/versions', name: 'PublishVersion', operation: publishVersion },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/versions', name: 'ListVersionsByFunction', operation: listVersions },
  { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/aliases', name: 'CreateAlias', operation: createAlias },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/aliases', name: 'ListAliases', operation: listAliases },
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}', name: 'GetAlias', operation: getAlias },
  { method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}', name: 'UpdateAlias', operation: updateAlias },
  { method: 'DELETE', path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}', name: 'DeleteAlias', operation: deleteAlias },
  { method: 'PUT', path: '/2017-10-31/functions/{FunctionName}/concurrency', name: 'PutFunctionConcurrency', operation: putConcurrency },
  { method: 'DELETE', path: '/2017-10-31/functions/{FunctionName}/concurrency', name: 'DeleteFunctionConcurrency', operation: deleteConcurrency },
  { method: 'GET', path: '/2019-09-30/functions/{FunctionName}/concurrency', name: 'GetFunctionConcurrency', operation: getConcurrency },
  { method: 'GET', path: '/2016-08-19/account-settings', name: 'GetAccountSettings', operation: getAccountSettings },
  { method: 'PUT', path: '/2019-09-30/functions/{FunctionName}/provisioned-concurrency', name: 'PutProvisionedConcurrencyConfig', operation: putProvisioned },
  { method: 'DELETE', path: '/2019-09-30/functions/{FunctionName}/provisioned-concurrency', name: 'DeleteProvisionedConcurrencyConfig', operation: deleteProvisioned },
  { method: 'GET', path: '/2019-09-30/functions/{FunctionName}/provisioned-concurrency', name: 'GetProvisionedConcurrencyConfig', operation: async (ctx) => (ctx.req.query.get('List') === 'ALL' ? listProvisioned(ctx) : getProvisioned(ctx)) },
  { method: 'POST', path: '/2015-03-31/event-source-mappings', name: 'CreateEventSourceMapping', operation: createMapping },
  { method: 'GET', path: '/2015-03-31/event-source-mappings', name: 'ListEventSourceMappings', operation: listMappings },
  { method: 'GET', path: '/2015-03-31/event-source-mappings/{UUID}', name: 'GetEventSourceMapping', operation: getMapping },
  { method: 'PUT', path: '/2015-03-31/event-source-mappings/{UUID}', name: 'UpdateEventSourceMapping', operation: updateMapping },
  { method: 'DELETE', path: '/2015-03-31/event-source-mappings/{UUID}', name: 'DeleteEventSourceMapping', operation: deleteMapping },
  { method: 'PUT', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config', name: 'PutFunctionEventInvokeConfig', operation: putInvokeConfig },
  { method: 'GET', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config', name: 'GetFunctionEventInvokeConfig', operation: getInvokeConfig },
  { method: 'POST', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config', name: 'UpdateFunctionEventInvokeConfig', operation: updateInvokeConfig },
  { method: 'DELETE', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config', name: 'DeleteFunctionEventInvokeConfig', operation: deleteInvokeConfig },
  { method: 'GET', path: '/2019-09-25/functions/{FunctionName}/event-invoke-config/list', name: 'ListFunctionEventInvokeConfigs', operation: listInvokeConfigs },
];

const TEMPLATES = ROUTES.map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }));

export interface RouteMatch {
  name: OperationName;
  operation: Operation;
  params: Record<string, string>;
}

/**
 * Finds the operation for a method and percent-encoded path. A trailing slash is ignored: the AWS CLI sends
 * "/2015-03-31/functions/" where the SDK for JavaScript sends "/2015-03-31/functions".
 */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const segments = rawPath.split('/').filter(Boolean);
  for (const { route, segments: template } of TEMPLATES) {
    if (route.method !== method || template.length !== segments.length) continue;
    const params = matchSegments(template, segments);
    if (params) return { name: route.name, operation: route.operation, params };
  }
  return undefined;
}

function matchSegments(template: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const expected = template[i]!;
    const actual = segments[i]!;
    if (expected.startsWith('{')) {
      const value = decode(actual);
      if (value === undefined) return undefined;
      params[expected.slice(1, -1)] = value;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
