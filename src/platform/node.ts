/**
 * The composition root: builds one Flint node from options and owns its lifecycle. Everything below is an
 * object created here and closed here, in reverse order.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, FlintError, noFaults, RealClock, type Clock, type Faults, type Logger, type Service } from '../core/index.js';
import { FunctionTargets, type CallObserver, type FunctionCalls } from '../events/index.js';
import { FunctionRegistry, packageFunction, type CodePackage, type RegistryEvent } from '../functions/index.js';
import { Gateway } from '../gateway/index.js';
import { FixedKeepAlive, HybridHistogramKeepAlive, Invoker, type StemCellOptions } from '../invoker/index.js';
import { loadManifest } from '../manifest/index.js';
import { BatchingLogSink, LogRetention, type LogRetentionOptions } from '../observe/index.js';
import { createSandbox, RuntimeHost, type SandboxKind } from '../runtime/index.js';
import { AdminService, type DeployReport, type PreparedApp } from '../services/admin/index.js';
import { HttpApis } from '../services/apigateway/index.js';
import { IamService } from '../services/iam/index.js';
import { StsService } from '../services/sts/index.js';
import { openStorage, type Storage } from '../storage/index.js';
import { createAdminBackend } from './admin-backend.js';
import { AppRecords } from './apps.js';
import { deployApp, removeApp, type DeployContext } from './deploy.js';
import { createLambdaService } from './lambda-backend.js';
import { DataServices } from './data-services.js';
import { EventSystem } from './event-wiring.js';
import { Provisioning } from './provisioning.js';
import { IdleReclaimer } from './reclaim.js';
import { inProcessRequest, toInProcessResponse, type InProcessRequest, type InProcessResponse } from './in-process.js';
import { FLINT_VERSION } from './version.js';

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
}

/** The parts of a running node that its owner (the CLI, tests) may reach. */
interface NodeParts {
  url: string;
  dataDir: string;
  storage: Storage;
  registry: FunctionRegistry;
  invoker: Invoker;
  apis: HttpApis;
  logSink: BatchingLogSink;
  isolation: string;
  gateway: Gateway;
  data: DataServices;
  events: EventSystem;
}

export class FlintNode {
  readonly url: string;
  readonly dataDir: string;
  readonly storage: Storage;
  readonly registry: FunctionRegistry;
  readonly invoker: Invoker;
  readonly apis: HttpApis;
  readonly logSink: BatchingLogSink;
  readonly isolation: string;
  /** S3, SQS, SNS and DynamoDB with their in-process APIs. */
  readonly data: DataServices;
  /** The async queue, event source mappings and schedules. */
  readonly events: EventSystem;
  private readonly gateway: Gateway;

  private constructor(
    parts: NodeParts,
    private readonly deployContext: DeployContext,
    private readonly closers: Array<() => Promise<void> | void>,
  ) {
    ({ url: this.url, dataDir: this.dataDir, storage: this.storage, registry: this.registry, invoker: this.invoker, apis: this.apis } = parts);
    ({ logSink: this.logSink, isolation: this.isolation, data: this.data, events: this.events, gateway: this.gateway } = parts);
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
    const region = options.region ?? 'us-east-1';
    const accountId = options.accountId ?? '000000000000';
    mkdirSync(options.dataDir, { recursive: true });
    const closers: Array<() => Promise<void> | void> = [];
    const storage = await openStorage({ dir: options.dataDir, clock });
    closers.unshift(() => storage.close());
    try {
      const logSink = new BatchingLogSink(storage.logs, clock, logger.child('logs'));
      closers.unshift(() => logSink.flush());
      const retention = new LogRetention(storage.logs, clock, logger.child('logs'), options.logRetention);
      retention.start();
      closers.unshift(() => retention.close());
      const registry = new FunctionRegistry({ storage, clock, dataDir: options.dataDir, region, accountId, logger: logger.child('functions') });
      const targets = new FunctionTargets(registry);
      // The invoker needs the gateway's URL (functions call back into it) and the gateway needs the
      // invoker: the late binding below is resolved before the first request can arrive.
      const late: { invoker?: Invoker; events?: EventSystem } = {};
      const ready = (): { invoker: Invoker; calls: FunctionCalls } => {
        if (!late.invoker || !late.events) throw new FlintError('SHUTTING_DOWN', 'Flint is still starting');
        return { invoker: late.invoker, calls: late.events.calls };
      };
      const apis = new HttpApis(async (functionName, event, requestId) => (await ready().calls.invoke({ functionName, payload: event, requestId })).result);
      const apps = new AppRecords(storage.metadata);
      apis.setApis((await apps.list()).flatMap((a) => a.apis));

      const provisioningRef: { current?: Provisioning } = {};
      const lambda = createLambdaService({
        registry,
        calls: () => ready().calls,
        region,
        accountId,
        clock,
        logger: logger.child('lambda'),
        provisionedReady: (fn, q) => provisioningRef.current?.ready(fn, q) ?? 0,
        events: () => late.events,
      });
      const deployContext: DeployContext = {
        registry,
        apps,
        apis,
        clock,
        logger,
        accountId,
        url: '',
        nodeVersion: process.versions.node.split('.')[0] ?? '',
        pythonVersion: pythonVersion(),
      };
      const sandboxRef: { isolation: string } = { isolation: '' };
      const admin = new AdminService(
        createAdminBackend({ registry, apps, storage, invoker: () => ready().invoker, deploy: (app) => deployApp(deployContext, app), remove: (name) => removeApp(deployContext, name), url: () => deployContext.url, dataDir: options.dataDir, isolation: () => sandboxRef.isolation }),
      );
      // Filled in once the gateway knows its URL (SNS names it in the links it sends).
      const services: Record<string, Service> = { lambda };
      const gateway = new Gateway({ host: options.host ?? '127.0.0.1', port: options.port ?? 4566, services, admin, apis, clock, logger: logger.child('gateway') });
      const { url, port } = await gateway.start();
      closers.unshift(() => gateway.close());
      deployContext.url = url;
      const data = new DataServices({ storage, clock, logger, region, accountId, url, targets, calls: () => ready().calls, faults: options.faults ?? noFaults });
      Object.assign(services, data.mounted());
      const iam = new IamService(storage.metadata, { accountId, region, clock, logger });
      await iam.start();
      Object.assign(services, { iam, sts: new StsService(iam.identity, iam, { region, clock, logger }) });
      closers.unshift(() => data.close());
      deployContext.ensureResources = (resources) => data.ensure(resources);
      deployContext.prepare = (name) => void targets.resolve(name, undefined).then((t) => late.invoker?.prepare(t), () => undefined);

      const workDir = join(options.dataDir, 'instances');
      const sandbox = createSandbox(options.sandbox ?? 'auto', workDir, logger.child('runtime'));
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
      const events = new EventSystem({ storage, registry, targets, invoker, data, clock, logger, region, accountId, observer: options.observer });
      closers.unshift(() => events.close());
      late.invoker = invoker;
      late.events = events;
      deployContext.appEvents = { events, data, storage, region, accountId };
      data.start();
      await events.start();
      const reclaimer = new IdleReclaimer(invoker, clock);
      reclaimer.start();
      closers.unshift(() => reclaimer.close());
      await provisioning.loadAll();
      logger.info(`Flint ${FLINT_VERSION} listening on ${url}`, { data: options.dataDir, storage: storage.description });
      logger.info(`isolation: ${sandbox.isolation}`);
      const parts = { url, dataDir: options.dataDir, storage, registry, invoker, apis, logSink, isolation: sandbox.isolation, gateway, data, events };
      return new FlintNode(parts, deployContext, closers);
    } catch (error) {
      for (const close of closers) await close();
      throw error;
    }
  }

  deploy(app: PreparedApp): Promise<DeployReport> {
    return deployApp(this.deployContext, app);
  }

  /** Loads flint.yaml from a folder, packages every function and deploys the app. */
  async deployDir(dir: string, onProgress?: (message: string) => void): Promise<DeployReport> {
    const prepared = await prepareApp(dir, onProgress);
    const report = await this.deploy(prepared.app);
    return { ...report, warnings: [...prepared.warnings, ...report.warnings] };
  }

  removeApp(name: string): Promise<boolean> {
    return removeApp(this.deployContext, name);
  }

  async close(): Promise<void> {
    for (const close of this.closers) await close();
  }
}

export function startNode(options: NodeOptions): Promise<FlintNode> {
  return FlintNode.start(options);
}

/** Reads and packages an app folder: what `flint up` and `flint deploy` do before talking to a node. */
export async function prepareApp(dir: string, onProgress?: (message: string) => void): Promise<{ app: PreparedApp; warnings: string[] }> {
  const spec = await loadManifest(dir);
  const packages: Record<string, Uint8Array> = {};
  const warnings: string[] = [];
  // Functions that share code, runtime and handler share one package (built once, stored once).
  const built = new Map<string, Promise<CodePackage>>();
  for (const fn of spec.functions) {
    const key = JSON.stringify([fn.codeDir, fn.runtime, fn.handler, fn.bundle, fn.external]);
    if (!built.has(key)) onProgress?.(`packaging ${fn.name} (${fn.runtime}${fn.bundle ? ', bundling with esbuild' : ''})`);
    const pending = built.get(key) ?? packageFunction(fn);
    built.set(key, pending);
    const pkg = await pending;
    packages[fn.name] = pkg.zip;
    warnings.push(...pkg.warnings.map((w) => `${fn.name}: ${w}`));
  }
  return { app: { spec, packages }, warnings };
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

function pythonVersion(): string {
  try {
    return execFileSync('/usr/bin/python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
