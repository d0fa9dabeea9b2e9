/**
 * The issue-13 manifest settings on a node: event source mapping options (filters, SQS maximum concurrency, stream
 * error handling), `eventBridge` events as rules on the app's buses, and SNS→SQS subscriptions of the app's topics.
 * Each deploy states the whole truth: an option left out goes back to Lambda's default, a rule or subscription the
 * manifest no longer declares is removed.
 */
import type { MappingInput } from '../events/index.js';
import type { AppSpec, DestinationSpec, QueueEventSpec, TableEventSpec, TopicSubscriptionSpec } from '../manifest/index.js';
import type { AppRule } from '../services/events/index.js';
import type { DataServices } from './data-services.js';

/** What these need of app-events' parts and ARNs (declared here, so the two files do not import each other). */
interface Parts {
  data: DataServices;
}

interface Arns {
  queue(name: string): string;
  topic(name: string): string;
  destination(spec: DestinationSpec | undefined): string | undefined;
}

/** FilterCriteria as Lambda takes it; no filters is an empty list, which removes any the mapping had. */
function filterCriteria(filters: Record<string, unknown>[] | undefined): MappingInput['filterCriteria'] {
  return { Filters: (filters ?? []).map((pattern) => ({ Pattern: JSON.stringify(pattern) })) };
}

export function sqsMappingOptions(source: QueueEventSpec): Partial<MappingInput> {
  const options: Partial<MappingInput> = { filterCriteria: filterCriteria(source.filters) };
  if (source.maximumConcurrency !== undefined) options.maximumConcurrency = source.maximumConcurrency;
  return options;
}

/** Lambda's defaults for what the manifest leaves out (API_CreateEventSourceMapping.html). */
export function streamMappingOptions(source: TableEventSpec, arns: Arns): Partial<MappingInput> {
  return {
    filterCriteria: filterCriteria(source.filters),
    maximumRetryAttempts: source.maximumRetryAttempts ?? -1,
    maximumRecordAgeInSeconds: source.maximumRecordAge ?? -1,
    bisectBatchOnFunctionError: source.bisectOnError ?? false,
    functionResponseTypes: source.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    maximumBatchingWindowInSeconds: source.batchingWindow ?? 0,
    parallelizationFactor: source.parallelization ?? 1,
    destinations: { onFailure: arns.destination(source.onFailure) ?? '' },
  };
}

/** The rules `eventBridge` events declare, in manifest order, and the buses they live on. */
export async function applyBusRules(parts: Parts, spec: AppSpec): Promise<void> {
  const rules: AppRule[] = [];
  for (const source of spec.eventSources ?? []) {
    if (source.type !== 'eventBridge') continue;
    const rule: AppRule = { bus: source.bus, functionName: source.functionName };
    if (source.pattern !== undefined) rule.eventPattern = JSON.stringify(source.pattern);
    if (source.schedule !== undefined) rule.scheduleExpression = source.schedule;
    rules.push(rule);
  }
  await parts.data.events.syncAppRules(spec.name, (spec.resources.buses ?? []).map((b) => b.name), rules);
}

/**
 * Subscribes the queues each topic names (SNS→SQS), with their filter policy and raw delivery, and unsubscribes
 * those an earlier deploy made that the manifest no longer declares. Returns the ARNs made, for the next deploy.
 */
export async function applyTopicSubscriptions(parts: Parts, spec: AppSpec, arns: Arns, previous: string[]): Promise<string[]> {
  const made: string[] = [];
  for (const topic of spec.resources.topics) {
    for (const subscription of topic.subscriptions ?? []) {
      const arn = await parts.data.sns.ensureSubscription({
        topicArn: arns.topic(topic.name),
        protocol: 'sqs',
        endpoint: arns.queue(subscription.queue),
        attributes: subscriptionAttributes(subscription),
      });
      made.push(arn);
    }
  }
  for (const arn of previous) if (!made.includes(arn)) await parts.data.sns.removeSubscription(arn);
  return made;
}

/** FilterPolicyScope before FilterPolicy, so the policy is checked against the scope it is meant for. */
function subscriptionAttributes(subscription: TopicSubscriptionSpec): Record<string, string> {
  const attributes: Record<string, string> = { RawMessageDelivery: String(subscription.rawMessageDelivery ?? false) };
  if (subscription.filterPolicy === undefined) {
    attributes.FilterPolicy = '';
    return attributes;
  }
  attributes.FilterPolicyScope = subscription.filterPolicyScope ?? 'MessageAttributes';
  attributes.FilterPolicy = JSON.stringify(subscription.filterPolicy);
  return attributes;
}

/** Removes what applyBusRules and applyTopicSubscriptions made for an app being removed. */
export async function removeAppStreams(parts: Parts, app: string, subscriptions: string[]): Promise<void> {
  await parts.data.events.syncAppRules(app, [], []);
  for (const arn of subscriptions) await parts.data.sns.removeSubscription(arn);
}
