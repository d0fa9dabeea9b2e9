/**
 * Deploying an app: every function's code and configuration, reserved concurrency, the app's APIs and
 * routes; functions the app no longer declares are removed. Route conflicts are checked before anything
 * changes, so a refused deploy leaves the previous one serving.
 */
import { FlintError, type Clock, type Logger } from '../core/index.js';
import type { FunctionRegistry } from '../functions/index.js';
import type { AppSpec } from '../manifest/index.js';
import type { HostPython, RuntimeToolchain } from '../runtime/index.js';
import { checkApis, type DeployedApi, type HttpApis } from '../services/apigateway/index.js';
import type { DeployedFunctionReport, DeployReport, PreparedApp } from '../services/admin/index.js';
import { applyAppEvents, Arns, deadLetterArn, removeAppEvents, type AppEventParts } from './app-events.js';
import { apiId, type AppRecord, type AppRecords } from './apps.js';
import { runtimeWarnings } from './toolchain.js';

export interface DeployContext {
  registry: FunctionRegistry;
  apps: AppRecords;
  apis: HttpApis;
  clock: Clock;
  logger: Logger;
  accountId: string;
  url: string;
  /** Node.js binaries and AWS SDK packages in the shared cache; with `python`, the source of runtime warnings. */
  toolchain: RuntimeToolchain;
  python: HostPython;
  /** Called for each deployed function: lets the invoker warm stem cells of its runtime family. */
  prepare?: (functionName: string) => void;
  /** Creates the tables, queues, topics and buckets the app declares; returns what it created. */
  ensureResources?: (resources: AppSpec['resources']) => Promise<string[]>;
  /** Schedules, event sources and async settings; absent on a node without an event system. */
  appEvents?: AppEventParts;
}

export async function deployApp(ctx: DeployContext, { spec, packages, sdkPackages }: PreparedApp): Promise<DeployReport> {
  const apis = appApis(spec, ctx.accountId);
  const others = (await ctx.apps.list()).filter((a) => a.name !== spec.name);
  const allApis = [...others.flatMap((a) => a.apis), ...apis];
  checkApis(allApis); // throws ROUTE_CONFLICT before any change
  for (const fn of spec.functions) {
    if (!packages[fn.name]) throw new FlintError('INVALID_REQUEST', `no code package for function '${fn.name}'`);
  }

  // Before the functions change: the runtime they name and the SDK they import are there when they first run.
  const runtimeNotes = await runtimeWarnings(ctx.toolchain, ctx.python, spec, sdkPackages ?? []);
  const created = (await ctx.ensureResources?.(spec.resources)) ?? [];
  const functions: DeployedFunctionReport[] = [];
  const arns = new Arns(ctx.registry.scope.region, ctx.accountId);
  for (const fn of spec.functions) {
    const { config, changed } = await ctx.registry.deploy({
      deadLetterTargetArn: deadLetterArn(fn, arns),
      name: fn.name,
      runtime: fn.runtime,
      handler: fn.handler,
      memorySize: fn.memorySize,
      timeout: fn.timeout,
      ephemeralStorage: fn.ephemeralStorage,
      environment: fn.environment,
      description: fn.description,
      reservedConcurrency: fn.reservedConcurrency,
      zip: packages[fn.name]!,
      app: spec.name,
    });
    functions.push({ name: fn.name, changed, version: config.version, codeSha256: config.codeSha256, codeSize: config.codeSize });
    await applyProvisioned(ctx, fn.name, fn.provisionedConcurrency);
    ctx.prepare?.(fn.name);
  }

  const previous = await ctx.apps.get(spec.name);
  const removed = (previous?.functions ?? []).filter((name) => !spec.functions.some((f) => f.name === name));
  for (const name of removed) await ctx.registry.delete(name).catch(() => undefined);

  if (ctx.appEvents) await applyAppEvents(ctx.appEvents, spec);
  const record: AppRecord = {
    name: spec.name,
    functions: spec.functions.map((f) => f.name),
    apis,
    schedules: spec.schedules,
    buckets: spec.resources.buckets.map((b) => b.name),
    deployedAt: ctx.clock.now(),
  };
  await ctx.apps.put(record);
  ctx.apis.setApis(allApis);
  return { app: spec.name, functions, removed, created, apis: apiReports(apis, ctx.url), warnings: [...runtimeNotes, ...warnings(spec, ctx)] };
}

/** A manifest's provisionedConcurrency states the whole truth for $LATEST: set when given, removed when not. */
async function applyProvisioned(ctx: DeployContext, name: string, wanted: number | undefined): Promise<void> {
  const current = await ctx.registry.getProvisionedConcurrency(name, '$LATEST').catch(() => undefined);
  if (wanted && current?.requested !== wanted) await ctx.registry.putProvisionedConcurrency(name, '$LATEST', wanted, { allowLatest: true });
  else if (!wanted && current) await ctx.registry.deleteProvisionedConcurrency(name, '$LATEST');
}

export async function removeApp(ctx: DeployContext, name: string): Promise<boolean> {
  const record = await ctx.apps.get(name);
  if (!record) return false;
  if (ctx.appEvents) await removeAppEvents(ctx.appEvents, name, record.buckets ?? []);
  for (const fn of record.functions) await ctx.registry.delete(fn).catch(() => undefined);
  await ctx.apps.delete(name);
  ctx.apis.setApis((await ctx.apps.list()).flatMap((a) => a.apis));
  return true;
}

function appApis(spec: AppSpec, accountId: string): DeployedApi[] {
  return spec.apis.map((api) => ({
    config: {
      id: apiId(spec.name, api.name),
      name: api.name,
      payloadVersion: api.payloadVersion,
      cors: api.cors,
      stage: api.payloadVersion === '2.0' ? '$default' : 'default',
      accountId,
    },
    routes: api.routes.map((r) => ({ routeKey: r.routeKey, functionName: r.functionName })),
  }));
}

export function apiReports(apis: DeployedApi[], url: string): DeployReport['apis'] {
  const { protocol, port } = new URL(url);
  return apis.map((api) => ({
    name: api.config.name,
    id: api.config.id,
    url,
    hostUrl: `${protocol}//${api.config.id}.execute-api.localhost${port ? `:${port}` : ''}`,
    routes: api.routes.map((r) => ({ routeKey: r.routeKey, functionName: r.functionName })),
  }));
}

/** Things the user should know: what runs differently here than on Lambda, and what is not built yet. */
function warnings(spec: AppSpec, ctx: DeployContext): string[] {
  const out: string[] = [];
  for (const fn of spec.functions) {
    if (fn.provisionedConcurrency) out.push(`${fn.name}: provisioned concurrency applies to $LATEST here (Lambda needs a version or alias), since routes call the unqualified function`);
  }
  if (spec.schedules.length && !ctx.appEvents) out.push(`schedules are not run by this node (${spec.schedules.map((s) => `${s.functionName}: ${s.expression}`).join(', ')})`);
  if (!ctx.ensureResources) {
    const r = spec.resources;
    const declared = [...r.tables.map((t) => `table ${t.name}`), ...r.buckets.map((b) => `bucket ${b.name}`), ...r.queues.map((q) => `queue ${q.name}`), ...r.topics.map((t) => `topic ${t.name}`)];
    if (declared.length) out.push(`resources are not created by this node: ${declared.join(', ')}`);
  }
  return out;
}
