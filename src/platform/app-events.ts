/**
 * What a manifest's events and async settings become on a node: schedules, SQS and DynamoDB stream
 * mappings, SNS subscriptions, S3 bucket notifications, event-invoke configs. Each deploy states the whole
 * truth for its app: what the app no longer declares is removed.
 */
import { isFlintError } from '../core/index.js';
import type { EventInvokeConfigInput } from '../events/index.js';
import type { AppSpec, DestinationSpec, FunctionSpec } from '../manifest/index.js';
import { setAppNotifications, type FunctionNotification } from '../services/s3/index.js';
import type { Storage } from '../storage/index.js';
import type { DataServices } from './data-services.js';
import type { EventSystem } from './event-wiring.js';
import { applyBusRules, applyTopicSubscriptions, removeAppStreams, sqsMappingOptions, streamMappingOptions } from './app-streams.js';

export interface AppEventParts {
  events: EventSystem;
  data: DataServices;
  storage: Storage;
  region: string;
  accountId: string;
}

export class Arns {
  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  function(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }

  queue(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  topic(name: string): string {
    return `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
  }

  stream(table: string, label: string): string {
    return `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${table}/stream/${label}`;
  }

  destination(spec: DestinationSpec | undefined): string | undefined {
    if (!spec) return undefined;
    if (spec.type === 'arn') return spec.arn;
    return spec.type === 'queue' ? this.queue(spec.name) : spec.type === 'topic' ? this.topic(spec.name) : this.function(spec.name);
  }
}

/**
 * Applies the app's events; call after its functions and resources exist. `subscriptions` are the SNS→SQS
 * subscriptions the previous deploy made; returns the ones this deploy keeps, for the app's record.
 */
export async function applyAppEvents(parts: AppEventParts, spec: AppSpec, subscriptions: string[] = []): Promise<{ subscriptions: string[] }> {
  const arns = new Arns(parts.region, parts.accountId);
  await parts.events.scheduler.setSchedules(spec.name, spec.schedules);
  for (const fn of spec.functions) await applyAsync(parts, fn, arns);
  const sources = spec.eventSources ?? [];
  const mappings = [];
  for (const source of sources) {
    if (source.type === 'sqs') {
      mappings.push({
        eventSourceArn: arns.queue(source.queue),
        functionName: source.functionName,
        batchSize: source.batchSize,
        maximumBatchingWindowInSeconds: source.batchingWindow,
        functionResponseTypes: source.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
        ...sqsMappingOptions(source),
        app: spec.name,
      });
    } else if (source.type === 'dynamodb') {
      const streamArn = await enableStream(parts.storage, source.table, arns);
      mappings.push({ eventSourceArn: streamArn, functionName: source.functionName, startingPosition: source.startingPosition, batchSize: source.batchSize, ...streamMappingOptions(source, arns), app: spec.name });
    } else if (source.type === 'sns') {
      await parts.data.sns.ensureSubscription({ topicArn: arns.topic(source.topic), protocol: 'lambda', endpoint: arns.function(source.functionName) });
    }
  }
  await parts.events.mappings.syncApp(spec.name, mappings);
  await applyBucketNotifications(parts, spec, arns);
  await applyBusRules(parts, spec);
  return { subscriptions: await applyTopicSubscriptions(parts, spec, arns, subscriptions) };
}

/** Removes what an app's events created (the app is being removed). */
export async function removeAppEvents(parts: AppEventParts, app: string, buckets: string[], subscriptions: string[] = []): Promise<void> {
  await parts.events.scheduler.setSchedules(app, []);
  await removeAppStreams(parts, app, subscriptions);
  await parts.events.mappings.syncApp(app, []);
  for (const bucket of buckets) await setAppNotifications(parts.storage.objects, bucket, app, []);
}

/** The function's DeadLetterConfig target, as an ARN for the registry. */
export function deadLetterArn(fn: FunctionSpec, arns: Arns): string {
  return arns.destination(fn.async?.deadLetter) ?? '';
}

async function applyAsync(parts: AppEventParts, fn: FunctionSpec, arns: Arns): Promise<void> {
  const a = fn.async;
  const configs = parts.events.invokeConfigs;
  if (!a || (a.maximumRetryAttempts === undefined && a.maximumEventAge === undefined && !a.onSuccess && !a.onFailure)) {
    await configs.delete(fn.name, undefined).catch((error: unknown) => {
      if (!isFlintError(error, 'NOT_FOUND')) throw error;
    });
    return;
  }
  const input: EventInvokeConfigInput = {
    maximumRetryAttempts: a.maximumRetryAttempts,
    maximumEventAgeInSeconds: a.maximumEventAge,
    destinations: { onSuccess: arns.destination(a.onSuccess) ?? '', onFailure: arns.destination(a.onFailure) ?? '' },
  };
  await configs.put(fn.name, undefined, input);
}

/** A table's stream ARN, enabling a stream with both images when the table has none running. */
async function enableStream(storage: Storage, table: string, arns: Arns): Promise<string> {
  let info = await storage.tables.getTable(table);
  if (info && !info.stream?.enabled) info = await storage.tables.updateTable(table, { stream: { viewType: 'NEW_AND_OLD_IMAGES' } });
  return arns.stream(table, info?.stream?.label ?? '');
}

async function applyBucketNotifications(parts: AppEventParts, spec: AppSpec, arns: Arns): Promise<void> {
  const byBucket = new Map<string, FunctionNotification[]>();
  for (const source of spec.eventSources ?? []) {
    if (source.type !== 's3') continue;
    const list = byBucket.get(source.bucket) ?? [];
    list.push({ functionArn: arns.function(source.functionName), events: source.events, prefix: source.prefix, suffix: source.suffix });
    byBucket.set(source.bucket, list);
  }
  for (const bucket of spec.resources.buckets) byBucket.set(bucket.name, byBucket.get(bucket.name) ?? []);
  for (const [bucket, rules] of byBucket) await setAppNotifications(parts.storage.objects, bucket, spec.name, rules);
}
