import type { AppSpec } from '../../manifest/index.js';
import type { LogRecord } from '../../storage/index.js';

/** An app ready to deploy: its validated spec and one code package (a zip) per function. */
export interface PreparedApp {
  spec: AppSpec;
  packages: Record<string, Uint8Array>;
  /** One zip per layer of the app (AppSpec.layers), by layer name. */
  layers?: Record<string, Uint8Array>;
  /** `@aws-sdk/*` packages the functions import without shipping them, which the node's runtime provides. */
  sdkPackages?: string[];
}

export interface DeployedFunctionReport {
  name: string;
  changed: boolean;
  version: string;
  codeSha256: string;
  codeSize: number;
  /** The function's URL, when flint.yaml declares one: as AWS would shape it, and where to reach it on this node. */
  url?: { functionUrl: string; hostUrl: string; pathUrl: string; authType: string; invokeMode: string };
}

export interface DeployReport {
  app: string;
  functions: DeployedFunctionReport[];
  removed: string[];
  /** Resources the deploy created (tables, queues, topics, buckets). */
  created: string[];
  apis: { name: string; id: string; url: string; hostUrl: string; routes: { routeKey: string; functionName: string }[] }[];
  /** WebSocket APIs: `ws://` URLs and the @connections endpoint; absent when the app has none. */
  websockets?: WebSocketApiReport[];
  warnings: string[];
  /** A template's Outputs, evaluated after the deploy (SAM and CloudFormation templates only). */
  outputs?: { key: string; value: string; description?: string }[];
  /** What the template asks for that Flint cannot honour: one line per construct. */
  unsupported?: string[];
  /** The app's layers: the version each function now uses, and whether the deploy published it. */
  layers?: { name: string; arn: string; version: number; changed: boolean }[];
}

export interface WebSocketApiReport {
  name: string;
  id: string;
  /** `ws://<node>/_flint/ws/<api-id>/<stage>`. */
  url: string;
  /** `ws://<api-id>.execute-api.localhost:<port>/<stage>`, where `*.localhost` resolves. */
  hostUrl: string;
  /** The @connections endpoint for ApiGatewayManagementApiClient: `http://<node>/<stage>`. */
  connectionsUrl: string;
  routes: { routeKey: string; functionName: string }[];
}

export interface AppSummary {
  name: string;
  functions: string[];
  apis: DeployReport['apis'];
  websockets?: WebSocketApiReport[];
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
  /** The spec an app was last deployed with (GET /_flint/apps/<name>); undefined when there is no such app. */
  appSpec(name: string): Promise<AppSpec | undefined>;
  removeApp(name: string): Promise<boolean>;
  listFunctions(): Promise<FunctionSummary[]>;
  logs(query: LogsQuery): Promise<LogRecord[]>;
  codeZip(sha256: string): Promise<Uint8Array | undefined>;
  /** Wipes every resource of the node (POST /_flint/reset). */
  reset(): Promise<void>;
}
