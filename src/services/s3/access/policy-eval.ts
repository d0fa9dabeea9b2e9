import { wildcardMatch } from '../../../core/index.js';
import { conditionsHold, type ConditionKeys } from './conditions.js';
import type { Requester } from './requester.js';

/** A requester a bucket policy is evaluated for: nobody, or a principal of another account. */
export type Outsider = Extract<Requester, { kind: 'anonymous' | 'account' }>;

/** One request as a bucket policy sees it. */
export interface PolicyRequest {
  requester: Outsider;
  /** s3:GetObject, s3:ListBucket, ... */
  action: string;
  /** arn:aws:s3:::bucket or arn:aws:s3:::bucket/key */
  resource: string;
  keys: ConditionKeys;
}

/** What a policy says about a request: an explicit Deny wins over any Allow; neither leaves it to the ACLs. */
export type PolicyDecision = 'deny' | 'allow' | 'none';

type Statement = Record<string, unknown>;

/**
 * Evaluates a bucket policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * a statement applies when its principal, action, resource and conditions all match (NotPrincipal, NotAction and
 * NotResource match what they do not name).
 */
export function evaluatePolicy(text: string | undefined, request: PolicyRequest): PolicyDecision {
  if (text === undefined) return 'none';
  let decision: PolicyDecision = 'none';
  for (const statement of statementsOf(text)) {
    if (!applies(statement, request)) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') decision = 'allow';
  }
  return decision;
}

export function statementsOf(text: string): Statement[] {
  try {
    const policy = JSON.parse(text) as { Statement?: unknown };
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    return statements.filter((s): s is Statement => typeof s === 'object' && s !== null);
  } catch {
    return [];
  }
}

function applies(statement: Statement, request: PolicyRequest): boolean {
  return (
    either(statement.Principal, statement.NotPrincipal, (p) => principalMatches(p, request.requester)) &&
    either(statement.Action, statement.NotAction, (a) => strings(a).some((action) => wildcardMatch(action, request.action, true))) &&
    either(statement.Resource, statement.NotResource, (r) => strings(r).some((resource) => wildcardMatch(resource, request.resource, false))) &&
    conditionsHold(statement.Condition, request.keys)
  );
}

/** The element's match, or the negation of its Not- form's; a statement with neither applies to nothing. */
function either(element: unknown, notElement: unknown, matches: (value: unknown) => boolean): boolean {
  if (element !== undefined) return matches(element);
  if (notElement !== undefined) return !matches(notElement);
  return false;
}

/** "*", {"AWS": "*" | account id | ARN}, {"CanonicalUser": id}; services and federated principals are never callers here. */
function principalMatches(principal: unknown, requester: Outsider): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const named = principal as Record<string, unknown>;
  if (strings(named.AWS).some((entry) => awsPrincipalMatches(entry, requester))) return true;
  return requester.kind === 'account' && strings(named.CanonicalUser).includes(requester.canonicalId);
}

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;
const ROLE_ARN = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/**
 * An entry of "AWS": everyone, an account (its id or root ARN: any principal of it), a role (any of its sessions,
 * arn:aws:sts::ACCT:assumed-role/Role/...), or an exact principal ARN.
 */
function awsPrincipalMatches(entry: string, requester: Outsider): boolean {
  if (entry === '*') return true;
  if (requester.kind !== 'account') return false;
  if (ACCOUNT_ID.test(entry)) return entry === requester.accountId;
  const root = ROOT_ARN.exec(entry);
  if (root) return root[1] === requester.accountId;
  const role = ROLE_ARN.exec(entry);
  if (role) return requester.arn.startsWith(`arn:aws:sts::${role[1]}:assumed-role/${role[2]}/`);
  return entry === requester.arn;
}

function strings(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * A public policy, as the public access block judges one: a statement allowing everyone ("*") without a condition
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
 */
export function isPublicStatement(statement: Statement): boolean {
  if (statement.Effect !== 'Allow' || statement.Condition !== undefined) return false;
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return strings((principal as Record<string, unknown>).AWS).includes('*');
}
