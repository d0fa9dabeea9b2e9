import { isFlintError } from '../../core/index.js';
import { parseSchedule, PatternError } from '../../events/index.js';
import type {
  DeleteRuleRequest,
  DescribeRuleRequest,
  DescribeRuleResponse,
  DisableRuleRequest,
  EnableRuleRequest,
  ListRuleNamesByTargetRequest,
  ListRuleNamesByTargetResponse,
  ListRulesRequest,
  ListRulesResponse,
  PutRuleRequest,
  PutRuleResponse,
  Rule,
} from './api.js';
import { busNameOf, DEFAULT_BUS, ruleArn } from './arns.js';
import { invalidPattern, validation } from './errors.js';
import { page } from './paging.js';
import type { RuleRecord } from './records.js';
import { ruleKey } from './state.js';
import type { EventsContext } from './types.js';

/**
 * Rules: PutRule creates or replaces one (what an update leaves out is cleared, as EventBridge documents; its
 * targets and tags stay), with an event pattern, a schedule expression (default bus only) or both.
 */
export async function putRule(ctx: EventsContext, input: PutRuleRequest): Promise<PutRuleResponse> {
  const bus = busNameOf(input.EventBusName);
  await ctx.state.requireBus(bus);
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (input.ScheduleExpression !== undefined) checkSchedule(input.ScheduleExpression, bus);
  if (input.EventPattern !== undefined) checkPattern(ctx, input.EventPattern);
  const existing = await ctx.state.rule(bus, input.Name);
  const keepsPhase = existing?.scheduleExpression !== undefined && existing.scheduleExpression === input.ScheduleExpression;
  const rule: RuleRecord = {
    name: input.Name,
    bus,
    state: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    createdAt: keepsPhase ? existing.createdAt : ctx.clock.now(),
    tags: existing?.tags ?? input.Tags ?? [],
    targets: existing?.targets ?? [],
  };
  if (input.EventPattern !== undefined) rule.eventPattern = input.EventPattern;
  if (input.ScheduleExpression !== undefined) rule.scheduleExpression = input.ScheduleExpression;
  if (input.Description !== undefined) rule.description = input.Description;
  if (input.RoleArn !== undefined) rule.roleArn = input.RoleArn;
  await ctx.state.putRule(rule);
  ctx.ruleChanged(rule, ruleKey(bus, rule.name));
  return { RuleArn: ruleArn(ctx.scope, bus, rule.name) };
}

export async function describeRule(ctx: EventsContext, input: DescribeRuleRequest): Promise<DescribeRuleResponse> {
  const rule = await ctx.state.requireRule(busNameOf(input.EventBusName), input.Name);
  return { ...view(ctx, rule), CreatedBy: ctx.scope.accountId };
}

export async function listRules(ctx: EventsContext, input: ListRulesRequest): Promise<ListRulesResponse> {
  const bus = busNameOf(input.EventBusName);
  await ctx.state.requireBus(bus);
  const rules = (await ctx.state.rules(bus)).filter((rule) => input.NamePrefix === undefined || rule.name.startsWith(input.NamePrefix));
  const { items, nextToken } = page(rules, input.Limit, input.NextToken);
  return { Rules: items.map((rule) => view(ctx, rule)), NextToken: nextToken };
}

export async function setRuleState(ctx: EventsContext, input: EnableRuleRequest | DisableRuleRequest, state: RuleRecord['state']): Promise<void> {
  const bus = busNameOf(input.EventBusName);
  const rule = await ctx.state.requireRule(bus, input.Name);
  const next = { ...rule, state };
  await ctx.state.putRule(next);
  ctx.ruleChanged(next, ruleKey(bus, rule.name));
}

/** Deleting a rule that is not there succeeds; one with targets is refused until they are removed. */
export async function deleteRule(ctx: EventsContext, input: DeleteRuleRequest): Promise<void> {
  const bus = busNameOf(input.EventBusName);
  const rule = await ctx.state.rule(bus, input.Name);
  if (!rule) return;
  if (rule.targets.length > 0) throw validation("Rule can't be deleted since it has targets.");
  await ctx.state.deleteRule(bus, input.Name);
  ctx.ruleChanged(undefined, ruleKey(bus, input.Name));
}

export async function listRuleNamesByTarget(ctx: EventsContext, input: ListRuleNamesByTargetRequest): Promise<ListRuleNamesByTargetResponse> {
  const bus = busNameOf(input.EventBusName);
  await ctx.state.requireBus(bus);
  const names = (await ctx.state.rules(bus)).filter((rule) => rule.targets.some((t) => t.Arn === input.TargetArn)).map((rule) => rule.name);
  const { items, nextToken } = page(names, input.Limit, input.NextToken);
  return { RuleNames: items, NextToken: nextToken };
}

function view(ctx: EventsContext, rule: RuleRecord): Rule {
  return {
    Name: rule.name,
    Arn: ruleArn(ctx.scope, rule.bus, rule.name),
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    ManagedBy: rule.managedBy,
    EventBusName: rule.bus,
  };
}

function checkSchedule(expression: string, bus: string): void {
  if (bus !== DEFAULT_BUS) throw validation('ScheduleExpression is supported only on the default event bus.');
  try {
    parseSchedule(expression);
  } catch (error) {
    if (isFlintError(error, 'INVALID_PARAMETER')) throw validation('Parameter ScheduleExpression is not valid.');
    throw error;
  }
}

function checkPattern(ctx: EventsContext, text: string): void {
  try {
    ctx.pattern(text);
  } catch (error) {
    if (error instanceof PatternError) throw invalidPattern(error.reason);
    throw error;
  }
}
