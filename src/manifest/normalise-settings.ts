/**
 * Validated issue-13 settings → their specs: table TTL, stream and indexes; queue retention, delay and size;
 * topics with FIFO and SNS→SQS subscriptions; buses; the extra event source options and eventBridge events.
 * Fields appear in the spec only when declared, so a manifest without them normalises as before.
 */
import type { z } from 'zod';
import type { dynamodbEvent, sqsEvent } from './schema-events.js';
import { isFifoTopic, type topicSettings } from './schema-settings.js';
import { DEFAULT_BUS, type eventBridgeEvent } from './schema-streams.js';
import type { ManifestInput } from './schema.js';
import type { BusEventSpec, DestinationSpec, QueueEventSpec, QueueSpec, TableEventSpec, TableIndexSpec, TableSpec, TopicSpec, TopicSubscriptionSpec } from './types.js';

type ResourcesInput = NonNullable<ManifestInput['resources']>;
type TableInput = NonNullable<ResourcesInput['tables']>[string];
type QueueInput = NonNullable<ResourcesInput['queues']>[string];

export function tableSettingsOf(table: TableInput): Pick<TableSpec, 'ttl' | 'stream' | 'indexes'> {
  const out: Pick<TableSpec, 'ttl' | 'stream' | 'indexes'> = {};
  if (table.ttl !== undefined) out.ttl = table.ttl;
  if (table.stream !== undefined) out.stream = table.stream;
  if (table.indexes !== undefined) {
    out.indexes = Object.entries(table.indexes).map(([name, gsi]): TableIndexSpec => {
      const spec: TableIndexSpec = { name, hashKey: { ...gsi.hashKey }, projection: gsi.projection ?? 'ALL' };
      if (gsi.rangeKey !== undefined) spec.rangeKey = { ...gsi.rangeKey };
      return spec;
    });
  }
  return out;
}

export function queueSettingsOf(queue: QueueInput): Pick<QueueSpec, 'retention' | 'delay' | 'maxMessageSize'> {
  const out: Pick<QueueSpec, 'retention' | 'delay' | 'maxMessageSize'> = {};
  if (queue?.retention !== undefined) out.retention = queue.retention;
  if (queue?.delay !== undefined) out.delay = queue.delay;
  if (queue?.maxMessageSize !== undefined) out.maxMessageSize = queue.maxMessageSize;
  return out;
}

export function topicSpecOf(name: string, settings: z.output<typeof topicSettings>): TopicSpec {
  const spec: TopicSpec = { name };
  if (isFifoTopic(name, settings)) spec.fifo = true;
  if (settings?.subscriptions !== undefined) {
    spec.subscriptions = settings.subscriptions.map((s): TopicSubscriptionSpec => {
      const sub: TopicSubscriptionSpec = { queue: s.queue };
      if (s.filterPolicy !== undefined) sub.filterPolicy = s.filterPolicy;
      if (s.filterPolicyScope !== undefined) sub.filterPolicyScope = s.filterPolicyScope;
      if (s.rawMessageDelivery !== undefined) sub.rawMessageDelivery = s.rawMessageDelivery;
      return sub;
    });
  }
  return spec;
}

export function busesOf(resources: ResourcesInput): { buses?: { name: string }[] } {
  return resources.buses === undefined ? {} : { buses: Object.keys(resources.buses).map((name) => ({ name })) };
}

/** The options an sqs event declares beyond queue, batch size, window and batch item failures. */
export function sqsOptionsOf(sqs: z.output<typeof sqsEvent>): Pick<QueueEventSpec, 'maximumConcurrency' | 'filters'> {
  if (typeof sqs === 'string') return {};
  const out: Pick<QueueEventSpec, 'maximumConcurrency' | 'filters'> = {};
  if (sqs.maximumConcurrency !== undefined) out.maximumConcurrency = sqs.maximumConcurrency;
  if (sqs.filters !== undefined) out.filters = sqs.filters;
  return out;
}

type StreamOptions = Omit<TableEventSpec, 'type' | 'functionName' | 'table' | 'startingPosition' | 'batchSize'>;

/** The stream mapping options a dynamodb event declares. */
export function streamOptionsOf(event: z.output<typeof dynamodbEvent>): StreamOptions {
  const out: StreamOptions = {};
  if (event.filters !== undefined) out.filters = event.filters;
  if (event.maximumRetryAttempts !== undefined) out.maximumRetryAttempts = event.maximumRetryAttempts;
  if (event.bisectOnError !== undefined) out.bisectOnError = event.bisectOnError;
  if (event.reportBatchItemFailures !== undefined) out.reportBatchItemFailures = event.reportBatchItemFailures;
  if (event.onFailure !== undefined) out.onFailure = streamDestinationOf(event.onFailure);
  if (event.maximumRecordAge !== undefined) out.maximumRecordAge = event.maximumRecordAge;
  if (event.batchingWindow !== undefined) out.batchingWindow = event.batchingWindow;
  if (event.parallelization !== undefined) out.parallelization = event.parallelization;
  return out;
}

function streamDestinationOf(target: string): DestinationSpec {
  if (target.startsWith('arn:')) return { type: 'arn', arn: target };
  const [type, name = ''] = target.split(':', 2) as ['queue' | 'topic', string];
  return { type, name };
}

export function busEventOf(functionName: string, rule: z.output<typeof eventBridgeEvent>): BusEventSpec {
  const spec: BusEventSpec = { type: 'eventBridge', functionName, bus: rule.bus ?? DEFAULT_BUS };
  if (rule.pattern !== undefined) spec.pattern = rule.pattern;
  if (rule.schedule !== undefined) spec.schedule = rule.schedule.trim();
  return spec;
}
