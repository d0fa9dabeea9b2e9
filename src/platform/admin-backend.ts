import type { FunctionRegistry } from '../functions/index.js';
import type { Invoker } from '../invoker/index.js';
import type { AdminBackend, DeployReport, FunctionSummary, PreparedApp } from '../services/admin/index.js';
import type { Storage } from '../storage/index.js';
import type { AppRecords } from './apps.js';
import { apiReports } from './deploy.js';
import { webSocketReports } from './websockets.js';
import { FLINT_VERSION } from './version.js';

export interface AdminBackendParts {
  registry: FunctionRegistry;
  apps: AppRecords;
  storage: Storage;
  invoker: () => Invoker;
  deploy: (app: PreparedApp) => Promise<DeployReport>;
  remove: (name: string) => Promise<boolean>;
  url: () => string;
  dataDir: string;
  isolation: () => string;
  reset: () => Promise<void>;
  /** Code packages of the node's other accounts (GetFunction's and GetLayerVersion's download URLs name them too). */
  otherCode?: (sha256: string) => Promise<Uint8Array | undefined>;
}

export function createAdminBackend(parts: AdminBackendParts): AdminBackend {
  const functions = async (): Promise<FunctionSummary[]> => {
    const out: FunctionSummary[] = [];
    let marker: string | undefined;
    do {
      const page = await parts.registry.list({ marker, maxItems: 1000 });
      for (const fn of page.items) {
        out.push({ name: fn.name, runtime: fn.runtime, app: fn.app, memorySize: fn.memorySize, timeout: fn.timeout, lastModified: fn.lastModified, instances: parts.invoker().functionStats(fn.name) });
      }
      marker = page.nextMarker;
    } while (marker);
    return out;
  };
  return {
    status: async () => {
      const stats = parts.invoker().stats();
      return {
        version: FLINT_VERSION,
        url: parts.url(),
        dataDir: parts.dataDir,
        storage: parts.storage.description,
        isolation: parts.isolation(),
        functions: (await functions()).length,
        instances: { idle: stats.idle, busy: stats.busy },
      };
    },
    deployApp: parts.deploy,
    reset: parts.reset,
    listApps: async () =>
      (await parts.apps.list()).map((app) => ({
        name: app.name,
        functions: app.functions,
        apis: apiReports(app.apis, parts.url()),
        ...(app.websockets?.length ? { websockets: webSocketReports(app.websockets, parts.url()) } : {}),
        deployedAt: app.deployedAt,
      })),
    appSpec: async (name) => (await parts.apps.get(name))?.spec,
    removeApp: parts.remove,
    listFunctions: functions,
    logs: (query) => {
      const limit = Math.min(query.limit ?? 1000, 10_000);
      return parts.storage.logs.query({ functionName: query.functionName, since: query.since, afterId: query.afterId, limit });
    },
    codeZip: async (sha256) => {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
      return (await parts.storage.blobs.get(sha256)) ?? parts.otherCode?.(sha256);
    },
  };
}
