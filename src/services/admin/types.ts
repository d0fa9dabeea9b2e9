import type { AppSpec } from '../../manifest/index.js';
import type { LogRecord } from '../../storage/index.js';

/** An app ready to deploy: its validated spec and one code package (a zip) per function. */
export interface PreparedApp {
  spec: AppSpec;
  packages: Record<string, Uint8Array>;
  /** `@aws-sdk/*` packages the functions import without shipping them, which the node's runtime provides. */
  sdkPackages?: string[];
}

export interface DeployedFunctionReport {
  name: string;
  changed: boolean;
  version: string;
  codeSha256: string;
  codeSize: number;
}

export interface DeployReport {
  app: string;
  functions: DeployedFunctionReport[];
  removed: string[];
  /** Resources the deploy created (tables, queues, topics, buckets). */
  created: string[];
  apis: { name: string; id: string; url: string; hostUrl: string; routes: { routeKey: string; functionName: string }[] }[];
  warnings: string[];
}

export interface AppSummary {
  name: string;
  functions: string[];
  apis: DeployReport['apis'];
  deployedAt: number;
}

export interface FunctionSummary {
  name: string;
  runtime: string;
  app?: string;
  memorySize: number;
  timeout: number;
  lastModified: number;
  instances: { idle: number; busy: number };
}

export interface NodeStatus {
  version: string;
  url: string;
  dataDir: string;
  storage: string;
  isolation: string;
  functions: number;
  instances: { idle: number; busy: number };
}

export interface LogsQuery {
  functionName: string;
  since?: number;
  afterId?: number;
  limit?: number;
}

/** What the admin API needs from the node; the platform implements it. */
export interface AdminBackend {
  status(): Promise<NodeStatus>;
  deployApp(app: PreparedApp): Promise<DeployReport>;
  listApps(): Promise<AppSummary[]>;
  removeApp(name: string): Promise<boolean>;
  listFunctions(): Promise<FunctionSummary[]>;
  logs(query: LogsQuery): Promise<LogRecord[]>;
  codeZip(sha256: string): Promise<Uint8Array | undefined>;
  /** Wipes every resource of the node (POST /_flint/reset). */
  reset(): Promise<void>;
}
