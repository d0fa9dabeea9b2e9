import { grantsAccountOnly, namesCallerDirectly, statementApplies } from './match.js';
import type { AuthzRequest, Evaluation, MatchedStatement, PolicySet, SourcedPolicy } from './types.js';

/**
 * AWS's evaluation logic for one request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * 1. an explicit Deny in any policy that applies (identity-based, resource-based, permissions boundary, session
 *    policy) denies;
 * 2. across accounts, both an identity-based policy of the caller and the resource's policy must allow;
 * 3. in one account, an identity-based or a resource-based allow grants, limited by the permissions boundary and the
 *    session policies when they are set, except that a resource-based allow naming the caller's own ARN (a user, one
 *    role session) is not limited by them;
 * 4. anything else is an implicit deny.
 */
export function evaluate(request: AuthzRequest, policies: PolicySet): Evaluation {
  const all: SourcedPolicy[] = [...policies.identity, ...(policies.boundary ? [policies.boundary] : []), ...(policies.session ?? []), ...(policies.resource ? [policies.resource] : [])];
  const denies = all.flatMap((policy) => applying(policy, request, 'Deny'));
  if (denies.length > 0) return { decision: 'explicitDeny', matched: denies, deniedBy: denies[0]!.source.kind };
  const identity = policies.identity.flatMap((policy) => applying(policy, request, 'Allow'));
  const resource = policies.resource ? applying(policies.resource, request, 'Allow') : [];
  const owner = request.resourceAccount ?? request.principal?.accountId;
  if (request.principal === undefined || owner !== request.principal.accountId) {
    if (identity.length === 0 && request.principal !== undefined) return implicit('identity');
    if (resource.length === 0) return implicit('resource');
    return { decision: 'allowed', matched: [...identity, ...resource] };
  }
  const direct = resource.filter((m) => namesCallerDirectly(m.statement, request.principal));
  if (direct.length > 0) return { decision: 'allowed', matched: direct };
  // A grant to the account (its id or root) delegates to the account's identity-based policies: it grants nothing by itself.
  const granted = resource.filter((m) => !grantsAccountOnly(m.statement, request.principal));
  if (identity.length === 0 && granted.length === 0) return implicit('identity');
  const limits: MatchedStatement[] = [];
  if (policies.boundary) {
    const boundary = applying(policies.boundary, request, 'Allow');
    if (boundary.length === 0) return implicit('boundary');
    limits.push(...boundary);
  }
  if (policies.session) {
    const session = policies.session.flatMap((policy) => applying(policy, request, 'Allow'));
    if (session.length === 0) return implicit('session');
    limits.push(...session);
  }
  return { decision: 'allowed', matched: [...identity, ...granted, ...limits] };
}

function implicit(deniedBy: Evaluation['deniedBy']): Evaluation {
  return { decision: 'implicitDeny', matched: [], deniedBy };
}

/** The statements of a policy with the effect that apply to the request. */
function applying(sourced: SourcedPolicy, request: AuthzRequest, effect: 'Allow' | 'Deny'): MatchedStatement[] {
  const resourceBased = sourced.source.kind === 'resource';
  const matched: MatchedStatement[] = [];
  sourced.policy.statements.forEach((statement, index) => {
    if (statement.effect === effect && statementApplies(statement, sourced.policy, request, resourceBased)) matched.push({ source: sourced.source, index, statement });
  });
  return matched;
}

/**
 * The last words of AWS's AccessDenied message, naming why
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html#access_denied_error_messages).
 */
export function denialReason(evaluation: Evaluation, action: string): string {
  const kind = evaluation.deniedBy ?? 'identity';
  const policy = { identity: 'an identity-based policy', resource: 'a resource-based policy', boundary: 'a permissions boundary', session: 'a session policy' }[kind];
  if (evaluation.decision === 'explicitDeny') return `with an explicit deny in ${policy}`;
  const none = { identity: 'identity-based policy', resource: 'resource-based policy', boundary: 'permissions boundary', session: 'session policy' }[kind];
  return `because no ${none} allows the ${action} action`;
}

/** AWS's AccessDenied message: who, what, on which resource, and why. */
export function denialMessage(callerArn: string, request: Pick<AuthzRequest, 'action' | 'resource'>, evaluation: Evaluation): string {
  const on = request.resource === '*' ? '' : ` on resource: ${request.resource}`;
  return `User: ${callerArn} is not authorized to perform: ${request.action}${on} ${denialReason(evaluation, request.action)}`;
}
