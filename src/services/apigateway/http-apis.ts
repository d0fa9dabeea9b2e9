/**
 * The deployed APIs and the request → function → response path through them. Every API is reachable on
 * its own host (`<api-id>.execute-api.localhost`), and all APIs share the gateway's own host when their
 * routes do not collide, which is what lets `curl localhost:4566/users` reach a function.
 */
import { isFlintError, LIMITS } from '../../core/index.js';
import { applyCors, handleCors } from './cors.js';
import { buildEvent } from './event.js';
import { errorResponse } from './responses.js';
import { mapResult } from './result.js';
import { compileRoutes } from './routes.js';
import type { ApiConfig, HttpRequest, HttpResponse, Route, RouteTable } from './types.js';

export interface DeployedApi {
  config: ApiConfig;
  routes: Route[];
}

/** What the API needs from a function invocation. */
export interface ApiInvocation {
  status: 'success' | 'error' | 'timeout' | 'crash' | 'oom' | 'init-error';
  payload: Buffer;
}

/** Invokes a function synchronously; throws FlintError TOO_MANY_REQUESTS or FUNCTION_NOT_FOUND. */
export type InvokeFunction = (functionName: string, event: Buffer, requestId: string) => Promise<ApiInvocation>;

interface CompiledApi {
  api: DeployedApi;
  table: RouteTable;
}

/** Throws as HttpApis.setApis would (ROUTE_CONFLICT, INVALID_PARAMETER), changing nothing: a deploy checks first. */
export function checkApis(apis: DeployedApi[]): void {
  compileApis(apis);
}

function compileApis(apis: DeployedApi[]): { byId: Map<string, CompiledApi>; shared: { table: RouteTable; apiOf: Map<Route, DeployedApi> } } {
  const byId = new Map(apis.map((api) => [api.config.id, { api, table: compileRoutes(api.routes) }]));
  const apiOf = new Map<Route, DeployedApi>();
  for (const api of apis) for (const route of api.routes) apiOf.set(route, api);
  return { byId, shared: { table: compileRoutes([...apiOf.keys()]), apiOf } };
}

export class HttpApis {
  private byId = new Map<string, CompiledApi>();
  private shared: { table: RouteTable; apiOf: Map<Route, DeployedApi> } | undefined;

  constructor(private readonly invoke: InvokeFunction) {}

  /**
   * Replaces the deployed APIs. Throws ROUTE_CONFLICT, naming both, when two APIs claim the same route on
   * the shared host; nothing changes then.
   */
  setApis(apis: DeployedApi[]): void {
    const compiled = compileApis(apis);
    this.byId = compiled.byId;
    this.shared = compiled.shared;
  }

  list(): DeployedApi[] {
    return [...this.byId.values()].map((c) => c.api);
  }

  /** The API a request's host names, if any (`abc1234567.execute-api.localhost:4566`). */
  apiForHost(host: string): DeployedApi | undefined {
    const id = /^([a-z0-9]{10})\.execute-api\./.exec(host)?.[1];
    return id ? this.byId.get(id)?.api : undefined;
  }

  /** Answers a request, or returns undefined when no route of any API matches it. */
  async handle(req: HttpRequest, only?: DeployedApi): Promise<HttpResponse | undefined> {
    const path = req.rawPath;
    let api: DeployedApi | undefined;
    let match;
    if (only) {
      api = only;
      match = this.byId.get(only.config.id)?.table.match(req.method, path);
    } else {
      match = this.shared?.table.match(req.method, path);
      // A preflight names the method it asks about: the API serving that method owns the CORS answer.
      const asked = req.method === 'OPTIONS' ? header(req, 'access-control-request-method') : undefined;
      const owner = match ?? (asked ? this.shared?.table.match(asked, path) : undefined);
      api = owner ? this.shared?.apiOf.get(owner.route) : undefined;
    }
    if (!api) return undefined;
    const preflight = handleCors(api.config, req);
    if (preflight) return preflight;
    if (!match) return applyCors(api.config, req, errorResponse('not-found', api.config, req.requestId));
    return applyCors(api.config, req, await this.call(api, req, match));
  }

  private async call(api: DeployedApi, req: HttpRequest, match: NonNullable<ReturnType<RouteTable['match']>>): Promise<HttpResponse> {
    const config = api.config;
    const event = buildEvent(config, match, req);
    // The event must fit Lambda's synchronous payload limit, whatever API Gateway itself would accept.
    if (event.length > LIMITS.syncPayloadBytes) return errorResponse('too-large', config, req.requestId);
    try {
      const result = await this.invoke(match.route.functionName, event, req.requestId);
      if (result.status === 'success') return mapResult(config, result.payload, req.requestId);
      return errorResponse(result.status === 'timeout' ? 'timeout' : 'function-error', config, req.requestId);
    } catch (error) {
      if (isFlintError(error, 'TOO_MANY_REQUESTS')) return errorResponse('throttled', config, req.requestId);
      if (isFlintError(error, 'REQUEST_TOO_LARGE')) return errorResponse('too-large', config, req.requestId);
      if (isFlintError(error, 'FUNCTION_NOT_FOUND')) return errorResponse('function-error', config, req.requestId);
      throw error;
    }
  }
}

function header(req: HttpRequest, name: string): string | undefined {
  return req.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}
