/**
 * A function's `events:` in serverless.yml → SAM event sources (the `Events` of an AWS::Serverless::Function),
 * creating the buckets, topics and event buses the Framework creates for them
 * (https://www.serverless.com/framework/docs/providers/aws/events).
 */
import { emptyApiAuth, httpRouteAuth, restRouteAuth, type ApiAuth, type AuthorizerScope } from './authorizers.js';
import { logicalIds } from './names.js';
import { defined, isIntrinsic, isRecord, listOf, numberOf, recordOf, stringOf } from './shapes.js';

export type Resources = Record<string, Record<string, unknown>>;

/** What the events of every function share: generated resources, the APIs' CORS, the report. */
export interface EventScope extends AuthorizerScope {
  /** Resources the Framework would generate (buckets, topics, buses); added to. */
  generated: Resources;
  /** The app's own `resources.Resources`, to find existing buckets in. */
  userResources: Resources;
  apis: ApiUsage;
  unsupported: string[];
  /** provider.schedule.method: `scheduler` makes EventBridge Scheduler schedules (SAM ScheduleV2). */
  scheduleMethod: 'eventBus' | 'scheduler';
}

/** Which API Gateway APIs the events use, with the CORS and methods they ask for. */
export interface ApiUsage {
  rest: { used: boolean; methods: Set<string>; cors: Record<string, unknown>[]; auth: ApiAuth };
  http: { used: boolean; methods: Set<string>; auth: ApiAuth };
}

export function emptyApiUsage(): ApiUsage {
  return { rest: { used: false, methods: new Set(), cors: [], auth: emptyApiAuth() }, http: { used: false, methods: new Set(), auth: emptyApiAuth() } };
}

type SamEvent = { Type: string; Properties: Record<string, unknown> };

/** SAM events of one function, named `<Kind><index>` as SAM wants alphanumeric names. */
export function samEventsOf(events: unknown, where: string, scope: EventScope): Record<string, SamEvent> {
  const out: Record<string, SamEvent> = {};
  listOf(events).forEach((event, index) => {
    const at = `${where}[${index}]`;
    const [kind, value] = isRecord(event) ? (Object.entries(event)[0] ?? []) : [];
    const convert = kind === undefined ? undefined : CONVERTERS[kind];
    if (kind === undefined || !convert) {
      scope.unsupported.push(`${at}: the ${kind ?? 'unnamed'} event is not supported by Flint; the function is deployed without it`);
      return;
    }
    convert(value, at, scope).forEach((sam, n) => {
      out[`${kind.charAt(0).toUpperCase()}${kind.slice(1)}${index}${n > 0 ? `x${n}` : ''}`] = sam;
    });
  });
  return out;
}

type Converter = (value: unknown, at: string, scope: EventScope) => SamEvent[];

const CONVERTERS: Record<string, Converter> = {
  http: restEvent,
  httpApi: httpApiEvent,
  s3: s3Event,
  sqs: sqsEvent,
  sns: snsEvent,
  schedule: scheduleEvent,
  stream: streamEvent,
  eventBridge: eventBridgeEvent,
  cloudwatchEvent: cloudwatchEvent,
};

/** `GET users/{id}` or `{ method, path, cors }` → a route of the service's REST API (ApiGatewayRestApi). */
function restEvent(value: unknown, at: string, scope: EventScope): SamEvent[] {
  const settings = typeof value === 'string' ? parseRoute(value, 'path-first') : recordOf(value);
  const method = (stringOf(settings.method) ?? 'any').toLowerCase();
  const path = `/${(stringOf(settings.path) ?? '').replace(/^\/+/, '')}`;
  scope.apis.rest.used = true;
  scope.apis.rest.methods.add(method === 'any' || method === '*' ? '*' : method.toUpperCase());
  if (settings.cors !== undefined && settings.cors !== false) scope.apis.rest.cors.push(settings.cors === true ? {} : recordOf(settings.cors));
  for (const key of ['private', 'request', 'integration', 'async', 'response', 'caching']) {
    if (settings[key] !== undefined && settings[key] !== false) scope.unsupported.push(`${at}.http.${key}: not supported by Flint; the route is served without it`);
  }
  const auth = restRouteAuth(settings.authorizer, `${at}.http`, scope, scope.apis.rest.auth);
  return [{ Type: 'Api', Properties: defined({ RestApiId: { Ref: logicalIds.restApi }, Path: path, Method: method === '*' ? 'any' : method, Auth: auth }) }];
}

/** `'*'`, `GET /users/{id}` or `{ method, path }` → a route of the service's HTTP API (HttpApi). */
function httpApiEvent(value: unknown, at: string, scope: EventScope): SamEvent[] {
  scope.apis.http.used = true;
  const settings = typeof value === 'string' ? (value.trim() === '*' ? {} : parseRoute(value, 'method-first')) : recordOf(value);
  const method = stringOf(settings.method);
  const path = stringOf(settings.path);
  const auth = httpRouteAuth(settings.authorizer, at, scope, scope.apis.http.auth);
  const properties: Record<string, unknown> = defined({ ApiId: { Ref: logicalIds.httpApi }, Auth: auth });
  // SAM: an HttpApi event without Path and Method is the API's $default route.
  if (method === undefined && path === undefined) return [{ Type: 'HttpApi', Properties: properties }];
  const samMethod = method === undefined || method === '*' ? 'ANY' : method.toUpperCase();
  scope.apis.http.methods.add(samMethod === 'ANY' ? '*' : samMethod);
  return [{ Type: 'HttpApi', Properties: { ...properties, Method: samMethod, Path: path ?? '/' } }];
}

function parseRoute(text: string, order: 'path-first' | 'method-first'): Record<string, unknown> {
  const [first = '', second = ''] = text.trim().split(/\s+/);
  if (order === 'method-first') return second ? { method: first, path: second } : { path: first };
  // `http: GET users` (the Framework's order is method then path, as in httpApi); `http: users` is not valid there.
  return second ? { method: first, path: second } : { method: 'any', path: first };
}

/** `s3: photos` or `{ bucket, event, rules, existing }` → an S3 notification of a bucket in the template. */
function s3Event(value: unknown, at: string, scope: EventScope): SamEvent[] {
  const settings = typeof value === 'string' ? { bucket: value } : recordOf(value);
  const bucket = settings.bucket;
  const rules = listOf(settings.rules).flatMap((rule) =>
    Object.entries(recordOf(rule)).map(([name, ruleValue]) => ({ Name: name.toLowerCase(), Value: ruleValue })),
  );
  const properties = defined({
    Bucket: bucketRef(bucket, settings.existing === true, at, scope),
    Events: settings.event ?? 's3:ObjectCreated:*',
    Filter: rules.length > 0 ? { S3Key: { Rules: rules } } : undefined,
  });
  return [{ Type: 'S3', Properties: properties }];
}

/** The bucket as a `Ref`: a bucket of `resources:` with that name, else the one the Framework creates. */
function bucketRef(bucket: unknown, existing: boolean, at: string, scope: EventScope): unknown {
  if (isRecord(bucket)) return bucket; // `!Ref MyBucket` names a bucket of resources: already
  const name = stringOf(bucket) ?? '';
  const declared = Object.entries(scope.userResources).find(
    ([, resource]) => resource.Type === 'AWS::S3::Bucket' && recordOf(resource.Properties).BucketName === name,
  );
  if (declared) return { Ref: declared[0] };
  const logicalId = logicalIds.s3Bucket(name);
  if (existing) {
    scope.unsupported.push(`${at}.s3: bucket '${name}' is marked existing but is not in this app; Flint creates it so the notification has a bucket`);
  }
  scope.generated[logicalId] ??= { Type: 'AWS::S3::Bucket', Properties: { BucketName: name } };
  return { Ref: logicalId };
}

/** `sqs: <arn>` or `{ arn, batchSize, maximumBatchingWindow, functionResponseType, ... }` → an SQS mapping. */
function sqsEvent(value: unknown, _at: string, _scope: EventScope): SamEvent[] {
  const settings = typeof value === 'string' || isIntrinsic(value) ? { arn: value } : recordOf(value);
  return [
    {
      Type: 'SQS',
      Properties: defined({
        Queue: settings.arn,
        BatchSize: numberOf(settings.batchSize) ?? 10,
        MaximumBatchingWindowInSeconds: numberOf(settings.maximumBatchingWindow),
        FunctionResponseTypes: settings.functionResponseType === undefined ? undefined : [settings.functionResponseType],
        Enabled: settings.enabled === false ? false : undefined,
        FilterCriteria: filterCriteria(settings.filterPatterns),
        ScalingConfig: settings.maximumConcurrency === undefined ? undefined : { MaximumConcurrency: numberOf(settings.maximumConcurrency) },
      }),
    },
  ];
}

/** `sns: <topic name or arn>` or `{ arn | topicName, filterPolicy, filterPolicyScope }` → an SNS subscription. */
function snsEvent(value: unknown, _at: string, scope: EventScope): SamEvent[] {
  const settings = typeof value === 'string' ? (value.startsWith('arn:') ? { arn: value } : { topicName: value }) : recordOf(value);
  let topic = settings.arn;
  if (topic === undefined) {
    const name = stringOf(settings.topicName) ?? '';
    const logicalId = logicalIds.snsTopic(name);
    scope.generated[logicalId] ??= { Type: 'AWS::SNS::Topic', Properties: defined({ TopicName: name, DisplayName: settings.displayName }) };
    topic = { Ref: logicalId };
  }
  return [
    {
      Type: 'SNS',
      Properties: defined({
        Topic: topic,
        FilterPolicy: settings.filterPolicy,
        FilterPolicyScope: settings.filterPolicyScope,
        RedrivePolicy: settings.redrivePolicy === undefined ? undefined : { deadLetterTargetArn: recordOf(settings.redrivePolicy).deadLetterTargetArn },
      }),
    },
  ];
}

/** `schedule: rate(5 minutes)` or `{ rate, enabled, input, name, description, method }`; `rate` may be a list. */
function scheduleEvent(value: unknown, at: string, scope: EventScope): SamEvent[] {
  const settings = typeof value === 'string' ? { rate: value } : recordOf(value);
  const method = settings.method === 'scheduler' ? 'scheduler' : settings.method === 'eventBus' ? 'eventBus' : scope.scheduleMethod;
  for (const key of ['inputPath', 'inputTransformer']) {
    if (settings[key] !== undefined) scope.unsupported.push(`${at}.schedule.${key}: not supported by Flint; the schedule sends its default event`);
  }
  const input = settings.input === undefined ? undefined : typeof settings.input === 'string' ? settings.input : JSON.stringify(settings.input);
  const enabled = settings.enabled !== false;
  return listOf(settings.rate).map((rate) =>
    method === 'scheduler'
      ? {
          Type: 'ScheduleV2',
          Properties: defined({
            ScheduleExpression: rate,
            ScheduleExpressionTimezone: settings.timezone,
            Input: input,
            State: enabled ? 'ENABLED' : 'DISABLED',
            Name: settings.name,
            Description: settings.description,
          }),
        }
      : { Type: 'Schedule', Properties: defined({ Schedule: rate, Enabled: enabled, Input: input, Name: settings.name, Description: settings.description }) },
  );
}

/** `stream: <arn>` or `{ type, arn, batchSize, startingPosition, filterPatterns, ... }` → a DynamoDB stream mapping. */
function streamEvent(value: unknown, at: string, scope: EventScope): SamEvent[] {
  const settings = typeof value === 'string' || isIntrinsic(value) ? { arn: value } : recordOf(value);
  const type = stringOf(settings.type) ?? streamTypeOf(settings.arn);
  if (type !== 'dynamodb') {
    scope.unsupported.push(`${at}.stream: ${type === 'kinesis' ? 'Kinesis streams are' : 'this stream is'} not supported by Flint (DynamoDB streams are); the function is deployed without it`);
    return [];
  }
  const onFailure = recordOf(settings.destinations).onFailure;
  const failureArn = isRecord(onFailure) && !isIntrinsic(onFailure) ? onFailure.arn : onFailure;
  return [
    {
      Type: 'DynamoDB',
      Properties: defined({
        Stream: settings.arn,
        // The Framework's default starting position for streams (TRIM_HORIZON) and batch size (10).
        StartingPosition: settings.startingPosition ?? 'TRIM_HORIZON',
        BatchSize: numberOf(settings.batchSize) ?? 10,
        MaximumBatchingWindowInSeconds: numberOf(settings.batchWindow),
        MaximumRetryAttempts: numberOf(settings.maximumRetryAttempts),
        BisectBatchOnFunctionError: settings.bisectBatchOnFunctionError,
        MaximumRecordAgeInSeconds: numberOf(settings.maximumRecordAgeInSeconds),
        ParallelizationFactor: numberOf(settings.parallelizationFactor),
        FunctionResponseTypes: settings.functionResponseType === undefined ? undefined : [settings.functionResponseType],
        Enabled: settings.enabled === false ? false : undefined,
        FilterCriteria: filterCriteria(settings.filterPatterns),
        DestinationConfig: failureArn === undefined ? undefined : { OnFailure: { Destination: failureArn } },
      }),
    },
  ];
}

/** A stream ARN written as text names its service; `!GetAtt Table.StreamArn` is a DynamoDB table's. */
function streamTypeOf(arn: unknown): string {
  if (typeof arn === 'string') return arn.includes(':kinesis:') ? 'kinesis' : arn.includes(':dynamodb:') ? 'dynamodb' : 'unknown';
  const getAtt = recordOf(arn)['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'StreamArn' ? 'dynamodb' : Array.isArray(getAtt) && getAtt[1] === 'Arn' ? 'kinesis' : 'dynamodb';
}

/** `{ eventBus, pattern, input, inputPath }` → an EventBridge rule; `{ schedule }` → a schedule on the default bus. */
function eventBridgeEvent(value: unknown, at: string, scope: EventScope): SamEvent[] {
  const settings = recordOf(value);
  const input = settings.input === undefined ? undefined : JSON.stringify(settings.input);
  if (settings.inputTransformer !== undefined) scope.unsupported.push(`${at}.eventBridge.inputTransformer: not supported by Flint; the rule sends the matched event`);
  if (settings.schedule !== undefined) {
    return [{ Type: 'Schedule', Properties: defined({ Schedule: settings.schedule, Enabled: settings.enabled !== false, Input: input, Name: settings.name }) }];
  }
  return [
    {
      Type: 'EventBridgeRule',
      Properties: defined({
        EventBusName: eventBusName(settings.eventBus, scope),
        Pattern: settings.pattern,
        Input: input,
        InputPath: settings.inputPath,
        RuleName: settings.name,
        State: settings.enabled === false ? 'DISABLED' : undefined,
      }),
    },
  ];
}

/** A bus named by the function is created (as the Framework does); an ARN names one that exists. */
function eventBusName(bus: unknown, scope: EventScope): unknown {
  if (bus === undefined || bus === 'default') return undefined;
  if (typeof bus !== 'string') return bus;
  if (bus.startsWith('arn:')) return bus.slice(bus.lastIndexOf('/') + 1);
  const logicalId = logicalIds.eventBus(bus);
  scope.generated[logicalId] ??= { Type: 'AWS::Events::EventBus', Properties: { Name: bus } };
  return bus;
}

/** The Framework v1/v2 `cloudwatchEvent: { event: <pattern>, input }` is an EventBridge rule on the default bus. */
function cloudwatchEvent(value: unknown, at: string, scope: EventScope): SamEvent[] {
  const settings = recordOf(value);
  return eventBridgeEvent({ pattern: settings.event, input: settings.input, inputPath: settings.inputPath, name: settings.name, enabled: settings.enabled }, at, scope);
}

/** `filterPatterns: [{ eventName: [INSERT] }]` → Lambda FilterCriteria (each pattern as JSON text). */
function filterCriteria(patterns: unknown): unknown {
  const list = listOf(patterns);
  return list.length === 0 ? undefined : { Filters: list.map((pattern) => ({ Pattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern) })) };
}
