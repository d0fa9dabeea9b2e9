import { createHash } from 'node:crypto';
import type { Timer } from '../../core/index.js';
import { nextFire, parseSchedule } from '../../events/index.js';
import { ruleArn } from './arns.js';
import type { RuleRecord } from './records.js';
import { deliveriesFor, isoSeconds, store, type Envelope } from './routing.js';
import type { EventsContext } from './types.js';

/**
 * Rules with a schedule expression fire on the node's clock: at each firing every target of the rule gets the
 * "Scheduled Event" envelope (source aws.events, resources [the rule's ARN], detail {}), stored as durable
 * deliveries. A rate counts its periods from the rule's creation; firings missed while the node was down are not
 * replayed, as EventBridge does not replay them. The event id and delivery ids derive from the rule and the
 * instant, so nodes sharing a store that fire the same instant store one delivery per target.
 */
const MAX_WAIT_MS = 86_400_000;

export class ScheduledRules {
  private readonly timers = new Map<string, Timer>();
  private closed = false;

  constructor(private readonly ctx: () => EventsContext) {}

  async start(): Promise<void> {
    for (const rule of await this.ctx().state.allRules()) this.arm(rule, `${rule.bus}|${rule.name}`);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /** (Re-)arms a rule after a change; undefined disarms it. */
  arm(rule: RuleRecord | undefined, key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    if (this.closed || !rule || rule.state !== 'ENABLED' || rule.scheduleExpression === undefined) return;
    this.plan(rule, key, this.ctx().clock.now());
  }

  private plan(rule: RuleRecord, key: string, after: number): void {
    const { clock, logger } = this.ctx();
    let at: number | undefined;
    try {
      at = nextFire(parseSchedule(rule.scheduleExpression!), after, rule.createdAt);
    } catch {
      logger.warn('ignoring a stored rule whose schedule does not parse', { rule: rule.name, expression: rule.scheduleExpression });
    }
    if (at === undefined) return;
    const due = at;
    this.timers.set(
      key,
      clock.setTimer(Math.min(due - clock.now(), MAX_WAIT_MS), () => {
        if (clock.now() < due) return this.plan(rule, key, after);
        void this.fire(rule, due);
        this.plan(rule, key, Math.max(due, clock.now()));
      }),
    );
  }

  private async fire(scheduled: RuleRecord, at: number): Promise<void> {
    const ctx = this.ctx();
    try {
      // The targets as they are now: PutTargets does not re-arm the timer.
      const rule = await ctx.state.rule(scheduled.bus, scheduled.name);
      if (!rule || rule.state !== 'ENABLED' || rule.targets.length === 0) return;
      const arn = ruleArn(ctx.scope, rule.bus, rule.name);
      const event: Envelope = {
        version: '0',
        id: stableUuid(`${arn}@${at}`),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: ctx.scope.accountId,
        time: isoSeconds(at),
        region: ctx.scope.region,
        resources: [arn],
        detail: {},
      };
      await store(ctx, deliveriesFor(ctx, rule, event, 0));
    } catch (error) {
      ctx.logger.error('a scheduled rule could not store its deliveries', { rule: scheduled.name, error: String(error) });
    }
  }
}

/** A UUID-shaped id that is the same wherever it is derived from the same seed. */
function stableUuid(seed: string): string {
  const digest = createHash('sha1').update(seed).digest('hex').slice(0, 32).split('');
  digest[12] = '5';
  digest[16] = ((parseInt(digest[16]!, 16) & 0x3) | 0x8).toString(16);
  const hex = digest.join('');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}
