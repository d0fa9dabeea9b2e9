/**
 * The deployed APIs and the request → function → response path through them. Every API is reachable on
 * its own host (`<api-id>.execute-api.localhost`), and all APIs share the gateway's own host when their
 * routes do not collide, which is what lets `curl localhost:4566/users` reach a function.
 */
import { isFlintError, LIMITS, RealClock, type Clock } from '../../core/index.js';
import { Authorizers } from './authorizers.js';
import { applyCors, handleCors } from './cors.js';
import { buildEvent } from './event.js';
import { errorResponse } from './responses.js';
import { mapResult } from './result.js';
import { compileRoutes } from './routes.js';
import type { Admission, ApiConfig, HttpRequest, HttpResponse, IdentifyCaller, Route, RouteMatch, RouteTable } from './types.js';

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

/**
 * How long API Gateway waits for the integration: 29 s for REST APIs and 30 s for HTTP APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). A function whose own timeout is shorter
 * fails first, and that is a function error.
 */
const INTEGRATION_TIMEOUT_MS = { '1.0': 29_000, '2.0': 30_000 } as const;

export interface HttpApisOptions {
  clock?: Clock;
  /** Who an access key belongs to, for AWS_IAM routes. */
  identify?: IdentifyCaller;
}

export class HttpApis {
  private byId = new Map<string, CompiledApi>();
  private shared: { table: RouteTable; apiOf: Map<Route, DeployedApi> } | undefined;
  private readonly clock: Clock;
  private readonly authorizers: Authorizers;

  constructor(private readonly invoke: InvokeFunction, options: HttpApisOptions = {}) {
    this.clock = options.clock ?? new RealClock();
    this.authorizers = new Authorizers({ run: invoke, clock: this.clock, identify: options.identify });
  }

  /**
   * Replaces the deployed APIs. Throws ROUTE_CONFLICT, naming both, when two APIs claim the same route on
   * the shared host; nothing changes then.
   */
  setApis(apis: DeployedApi[]): void {
    const compiled = compileApis(apis);
    this.byId = compiled.byId;
    this.shared = compiled.shared;
    this.authorizers.clear();
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
    const found = only ? this.findIn(only, req) : this.findShared(req);
    if (!found) return undefined;
    const { api, match } = found;
    const request = found.request;
    const preflight = handleCors(api.config, request);
    if (preflight) return preflight;
    if (!match) return applyCors(api.config, request, errorResponse('not-found', api.config, request.requestId));
    const outcome = await this.authorizers.admit(api.config, match, request);
    if (!outcome.ok) return applyCors(api.config, request, errorResponse(outcome.kind, api.config, request.requestId));
    return applyCors(api.config, request, await this.call(api, request, match, outcome.admission));
  }

  /** On an API's own host: its routes, under its stage when the path names it. */
  private findIn(api: DeployedApi, req: HttpRequest): Found {
    const request = unstaged(api.config, req);
    return { api, request, match: this.byId.get(api.config.id)?.table.match(request.method, matchPath(api.config, request.rawPath)) };
  }

  /**
   * On the node's own host: every API's routes at once (the most specific wins), then REST's trailing-slash form,
   * then one API's routes under `/<stage>` when the path starts with its stage.
   */
  private findShared(req: HttpRequest): Found | undefined {
    const direct = this.sharedMatch(req.method, req.rawPath);
    if (direct) return { ...direct, request: req };
    const trimmed = req.rawPath.length > 1 && req.rawPath.endsWith('/') ? this.sharedMatch(req.method, req.rawPath.slice(0, -1)) : undefined;
    if (trimmed?.api.config.payloadVersion === '1.0') return { ...trimmed, request: req };
    const staged = [...this.byId.values()].map(({ api }) => api).filter((api) => unstaged(api.config, req) !== req);
    for (const api of staged) {
      const found = this.findIn(api, req);
      if (found.match) return found;
    }
    // A preflight names the method it asks about: the API serving that method owns the CORS answer.
    const asked = req.method === 'OPTIONS' ? header(req, 'access-control-request-method') : undefined;
    const owner = asked ? this.sharedMatch(asked, req.rawPath) : undefined;
    if (owner) return { api: owner.api, request: req, match: undefined };
    const first = staged[0];
    return first ? { api: first, request: unstaged(first.config, req), match: undefined } : undefined;
  }

  private sharedMatch(method: string, path: string): { api: DeployedApi; match: RouteMatch } | undefined {
    const match = this.shared?.table.match(method, path);
    const api = match ? this.shared?.apiOf.get(match.route) : undefined;
    return api && match ? { api, match } : undefined;
  }

  private async call(api: DeployedApi, req: HttpRequest, match: RouteMatch, admission: Admission): Promise<HttpResponse> {
    const config = api.config;
    const event = buildEvent(config, match, req, admission);
    // The event must fit Lambda's synchronous payload limit, whatever API Gateway itself would accept.
    if (event.length > LIMITS.syncPayloadBytes) return errorResponse('too-large', config, req.requestId);
    try {
      const result = await this.withinIntegrationTimeout(config, this.invoke(match.route.functionName, event, req.requestId));
      if (result === 'timed-out') return errorResponse('timeout', config, req.requestId);
      if (result.status === 'success') return mapResult(config, result.payload, req.requestId);
      // A function that runs out of its own time has failed, like any other function error.
      return errorResponse('function-error', config, req.requestId);
    } catch (error) {
      if (isFlintError(error, 'TOO_MANY_REQUESTS')) return errorResponse('throttled', config, req.requestId);
      if (isFlintError(error, 'REQUEST_TOO_LARGE')) return errorResponse('too-large', config, req.requestId);
      if (isFlintError(error, 'FUNCTION_NOT_FOUND')) return errorResponse('throttled', config, req.requestId);
      throw error;
    }
  }

  private withinIntegrationTimeout(config: ApiConfig, running: Promise<ApiInvocation>): Promise<ApiInvocation | 'timed-out'> {
    let timer: { cancel(): void } | undefined;
    const timeout = new Promise<'timed-out'>((resolve) => {
      timer = this.clock.setTimer(INTEGRATION_TIMEOUT_MS[config.payloadVersion], () => resolve('timed-out'));
    });
    return Promise.race([running, timeout]).finally(() => timer?.cancel());
  }
}

interface Found {
  api: DeployedApi;
  /** The request with its stage taken off the path. */
  request: HttpRequest;
  match: RouteMatch | undefined;
}

/**
 * The request as the API's routes see it: an API with a named stage is invoked under `/<stage>/...`; that prefix (and
 * the slashes doubled after it) comes off the path, which REST's requestContext.path still shows as sent.
 * LocalStack's recording of AWS: test_apigateway_lambda.snapshot.json, test_lambda_aws_proxy_integration.
 */
function unstaged(api: ApiConfig, req: HttpRequest): HttpRequest {
  if (api.stage === '$default') return req;
  const prefix = `/${api.stage}`;
  const path = req.rawPath;
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return req;
  const rest = path.slice(prefix.length).replace(/^\/+/, '/');
  return { ...req, rawPath: rest === '' ? '/' : rest, stagedPath: path };
}

/** REST resources match with or without one trailing slash (the event's path keeps it, a greedy parameter does not). */
function matchPath(api: ApiConfig, path: string): string {
  return api.payloadVersion === '1.0' && path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function header(req: HttpRequest, name: string): string | undefined {
  return req.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}
