import type {
  ListTargetsByRuleRequest,
  ListTargetsByRuleResponse,
  PutTargetsRequest,
  PutTargetsResponse,
  PutTargetsResultEntry,
  RemoveTargetsRequest,
  RemoveTargetsResponse,
  Target,
} from './api.js';
import { busNameOf, serviceOfArn } from './arns.js';
import { eventsError, validation } from './errors.js';
import { checkInput } from './input.js';
import { page } from './paging.js';
import type { EventsContext } from './types.js';

/**
 * Targets of a rule: PutTargets adds or replaces targets by Id (at most five per rule, EventBridge's quota),
 * RemoveTargets removes them, ListTargetsByRule pages them. Flint delivers to Lambda functions, SQS queues, SNS
 * topics and event buses; a target of another kind is reported in FailedEntries rather than stored and never
 * delivered.
 */
const MAX_TARGETS = 5;
const DELIVERABLE = new Set(['lambda', 'sqs', 'sns', 'events']);

export async function putTargets(ctx: EventsContext, input: PutTargetsRequest): Promise<PutTargetsResponse> {
  const bus = busNameOf(input.EventBusName);
  const rule = await ctx.state.requireRule(bus, input.Rule);
  const failed: PutTargetsResultEntry[] = [];
  const accepted: Target[] = [];
  for (const target of input.Targets) {
    checkTarget(target);
    const service = serviceOfArn(target.Arn);
    if (service === undefined || !DELIVERABLE.has(service)) {
      failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: `Flint does not deliver to ${service ?? 'this'} targets: ${target.Arn}` });
    } else {
      accepted.push(target);
    }
  }
  const ids = new Set(accepted.map((t) => t.Id));
  const targets = [...rule.targets.filter((t) => !ids.has(t.Id)), ...accepted];
  if (targets.length > MAX_TARGETS) throw eventsError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
  await ctx.state.putRule({ ...rule, targets });
  return { FailedEntryCount: failed.length, FailedEntries: failed };
}

export async function removeTargets(ctx: EventsContext, input: RemoveTargetsRequest): Promise<RemoveTargetsResponse> {
  const bus = busNameOf(input.EventBusName);
  const rule = await ctx.state.requireRule(bus, input.Rule);
  const ids = new Set(input.Ids);
  await ctx.state.putRule({ ...rule, targets: rule.targets.filter((t) => !ids.has(t.Id)) });
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export async function listTargetsByRule(ctx: EventsContext, input: ListTargetsByRuleRequest): Promise<ListTargetsByRuleResponse> {
  const rule = await ctx.state.requireRule(busNameOf(input.EventBusName), input.Rule);
  const { items, nextToken } = page(rule.targets, input.Limit, input.NextToken);
  return { Targets: items, NextToken: nextToken };
}

function checkTarget(target: Target): void {
  if (serviceOfArn(target.Arn) === undefined) throw validation(`Parameter ${target.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
  checkInput(target);
  if (serviceOfArn(target.Arn) === 'sqs' && target.Arn.endsWith('.fifo') && target.SqsParameters?.MessageGroupId === undefined) {
    throw validation(`Parameter(s) SqsParameters must be specified for target: ${target.Id}.`);
  }
  const deadLetter = target.DeadLetterConfig?.Arn;
  if (deadLetter !== undefined && serviceOfArn(deadLetter) !== 'sqs') {
    throw validation(`Parameter DeadLetterConfig.Arn is not valid. Reason: ${deadLetter} is not an SQS queue ARN.`);
  }
}
