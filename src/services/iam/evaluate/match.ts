import { wildcardMatch } from '../../../core/index.js';
import { conditionsHold } from './conditions.js';
import type { AuthzRequest, Policy, PrincipalElement, RequestPrincipal, Statement } from './types.js';
import { substitute } from './variables.js';

/**
 * Whether a statement applies to a request: its principal (resource-based policies only), action, resource and
 * conditions all match; NotPrincipal, NotAction and NotResource match what they do not name. Actions compare without
 * case, ARNs with it. An identity-based statement names no principal; a resource-based one must.
 */
export function statementApplies(statement: Statement, policy: Policy, request: AuthzRequest, resourceBased: boolean): boolean {
  if (resourceBased && !either(statement.principal, statement.notPrincipal, (p) => principalMatches(p, request.principal))) return false;
  if (!either(statement.action, statement.notAction, (actions) => actions.some((a) => wildcardMatch(a, request.action, true)))) return false;
  const resourceMatches = (patterns: string[]): boolean => patterns.some((pattern) => resourcePatternMatches(pattern, policy, request));
  // A resource-based statement may leave Resource out: it means the resource the policy is attached to.
  if ((statement.resource !== undefined || statement.notResource !== undefined || !resourceBased) && !either(statement.resource, statement.notResource, resourceMatches)) return false;
  return conditionsHold(statement.condition, request.context, policy.variables);
}

function resourcePatternMatches(pattern: string, policy: Policy, request: AuthzRequest): boolean {
  const text = policy.variables ? substitute(pattern, request.context) : pattern;
  return text !== undefined && wildcardMatch(text, request.resource, false);
}

function either<T>(element: T | undefined, notElement: T | undefined, matches: (value: T) => boolean): boolean {
  if (element !== undefined) return matches(element);
  if (notElement !== undefined) return !matches(notElement);
  return false;
}

/** "*", {"AWS": "*" | account id | ARN}, {"CanonicalUser": id}; service and federated principals never call here. */
function principalMatches(element: PrincipalElement, principal: RequestPrincipal | undefined): boolean {
  if (element === '*') return true;
  if ((element.AWS ?? []).some((entry) => awsEntryMatches(entry, principal))) return true;
  return principal?.canonicalId !== undefined && (element.CanonicalUser ?? []).includes(principal.canonicalId);
}

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;
const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/**
 * An entry of "AWS": everyone ("*"), an account (its id or root ARN: any principal of it), a role (the role and any of
 * its sessions), or an exact principal ARN (a user, one role session).
 */
export function awsEntryMatches(entry: string, principal: RequestPrincipal | undefined): boolean {
  if (entry === '*') return true;
  if (!principal) return false;
  if (ACCOUNT_ID.test(entry)) return entry === principal.accountId;
  const root = ROOT_ARN.exec(entry);
  if (root) return root[1] === principal.accountId;
  const role = ROLE_ARN.exec(entry);
  if (role) return entry === principal.roleArn || principal.arn.startsWith(`arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/`);
  return entry === principal.arn;
}

/** Whether a resource-based statement names the caller itself (its user ARN or its exact session ARN). */
export function namesCallerDirectly(statement: Statement, principal: RequestPrincipal | undefined): boolean {
  if (!principal || statement.principal === undefined || statement.principal === '*') return false;
  return (statement.principal.AWS ?? []).includes(principal.arn);
}

/** Whether a resource-based statement reaches the caller only through an account entry (id or root ARN). */
export function grantsAccountOnly(statement: Statement, principal: RequestPrincipal | undefined): boolean {
  if (!principal || statement.principal === undefined || statement.principal === '*') return false;
  const reaching = (statement.principal.AWS ?? []).filter((entry) => awsEntryMatches(entry, principal));
  return reaching.length > 0 && reaching.every((entry) => ACCOUNT_ID.test(entry) || ROOT_ARN.test(entry));
}
