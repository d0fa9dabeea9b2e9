/**
 * Plain CloudFormation resources that connect others, turned into function events and settings: S3 bucket
 * notifications, SNS subscriptions, Lambda event source mappings and event invoke configs, EventBridge rules;
 * Lambda permissions are what Flint grants anyway (an app's own sources may call its functions).
 */
import { asNumber, copy, FUNCTION_TYPES, isMap, jsonProperty, QUEUE_TYPES, TABLE_TYPES, TOPIC_TYPES, type Translation } from './context.js';
import { destinationOf } from './events.js';
import type { TemplateResource } from './model.js';

type Wirer = (t: Translation, id: string, r: TemplateResource) => void;

export const WIRERS: Record<string, Wirer> = {
  'AWS::S3::Bucket': bucketNotifications,
  'AWS::SNS::Topic': (t, id, r) => {
    const topicArn = t.model.ref(id, []);
    for (const [i, sub] of (Array.isArray(r.Properties.Subscription) ? r.Properties.Subscription : []).filter(isMap).entries()) subscribe(t, id, `Subscription[${i}]`, topicArn, sub);
  },
  'AWS::SNS::Subscription': (t, id, r) => subscribe(t, id, 'resource', r.Properties.TopicArn, r.Properties),
  'AWS::Lambda::EventSourceMapping': eventSourceMapping,
  'AWS::Lambda::EventInvokeConfig': eventInvokeConfig,
  'AWS::Events::Rule': rule,
  'AWS::Lambda::Permission': () => undefined,
};

/** The translated function a value (name or ARN) names, or a report when there is none. */
function functionOf(t: Translation, id: string, what: string, value: unknown): Record<string, unknown> | undefined {
  const found = t.refersTo(value, FUNCTION_TYPES);
  const fn = found === undefined ? undefined : t.document.functions[found.name];
  if (fn === undefined) t.notHonoured(id, what, `${String(value)} is not an AWS::Serverless::Function of this template`);
  return fn;
}

function addEvent(fn: Record<string, unknown>, event: Record<string, unknown>): void {
  fn.events = [...(Array.isArray(fn.events) ? fn.events : []), event];
}

function bucketNotifications(t: Translation, id: string, r: TemplateResource): void {
  const config = r.Properties.NotificationConfiguration;
  if (!isMap(config)) return;
  for (const key of Object.keys(config)) if (key !== 'LambdaConfigurations') t.notHonoured(id, `NotificationConfiguration.${key}`, 'Flint wires bucket notifications to functions only');
  for (const [i, entry] of (Array.isArray(config.LambdaConfigurations) ? config.LambdaConfigurations : []).filter(isMap).entries()) {
    const fn = functionOf(t, id, `NotificationConfiguration.LambdaConfigurations[${i}]`, entry.Function);
    if (fn === undefined) continue;
    const s3: Record<string, unknown> = { bucket: t.model.name(id), events: [entry.Event] };
    const rules = isMap(entry.Filter) && isMap(entry.Filter.S3Key) && Array.isArray(entry.Filter.S3Key.Rules) ? entry.Filter.S3Key.Rules : [];
    for (const rule of rules.filter(isMap)) {
      const name = String(rule.Name ?? '').toLowerCase();
      if (name === 'prefix' || name === 'suffix') s3[name] = String(rule.Value ?? '');
    }
    addEvent(fn, { s3 });
  }
}

/** lambda → the function's `sns` event; sqs → the topic's `subscriptions` (manifest helper's contract, issue #13). */
function subscribe(t: Translation, id: string, what: string, topicArn: unknown, sub: Record<string, unknown>): void {
  const topic = t.refersTo(topicArn, TOPIC_TYPES);
  if (topic === undefined) return t.notHonoured(id, what, `${String(topicArn)} is not a topic of this template`);
  const protocol = String(sub.Protocol ?? '').toLowerCase();
  if (protocol === 'lambda') {
    const fn = functionOf(t, id, what, sub.Endpoint);
    if (fn !== undefined) addEvent(fn, { sns: topic.name });
    if (sub.FilterPolicy !== undefined) t.notHonoured(id, `${what}.FilterPolicy`, 'filter policies apply to queue subscriptions in Flint; the function gets every message');
    return;
  }
  const queue = protocol === 'sqs' ? t.refersTo(sub.Endpoint, QUEUE_TYPES) : undefined;
  if (queue === undefined) return t.notHonoured(id, what, `${protocol || '(no protocol)'} subscription to ${String(sub.Endpoint)}: Flint subscribes functions and queues of the app`);
  const entry: Record<string, unknown> = { queue: queue.name };
  copy(entry, 'filterPolicy', jsonProperty(sub.FilterPolicy, ['Resources', id, 'Properties', what, 'FilterPolicy']));
  copy(entry, 'filterPolicyScope', sub.FilterPolicyScope);
  copy(entry, 'rawMessageDelivery', sub.RawMessageDelivery, (v) => v === true || v === 'true');
  const topics = t.resourceSection('topics');
  const settings = isMap(topics[topic.name]) ? (topics[topic.name] as Record<string, unknown>) : {};
  settings.subscriptions = [...(Array.isArray(settings.subscriptions) ? settings.subscriptions : []), entry];
  topics[topic.name] = settings;
}

function eventSourceMapping(t: Translation, id: string, r: TemplateResource): void {
  const p = r.Properties;
  const fn = functionOf(t, id, 'FunctionName', p.FunctionName);
  if (fn === undefined) return;
  if (p.Enabled === false || p.Enabled === 'false') return t.notHonoured(id, 'Enabled', 'disabled in the template, so not created');
  const queue = t.refersTo(p.EventSourceArn, QUEUE_TYPES);
  const table = queue === undefined ? t.refersTo(p.EventSourceArn, TABLE_TYPES) : undefined;
  if (queue === undefined && table === undefined) return t.notHonoured(id, 'EventSourceArn', `${String(p.EventSourceArn)} is not a queue or table stream of this template`);
  const out: Record<string, unknown> = queue !== undefined ? { queue: queue.name } : { table: table!.name };
  copy(out, 'batchSize', p.BatchSize, asNumber);
  copy(out, 'batchingWindow', p.MaximumBatchingWindowInSeconds, asNumber);
  if (Array.isArray(p.FunctionResponseTypes) && p.FunctionResponseTypes.includes('ReportBatchItemFailures')) out.reportBatchItemFailures = true;
  if (table !== undefined) {
    if (p.StartingPosition === 'TRIM_HORIZON' || p.StartingPosition === 'LATEST') out.startingPosition = p.StartingPosition;
    copy(out, 'maximumRetryAttempts', p.MaximumRetryAttempts, asNumber);
    copy(out, 'maximumRecordAge', p.MaximumRecordAgeInSeconds, asNumber);
    copy(out, 'parallelization', p.ParallelizationFactor, asNumber);
    copy(out, 'bisectOnError', p.BisectBatchOnFunctionError, (v) => v === true || v === 'true');
  }
  addEvent(fn, queue !== undefined ? { sqs: out } : { dynamodb: out });
}

function eventInvokeConfig(t: Translation, id: string, r: TemplateResource): void {
  const p = r.Properties;
  const fn = functionOf(t, id, 'FunctionName', p.FunctionName);
  if (fn === undefined) return;
  if (p.Qualifier !== undefined && p.Qualifier !== '$LATEST') t.notHonoured(id, 'Qualifier', `applied to $LATEST: Flint's events call the unqualified function`);
  const out: Record<string, unknown> = isMap(fn.async) ? { ...fn.async } : {};
  copy(out, 'maximumRetryAttempts', p.MaximumRetryAttempts, asNumber);
  copy(out, 'maximumEventAge', p.MaximumEventAgeInSeconds, asNumber);
  const destinations = isMap(p.DestinationConfig) ? p.DestinationConfig : {};
  for (const [field, key] of [['onSuccess', 'OnSuccess'], ['onFailure', 'OnFailure']] as const) {
    const destination = isMap(destinations[key]) ? destinations[key].Destination : undefined;
    if (destination === undefined) continue;
    const target = destinationOf(t, destination);
    if (target === undefined) t.notHonoured(id, `DestinationConfig.${key}`, `${String(destination)} is not a queue, topic or function Flint can send to`);
    else out[field] = target;
  }
  fn.async = out;
}

/** A rule's function targets get a `schedule` event or an `eventBridge` event (manifest helper's contract, issue #13). */
function rule(t: Translation, id: string, r: TemplateResource): void {
  const p = r.Properties;
  if (p.State === 'DISABLED') return t.notHonoured(id, 'State', 'disabled in the template, so not created');
  for (const [i, target] of (Array.isArray(p.Targets) ? p.Targets : []).filter(isMap).entries()) {
    const fn = functionOf(t, id, `Targets[${i}]`, target.Arn);
    if (fn === undefined) continue;
    if (target.Input !== undefined || target.InputPath !== undefined || target.InputTransformer !== undefined) t.notHonoured(id, `Targets[${i}].Input`, 'the function gets the event itself');
    if (typeof p.ScheduleExpression === 'string') addEvent(fn, { schedule: p.ScheduleExpression });
    else {
      const eventBridge: Record<string, unknown> = { pattern: p.EventPattern };
      if (typeof p.EventBusName === 'string' && p.EventBusName !== 'default') eventBridge.bus = p.EventBusName;
      addEvent(fn, { eventBridge });
    }
  }
}
