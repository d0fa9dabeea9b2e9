/**
 * The composition root: builds one Flint node from options and owns its lifecycle. Everything below is an
 * object created here and closed here, in reverse order.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger, FlintError, noFaults, RealClock, shortId, type Clock, type Faults, type Logger, type Service } from '../core/index.js';
import { FunctionTargets, type CallObserver, type FunctionCalls } from '../events/index.js';
import { FunctionRegistry, layerNodePackages, packageFunction, packageLayer, type CodePackage } from '../functions/index.js';
import { Gateway, RequestVerifier, RootKey, type GatewayLimits, type GatewayRoutes } from '../gateway/index.js';
import { FixedKeepAlive, HybridHistogramKeepAlive, Invoker, type InvokerOptions, type StemCellOptions } from '../invoker/index.js';
import type { AppSpec } from '../manifest/index.js';
import { BatchingLogSink, LogRetention, type LogRetentionOptions } from '../observe/index.js';
import { Cgroups, createSandbox, hostPython, InstanceLimits, missingBoto3Message, RuntimeHost, type HostPython, type RuntimeToolchain, type SandboxKind } from '../runtime/index.js';
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
import type { ComputeParts } from './account-compute.js';
import { EventSystem } from './event-wiring.js';
import { Provisioning } from './provisioning.js';
import { s3Principals } from './s3-principals.js';
import { FunctionCredentials } from './function-credentials.js';
import { Authorization, nodeResourcePolicies, type AuthorizationMode } from './authz/index.js';
import { identifyCaller } from './api-callers.js';
import { IdleReclaimer } from './reclaim.js';
import { inProcessRequest, toInProcessResponse, type InProcessRequest, type InProcessResponse } from './in-process.js';
import { createToolchain, fetchForApp, fetchOnRegistryChange } from './toolchain.js';
import { FLINT_VERSION } from './version.js';
import { loadReservations, onRegistryChange } from './registry-sync.js';
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
  /** A cgroup per instance where the host allows (default true); false leaves memory to sampling (benchmarks compare). */
  cgroups?: boolean;
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
  /**
   * IAM policy enforcement on the AWS APIs: 'off' (default: any credentials may do anything, as local emulators
   * allow) or 'enforce' (`flint up --enforce-iam`; the default in server mode): see platform/authz/.
   */
  authorization?: AuthorizationMode;
  /**
   * Server mode: every request to an AWS API and the admin API must be signed with a key Flint issued (IAM users'
   * keys, STS credentials, the node's root key). Default: on when `host` is beyond loopback; local mode (any
   * credentials accepted, as emulators do) otherwise.
   */
  auth?: boolean;
  /** The listener's header, slow-client and connection limits (gateway/limits.ts); tests shorten the timeouts. */
  limits?: Partial<GatewayLimits>;
}

/** Which credentials a node accepts, and its root key in server mode. */
export interface NodeAuth {
  mode: 'server' | 'local';
  rootKey?: RootKey;
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
  auth: NodeAuth;
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
  /** Server or local mode; in server mode the root key (`created` when this start made it, to show it once). */
  get auth(): NodeAuth {
    return this.context.auth;
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
    const server = options.auth ?? !isLoopback(options.host ?? '127.0.0.1');
    const auth: NodeAuth = server ? { mode: 'server', rootKey: RootKey.open(options.dataDir) } : { mode: 'local' };
    const context: AssemblyContext = { options, clock, logger, url, port, reset: () => (late.node ? late.node.reset() : Promise.resolve()), toolchain, python, auth };
    try {
      const assembly = await assemble(context);
      gateway.route(assembly.routes);
      late.node = new FlintNode(url, context, gateway, assembly);
      logger.info(`Flint ${FLINT_VERSION} listening on ${url}`, { data: options.dataDir, storage: assembly.parts.storage.description });
      logger.info(`isolation: ${assembly.parts.isolation}`);
      logger.info(`authentication: ${auth.mode} mode`);
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
    this.context.auth.rootKey?.restore(this.dataDir);
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
    const accountsRef: { current?: AccountScopes } = {};
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
        otherCode: (sha256) => accountsRef.current?.codeZip(sha256) ?? Promise.resolve(undefined),
      }),
    );
    const iam = new IamService(storage.metadata, { accountId, region, clock, logger });
    await iam.start();
    identityRef.current = iam;
    deployContext.functionRoles = { put: (input) => iam.putFunctionRole(input), delete: (name) => iam.deleteFunctionRole(name) };
    const principals = s3Principals(iam.identity);
    const dataParts: DataServiceParts = { storage, clock, logger, region, accountId, url, targets, calls: () => ready().calls, faults: options.faults ?? noFaults, principals };
    const data = new DataServices(dataParts);
    const computeRef: { current?: ComputeParts } = {};
    const accounts = new AccountScopes({ home: data, homeParts: dataParts, dataDir: options.dataDir, accountOf: (key) => iam.identity.accountOf(key), homeServices: { lambda, logs }, compute: () => computeRef.current });
    accountsRef.current = accounts;
    const sts = new StsService(iam.identity, iam, { region, clock, logger });
    const mounted: Record<string, Service> = { iam: accounts.routed(iam, (id) => iam.forAccount(id)), sts, ...accounts.mounted() };
    // Server mode evaluates policies unless told otherwise; local mode only with --enforce-iam.
    const enforce = (options.authorization ?? (context.auth.mode === 'server' ? 'enforce' : 'off')) === 'enforce';
    const services = enforce ? new Authorization({ iam, clock, scope: { partition: iam.identity.partition, region, accountId }, resources: nodeResourcePolicies(data, registry) }).wrapAll(mounted) : mounted;
    const functionUrls = createFunctionUrlEndpoint({ registry, calls: () => ready().calls, region, accountId, clock, identity: iam.identity, elsewhere: (id) => accounts.functionUrl(id) });
    closers.unshift(() => data.close());
    closers.unshift(() => accounts.close());
    deployContext.ensureResources = (resources) => data.ensure(resources);
    deployContext.prepare = (name) => void targets.resolve(name, undefined).then((t) => late.invoker?.prepare(t), () => undefined);

    const functionCredentials = new FunctionCredentials(iam, clock);
    const workDir = join(options.dataDir, 'instances');
    const limits = instanceLimits(options.cgroups ?? true, logger.child('runtime'));
    closers.unshift(() => limits.close());
    const sandbox = createSandbox(options.sandbox ?? 'auto', workDir, logger.child('runtime'), {
      shared: [context.toolchain.cacheRoot],
      limits: limits.limits,
      hidden: [resolve(options.dataDir)],
    });
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
      // Functions sign their SDK calls with a session of their execution role (roleCredentials); the fixed
      // credentials are for instances started without a role. Server mode verifies every call, so there they are the root key.
      credentials: context.auth.rootKey ? { accessKeyId: context.auth.rootKey.accessKeyId, secretAccessKey: context.auth.rootKey.secretAccessKey } : { accessKeyId: 'test', secretAccessKey: 'test' },
      roleCredentials: (role, functionName) => functionCredentials.for(role, functionName),
      toolchain: context.toolchain,
    });
    const invokerOptions = (stemCells: InvokerOptions['stemCells']): InvokerOptions => {
      const fixed = new FixedKeepAlive(options.keepAliveMs);
      return { keepAlive: options.keepAlive === 'adaptive' ? new HybridHistogramKeepAlive({ fallback: fixed }) : fixed, nodeConcurrency: options.nodeConcurrency, stemCells };
    };
    // Stem cells go when instances would: after the keep-alive, an idle node runs no runtime processes.
    const invoker = new Invoker(host, clock, logger.child('invoker'), invokerOptions(options.stemCells === false ? false : { idleMs: options.keepAliveMs, ...options.stemCells }));
    // Other accounts' functions start their own processes: the node's stem cells are the node's account's.
    computeRef.current = { clock, logger, region, host: host.options, invoker: () => invokerOptions(false), logRetention: options.logRetention, toolchain: context.toolchain, objects: storage.objects, observer: options.observer, identity: iam.identity, roleCredentials: (role, functionName, account) => functionCredentials.for(role, functionName, account) };
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
    await accounts.start();
    const reclaimer = new IdleReclaimer(invoker, clock);
    reclaimer.start();
    closers.unshift(() => reclaimer.close());
    // Open WebSocket connections end first, while the functions their messages reach still run.
    closers.unshift(() => websockets.close());
    await provisioning.loadAll();
    const parts: NodeParts = { storage, registry, invoker, apis, logSink, isolation: sandbox.isolation, data, events };
    const routes: GatewayRoutes = { services, admin, apis, websockets, connections: new ConnectionsService(websockets, logger), functionUrls, isBucket: (name) => data.s3.hasBucket(name) };
    const rootKey = context.auth.rootKey;
    if (rootKey) {
      const root = { secretAccessKey: rootKey.secretAccessKey };
      routes.verifier = new RequestVerifier(async (key) => (key === rootKey.accessKeyId ? root : iam.identity.secretOf(key)), clock);
    }
    return { parts, routes, deployContext, closers, storageClosers };
  } catch (error) {
    await runAll(closers);
    await runAll(storageClosers);
    throw error;
  }
}

/**
 * Each node's instances go in a cgroup subtree of the node's own (several nodes may run in one process, as in tests).
 * Where that is impossible, instances still run, with sampled memory limits, and the log says why.
 */
function instanceLimits(wanted: boolean, logger: Logger): { limits: InstanceLimits; close: () => Promise<void> } {
  if (!wanted) return { limits: new InstanceLimits(undefined, 'turned off for this node'), close: async () => {} };
  const cgroups = new Cgroups(`flint-${process.pid}-${shortId(8)}`);
  const problem = cgroups.start();
  if (problem) logger.warn(`instances run without cgroups (weaker isolation: memory is sampled, processes and CPU are not limited): ${problem}`);
  return { limits: new InstanceLimits(problem ? undefined : cgroups, problem), close: () => cgroups.close() };
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
