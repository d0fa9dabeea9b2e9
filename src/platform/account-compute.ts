/**
 * What runs functions for one account other than the node's: its own function registry (functions, versions,
 * aliases, URLs, layers, reserved and provisioned concurrency), invoker, event system (async queue, event source
 * mappings, invoke configs), Lambda API and CloudWatch Logs, all on the account's storage, beside the account's data
 * services, which deliver to these functions. An account is a unit of isolation on AWS too: its concurrency limit is
 * its own, so the invoker's limits are per account here as well.
 */
import { FlintError, type Clock, type Logger, type Service } from '../core/index.js';
import { FunctionTargets, type CallObserver } from '../events/index.js';
import { FunctionRegistry } from '../functions/index.js';
import { Invoker, type InvokerOptions } from '../invoker/index.js';
import { BatchingLogSink, LogRetention, type LogRetentionOptions } from '../observe/index.js';
import { RuntimeHost, type InstanceCredentials, type RuntimeHostOptions, type RuntimeToolchain } from '../runtime/index.js';
import type { Identity } from '../services/iam/index.js';
import { LogsService } from '../services/logs/index.js';
import type { ObjectStore, Storage } from '../storage/index.js';
import { DataServices, type DataServiceParts } from './data-services.js';
import { EventSystem } from './event-wiring.js';
import { createFunctionUrlEndpoint, createLambdaService } from './lambda-backend.js';
import { Provisioning } from './provisioning.js';
import { loadReservations, onRegistryChange } from './registry-sync.js';
import { fetchOnRegistryChange } from './toolchain.js';

/** What every account's compute shares with the node's: the machine, its sandbox and settings. */
export interface ComputeParts {
  clock: Clock;
  logger: Logger;
  region: string;
  /** The node's runtime host settings; each account gets its own host with its account, logs and credentials. */
  host: RuntimeHostOptions;
  /** A fresh set per account (a keep-alive policy keeps per-function state). */
  invoker: () => InvokerOptions;
  logRetention?: LogRetentionOptions;
  toolchain: RuntimeToolchain;
  /** The node's S3 objects (S3 is shared), read for PublishLayerVersion's Content.S3Bucket/S3Key. */
  objects: ObjectStore;
  /** Who signed a request to an AWS_IAM function URL. */
  identity: Identity;
  observer?: CallObserver;
  /** Temporary credentials of a function's execution role, issued in the given account (the function's). */
  roleCredentials?: (roleArn: string, functionName: string, accountId: string) => Promise<InstanceCredentials>;
}

/** One account's services and what closes them. */
export interface AccountServices {
  services: Record<string, Service>;
  /** The account's function URL endpoint, when one of its functions has the URL of that id. */
  functionUrl(urlId: string): Promise<Service | undefined>;
  close(): Promise<void>;
}

/** Builds and starts an account's compute and data services on its storage; on failure closes what it started. */
export async function openAccountServices(compute: ComputeParts, dataParts: DataServiceParts, storage: Storage, dir: string): Promise<AccountServices> {
  const { clock, region } = compute;
  const { accountId } = dataParts;
  const logger = dataParts.logger;
  const closers: Array<() => Promise<void> | void> = [];
  const close = async (): Promise<void> => {
    for (const step of closers) await step();
  };
  try {
    const logSink = new BatchingLogSink(storage.logs, clock, logger.child('logs'));
    closers.unshift(() => logSink.flush());
    const logs = new LogsService(storage, { region, accountId, clock, logger: logger.child('logs'), listen: (listener) => logSink.listen(listener) });
    logs.start();
    const retention = new LogRetention(storage.logs, clock, logger.child('logs'), { ...compute.logRetention, policies: () => logs.retentionPolicies() });
    retention.start();
    closers.unshift(() => retention.close());
    closers.unshift(() => logs.close());

    const registry = new FunctionRegistry({ storage, clock, dataDir: dir, region, accountId, logger: logger.child('functions') });
    const targets = new FunctionTargets(registry);
    const late: { events?: EventSystem } = {};
    const calls = () => {
      if (!late.events) throw new FlintError('SHUTTING_DOWN', 'Flint is still starting');
      return late.events.calls;
    };
    const data = new DataServices({ ...dataParts, storage, targets, calls });
    closers.unshift(() => data.close());
    // Functions call AWS as their account: a 12-digit key id names it (identity.ts).
    const issue = compute.roleCredentials;
    // Its functions sign with sessions of their roles in this account, as the node's do in the node's.
    const roleCredentials = issue ? (role: string, functionName: string): Promise<InstanceCredentials> => issue(role, functionName, accountId) : undefined;
    const host = new RuntimeHost({ ...compute.host, logSink, accountId, credentials: { accessKeyId: accountId, secretAccessKey: 'test' }, roleCredentials });
    const invoker = new Invoker(host, clock, logger.child('invoker'), compute.invoker());
    closers.unshift(() => invoker.close());
    await loadReservations(registry, invoker);
    const provisioning = new Provisioning(registry, targets, () => invoker, logger.child('provisioning'));
    const toolchainCheck = fetchOnRegistryChange(registry, compute.toolchain, logger.child('runtime'));
    closers.unshift(registry.onChange((event) => void onRegistryChange(event, { registry, targets, invoker, provisioning })));
    closers.unshift(registry.onChange(toolchainCheck));
    const events = new EventSystem({ storage, registry, targets, invoker, data, clock, logger, region, accountId, observer: compute.observer });
    late.events = events;
    closers.unshift(() => events.close());
    const lambda = createLambdaService({
      registry,
      calls,
      region,
      accountId,
      clock,
      logger: logger.child('lambda'),
      provisionedReady: (fn, q) => provisioning.ready(fn, q),
      events: () => late.events,
      objects: compute.objects,
      onCreated: (functionName) => toolchainCheck({ type: 'updated', functionName, version: '$LATEST' }),
    });
    const urls = createFunctionUrlEndpoint({ registry, calls, region, accountId, clock, identity: compute.identity });
    const functionUrl = async (urlId: string) => ((await registry.urls.byId(urlId)) ? urls : undefined);
    await data.start();
    await events.start();
    await provisioning.loadAll();
    return { services: { ...data.mounted(), lambda, logs }, functionUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}
