/**
 * The policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy), answering from the evaluator that enforcement
 * uses (evaluate/), so what it says is what a request gets. Answers as IAM's
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html): one EvaluationResult per
 * action and resource ("*" when none is given), EvalDecision allowed / explicitDeny / implicitDeny, the statements
 * that decided it as MatchedStatements (without their positions in the document). Missing context values are not
 * computed.
 */
import type { Handlers } from '../../protocol/index.js';
import type { ContextEntry, EvaluationResult, Operations, SimulateCustomPolicyRequest, SimulatePolicyResponse, Statement as ApiStatement } from './api.js';
import { principalSet } from './caller-policies.js';
import type { IamCall, IamContext } from './context.js';
import { invalidInput } from './errors.js';
import { evaluate, parsePolicy, type AuthzRequest, type Evaluation, type PolicySet, type RequestPrincipal, type SourcedPolicy } from './evaluate/index.js';
import { pageInOrder } from './paging.js';

/** What both simulations share: the request's actions, resources, resource policy, caller and context. */
type SimulationInput = Omit<SimulateCustomPolicyRequest, 'PolicyInputList' | 'PermissionsBoundaryPolicyInputList'>;

export const SIMULATE_HANDLERS: Handlers<Operations, IamCall> = {
  async SimulatePrincipalPolicy(input, { iam }) {
    const source = sourceOf(input.PolicySourceArn);
    const set = await principalSet(iam, source.kind, source.name);
    const extra = (input.PolicyInputList ?? []).map((text, i) => inputPolicy(text, 'identity', `PolicyInputList.${i + 1}`));
    const boundaries = input.PermissionsBoundaryPolicyInputList?.map((text, i) => inputPolicy(text, 'boundary', `PermissionsBoundaryPolicyInputList.${i + 1}`));
    const policies: PolicySet = { identity: [...set.identity, ...extra], ...(boundaries?.[0] ?? set.boundary ? { boundary: boundaries?.[0] ?? set.boundary } : {}) };
    const caller = input.CallerArn ?? (source.kind === 'group' ? undefined : input.PolicySourceArn);
    return simulate(iam, input, policies, caller);
  },

  async SimulateCustomPolicy(input, { iam }) {
    const identity = input.PolicyInputList.map((text, i) => inputPolicy(text, 'identity', `PolicyInputList.${i + 1}`));
    const boundary = input.PermissionsBoundaryPolicyInputList?.map((text, i) => inputPolicy(text, 'boundary', `PermissionsBoundaryPolicyInputList.${i + 1}`))[0];
    return simulate(iam, input, boundary ? { identity, boundary } : { identity }, input.CallerArn);
  },
};

function simulate(iam: IamContext, input: SimulationInput, policies: PolicySet, callerArn: string | undefined): SimulatePolicyResponse {
  const resource: SourcedPolicy | undefined = input.ResourcePolicy === undefined ? undefined : { source: { kind: 'resource', id: 'ResourcePolicy', type: 'resource' }, policy: parsePolicy(input.ResourcePolicy) };
  const principal = callerArn === undefined ? undefined : principalOf(iam, callerArn);
  const context = contextOf(input.ContextEntries ?? [], principal);
  // Without a caller, the policies are judged as a principal of the account's own would be.
  const subject = principal ?? { arn: `arn:${iam.partition}:iam::${iam.accountId}:root`, accountId: iam.accountId, userId: iam.accountId };
  const resourceAccount = /(\d{12})/.exec(input.ResourceOwner ?? '')?.[1];
  const results: EvaluationResult[] = [];
  for (const action of input.ActionNames) {
    for (const arn of input.ResourceArns ?? ['*']) {
      const request: AuthzRequest = { action, resource: arn, context, principal: subject, ...(resourceAccount ? { resourceAccount } : {}) };
      const evaluation = evaluate(request, { ...policies, ...(resource ? { resource } : {}) });
      results.push(resultOf(action, arn, evaluation, policies));
    }
  }
  const { items, ...more } = pageInOrder(results, input.Marker, input.MaxItems);
  return { EvaluationResults: items, ...more };
}

function resultOf(action: string, resource: string, evaluation: Evaluation, policies: PolicySet): EvaluationResult {
  const matched: ApiStatement[] = evaluation.matched.map((m) => ({ SourcePolicyId: m.source.id, SourcePolicyType: m.source.type ?? 'none' }));
  const result: EvaluationResult = { EvalActionName: action, EvalResourceName: resource, EvalDecision: evaluation.decision, MatchedStatements: matched, MissingContextValues: [] };
  if (policies.boundary) result.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: evaluation.deniedBy !== 'boundary' };
  return result;
}

function inputPolicy(text: string, kind: 'identity' | 'boundary', id: string): SourcedPolicy {
  return { source: { kind, id, type: 'IAM Policy' }, policy: parsePolicy(text) };
}

const SOURCE_ARN = /^arn:[^:]+:iam::\d{12}:(user|role|group)\/(?:.*\/)?([^/]+)$/;

function sourceOf(arn: string): { kind: 'user' | 'role' | 'group'; name: string } {
  const match = SOURCE_ARN.exec(arn);
  if (!match) throw invalidInput(`Invalid Entity Arn: ${arn} does not clearly define entity type and name.`);
  return { kind: match[1] as 'user' | 'role' | 'group', name: match[2]! };
}

function principalOf(iam: IamContext, arn: string): RequestPrincipal {
  const accountId = /:(\d{12}):/.exec(arn)?.[1] ?? iam.accountId;
  return { arn, accountId, userId: arn, ...(/:role\//.test(arn) ? { roleArn: arn } : {}) };
}

/** The request context: the caller's keys, then the entries given (which win). */
function contextOf(entries: readonly ContextEntry[], principal: RequestPrincipal | undefined): Map<string, string | string[]> {
  const context = new Map<string, string | string[]>();
  if (principal) {
    context.set('aws:principalarn', principal.arn);
    context.set('aws:principalaccount', principal.accountId);
    const user = /:user\/(?:.*\/)?([^/]+)$/.exec(principal.arn);
    if (user) context.set('aws:username', user[1]!);
  }
  for (const entry of entries) {
    if (!entry.ContextKeyName) continue;
    const values = entry.ContextKeyValues ?? [];
    context.set(entry.ContextKeyName.toLowerCase(), entry.ContextKeyType?.endsWith('List') ? values : (values[0] ?? ''));
  }
  return context;
}
