/** The normalised app spec: what the rest of Flint works with once flint.yaml has been validated. */
export interface AppSpec {
  name: string;
  /** Absolute folder holding flint.yaml. */
  dir: string;
  /** Absolute path of flint.yaml (or flint.yml). */
  file: string;
  functions: FunctionSpec[];
  apis: ApiSpec[];
  schedules: ScheduleSpec[];
  resources: ResourcesSpec;
}

export interface FunctionSpec {
  name: string;
  runtime: string;
  handler: string;
  /** Absolute folder shipped (or bundled from) for this function. */
  codeDir: string;
  memorySize: number;
  timeout: number;
  ephemeralStorage: number;
  environment: Record<string, string>;
  reservedConcurrency?: number;
  provisionedConcurrency?: number;
  description: string;
  /** Always false for non-nodejs runtimes. */
  bundle: boolean;
  external: string[];
}

export interface ApiSpec {
  name: string;
  payloadVersion: '1.0' | '2.0';
  cors?: CorsSpec;
  routes: RouteSpec[];
}

export interface CorsSpec {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge?: number;
  allowCredentials: boolean;
}

export interface RouteSpec {
  /** "GET /users/{id}" or "$default". */
  routeKey: string;
  /** "ANY" for $default. */
  method: string;
  /** "" for $default. */
  path: string;
  functionName: string;
}

export interface ScheduleSpec {
  functionName: string;
  /** As written: "rate(5 minutes)" or "cron(0 12 * * ? *)". */
  expression: string;
}

export type KeyType = 'S' | 'N' | 'B';

export interface KeySpec {
  name: string;
  type: KeyType;
}

export interface TableSpec {
  name: string;
  hashKey: KeySpec;
  rangeKey?: KeySpec;
}

export interface DeadLetterSpec {
  /** Name of another queue under resources.queues. */
  queue: string;
  maxReceiveCount: number;
}

export interface QueueSpec {
  name: string;
  fifo: boolean;
  visibilityTimeout: number;
  deadLetter?: DeadLetterSpec;
}

export interface ResourcesSpec {
  tables: TableSpec[];
  buckets: { name: string }[];
  queues: QueueSpec[];
  topics: { name: string }[];
}

/** One thing wrong with a manifest, pointing at where it is. Carried in FlintError details as `problems`. */
export interface ManifestProblem {
  /** Absolute path of the manifest. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Dotted path of the offending field ("functions.hello.memory"); "" for the whole file. */
  field: string;
  message: string;
}
