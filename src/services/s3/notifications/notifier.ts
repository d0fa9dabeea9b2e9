import { shortId, type Clock, type Logger } from '../../../core/index.js';
import type { BucketInfo, ObjectInfo, Outbox } from '../../../storage/index.js';
import type { S3Call } from '../call.js';
import { s3Error } from '../errors.js';
import { eventCovers, filterValue, type NotificationConfig, type NotificationRule } from './config.js';
import { eventRecord, testEvent, type ObjectEvent } from './records.js';
import { busEvent, defaultBusTarget, reachesBus } from './bus-events.js';
import { S3_EVENTS_QUEUE, type Handover } from './relay.js';
import type { S3NotificationEvent, S3NotificationSink, S3NotificationTarget } from './sink.js';

/** What a write carries for its notifications: the outbox to commit with it, and the ids of its items. */
export interface NotificationPlan<R> {
  outbox: Outbox<R>;
  ids: string[];
}

/** The bucket config document the notification configuration is kept under. */
export const NOTIFICATION_CONFIG = 'notification';
/** Parsed configurations are cached by their stored text; a handful of buckets is the common case. */
const CACHE_LIMIT = 256;

export interface NotifierOptions {
  sink?: S3NotificationSink;
  clock: Clock;
  logger: Logger;
  ownerPrincipal: string;
  /** The account whose default event bus receives EventBridge notifications. */
  accountId: string;
}

/** Matches object events against a bucket's configuration and hands each match to the sink. */
export class Notifier {
  private readonly parsed = new Map<string, NotificationConfig>();

  constructor(private readonly options: NotifierOptions) {}

  configOf(bucket: BucketInfo): NotificationConfig | undefined {
    const stored = bucket.configs[NOTIFICATION_CONFIG];
    if (stored === undefined) return undefined;
    let config = this.parsed.get(stored);
    if (!config) {
      if (this.parsed.size >= CACHE_LIMIT) this.parsed.clear();
      config = JSON.parse(stored) as NotificationConfig;
      this.parsed.set(stored, config);
    }
    return config;
  }

  /**
   * The outbox of a write to `key`: one item per matching configuration, built from the write's result inside its
   * transaction, so the object and its events commit together; undefined when nothing is configured to hear it.
   */
  plan<R extends { sequence: number; object?: ObjectInfo; deleted?: ObjectInfo; marker?: ObjectInfo }>(bucket: BucketInfo, call: S3Call, name: string, key: string): NotificationPlan<R> | undefined {
    if (!this.options.sink) return undefined;
    const config = this.configOf(bucket);
    if (!config) return undefined;
    const matching = config.rules.filter((rule) => matches(rule, `s3:${name}`, key));
    // With EventBridgeConfiguration every event also goes to the default bus, whatever the rules say.
    const toBus = config.eventBridge && reachesBus(name);
    if (matching.length === 0 && !toBus) return undefined;
    const plan = shortId(8);
    const ids = matching.map((_, i) => `${call.requestId}-${plan}-${i}`);
    const busId = `${call.requestId}-${plan}-bus`;
    if (toBus) ids.push(busId);
    const { accountId, ownerPrincipal, clock } = this.options;
    const scope = { ownerPrincipal, accountId, now: clock.now() };
    const outbox: Outbox<R> = {
      queue: S3_EVENTS_QUEUE,
      items: (result) => {
        // A delete of a key that was not there changes nothing and tells nobody.
        if (name.startsWith('ObjectRemoved') && !result.deleted && !result.marker) return [];
        const event: ObjectEvent = { name, key, sequence: result.sequence, size: result.object?.size, etag: result.object?.etag };
        // Records of a versioned bucket name the version ("null" for a null version).
        const version = result.object ?? result.marker ?? result.deleted;
        if (bucket.versioning) event.versionId = version?.versionId ?? 'null';
        const items = matching.map((rule, i) => ({ id: ids[i]!, body: handover(targetOf(rule), { Records: [eventRecord(bucket, rule, event, call, scope)] }) }));
        const onBus = toBus ? busEvent(bucket, event, call, scope) : undefined;
        if (onBus) items.push({ id: busId, body: handover(defaultBusTarget(bucket.region, accountId), onBus) });
        return items;
      },
    };
    return { outbox, ids };
  }

  /** What S3 does when a configuration is put: checks each destination, then sends queues and topics a test event. */
  async announce(bucket: string, config: NotificationConfig, call: S3Call): Promise<void> {
    const sink = this.options.sink;
    if (!sink) return;
    const refusals: [string, string][] = [];
    for (const rule of config.rules) {
      const reason = await sink.validate?.(targetOf(rule));
      if (reason !== undefined) refusals.push([rule.arn, reason]);
    }
    if (refusals.length > 0) throw unableToValidate(refusals);
    const announced = config.rules.filter((rule) => rule.kind !== 'function');
    const now = this.options.clock.now();
    try {
      await Promise.all(announced.map((rule) => sink.deliver(targetOf(rule), testEvent(bucket, call, now))));
    } catch (error) {
      throw unableToValidate(announced.map((rule) => [rule.arn, String(error)]));
    }
  }
}

function matches(rule: NotificationRule, event: string, key: string): boolean {
  if (!rule.events.some((configured) => eventCovers(configured, event))) return false;
  return key.startsWith(filterValue(rule, 'Prefix')) && key.endsWith(filterValue(rule, 'Suffix'));
}

function handover(target: S3NotificationTarget, event: S3NotificationEvent): string {
  const item: Handover = { target, event };
  return JSON.stringify(item);
}

function targetOf(rule: NotificationRule): S3NotificationTarget {
  return { kind: rule.kind, arn: rule.arn };
}

function unableToValidate(refusals: [arn: string, reason: string][]) {
  const fields: Record<string, string> = {};
  refusals.forEach(([arn, reason], index) => {
    fields[`ArgumentName${index + 1}`] = arn;
    fields[`ArgumentValue${index + 1}`] = reason;
  });
  return s3Error('INVALID_PARAMETER', 400, 'InvalidArgument', 'Unable to validate the following destination configurations', fields);
}
