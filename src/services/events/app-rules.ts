/**
 * Buses and rules a flint.yaml app declares (`resources.buses`, `eventBridge` events), made with the API's own
 * operations so they are ordinary buses and rules: listed, described and changeable like ones made by the SDK (as
 * CloudFormation's are on AWS). Each carries the tag `flint:app = <app>`; a deploy states the whole truth for its
 * app, so its tagged rules and buses the manifest no longer declares are deleted.
 */
import { createHash } from 'node:crypto';
import type { Tag } from './api.js';
import { DEFAULT_BUS } from './arns.js';
import { createEventBus, deleteEventBus } from './buses.js';
import { deleteRule, putRule } from './rules.js';
import { putTargets, removeTargets } from './targets.js';
import type { EventsContext } from './types.js';

export const APP_TAG = 'flint:app';
/** EventBridge rule names are at most 64 characters. */
const MAX_RULE_NAME = 64;

/** A rule that delivers to one function of the app, from an `eventBridge` event. */
export interface AppRule {
  bus: string;
  functionName: string;
  /** Exactly one of eventPattern (JSON text) and scheduleExpression. */
  eventPattern?: string;
  scheduleExpression?: string;
}

interface NamedRule extends AppRule {
  name: string;
  functionArn: string;
  targetId: string;
}

/** `<app>-<function>-rule-<n>`, shortened with a digest when longer than EventBridge allows. */
export function appRuleName(app: string, functionName: string, n: number): string {
  const name = `${app}-${functionName}-rule-${n}`;
  if (name.length <= MAX_RULE_NAME) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_RULE_NAME - 9)}-${digest}`;
}

/** Rules are numbered per function in the order given: `<app>-<function>-rule-1`, `-2`... */
function named(ctx: EventsContext, app: string, rules: AppRule[]): NamedRule[] {
  const counts = new Map<string, number>();
  return rules.map((rule) => {
    const n = (counts.get(rule.functionName) ?? 0) + 1;
    counts.set(rule.functionName, n);
    const { region, accountId } = ctx.scope;
    return {
      ...rule,
      name: appRuleName(app, rule.functionName, n),
      functionArn: `arn:aws:lambda:${region}:${accountId}:function:${rule.functionName}`,
      targetId: rule.functionName.replace(/[^.\-_A-Za-z0-9]/g, '-').slice(0, 64),
    };
  });
}

export async function syncAppRules(ctx: EventsContext, app: string, buses: string[], declared: AppRule[]): Promise<void> {
  const tag: Tag = { Key: APP_TAG, Value: app };
  const rules = named(ctx, app, declared);
  for (const bus of buses) {
    const existing = await ctx.state.bus(bus);
    if (!existing) await createEventBus(ctx, { Name: bus, Tags: [tag] });
    else if (!owned(existing.tags, app)) await ctx.state.putBus({ ...existing, tags: [...existing.tags, tag] });
  }
  const wanted = new Set(rules.map((rule) => `${rule.bus}|${rule.name}`));
  for (const rule of rules) {
    await putRule(ctx, { Name: rule.name, EventBusName: rule.bus, EventPattern: rule.eventPattern, ScheduleExpression: rule.scheduleExpression, State: 'ENABLED', Tags: [tag] });
    const stored = await ctx.state.requireRule(rule.bus, rule.name);
    if (!owned(stored.tags, app)) await ctx.state.putRule({ ...stored, tags: [...stored.tags, tag] });
    const stale = stored.targets.filter((t) => t.Id !== rule.targetId).map((t) => t.Id);
    if (stale.length > 0) await removeTargets(ctx, { Rule: rule.name, EventBusName: rule.bus, Ids: stale });
    await putTargets(ctx, { Rule: rule.name, EventBusName: rule.bus, Targets: [{ Id: rule.targetId, Arn: rule.functionArn }] });
  }
  for (const rule of await ctx.state.allRules()) {
    if (!owned(rule.tags, app) || wanted.has(`${rule.bus}|${rule.name}`)) continue;
    if (rule.targets.length > 0) await removeTargets(ctx, { Rule: rule.name, EventBusName: rule.bus, Ids: rule.targets.map((t) => t.Id) });
    await deleteRule(ctx, { Name: rule.name, EventBusName: rule.bus });
  }
  for (const bus of await ctx.state.buses()) {
    if (bus.name !== DEFAULT_BUS && owned(bus.tags, app) && !buses.includes(bus.name)) await deleteEventBus(ctx, { Name: bus.name });
  }
}

function owned(tags: Tag[], app: string): boolean {
  return tags.some((t) => t.Key === APP_TAG && t.Value === app);
}
