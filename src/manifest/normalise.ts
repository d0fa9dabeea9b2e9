/** Validated manifest → AppSpec: defaults applied, routes grouped into APIs, schedules listed, paths absolute. */
import { basename, resolve } from 'node:path';
import { runtimeInfo } from '../core/index.js';
import { asyncSpecOf, eventSourcesOf } from './normalise-events.js';
import { routeOfHttpEvent, type ManifestInput } from './schema.js';
import { QUEUE_DEFAULTS, isFifoQueue } from './schema-resources.js';
import type { ApiSpec, AppSpec, CorsSpec, FunctionSpec, QueueSpec, ResourcesSpec, RouteSpec, ScheduleSpec, TableSpec } from './types.js';

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
  };
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
      list.push({ ...route, functionName });
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
    tables: Object.entries(resources.tables ?? {}).map(([name, table]): TableSpec => ({ name, ...pickKeys(table) })),
    buckets: Object.keys(resources.buckets ?? {}).map((name) => ({ name })),
    queues: Object.entries(resources.queues ?? {}).map(([name, queue]) => toQueueSpec(name, queue)),
    topics: Object.keys(resources.topics ?? {}).map((name) => ({ name })),
  };
}

function pickKeys(table: NonNullable<ResourcesInput['tables']>[string]): Omit<TableSpec, 'name'> {
  const hashKey = { name: table.hashKey.name, type: table.hashKey.type };
  return table.rangeKey === undefined ? { hashKey } : { hashKey, rangeKey: { name: table.rangeKey.name, type: table.rangeKey.type } };
}

function toQueueSpec(name: string, queue: NonNullable<ResourcesInput['queues']>[string]): QueueSpec {
  const spec: QueueSpec = { name, fifo: isFifoQueue(name, queue), visibilityTimeout: queue?.visibilityTimeout ?? QUEUE_DEFAULTS.visibilityTimeout };
  const deadLetter = queue?.deadLetter;
  if (deadLetter !== undefined) spec.deadLetter = { queue: deadLetter.queue, maxReceiveCount: deadLetter.maxReceiveCount ?? QUEUE_DEFAULTS.maxReceiveCount };
  return spec;
}
