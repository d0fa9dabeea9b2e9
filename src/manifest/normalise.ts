/** Validated manifest → AppSpec: defaults applied, routes grouped into APIs, schedules listed, paths absolute. */
import { basename, resolve } from 'node:path';
import { runtimeInfo } from '../core/index.js';
import { asyncSpecOf, eventSourcesOf } from './normalise-events.js';
import { routeOfHttpEvent, type ManifestInput } from './schema.js';
import { QUEUE_DEFAULTS, isFifoQueue } from './schema-resources.js';
import { toAuthorizers, routeAuthOf } from './normalise-api-auth.js';
import { busesOf, queueSettingsOf, tableSettingsOf, topicSpecOf } from './normalise-settings.js';
import { DEFAULT_WEBSOCKET_ROUTE_SELECTION, DEFAULT_WEBSOCKET_STAGE, type WebSocketsInput } from './schema-websockets.js';
import type { ApiSpec, AppSpec, CorsSpec, FunctionSpec, LayerSpec, ParameterSpec, QueueSpec, ResourcesSpec, RouteSpec, ScheduleSpec, SecretSpec, TableSpec, WebSocketApiSpec } from './types.js';

type FunctionInput = ManifestInput['functions'][string];
type ApiInput = NonNullable<ManifestInput['apis']>[string];
type CorsInput = NonNullable<NonNullable<ApiInput>['cors']>;
type ResourcesInput = NonNullable<ManifestInput['resources']>;

/** Provided runtimes run `bootstrap`; the handler is only passed to it as _HANDLER. */
const PROVIDED_DEFAULT_HANDLER = 'handler';

export function normalise(input: ManifestInput, file: string, dir: string): AppSpec {
  const functions = Object.entries(input.functions);
  const eventSources = functions.flatMap(([name, fn]) => eventSourcesOf(name, fn));
  return {
    name: input.app ?? basename(dir).toLowerCase(),
    dir,
    file,
    functions: functions.map(([name, fn]) => toFunctionSpec(name, fn, dir)),
    apis: collectApis(functions, input.apis ?? {}),
    schedules: functions.flatMap(([name, fn]) => schedulesOf(name, fn)),
    ...(eventSources.length > 0 ? { eventSources } : {}),
    resources: toResources(input.resources ?? {}),
    ...(input.websockets !== undefined ? { websockets: toWebSocketApis(input.websockets) } : {}),
    ...layersOf(input.layers, dir),
  };
}

function toWebSocketApis(websockets: WebSocketsInput): WebSocketApiSpec[] {
  return Object.entries(websockets).map(([name, api]) => ({
    name,
    stage: api.stage ?? DEFAULT_WEBSOCKET_STAGE,
    routeSelection: api.routeSelection ?? DEFAULT_WEBSOCKET_ROUTE_SELECTION,
    routes: Object.entries(api.routes).map(([routeKey, target]) =>
      typeof target === 'string'
        ? { routeKey, functionName: target, routeResponse: false }
        : { routeKey, functionName: target.function, routeResponse: target.routeResponse ?? false }),
  }));

}

function layersOf(layers: ManifestInput['layers'], dir: string): { layers?: LayerSpec[] } {
  const entries = Object.entries(layers ?? {});
  if (entries.length === 0) return {};
  return { layers: entries.map(([name, layer]) => ({ name, path: resolve(dir, layer.path), runtimes: layer.runtimes ?? [], description: layer.description ?? '' })) };
}

function toFunctionSpec(name: string, fn: FunctionInput, dir: string): FunctionSpec {
  const isNode = runtimeInfo(fn.runtime)?.family === 'nodejs';
  const spec: FunctionSpec = {
    name,
    runtime: fn.runtime,
    handler: fn.handler ?? PROVIDED_DEFAULT_HANDLER,
    codeDir: resolve(dir, fn.code),
    memorySize: fn.memory,
    timeout: fn.timeout,
    ephemeralStorage: fn.ephemeralStorage,
    environment: Object.fromEntries(Object.entries(fn.environment).map(([key, value]) => [key, String(value)])),
    description: fn.description,
    bundle: isNode && (fn.bundle ?? true),
    external: fn.external ?? [],
  };
  if (fn.reservedConcurrency !== undefined) spec.reservedConcurrency = fn.reservedConcurrency;
  if (fn.provisionedConcurrency !== undefined) spec.provisionedConcurrency = fn.provisionedConcurrency;
  if (fn.async !== undefined) spec.async = asyncSpecOf(fn.async);
  if (fn.layers !== undefined && fn.layers.length > 0) spec.layers = [...fn.layers];
  if (fn.url !== undefined) spec.url = { authType: fn.url.authType, invokeMode: fn.url.invokeMode ?? 'BUFFERED', ...(fn.url.cors ? { cors: toCors(fn.url.cors)! } : {}) };
  if (fn.role !== undefined) spec.role = fn.role;
  if (fn.policies !== undefined) spec.policies = fn.policies;
  return spec;
}

function schedulesOf(functionName: string, fn: FunctionInput): ScheduleSpec[] {
  return fn.events.flatMap((event) => (event.schedule === undefined ? [] : [{ functionName, expression: event.schedule.trim() }]));
}

/** Declared APIs first, in file order, then APIs only named by events, in the order they are first used. */
function collectApis(functions: [string, FunctionInput][], declared: Record<string, ApiInput>): ApiSpec[] {
  const routes = new Map<string, RouteSpec[]>(Object.keys(declared).map((name) => [name, []]));
  for (const [functionName, fn] of functions) {
    for (const event of fn.events) {
      if (event.http === undefined) continue;
      const { api, route } = routeOfHttpEvent(event.http);
      const list = routes.get(api) ?? [];
      const auth = routeAuthOf(typeof event.http === 'string' ? undefined : event.http.auth, declared[api]?.auth);
      list.push({ ...route, functionName, ...(auth ? { auth } : {}) });
      routes.set(api, list);
    }
  }
  return [...routes].map(([name, apiRoutes]) => toApiSpec(name, declared[name] ?? null, apiRoutes));
}

function toApiSpec(name: string, settings: ApiInput | null, routes: RouteSpec[]): ApiSpec {
  const payload = settings?.payload ?? '2.0';
  const spec: ApiSpec = { name, payloadVersion: payload === 1 || payload === '1.0' ? '1.0' : '2.0', routes };
  const cors = toCors(settings?.cors);
  if (cors !== undefined) spec.cors = cors;
  if (settings?.stage !== undefined) spec.stage = settings.stage;
  const authorizers = toAuthorizers(spec.payloadVersion, settings?.authorizers);
  if (authorizers.length > 0) spec.authorizers = authorizers;
  return spec;
}

function toCors(cors: CorsInput | undefined): CorsSpec | undefined {
  if (cors === undefined || cors === false) return undefined;
  if (cors === true) return { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: [], allowCredentials: false };
  const spec: CorsSpec = {
    allowOrigins: cors.allowOrigins ?? [],
    allowMethods: cors.allowMethods ?? [],
    allowHeaders: cors.allowHeaders ?? [],
    exposeHeaders: cors.exposeHeaders ?? [],
    allowCredentials: cors.allowCredentials ?? false,
  };
  if (cors.maxAge !== undefined) spec.maxAge = cors.maxAge;
  return spec;
}

function toResources(resources: ResourcesInput): ResourcesSpec {
  return {
    tables: Object.entries(resources.tables ?? {}).map(([name, table]): TableSpec => ({ name, ...pickKeys(table), ...tableSettingsOf(table) })),
    buckets: Object.keys(resources.buckets ?? {}).map((name) => ({ name })),
    queues: Object.entries(resources.queues ?? {}).map(([name, queue]) => toQueueSpec(name, queue)),
    topics: Object.entries(resources.topics ?? {}).map(([name, topic]) => topicSpecOf(name, topic)),
    ...busesOf(resources),
    parameters: Object.entries(resources.parameters ?? {}).map(([name, p]): ParameterSpec => ({ name, type: p.type, value: p.value, ...(p.description === undefined ? {} : { description: p.description }) })),
    secrets: Object.entries(resources.secrets ?? {}).map(([name, s]): SecretSpec => ({ name, generate: s?.generate ?? false, ...(s?.value === undefined ? {} : { value: s.value }), ...(s?.description === undefined ? {} : { description: s.description }) })),
  };
}

function pickKeys(table: NonNullable<ResourcesInput['tables']>[string]): Omit<TableSpec, 'name'> {
  const hashKey = { name: table.hashKey.name, type: table.hashKey.type };
  return table.rangeKey === undefined ? { hashKey } : { hashKey, rangeKey: { name: table.rangeKey.name, type: table.rangeKey.type } };
}

function toQueueSpec(name: string, queue: NonNullable<ResourcesInput['queues']>[string]): QueueSpec {
  const spec: QueueSpec = { name, fifo: isFifoQueue(name, queue), visibilityTimeout: queue?.visibilityTimeout ?? QUEUE_DEFAULTS.visibilityTimeout, ...queueSettingsOf(queue) };
  const deadLetter = queue?.deadLetter;
  if (deadLetter !== undefined) spec.deadLetter = { queue: deadLetter.queue, maxReceiveCount: deadLetter.maxReceiveCount ?? QUEUE_DEFAULTS.maxReceiveCount };
  return spec;
}
