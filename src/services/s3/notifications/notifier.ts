import { FlintError, type Clock, type Logger } from '../../../core/index.js';
import type { BucketInfo } from '../../../storage/index.js';
import type { S3Call } from '../call.js';
import { s3Error } from '../errors.js';
import { eventCovers, filterValue, type NotificationConfig, type NotificationRule } from './config.js';
import { eventRecord, testEvent, type ObjectEvent } from './records.js';
import type { S3NotificationSink, S3NotificationTarget } from './sink.js';

/** The bucket config document the notification configuration is kept under. */
export const NOTIFICATION_CONFIG = 'notification';
/** Parsed configurations are cached by their stored text; a handful of buckets is the common case. */
const CACHE_LIMIT = 256;

export interface NotifierOptions {
  sink?: S3NotificationSink;
  clock: Clock;
  logger: Logger;
  ownerPrincipal: string;
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

  /** Resolves once every matching destination has durably accepted its event. */
  async notify(bucket: BucketInfo, call: S3Call, event: ObjectEvent): Promise<void> {
    const sink = this.options.sink;
    const config = this.configOf(bucket);
    if (!sink || !config || config.rules.length === 0) return;
    const matching = config.rules.filter((rule) => matches(rule, `s3:${event.name}`, event.key));
    if (matching.length === 0) return;
    const scope = { ownerPrincipal: this.options.ownerPrincipal, now: this.options.clock.now() };
    try {
      await Promise.all(matching.map((rule) => sink.deliver(targetOf(rule), { Records: [eventRecord(bucket, rule, event, call, scope)] })));
    } catch (error) {
      this.options.logger.error('S3 notification could not be handed over', { bucket: bucket.name, key: event.key, error: String(error) });
      throw new FlintError('INTERNAL', 'the object event could not be queued', { bucket: bucket.name }, { cause: error });
    }
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
