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
  /** API Gateway WebSocket APIs; absent when there are none. */
  websockets?: WebSocketApiSpec[];
  /** The app's own layers (top-level `layers:`), published at deploy; absent when there are none. */
  layers?: LayerSpec[];
}

export interface WebSocketApiSpec {
  name: string;
  stage: string;
  /** `$request.body.<path>`. */
  routeSelection: string;
  routes: WebSocketRouteSpec[];
}

export interface WebSocketRouteSpec {
  /** `$connect`, `$disconnect`, `$default` or a route key. */
  routeKey: string;
  functionName: string;
  /** Two-way: the function's response body goes back to the client. */
  routeResponse: boolean;

}

/** A layer of the app: a folder (or .zip) published as a Lambda layer version at deploy. */
export interface LayerSpec {
  name: string;
  /** Absolute path of the folder or .zip. */
  path: string;
  /** CompatibleRuntimes; empty when not given. */
  runtimes: string[];
  description: string;
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
  /** Layers in /opt order, as written: names of the app's layers (AppSpec.layers) or layer version ARNs. */
  layers?: string[];
  /** The function's URL, when it declares one. */
  url?: FunctionUrlSpec;
}

export interface FunctionUrlSpec {
  authType: 'NONE' | 'AWS_IAM';
  cors?: CorsSpec;
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
}

export interface ApiSpec {
  name: string;
  payloadVersion: '1.0' | '2.0';
  cors?: CorsSpec;
  routes: RouteSpec[];
  /** Named stage: requests may carry `/<stage>` before the route's path. */
  stage?: string;
  authorizers?: AuthorizerSpec[];
}

/** A Lambda authorizer of an API. */
export interface AuthorizerSpec {
  name: string;
  functionName: string;
  type: 'token' | 'request';
  identitySources: { in: 'header' | 'query'; name: string }[];
  ttlSeconds: number;
  payloadVersion: '1.0' | '2.0';
  simpleResponses: boolean;
  validationExpression?: string;
}

/** none, iam (SigV4-signed callers) or the name of one of the API's authorizers. */
export type RouteAuthSpec = { kind: 'none' } | { kind: 'iam' } | { kind: 'lambda'; authorizer: string };

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
  /** Absent: anyone may call the route. */
  auth?: RouteAuthSpec;
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
  /** ScalingConfig.MaximumConcurrency, when declared. */
  maximumConcurrency?: number;
  /** FilterCriteria patterns, when declared. */
  filters?: Record<string, unknown>[];
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
  /** The stream mapping options below are present only when declared (Lambda's defaults apply otherwise). */
  filters?: Record<string, unknown>[];
  /** -1: until the records expire. */
  maximumRetryAttempts?: number;
  bisectOnError?: boolean;
  reportBatchItemFailures?: boolean;
  /** A queue or topic (DestinationConfig.OnFailure). */
  onFailure?: DestinationSpec;
  /** Seconds; -1: no limit. */
  maximumRecordAge?: number;
  /** Seconds. */
  batchingWindow?: number;
  parallelization?: number;
}

/** An EventBridge rule on the default or a custom bus whose target is the function. */
export interface BusEventSpec {
  type: 'eventBridge';
  functionName: string;
  /** "default" or a bus under resources.buses. */
  bus: string;
  /** Exactly one of pattern and schedule. */
  pattern?: Record<string, unknown>;
  schedule?: string;
}

export type EventSourceSpec = QueueEventSpec | TopicEventSpec | BucketEventSpec | TableEventSpec | BusEventSpec;

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
  /** The time to live attribute; this and the settings below are present only when declared. */
  ttl?: string;
  stream?: StreamViewType;
  /** Global secondary indexes (an empty list when `indexes: {}` is declared: the table has none). */
  indexes?: TableIndexSpec[];
}

export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';

export interface TableIndexSpec {
  name: string;
  hashKey: KeySpec;
  rangeKey?: KeySpec;
  /** ALL, KEYS_ONLY, or the non-key attributes an INCLUDE projection carries. */
  projection: 'ALL' | 'KEYS_ONLY' | string[];
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
  /** MessageRetentionPeriod in seconds, when declared. */
  retention?: number;
  /** DelaySeconds, when declared. */
  delay?: number;
  /** MaximumMessageSize in bytes, when declared. */
  maxMessageSize?: number;
}

export interface TopicSpec {
  name: string;
  /** Present when the topic is FIFO. */
  fifo?: true;
  /** SNS→SQS subscriptions, when declared. */
  subscriptions?: TopicSubscriptionSpec[];
}

export interface TopicSubscriptionSpec {
  /** A queue under resources.queues. */
  queue: string;
  filterPolicy?: Record<string, unknown>;
  filterPolicyScope?: 'MessageAttributes' | 'MessageBody';
  rawMessageDelivery?: boolean;
}

/** An SSM parameter the app declares (resources.parameters). */
export interface ParameterSpec {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  description?: string;
}

/** A Secrets Manager secret the app declares (resources.secrets): a value, a generated password, or neither. */
export interface SecretSpec {
  name: string;
  value?: string;
  generate: boolean;
  description?: string;
}

export interface ResourcesSpec {
  tables: TableSpec[];
  buckets: { name: string }[];
  queues: QueueSpec[];
  topics: TopicSpec[];
  /** Custom EventBridge buses, when any are declared. */
  buses?: { name: string }[];
  parameters: ParameterSpec[];
  secrets: SecretSpec[];
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
