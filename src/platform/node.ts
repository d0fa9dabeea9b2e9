/**
 * The composition root: builds one Flint node from options and owns its lifecycle. Everything below is an
 * object created here and closed here, in reverse order.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, FlintError, noFaults, RealClock, type Clock, type Faults, type Logger, type Service } from '../core/index.js';
import { FunctionTargets, type CallObserver, type FunctionCalls } from '../events/index.js';
import { FunctionRegistry, layerNodePackages, packageFunction, packageLayer, type CodePackage, type RegistryEvent } from '../functions/index.js';
import { Gateway, type GatewayLimits, type GatewayRoutes } from '../gateway/index.js';
import { FixedKeepAlive, HybridHistogramKeepAlive, Invoker, type StemCellOptions } from '../invoker/index.js';
import type { AppSpec } from '../manifest/index.js';
import { BatchingLogSink, LogRetention, type LogRetentionOptions } from '../observe/index.js';
import { createSandbox, hostPython, missingBoto3Message, RuntimeHost, type HostPython, type RuntimeToolchain, type SandboxKind } from '../runtime/index.js';
import { AdminService, type DeployReport, type PreparedApp } from '../services/admin/index.js';
import { ConnectionsService, HttpApis, WebSocketApis } from '../services/apigateway/index.js';
import { LogsService } from '../services/logs/index.js';
import { IamService } from '../services/iam/index.js';
import { StsService } from '../services/sts/index.js';
import { openStorage, type Storage } from '../storage/index.js';
import { createAdminBackend } from './admin-backend.js';
import { AppRecords } from './apps.js';
import { deployApp, removeApp, type DeployContext } from './deploy.js';
import { createFunctionUrlEndpoint, createLambdaService } from './lambda-backend.js';
import { DataServices, type DataServiceParts } from './data-services.js';
import { AccountScopes } from './accounts.js';
import { EventSystem } from './event-wiring.js';
import { Provisioning } from './provisioning.js';
import { s3Principals } from './s3-principals.js';
import { identifyCaller } from './api-callers.js';
import { IdleReclaimer } from './reclaim.js';
import { inProcessRequest, toInProcessResponse, type InProcessRequest, type InProcessResponse } from './in-process.js';
import { createToolchain, fetchForApp, fetchOnRegistryChange } from './toolchain.js';
import { FLINT_VERSION } from './version.js';
import { withTemplate } from './template-report.js';
import { apiId } from './apps.js';
import { loadApp, type LoadOptions, type TemplateInfo } from '../templates/index.js';

export interface NodeOptions {
  /** Where state lives: flint.db, code packages, instance scratch space. Created if absent. */
  dataDir: string;
  /** 4566 by default, where tools expect a local AWS endpoint; 0 picks a free port. */
  port?: number;
  host?: string;
  clock?: Clock;
  logger?: Logger;
  sandbox?: SandboxKind;
  /** Idle instances stop after this long under the fixed policy (default 10 minutes). */
  keepAliveMs?: number;
  /** 'fixed' (default) or 'adaptive' (per-function idle-time histograms; see invoker/keep-alive.ts). */
  keepAlive?: 'fixed' | 'adaptive';
  /** Pre-started runtime processes per family (default one Node.js and one Python); false for none. */
  stemCells?: StemCellOptions | false;
  nodeConcurrency?: number;
  /** How long and how many function log records are kept (default 7 days, about a million records). */
  logRetention?: LogRetentionOptions;
  region?: string;
  accountId?: string;
  /** Crash points for tests of what survives a crash (core/faults.ts); none by default. */
  faults?: Faults;
  /** Told about every run of a function, sync and async (tests, metrics). */
  observer?: CallObserver;
  /** Where fetched Node.js binaries and AWS SDK packages are kept (default $FLINT_CACHE or ~/.cache/flint). */
  cacheDir?: string;
  /** The listener's header, slow-client and connection limits (gateway/limits.ts); tests shorten the timeouts. */
  limits?: Partial<GatewayLimits>;
}

/** The parts of a running node that its owner (the CLI, tests) may reach. */
interface NodeParts {
  storage: Storage;
  registry: FunctionRegistry;
  invoker: Invoker;
  apis: HttpApis;
  logSink: BatchingLogSink;
  isolation: string;
  data: DataServices;
  events: EventSystem;
}

/**
 * Everything of a node behind its listener: storage, functions, services, events. A reset closes one assembly,
 * wipes the data folder and builds the next, while the listener stays.
 */
interface Assembly {
  parts: NodeParts;
  routes: GatewayRoutes;
  deployContext: DeployContext;
  /** What runs before the listener closes (work that may still answer requests), newest first. */
  closers: Array<() => Promise<void> | void>;
  /** What runs after it: logs, retention and storage. */
  storageClosers: Array<() => Promise<void> | void>;
}

/** What an assembly needs from the node around it. */
interface AssemblyContext {
  options: NodeOptions;
  clock: Clock;
  logger: Logger;
  url: string;
  port: number;
  reset: () => Promise<void>;
  toolchain: RuntimeToolchain;
  python: HostPython;
}

export class FlintNode {
  private resetting: Promise<void> | undefined;

  private constructor(
    readonly url: string,
    private readonly context: AssemblyContext,
    private readonly gateway: Gateway,
    private assembly: Assembly,
  ) {}

  get dataDir(): string {
    return this.context.options.dataDir;
  }
  get storage(): Storage {
    return this.assembly.parts.storage;
  }
  get registry(): FunctionRegistry {
    return this.assembly.parts.registry;
  }
  get invoker(): Invoker {
    return this.assembly.parts.invoker;
  }
  get apis(): HttpApis {
    return this.assembly.parts.apis;
  }
  get logSink(): BatchingLogSink {
    return this.assembly.parts.logSink;
  }
  get isolation(): string {
    return this.assembly.parts.isolation;
  }
  /** S3, SQS, SNS and DynamoDB with their in-process APIs. */
  get data(): DataServices {
    return this.assembly.parts.data;
  }
  /** The async queue, event source mappings and schedules. */
  get events(): EventSystem {
    return this.assembly.parts.events;
  }

  /**
   * Sends one HTTP request through the node's gateway in process, without a socket (as Hono's `app.request()` or
   * Fastify's `inject()` do): the same routing and services a client on the port reaches.
   */
  async request(init: InProcessRequest): Promise<InProcessResponse> {
    const response = await this.gateway.dispatch(inProcessRequest(init, this.url));
    return toInProcessResponse(response);
  }

  static async start(options: NodeOptions): Promise<FlintNode> {
    const clock = options.clock ?? new RealClock();
    const logger = options.logger ?? createLogger();
    mkdirSync(options.dataDir, { recursive: true });
    const gateway = new Gateway({ host: options.host ?? '127.0.0.1', port: options.port ?? 4566, clock, logger: logger.child('gateway'), limits: options.limits });
    const { url, port } = await gateway.start();
    const late: { node?: FlintNode } = {};
    const python = hostPython();
    if (!python.boto3) logger.warn(missingBoto3Message(python));
    const toolchain = createToolchain(options.cacheDir);
    const context: AssemblyContext = { options, clock, logger, url, port, reset: () => (late.node ? late.node.reset() : Promise.resolve()), toolchain, python };
    try {
      const assembly = await assemble(context);
      gateway.route(assembly.routes);
      late.node = new FlintNode(url, context, gateway, assembly);
      logger.info(`Flint ${FLINT_VERSION} listening on ${url}`, { data: options.dataDir, storage: assembly.parts.storage.description });
      logger.info(`isolation: ${assembly.parts.isolation}`);
      return late.node;
    } catch (error) {
      await gateway.close();
      throw error;
    }
  }

  /**
   * Wipes every resource of the node (functions, apps, buckets, queues, topics, tables, logs) for a fresh test run:
   * the assembly closes, the data folder is emptied and a new assembly starts behind the same listener. Requests
   * that arrive meanwhile are answered 503, which AWS clients retry. Refused when the node listens beyond loopback.
   */
  reset(): Promise<void> {
    if (!isLoopback(this.context.options.host ?? '127.0.0.1')) {
      return Promise.reject(new FlintError('FORBIDDEN', `reset is off: this node listens on ${this.context.options.host}, beyond this machine; restart it with an empty data folder instead`));
    }
    this.resetting ??= this.rebuild().finally(() => {
      this.resetting = undefined;
    });
    return this.resetting;
  }

  private async rebuild(): Promise<void> {
    this.gateway.route(undefined);
    await runAll(this.assembly.closers);
    await runAll(this.assembly.storageClosers);
    emptyFolder(this.dataDir);
    this.assembly = await assemble(this.context);
    this.gateway.route(this.assembly.routes);
    this.context.logger.info('reset: every resource of the node was wiped');
  }

  deploy(app: PreparedApp): Promise<DeployReport> {
    return deployApp(this.assembly.deployContext, app);
  }

  /** Loads flint.yaml (or a SAM template, or a serverless.yml) from a folder, packages every function and deploys the app. */
  async deployDir(dir: string, onProgress?: (message: string) => void, options: LoadOptions = {}): Promise<DeployReport> {
    const { region, accountId } = this.registry.scope;
    const prepared = await prepareApp(dir, onProgress, { region, accountId, endpoint: this.url, ...options }, this.context.toolchain);
    const report = await this.deploy(prepared.app);
    return withTemplate({ ...report, warnings: [...prepared.warnings, ...report.warnings] }, prepared.template);
  }

  removeApp(name: string): Promise<boolean> {
    return removeApp(this.assembly.deployContext, name);
  }

  async close(): Promise<void> {
    await this.resetting?.catch(() => undefined);
    await runAll(this.assembly.closers);
    await this.gateway.close();
    await runAll(this.assembly.storageClosers);
  }
}

/** Builds everything behind the listener, from storage up; on failure closes what it had started. */
async function assemble(context: AssemblyContext): Promise<Assembly> {
  const { options, clock, logger, url, port } = context;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  mkdirSync(options.dataDir, { recursive: true });
  const closers: Array<() => Promise<void> | void> = [];
  const storageClosers: Array<() => Promise<void> | void> = [];
  const storage = await openStorage({ dir: options.dataDir, clock });
  storageClosers.unshift(() => storage.close());
  try {
    const logSink = new BatchingLogSink(storage.logs, clock, logger.child('logs'));
    storageClosers.unshift(() => logSink.flush());
    const logs = new LogsService(storage, { region, accountId, clock, logger: logger.child('logs'), listen: (listener) => logSink.listen(listener) });
    logs.start();
    // Live tails are open responses: they end before the listener closes.
    closers.unshift(() => logs.close());
    const retention = new LogRetention(storage.logs, clock, logger.child('logs'), { ...options.logRetention, policies: () => logs.retentionPolicies() });
    retention.start();
    storageClosers.unshift(() => retention.close());
    const registry = new FunctionRegistry({ storage, clock, dataDir: options.dataDir, region, accountId, logger: logger.child('functions') });
    const targets = new FunctionTargets(registry);
    // The HTTP APIs and the Lambda API need the invoker, which needs the data services: the late binding below is
    // resolved before the gateway routes the first request here.
    const late: { invoker?: Invoker; events?: EventSystem } = {};
    const ready = (): { invoker: Invoker; calls: FunctionCalls } => {
      if (!late.invoker || !late.events) throw new FlintError('SHUTTING_DOWN', 'Flint is still starting');
      return { invoker: late.invoker, calls: late.events.calls };
    };
    const identityRef: { current?: IamService } = {};
    const apis = new HttpApis(async (functionName, event, requestId) => (await ready().calls.invoke({ functionName, payload: event, requestId })).result, {
      clock,
      identify: (key) => identifyCaller(identityRef.current, key),
    });
    const apps = new AppRecords(storage.metadata);
    apis.setApis((await apps.list()).flatMap((a) => a.apis));
    const websockets = new WebSocketApis({
      invoke: async (functionName, event, requestId) => (await ready().calls.invoke({ functionName, payload: event, requestId })).result,
      clock,
      logger: logger.child('websocket'),
    });
    websockets.setApis((await apps.list()).flatMap((a) => a.websockets ?? []));

    const provisioningRef: { current?: Provisioning } = {};
    const toolchainCheck = fetchOnRegistryChange(registry, context.toolchain, logger.child('runtime'));
    const lambda = createLambdaService({
      registry,
      calls: () => ready().calls,
      region,
      accountId,
      clock,
      logger: logger.child('lambda'),
      provisionedReady: (fn, q) => provisioningRef.current?.ready(fn, q) ?? 0,
      events: () => late.events,
      objects: storage.objects,
      onCreated: (functionName) => toolchainCheck({ type: 'updated', functionName, version: '$LATEST' }),
    });
    const deployContext: DeployContext = {
      registry,
      apps,
      apis,
      websockets,
      clock,
      logger,
      accountId,
      url,
      toolchain: context.toolchain,
      python: context.python,
    };
    const sandboxRef: { isolation: string } = { isolation: '' };
    const admin = new AdminService(
      createAdminBackend({
        registry,
        apps,
        storage,
        invoker: () => ready().invoker,
        deploy: (app) => deployApp(deployContext, app),
        remove: (name) => removeApp(deployContext, name),
        url: () => deployContext.url,
        dataDir: options.dataDir,
        isolation: () => sandboxRef.isolation,
        reset: context.reset,
      }),
    );
    const iam = new IamService(storage.metadata, { accountId, region, clock, logger });
    await iam.start();
    identityRef.current = iam;
    deployContext.functionRoles = { put: (input) => iam.putFunctionRole(input), delete: (name) => iam.deleteFunctionRole(name) };
    const principals = s3Principals(iam.identity);
    const dataParts: DataServiceParts = { storage, clock, logger, region, accountId, url, targets, calls: () => ready().calls, faults: options.faults ?? noFaults, principals };
    const data = new DataServices(dataParts);
    const accounts = new AccountScopes({ home: data, homeParts: dataParts, dataDir: options.dataDir, accountOf: (key) => iam.identity.accountOf(key) });
    const sts = new StsService(iam.identity, iam, { region, clock, logger });
    const services: Record<string, Service> = { lambda, logs, iam, sts, ...accounts.mounted() };
    const functionUrls = createFunctionUrlEndpoint({ registry, calls: () => ready().calls, region, accountId, clock, identity: iam.identity });
    closers.unshift(() => data.close());
    closers.unshift(() => accounts.close());
    deployContext.ensureResources = (resources) => data.ensure(resources);
    deployContext.prepare = (name) => void targets.resolve(name, undefined).then((t) => late.invoker?.prepare(t), () => undefined);

    const workDir = join(options.dataDir, 'instances');
    const sandbox = createSandbox(options.sandbox ?? 'auto', workDir, logger.child('runtime'), [context.toolchain.cacheRoot]);
    sandboxRef.isolation = sandbox.isolation;
    const host = new RuntimeHost({
      clock,
      logger: logger.child('runtime'),
      logSink,
      sandbox,
      workDir,
      region,
      accountId,
      endpointUrl: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      toolchain: context.toolchain,
    });
    const fixed = new FixedKeepAlive(options.keepAliveMs);
    const invoker = new Invoker(host, clock, logger.child('invoker'), {
      keepAlive: options.keepAlive === 'adaptive' ? new HybridHistogramKeepAlive({ fallback: fixed }) : fixed,
      nodeConcurrency: options.nodeConcurrency,
      // Stem cells go when instances would: after the keep-alive, an idle node runs no runtime processes.
      stemCells: options.stemCells === false ? false : { idleMs: options.keepAliveMs, ...options.stemCells },
    });
    closers.unshift(() => invoker.close());
    await loadReservations(registry, invoker);
    const provisioning = new Provisioning(registry, targets, () => invoker, logger.child('provisioning'));
    provisioningRef.current = provisioning;
    closers.unshift(registry.onChange((event) => void onRegistryChange(event, { registry, targets, invoker, provisioning })));
    closers.unshift(registry.onChange(toolchainCheck));
    const events = new EventSystem({ storage, registry, targets, invoker, data, clock, logger, region, accountId, observer: options.observer });
    closers.unshift(() => events.close());
    late.invoker = invoker;
    late.events = events;
    deployContext.appEvents = { events, data, storage, region, accountId };
    await data.start();
    await events.start();
    const reclaimer = new IdleReclaimer(invoker, clock);
    reclaimer.start();
    closers.unshift(() => reclaimer.close());
    // Open WebSocket connections end first, while the functions their messages reach still run.
    closers.unshift(() => websockets.close());
    await provisioning.loadAll();
    const parts: NodeParts = { storage, registry, invoker, apis, logSink, isolation: sandbox.isolation, data, events };
    return { parts, routes: { services, admin, apis, websockets, connections: new ConnectionsService(websockets, logger), functionUrls, isBucket: (name) => data.s3.hasBucket(name) }, deployContext, closers, storageClosers };
  } catch (error) {
    await runAll(closers);
    await runAll(storageClosers);
    throw error;
  }
}

async function runAll(closers: ReadonlyArray<() => Promise<void> | void>): Promise<void> {
  for (const close of closers) await close();
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Removes everything in the data folder (the database, object bodies, code packages, instance folders). */
function emptyFolder(dir: string): void {
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
}

export function startNode(options: NodeOptions): Promise<FlintNode> {
  return FlintNode.start(options);
}

/**
 * Reads and packages an app folder (flint.yaml, or a SAM template or serverless.yml translated onto it): what `flint up`
 * and `flint deploy` do before talking to a node. Then fetches into the machine's shared cache what the functions need
 * of their runtime (the Node.js major, AWS SDK packages), showing progress, so the node finds it there.
 */
export async function prepareApp(
  dir: string,
  onProgress?: (message: string) => void,
  options: LoadOptions = {},
  toolchain: RuntimeToolchain = createToolchain(),
): Promise<{ app: PreparedApp; warnings: string[]; template?: TemplateInfo }> {
  const { spec, template } = await loadApp(dir, { apiId, ...options });
  if (template !== undefined) onProgress?.(`read ${template.file} (${/serverless\.ya?ml$/.test(template.file) ? 'serverless.yml, as a SAM template' : 'SAM template'})`);
  const packages: Record<string, Uint8Array> = {};
  const warnings: string[] = [];
  const sdkPackages = new Set<string>();
  // Functions that share code, runtime and handler share one package (built once, stored once).
  const built = new Map<string, Promise<CodePackage>>();
  for (const fn of spec.functions) {
    const layerPackages = fn.bundle ? await layerPackagesOf(spec, fn) : [];
    const key = JSON.stringify([fn.codeDir, fn.runtime, fn.handler, fn.bundle, fn.external, layerPackages]);
    if (!built.has(key)) onProgress?.(`packaging ${fn.name} (${fn.runtime}${fn.bundle ? ', bundling with esbuild' : ''})`);
    const pending = built.get(key) ?? packageFunction({ ...fn, layerPackages });
    built.set(key, pending);
    const pkg = await pending;
    packages[fn.name] = pkg.zip;
    warnings.push(...pkg.warnings.map((w) => `${fn.name}: ${w}`));
    for (const name of pkg.sdkPackages) sdkPackages.add(name);
  }
  const layers: Record<string, Uint8Array> = {};
  for (const layer of spec.layers ?? []) {
    onProgress?.(`packaging layer ${layer.name}`);
    const pkg = await packageLayer(layer);
    layers[layer.name] = pkg.zip;
    warnings.push(...pkg.warnings.map((w) => `layer ${layer.name}: ${w}`));
  }
  await fetchForApp(toolchain, spec, [...sdkPackages], onProgress);
  const app: PreparedApp = { spec, packages, sdkPackages: [...sdkPackages].sort(), ...(spec.layers ? { layers } : {}) };
  return { app, warnings, ...(template === undefined ? {} : { template }) };
}

/** The Node.js packages the app's layers a function lists provide: its bundle leaves them to /opt, as Lambda does. */
async function layerPackagesOf(spec: AppSpec, fn: AppSpec['functions'][number]): Promise<string[]> {
  const names: string[] = [];
  for (const entry of fn.layers ?? []) {
    const layer = spec.layers?.find((l) => l.name === entry);
    if (layer) names.push(...(await layerNodePackages(layer.path)));
  }
  return names;
}

interface ChangeParts {
  registry: FunctionRegistry;
  targets: FunctionTargets;
  invoker: Invoker;
  provisioning: Provisioning;
}

/**
 * Keeps the running node in line with the registry: cached targets are dropped, reservations applied,
 * instances of replaced code retired (in-flight requests finish on it), provisioned instances moved.
 */
async function onRegistryChange(event: RegistryEvent, { registry, targets, invoker, provisioning }: ChangeParts): Promise<void> {
  const name = event.functionName;
  targets.forget(name);
  if (event.type === 'concurrency') {
    invoker.limits.setReserved(name, await registry.getReservedConcurrency(name).catch(() => undefined));
    return;
  }
  if (event.type === 'deleted' && event.version === '$LATEST') invoker.retire(name);
  else if (event.type !== 'provisioned' && (event.version === '$LATEST' || /^\d+$/.test(event.version))) {
    if (event.type === 'deleted') invoker.retire(name, event.version);
    else await targets.resolve(name, event.version).then((t) => invoker.retire(name, event.version, t.key), () => invoker.retire(name, event.version));
  }
  await provisioning.sync(name);
}

async function loadReservations(registry: FunctionRegistry, invoker: Invoker): Promise<void> {
  for (const [name, reserved] of await registry.listReservedConcurrency()) invoker.limits.setReserved(name, reserved);
}
