/**
 * Scheduled invocations, as EventBridge rules with a schedule expression deliver them: at each firing the target
 * function gets a "Scheduled Event" as an asynchronous invocation, stored before it runs and retried like any
 * Event invoke. Firings missed while the node was down are not replayed (EventBridge does not replay them either);
 * a rate keeps its phase from when the schedule was first declared. Times are UTC.
 *
 * Each firing's request id is derived from the rule and the instant, so nodes sharing a store that fire the same
 * instant enqueue one invocation, not one each.
 */
import { createHash } from 'node:crypto';
import type { Clock, Logger, Timer } from '../core/index.js';
import type { ScheduleSpec } from '../manifest/index.js';
import type { MetadataStore } from '../storage/index.js';
import type { FunctionCalls } from './function-calls.js';
import { nextFire, parseSchedule, type Schedule } from './schedule-expressions.js';

const COLLECTION = 'schedules';
/** Timers are re-armed at least daily: far-off firings would overflow a platform timer. */
const MAX_WAIT_MS = 86_400_000;
const RULE_NAME_MAX = 64;

export interface SchedulerOptions {
  metadata: MetadataStore;
  /** Where firings go: Event calls (durable, retried). */
  calls: Pick<FunctionCalls, 'accept'>;
  clock: Clock;
  logger: Logger;
  region: string;
  accountId: string;
}

/** A schedule as stored: the declaration, its rule name and when it was first declared. */
export interface ScheduleRule {
  name: string;
  functionName: string;
  expression: string;
  /** Epoch ms; rates count their periods from here. */
  createdAt: number;
}

interface AppSchedules {
  rules: ScheduleRule[];
}

interface Armed {
  rule: ScheduleRule;
  schedule: Schedule;
  timer?: Timer;
  /** Epoch ms of the next firing, if any is left. */
  next?: number;
}

export class Scheduler {
  private readonly armed = new Map<string, Armed[]>();
  private started = false;
  private closed = false;

  constructor(private readonly options: SchedulerOptions) {}

  /**
   * Replaces an app's schedules (the platform calls it on every deploy; [] when the app is removed). Throws
   * INVALID_PARAMETER for an expression EventBridge would refuse, before anything changes.
   */
  async setSchedules(app: string, schedules: ScheduleSpec[]): Promise<void> {
    for (const spec of schedules) parseSchedule(spec.expression);
    const previous = (await this.options.metadata.get<AppSchedules>(COLLECTION, app))?.value.rules ?? [];
    const rules = this.rulesFor(app, schedules, previous);
    if (rules.length === 0) await this.options.metadata.delete(COLLECTION, app);
    else await this.options.metadata.put<AppSchedules>(COLLECTION, app, { rules });
    if (this.started) this.arm(app, rules);
  }

  /** Every stored schedule with its app, in app order (EventBridge shows them as rules of the default bus). */
  async rules(): Promise<(ScheduleRule & { app: string })[]> {
    const docs = await this.options.metadata.list<AppSchedules>(COLLECTION);
    return docs.flatMap((doc) => doc.value.rules.map((rule) => ({ ...rule, app: doc.key })));
  }

  /** The rules of an app with their next firing, for listings and tests. */
  upcoming(app: string): { rule: ScheduleRule; next?: number }[] {
    return (this.armed.get(app) ?? []).map(({ rule, next }) => ({ rule, next }));
  }

  /** Arms every stored schedule from now on. */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    for (const doc of await this.options.metadata.list<AppSchedules>(COLLECTION)) this.arm(doc.key, doc.value.rules);
  }

  close(): void {
    this.closed = true;
    for (const app of [...this.armed.keys()]) this.disarm(app);
  }

  /** Keeps the creation time of schedules that were already declared, so a redeploy does not shift a rate. */
  private rulesFor(app: string, schedules: ScheduleSpec[], previous: ScheduleRule[]): ScheduleRule[] {
    const counts = new Map<string, number>();
    return schedules.map((spec) => {
      const n = (counts.get(spec.functionName) ?? 0) + 1;
      counts.set(spec.functionName, n);
      const name = `${app}-${spec.functionName}-schedule-${n}`.slice(0, RULE_NAME_MAX);
      const kept = previous.find((r) => r.name === name && r.expression === spec.expression && r.functionName === spec.functionName);
      return { name, functionName: spec.functionName, expression: spec.expression, createdAt: kept?.createdAt ?? this.options.clock.now() };
    });
  }

  private arm(app: string, rules: ScheduleRule[]): void {
    this.disarm(app);
    if (this.closed || rules.length === 0) return;
    const entries: Armed[] = [];
    for (const rule of rules) {
      try {
        entries.push({ rule, schedule: parseSchedule(rule.expression) });
      } catch {
        this.options.logger.warn('ignoring a stored schedule that does not parse', { app, rule: rule.name, expression: rule.expression });
      }
    }
    this.armed.set(app, entries);
    for (const entry of entries) this.plan(entry, this.options.clock.now());
  }

  private disarm(app: string): void {
    for (const entry of this.armed.get(app) ?? []) entry.timer?.cancel();
    this.armed.delete(app);
  }

  /** Sets the timer for the first firing after `after`. */
  private plan(entry: Armed, after: number): void {
    entry.next = nextFire(entry.schedule, after, entry.rule.createdAt);
    if (entry.next === undefined || this.closed) return;
    const at = entry.next;
    const wait = at - this.options.clock.now();
    entry.timer = this.options.clock.setTimer(Math.min(wait, MAX_WAIT_MS), () => {
      if (this.options.clock.now() < at) return this.plan(entry, after);
      void this.fire(entry, at);
      this.plan(entry, Math.max(at, this.options.clock.now()));
    });
  }

  private async fire(entry: Armed, at: number): Promise<void> {
    const { region, accountId, logger } = this.options;
    const ruleArn = `arn:aws:events:${region}:${accountId}:rule/${entry.rule.name}`;
    const event = {
      version: '0',
      id: derivedUuid(`event|${ruleArn}|${at}`),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: accountId,
      time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [ruleArn],
      detail: {},
    };
    try {
      await this.options.calls.accept({
        requestId: derivedUuid(`invoke|${ruleArn}|${at}`),
        functionName: entry.rule.functionName,
        payload: Buffer.from(JSON.stringify(event)),
      });
    } catch (error) {
      logger.error('a scheduled invocation could not be queued', { rule: entry.rule.name, function: entry.rule.functionName, error: String(error) });
    }
  }
}

/** A UUID (version 4 layout) that is the same wherever and however often it is derived from `seed`. */
export function derivedUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
