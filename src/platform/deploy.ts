/**
 * Deploying an app: every function's code and configuration, reserved concurrency, the app's APIs and
 * routes; functions the app no longer declares are removed. Route conflicts are checked before anything
 * changes, so a refused deploy leaves the previous one serving.
 */
import { FlintError, type Clock, type Logger } from '../core/index.js';
import type { FunctionRegistry } from '../functions/index.js';
import { functionRoleName, type AppSpec, type AuthorizerSpec, type FunctionSpec } from '../manifest/index.js';
import type { FunctionRoleInput } from '../services/iam/index.js';
import type { HostPython, RuntimeToolchain } from '../runtime/index.js';
import { checkApis, type AuthorizerConfig, type DeployedApi, type HttpApis, type WebSocketApis } from '../services/apigateway/index.js';
import type { DeployedFunctionReport, DeployReport, PreparedApp } from '../services/admin/index.js';
import { applyAppEvents, Arns, deadLetterArn, removeAppEvents, type AppEventParts } from './app-events.js';
import { apiId, type AppRecord, type AppRecords } from './apps.js';
import { appWebSockets, webSocketReports } from './websockets.js';
import { functionLayerArns, publishAppLayers } from './deploy-layers.js';
import { applyFunctionUrl } from './function-urls.js';
import { runtimeWarnings } from './toolchain.js';

export interface DeployContext {
  registry: FunctionRegistry;
  apps: AppRecords;
  apis: HttpApis;
  /** WebSocket APIs; absent on a node without them. */
  websockets?: WebSocketApis;
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
  /** Execution roles for functions with `policies` (Flint's IAM); absent on a node without IAM. */
  functionRoles?: {
    put(input: FunctionRoleInput): Promise<{ arn: string; warnings: string[] }>;
    delete(name: string): Promise<void>;
  };
}

export async function deployApp(ctx: DeployContext, { spec, packages, layers: layerPackages, sdkPackages }: PreparedApp): Promise<DeployReport> {
  const apis = appApis(spec, ctx.accountId, ctx.registry.scope.region);
  const websockets = appWebSockets(spec, ctx.accountId);
  const others = (await ctx.apps.list()).filter((a) => a.name !== spec.name);
  const allApis = [...others.flatMap((a) => a.apis), ...apis];
  checkApis(allApis); // throws ROUTE_CONFLICT before any change
  for (const fn of spec.functions) {
    if (!packages[fn.name]) throw new FlintError('INVALID_REQUEST', `no code package for function '${fn.name}'`);
  }

  // Before the functions change: the runtime they name and the SDK they import are there when they first run.
  const runtimeNotes = await runtimeWarnings(ctx.toolchain, ctx.python, spec, sdkPackages ?? []);
  const created = (await ctx.ensureResources?.(spec.resources)) ?? [];
  const layers = await publishAppLayers(ctx.registry, spec, layerPackages);
  const functions: DeployedFunctionReport[] = [];
  const roleWarnings: string[] = [];
  const arns = new Arns(ctx.registry.scope.region, ctx.accountId);
  for (const fn of spec.functions) {
    const role = await executionRole(ctx, spec.name, fn, roleWarnings);
    const { config, changed } = await ctx.registry.deploy({
      role,
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
      layers: functionLayerArns(fn, layers),
    });
    const url = await applyFunctionUrl(ctx.registry, fn, ctx.url);
    functions.push({ name: fn.name, changed, version: config.version, codeSha256: config.codeSha256, codeSize: config.codeSize, ...(url ? { url } : {}) });
    await applyProvisioned(ctx, fn.name, fn.provisionedConcurrency);
    ctx.prepare?.(fn.name);
  }

  const previous = await ctx.apps.get(spec.name);
  const removed = (previous?.functions ?? []).filter((name) => !spec.functions.some((f) => f.name === name));
  for (const name of removed) await ctx.registry.delete(name).catch(() => undefined);
  for (const name of removed) await ctx.functionRoles?.delete(functionRoleName(spec.name, name));

  const events = ctx.appEvents ? await applyAppEvents(ctx.appEvents, spec, previous?.subscriptions ?? []) : undefined;
  const record: AppRecord = {
    name: spec.name,
    functions: spec.functions.map((f) => f.name),
    apis,
    ...(websockets.length > 0 ? { websockets } : {}),
    schedules: spec.schedules,
    buckets: spec.resources.buckets.map((b) => b.name),
    spec,
    deployedAt: ctx.clock.now(),
  };
  if (events && events.subscriptions.length > 0) record.subscriptions = events.subscriptions;
  await ctx.apps.put(record);
  ctx.apis.setApis(allApis);
  ctx.websockets?.setApis([...others.flatMap((a) => a.websockets ?? []), ...websockets]);
  const report: DeployReport = { app: spec.name, functions, removed, created, apis: apiReports(apis, ctx.url), warnings: [...runtimeNotes, ...roleWarnings, ...warnings(spec, ctx)], ...(layers.length > 0 ? { layers } : {}) };
  if (websockets.length > 0) report.websockets = webSocketReports(websockets, ctx.url);
  return report;
}

/** `role:` as given; `policies:` make (or remake) the role `<app>-<function>-role` in Flint's IAM. */
async function executionRole(ctx: DeployContext, app: string, fn: FunctionSpec, warnings: string[]): Promise<string | undefined> {
  if (fn.role !== undefined) return fn.role;
  if (fn.policies === undefined || ctx.functionRoles === undefined) return undefined;
  const name = functionRoleName(app, fn.name);
  const made = await ctx.functionRoles.put({ name, description: `Execution role of function ${fn.name} (app ${app})`, policies: fn.policies });
  warnings.push(...made.warnings.map((w) => `${fn.name}: ${w}`));
  return made.arn;
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
  if (ctx.appEvents) await removeAppEvents(ctx.appEvents, name, record.buckets ?? [], record.subscriptions ?? []);
  for (const fn of record.functions) await ctx.registry.delete(fn).catch(() => undefined);
  await ctx.registry.layers.deleteApp(name);
  for (const fn of record.functions) await ctx.functionRoles?.delete(functionRoleName(name, fn));
  await ctx.apps.delete(name);
  ctx.apis.setApis((await ctx.apps.list()).flatMap((a) => a.apis));
  ctx.websockets?.setApis((await ctx.apps.list()).flatMap((a) => a.websockets ?? []));
  return true;
}

function appApis(spec: AppSpec, accountId: string, region?: string): DeployedApi[] {
  return spec.apis.map((api) => ({
    config: {
      id: apiId(spec.name, api.name),
      name: api.name,
      payloadVersion: api.payloadVersion,
      cors: api.cors,
      stage: api.stage ?? (api.payloadVersion === '2.0' ? '$default' : 'default'),
      accountId,
      ...(region ? { region } : {}),
      ...(api.authorizers ? { authorizers: Object.fromEntries(api.authorizers.map((a) => [a.name, toAuthorizerConfig(a)])) } : {}),
    },
    routes: api.routes.map((r) => ({ routeKey: r.routeKey, functionName: r.functionName, ...(r.auth ? { auth: r.auth } : {}) })),
  }));
}

function toAuthorizerConfig(spec: AuthorizerSpec): AuthorizerConfig {
  const config: AuthorizerConfig = {
    name: spec.name,
    functionName: spec.functionName,
    type: spec.type,
    identitySources: spec.identitySources,
    resultTtlSeconds: spec.ttlSeconds,
    payloadVersion: spec.payloadVersion,
    simpleResponses: spec.simpleResponses,
  };
  if (spec.validationExpression !== undefined) config.identityValidationExpression = spec.validationExpression;
  return config;
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
    const declared = [...r.tables.map((t) => `table ${t.name}`), ...r.buckets.map((b) => `bucket ${b.name}`), ...r.queues.map((q) => `queue ${q.name}`), ...r.topics.map((t) => `topic ${t.name}`), ...r.parameters.map((p) => `parameter ${p.name}`), ...r.secrets.map((x) => `secret ${x.name}`)];
    if (declared.length) out.push(`resources are not created by this node: ${declared.join(', ')}`);
  }
  return out;
}
