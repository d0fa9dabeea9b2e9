import { parsePolicy, statementApplies, type ContextValues, type Policy, type RequestPrincipal } from '../../iam/index.js';
import type { Requester } from './requester.js';

/** A requester a bucket policy is evaluated for: nobody, or a principal of another account. */
export type Outsider = Extract<Requester, { kind: 'anonymous' | 'account' }>;

/** The condition keys of one request, by lower-cased name (aws:sourceip, s3:prefix, ...); absent keys are missing. */
export type ConditionKeys = ContextValues;

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
 * Evaluates a bucket policy with IAM's evaluator (services/iam/evaluate): a statement applies when its principal,
 * action, resource and conditions all match; an explicit Deny wins.
 */
export function evaluatePolicy(text: string | undefined, request: PolicyRequest): PolicyDecision {
  if (text === undefined) return 'none';
  const policy: Policy = parsePolicy(text);
  const principal: RequestPrincipal | undefined =
    request.requester.kind === 'account' ? { arn: request.requester.arn, accountId: request.requester.accountId, userId: request.requester.arn, canonicalId: request.requester.canonicalId, ...roleOf(request.requester.arn) } : undefined;
  const authz = { action: request.action, resource: request.resource, context: request.keys, ...(principal ? { principal } : {}) };
  let decision: PolicyDecision = 'none';
  for (const statement of policy.statements) {
    if (!statementApplies(statement, policy, authz, true)) continue;
    if (statement.effect === 'Deny') return 'deny';
    if (statement.effect === 'Allow') decision = 'allow';
  }
  return decision;
}

/** The role of a role session's ARN (arn:aws:sts::A:assumed-role/R/s → arn:aws:iam::A:role/R). */
function roleOf(arn: string): { roleArn?: string } {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return session ? { roleArn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` } : {};
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

/**
 * A public policy, as the public access block judges one: a statement allowing everyone ("*") without a condition
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
 */
export function isPublicStatement(statement: Statement): boolean {
  if (statement.Effect !== 'Allow' || statement.Condition !== undefined) return false;
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as Record<string, unknown>).AWS;
  return (Array.isArray(aws) ? aws : [aws]).includes('*');
}
