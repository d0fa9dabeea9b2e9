import { randomUUID } from 'node:crypto';
import { S3_EVENT_TYPES } from '../../../manifest/index.js';
import type { NotificationConfiguration, NotificationConfigurationFilter } from '../api.js';
import { invalidArgument, malformedXml, s3Error } from '../errors.js';
import type { S3RuleKind } from './sink.js';

/** One notification configuration, normalised: what S3 returns from GetBucketNotificationConfiguration. */
export interface NotificationRule {
  id: string;
  kind: S3RuleKind;
  arn: string;
  events: string[];
  /** The filter rules in the order given, names as S3 returns them ("Prefix", "Suffix"). */
  filters: { name: 'Prefix' | 'Suffix'; value: string }[];
}

export interface NotificationConfig {
  rules: NotificationRule[];
  eventBridge: boolean;
}

/** Every event type S3 accepts in a configuration (only ObjectCreated and ObjectRemoved ones fire in Flint). */
export const SUPPORTED_EVENTS: ReadonlySet<string> = new Set([
  's3:ReducedRedundancyLostObject',
  ...S3_EVENT_TYPES,
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectAcl:Put',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
]);

const MAX_FILTER_VALUE_BYTES = 1024;
const MAX_ID_LENGTH = 255;

const ARN_PATTERNS: Record<S3RuleKind, RegExp> = {
  function: /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]+(:[a-zA-Z0-9$_-]+)?$/,
  queue: /^arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9_-]{1,80}$/,
  topic: /^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\d{12}:[a-zA-Z0-9_-]{1,256}$/,
};

interface RawRule {
  Id?: string | undefined;
  Events?: string[] | undefined;
  Filter?: NotificationConfigurationFilter | undefined;
  arn: string | undefined;
}

type Kind = S3RuleKind;

/** Validates a PutBucketNotificationConfiguration document (read by the model) as S3 does, for a bucket in `region`. */
export function parseNotificationConfig(doc: NotificationConfiguration | undefined, region: string): NotificationConfig {
  if (!doc) throw malformedXml();
  const rules = [
    ...(doc.TopicConfigurations ?? []).map((c) => toRule('topic', { ...c, arn: c.TopicArn }, region)),
    ...(doc.QueueConfigurations ?? []).map((c) => toRule('queue', { ...c, arn: c.QueueArn }, region)),
    ...(doc.LambdaFunctionConfigurations ?? []).map((c) => toRule('function', { ...c, arn: c.LambdaFunctionArn }, region)),
  ];
  checkIdsUnique(rules);
  checkNoOverlap(rules);
  return { rules, eventBridge: doc.EventBridgeConfiguration !== undefined };
}

function toRule(kind: Kind, raw: RawRule, region: string): NotificationRule {
  const events = raw.Events ?? [];
  const arn = raw.arn ?? '';
  if (events.length === 0 || arn.trim() === '') throw malformedXml();
  if (raw.Id !== undefined && raw.Id.length > MAX_ID_LENGTH) throw invalid('ID length exceeded allowed limit of 255');
  for (const event of events) {
    if (!SUPPORTED_EVENTS.has(event)) throw invalidArgument('The event is not supported for notifications', 'Event', event);
  }
  checkArn(kind, arn, region);
  return { id: raw.Id || generatedId(), kind, arn, events: [...new Set(events)], filters: filtersOf(raw.Filter) };
}

function checkArn(kind: Kind, arn: string, region: string): void {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw invalid('The ARN could not be parsed');
  if (kind === 'queue' && arn.endsWith('.fifo')) throw invalid('FIFO SQS queues are not supported.');
  if (!ARN_PATTERNS[kind].test(arn)) throw invalid('The ARN is not well formed');
  if (parts[3] !== region) throw invalid('The notification destination service region is not valid for the bucket location constraint');
}

function filtersOf(filter: RawRule['Filter']): NotificationRule['filters'] {
  if (filter === undefined) return [];
  const rules = filter.Key?.FilterRules ?? [];
  if (rules.length === 0 || rules.some((rule) => rule.Name === undefined)) throw malformedXml();
  const seen = new Set<string>();
  return rules.map((rule) => {
    const given = (rule.Name ?? '').toLowerCase();
    const name = given === 'prefix' ? 'Prefix' : given === 'suffix' ? 'Suffix' : undefined;
    if (!name) throw invalid('filter rule name must be either prefix or suffix');
    if (seen.has(name)) throw invalid(`Cannot specify more than one ${name.toLowerCase()} rule in a filter.`);
    seen.add(name);
    const value = rule.Value ?? '';
    if (Buffer.byteLength(value) > MAX_FILTER_VALUE_BYTES) throw invalid('Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation');
    return { name, value };
  });
}

function checkIdsUnique(rules: NotificationRule[]): void {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id)) throw invalid('Same ID used for multiple configurations. IDs must be unique.');
    ids.add(rule.id);
  }
}

/** S3 refuses two configurations one event could match both of (shared event type, overlapping filters). */
function checkNoOverlap(rules: NotificationRule[]): void {
  rules.forEach((rule, index) => {
    for (const other of rules.slice(0, index)) {
      if (!eventsOverlap(rule.events, other.events)) continue;
      const [prefix, suffix] = [filterValue(rule, 'Prefix'), filterValue(rule, 'Suffix')];
      const [otherPrefix, otherSuffix] = [filterValue(other, 'Prefix'), filterValue(other, 'Suffix')];
      const prefixesOverlap = prefix.startsWith(otherPrefix) || otherPrefix.startsWith(prefix);
      const suffixesOverlap = suffix.endsWith(otherSuffix) || otherSuffix.endsWith(suffix);
      if (!prefixesOverlap || !suffixesOverlap) continue;
      if (rule.filters.length === 0 && other.filters.length === 0) {
        throw invalid('Configurations overlap. Configurations on the same bucket cannot share a common event type.');
      }
      throw invalid('Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.');
    }
  });
}

/** True if the configured event type (possibly a wildcard like s3:ObjectCreated:*) covers the event. */
export function eventCovers(configured: string, event: string): boolean {
  return configured === event || (configured.endsWith(':*') && event.startsWith(configured.slice(0, -1)));
}

function eventsOverlap(a: string[], b: string[]): boolean {
  return a.some((x) => b.some((y) => eventCovers(x, y) || eventCovers(y, x)));
}

/** The filter value as a key is matched against it: S3 takes special characters percent-encoded. */
export function filterValue(rule: NotificationRule, name: 'Prefix' | 'Suffix'): string {
  const value = rule.filters.find((filter) => filter.name === name)?.value ?? '';
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** S3 names a configuration without an Id by a base64-encoded UUID. */
function generatedId(): string {
  return Buffer.from(randomUUID()).toString('base64');
}

function invalid(message: string) {
  return s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', message);
}

// ---- GetBucketNotificationConfiguration ---------------------------------------------------------------------------

/** The stored configuration as GetBucketNotificationConfiguration returns it. */
export function notificationConfigOutput(config: NotificationConfig | undefined): NotificationConfiguration {
  const rules = config?.rules ?? [];
  const ofKind = (kind: Kind) => rules.filter((rule) => rule.kind === kind);
  const common = (rule: NotificationRule) => ({ Id: rule.id, Events: rule.events, Filter: filterOf(rule) });
  const output: NotificationConfiguration = {};
  const topics = ofKind('topic').map((rule) => ({ ...common(rule), TopicArn: rule.arn }));
  const queues = ofKind('queue').map((rule) => ({ ...common(rule), QueueArn: rule.arn }));
  const functions = ofKind('function').map((rule) => ({ ...common(rule), LambdaFunctionArn: rule.arn }));
  if (topics.length > 0) output.TopicConfigurations = topics;
  if (queues.length > 0) output.QueueConfigurations = queues;
  if (functions.length > 0) output.LambdaFunctionConfigurations = functions;
  if (config?.eventBridge) output.EventBridgeConfiguration = {};
  return output;
}

function filterOf(rule: NotificationRule): NotificationConfigurationFilter | undefined {
  if (rule.filters.length === 0) return undefined;
  return { Key: { FilterRules: rule.filters.map((filter) => ({ Name: filter.name, Value: filter.value })) } };
}
