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
  /** Queues, topics, buckets and table streams that trigger functions; absent when there are none. */
  eventSources?: EventSourceSpec[];
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
  /** Asynchronous invocation settings, when the function declares any. */
  async?: AsyncSpec;
  /** An execution role ARN given as it is. */
  role?: string;
  /** Managed policy ARNs and statements: deploy makes the role `<app>-<function>-role` with them. */
  policies?: Array<string | Record<string, unknown>>;
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

/** An SQS queue of this app polled for the function (a Lambda event source mapping). */
export interface QueueEventSpec {
  type: 'sqs';
  functionName: string;
  queue: string;
  batchSize: number;
  /** Seconds to gather a batch. */
  batchingWindow: number;
  reportBatchItemFailures: boolean;
}

/** An SNS topic of this app the function is subscribed to. */
export interface TopicEventSpec {
  type: 'sns';
  functionName: string;
  topic: string;
}

/** An S3 bucket notification of this app that invokes the function. */
export interface BucketEventSpec {
  type: 's3';
  functionName: string;
  bucket: string;
  /** Such as "s3:ObjectCreated:*". */
  events: string[];
  prefix?: string;
  suffix?: string;
}

/** A table of this app whose stream is read for the function (a Lambda event source mapping). */
export interface TableEventSpec {
  type: 'dynamodb';
  functionName: string;
  table: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
}

export type EventSourceSpec = QueueEventSpec | TopicEventSpec | BucketEventSpec | TableEventSpec;

/** Where an asynchronous outcome goes: a queue, topic or function of this app, or any ARN. */
export type DestinationSpec = { type: 'queue' | 'topic' | 'function'; name: string } | { type: 'arn'; arn: string };

export interface AsyncSpec {
  maximumRetryAttempts?: number;
  /** Seconds. */
  maximumEventAge?: number;
  onSuccess?: DestinationSpec;
  onFailure?: DestinationSpec;
  /** A queue or topic for the function's DeadLetterConfig. */
  deadLetter?: DestinationSpec;
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
