import type { EnqueueItem } from '../../storage/index.js';
import { ruleArn } from './arns.js';
import { DELIVERY_QUEUE, type Delivery } from './deliveries.js';
import { renderInput } from './input.js';
import type { RuleRecord } from './records.js';
import type { EventsContext } from './types.js';

/**
 * Which targets an event goes to: every enabled rule of its bus whose pattern matches, and each of that rule's
 * targets, as one durable delivery item. Item ids derive from the event and the target, so storing the same
 * routing twice (a retried forward, two nodes firing one schedule) stores it once.
 */
export type Envelope = Record<string, unknown> & { id: string };

const DEFAULT_MAX_RETRIES = 185;
const DEFAULT_MAX_AGE_S = 86_400;
/** EventBridge stops events that loop between buses; Flint stops them after this many buses. */
export const MAX_HOPS = 5;

export async function routeToBus(ctx: EventsContext, bus: string, events: readonly Envelope[], hops: number): Promise<number> {
  if (events.length === 0 || hops >= MAX_HOPS) return 0;
  const rules = (await ctx.state.rules(bus)).filter((rule) => rule.state === 'ENABLED' && rule.eventPattern !== undefined && rule.targets.length > 0);
  const items: EnqueueItem[] = [];
  for (const event of events) {
    for (const rule of rules) {
      if (ctx.pattern(rule.eventPattern!).matches(event)) items.push(...deliveriesFor(ctx, rule, event, hops));
    }
  }
  return store(ctx, items);
}

export async function store(ctx: EventsContext, items: EnqueueItem[]): Promise<number> {
  if (items.length === 0) return 0;
  await ctx.queues.enqueue(DELIVERY_QUEUE, items);
  ctx.delivered();
  return items.length;
}

export function deliveriesFor(ctx: EventsContext, rule: RuleRecord, event: Envelope, hops: number): EnqueueItem[] {
  const arn = ruleArn(ctx.scope, rule.bus, rule.name);
  const now = ctx.clock.now();
  const eventText = JSON.stringify(event);
  const items: EnqueueItem[] = [];
  for (const target of rule.targets) {
    const body = renderInput(target, event, { ruleArn: arn, ruleName: rule.name, ingestionTime: isoSeconds(now) });
    if (body === undefined) {
      ctx.logger.warn('an input transformer rendered a JSON template that is not JSON; the event is not delivered', { rule: arn, target: target.Id });
      continue;
    }
    const delivery: Delivery = {
      ruleArn: arn,
      targetId: target.Id,
      targetArn: target.Arn,
      body,
      event: eventText,
      eventId: event.id,
      maxRetries: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRIES,
      expiresAt: now + (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000,
      hops,
    };
    if (target.SqsParameters?.MessageGroupId !== undefined) delivery.messageGroupId = target.SqsParameters.MessageGroupId;
    if (target.DeadLetterConfig?.Arn !== undefined) delivery.deadLetterArn = target.DeadLetterConfig.Arn;
    items.push({ id: `${event.id}|${arn}|${target.Id}`, body: JSON.stringify(delivery) });
  }
  return items;
}

/** EventBridge's event times: ISO 8601 in UTC to the second ("2022-07-13T13:48:01Z"). */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
