/**
 * A SAM function's Events (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventsource.html)
 * → flint.yaml function events. Properties Flint has no field for are reported, never dropped.
 */
import { IMPLICIT_HTTP_API, IMPLICIT_REST_API } from './model.js';
import { routeAuth } from './auth.js';
import { asBoolean, asNumber, BUCKET_TYPES, FUNCTION_TYPES, isMap, QUEUE_TYPES, TABLE_TYPES, TOPIC_TYPES, type Translation } from './context.js';

type Event = Record<string, unknown>;
interface EventSource {
  fn: string;
  name: string;
  properties: Record<string, unknown>;
}

/** Properties read per event type; anything else is reported. */
const READ: Record<string, string[]> = {
  Api: ['Path', 'Method', 'RestApiId', 'Auth'],
  HttpApi: ['Path', 'Method', 'ApiId', 'PayloadFormatVersion', 'Auth'],
  S3: ['Bucket', 'Events', 'Filter'],
  SQS: ['Queue', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'FunctionResponseTypes', 'Enabled', 'FilterCriteria', 'ScalingConfig'],
  SNS: ['Topic', 'SqsSubscription'],
  Schedule: ['Schedule', 'Enabled', 'State', 'Name', 'Description'],
  ScheduleV2: ['ScheduleExpression', 'State', 'Name', 'Description'],
  EventBridgeRule: ['Pattern', 'EventBusName', 'RuleName', 'State'],
  CloudWatchEvent: ['Pattern', 'EventBusName', 'State'],
  DynamoDB: [
    'Stream', 'StartingPosition', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'Enabled', 'FilterCriteria', 'MaximumRetryAttempts',
    'BisectBatchOnFunctionError', 'FunctionResponseTypes', 'DestinationConfig', 'MaximumRecordAgeInSeconds', 'ParallelizationFactor',
  ],
};

export function translateEvent(t: Translation, source: EventSource, event: Event): Event | undefined {
  const type = String(event.Type ?? '');
  const read = READ[type];
  const what = `Events.${source.name}`;
  if (read === undefined) {
    t.notHonoured(source.fn, what, `event type ${type || '(none)'} is not one Flint runs (it runs ${Object.keys(READ).join(', ')})`);
    return undefined;
  }
  for (const key of Object.keys(source.properties)) if (!read.includes(key)) t.notHonoured(source.fn, `${what}.${key}`, `no equivalent in Flint for ${type} events`);
  if (source.properties.Enabled === false || source.properties.Enabled === 'false' || source.properties.State === 'DISABLED') {
    t.notHonoured(source.fn, what, 'disabled in the template, so not subscribed');
    return undefined;
  }
  const translate = TRANSLATORS[type]!;
  return translate(t, source);
}

const TRANSLATORS: Record<string, (t: Translation, s: EventSource) => Event | undefined> = {
  Api: (t, s) => httpRoute(t, s, 'RestApiId', IMPLICIT_REST_API, '1.0'),
  HttpApi: (t, s) => httpRoute(t, s, 'ApiId', IMPLICIT_HTTP_API, '2.0'),
  S3: s3Event,
  SQS: sqsEvent,
  SNS: snsEvent,
  Schedule: (t, s) => scheduleEvent(t, s, s.properties.Schedule),
  ScheduleV2: (t, s) => scheduleEvent(t, s, s.properties.ScheduleExpression),
  EventBridgeRule: eventBridgeEvent,
  CloudWatchEvent: eventBridgeEvent,
  DynamoDB: dynamodbEvent,
};

function httpRoute(t: Translation, s: EventSource, idProperty: string, implicit: string, payload: '1.0' | '2.0'): Event {
  const { properties: p } = s;
  const api = p[idProperty] === undefined ? implicit : t.model.resourceOf(p[idProperty]) ?? implicit;
  if (p[idProperty] !== undefined && t.model.resourceOf(p[idProperty]) === undefined) t.notHonoured(s.fn, `Events.${s.name}.${idProperty}`, 'names an API outside the template; the route is put on the implicit API');
  const apis = (t.document.apis ??= {});
  const settings = apis[api] ?? (apis[api] = { payload });
  const routePayload = p.PayloadFormatVersion === undefined ? undefined : String(p.PayloadFormatVersion);
  if (routePayload !== undefined && routePayload !== settings.payload) {
    // Flint has one payload version per API: the first route that names one sets it.
    if (t.payloadSet.has(api)) t.notHonoured(s.fn, `Events.${s.name}.PayloadFormatVersion`, `Flint sets the payload per API; ${api} uses ${String(settings.payload)}`);
    else settings.payload = routePayload;
  }
  if (routePayload !== undefined) t.payloadSet.add(api);
  const auth = routeAuth(p.Auth, settings.authorizers);
  const known = auth === undefined || auth === 'none' || auth === 'iam' || (isMap(settings.authorizers) && auth in settings.authorizers);
  if (!known) t.notHonoured(s.fn, `Events.${s.name}.Auth`, `${auth} is not a Lambda authorizer Flint runs: the route is open`);
  const withAuth = auth !== undefined && known ? { auth } : {};
  if (p.Path === undefined && p.Method === undefined) return { http: { path: '$default', api, ...withAuth } };
  const method = String(p.Method ?? 'ANY').toUpperCase();
  return { http: { method, path: String(p.Path ?? '/'), api, ...withAuth } };
}

function s3Event(t: Translation, s: EventSource): Event | undefined {
  const bucket = t.refersTo(s.properties.Bucket, BUCKET_TYPES);
  if (bucket === undefined) {
    t.notHonoured(s.fn, `Events.${s.name}.Bucket`, 'S3 events need a bucket of this template (SAM requires one too)');
    return undefined;
  }
  const events = s.properties.Events;
  const out: Record<string, unknown> = { bucket: bucket.name, events: Array.isArray(events) ? events : [events] };
  const rules = isMap(s.properties.Filter) && isMap(s.properties.Filter.S3Key) && Array.isArray(s.properties.Filter.S3Key.Rules) ? s.properties.Filter.S3Key.Rules : [];
  for (const rule of rules.filter(isMap)) {
    const name = String(rule.Name ?? '').toLowerCase();
    if (name === 'prefix' || name === 'suffix') out[name] = String(rule.Value ?? '');
  }
  return { s3: out };
}

function sqsEvent(t: Translation, s: EventSource): Event | undefined {
  const { properties: p } = s;
  const queue = t.refersTo(p.Queue, QUEUE_TYPES);
  if (queue === undefined) {
    t.notHonoured(s.fn, `Events.${s.name}.Queue`, `${String(p.Queue)} is not a queue of this template`);
    return undefined;
  }
  const out: Record<string, unknown> = { queue: queue.name };
  setNumber(out, 'batchSize', p.BatchSize);
  setNumber(out, 'batchingWindow', p.MaximumBatchingWindowInSeconds);
  if (reportsItemFailures(p.FunctionResponseTypes)) out.reportBatchItemFailures = true;
  // Fields of the manifest helper's contract (issue #13): sqs event `filters`, `maximumConcurrency`.
  const filters = filterPatterns(p.FilterCriteria);
  if (filters !== undefined) out.filters = filters;
  if (isMap(p.ScalingConfig)) setNumber(out, 'maximumConcurrency', p.ScalingConfig.MaximumConcurrency);
  return { sqs: out };
}

function snsEvent(t: Translation, s: EventSource): Event | undefined {
  const topic = t.refersTo(s.properties.Topic, TOPIC_TYPES);
  if (topic === undefined) {
    t.notHonoured(s.fn, `Events.${s.name}.Topic`, `${String(s.properties.Topic)} is not a topic of this template`);
    return undefined;
  }
  if (s.properties.SqsSubscription !== undefined) t.notHonoured(s.fn, `Events.${s.name}.SqsSubscription`, 'the function is subscribed to the topic directly, without a queue between');
  return { sns: topic.name };
}

function scheduleEvent(t: Translation, s: EventSource, expression: unknown): Event | undefined {
  if (typeof expression !== 'string' || !/^(rate|cron)\(/.test(expression.trim())) {
    t.notHonoured(s.fn, `Events.${s.name}`, `schedule ${JSON.stringify(expression)}: Flint runs rate() and cron() expressions`);
    return undefined;
  }
  return { schedule: expression };
}

/** Field of the manifest helper's contract (issue #13): `eventBridge: { bus?, pattern }`. */
function eventBridgeEvent(t: Translation, s: EventSource): Event {
  const { properties: p } = s;
  const out: Record<string, unknown> = { pattern: p.Pattern };
  if (typeof p.EventBusName === 'string' && p.EventBusName !== 'default') out.bus = t.refersTo(p.EventBusName, ['AWS::Events::EventBus'])?.name ?? p.EventBusName;
  return { eventBridge: out };
}

function dynamodbEvent(t: Translation, s: EventSource): Event | undefined {
  const { properties: p } = s;
  const table = t.refersTo(p.Stream, TABLE_TYPES);
  if (table === undefined) {
    t.notHonoured(s.fn, `Events.${s.name}.Stream`, `${String(p.Stream)} is not the stream of a table of this template`);
    return undefined;
  }
  const out: Record<string, unknown> = { table: table.name };
  if (p.StartingPosition === 'TRIM_HORIZON' || p.StartingPosition === 'LATEST') out.startingPosition = p.StartingPosition;
  else if (p.StartingPosition !== undefined) t.notHonoured(s.fn, `Events.${s.name}.StartingPosition`, `${String(p.StartingPosition)}: Flint starts at TRIM_HORIZON or LATEST; LATEST is used`);
  setNumber(out, 'batchSize', p.BatchSize);
  // Fields of the manifest helper's contract (issue #13) for stream event sources.
  setNumber(out, 'batchingWindow', p.MaximumBatchingWindowInSeconds);
  setNumber(out, 'maximumRetryAttempts', p.MaximumRetryAttempts);
  setNumber(out, 'maximumRecordAge', p.MaximumRecordAgeInSeconds);
  setNumber(out, 'parallelization', p.ParallelizationFactor);
  const bisect = asBoolean(p.BisectBatchOnFunctionError);
  if (bisect !== undefined) out.bisectOnError = bisect;
  if (reportsItemFailures(p.FunctionResponseTypes)) out.reportBatchItemFailures = true;
  const filters = filterPatterns(p.FilterCriteria);
  if (filters !== undefined) out.filters = filters;
  const onFailure = isMap(p.DestinationConfig) && isMap(p.DestinationConfig.OnFailure) ? p.DestinationConfig.OnFailure.Destination : undefined;
  if (onFailure !== undefined) {
    const target = destinationOf(t, onFailure);
    if (target === undefined) t.notHonoured(s.fn, `Events.${s.name}.DestinationConfig`, `${String(onFailure)} is not a queue or topic Flint can send to`);
    else out.onFailure = target;
  }
  return { dynamodb: out };
}

function setNumber(out: Record<string, unknown>, field: string, value: unknown): void {
  const n = asNumber(value);
  if (n !== undefined) out[field] = n;
}

function reportsItemFailures(types: unknown): boolean {
  return Array.isArray(types) && types.includes('ReportBatchItemFailures');
}

/** `FilterCriteria: { Filters: [{ Pattern: '{"body": ...}' }] }` → the patterns as maps. */
function filterPatterns(criteria: unknown): unknown[] | undefined {
  if (!isMap(criteria) || !Array.isArray(criteria.Filters)) return undefined;
  return criteria.Filters.filter(isMap).map((filter) => {
    if (typeof filter.Pattern !== 'string') return filter.Pattern;
    try {
      return JSON.parse(filter.Pattern) as unknown;
    } catch {
      return filter.Pattern;
    }
  });
}

/**
 * A destination ARN or name → flint.yaml's `queue:<name>`, `topic:<name>`, `function:<name>` when it is the
 * app's own, else the ARN (SQS, SNS and Lambda ARNs only); undefined for what Flint cannot send to.
 */
export function destinationOf(t: Translation, value: unknown): string | undefined {
  for (const [kind, types] of [['queue', QUEUE_TYPES], ['topic', TOPIC_TYPES], ['function', FUNCTION_TYPES]] as const) {
    const found = t.refersTo(value, types);
    if (found !== undefined) return `${kind}:${found.name}`;
  }
  return typeof value === 'string' && /^arn:aws[a-zA-Z-]*:(sqs|sns|lambda):/.test(value) ? value : undefined;
}
