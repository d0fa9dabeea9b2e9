/**
 * The IAM policy a REST (or HTTP API 1.0) Lambda authorizer answers with, evaluated for one method ARN: an explicit
 * Deny wins, then an Allow, otherwise the caller is not authorized. Actions and resources take IAM's wildcards
 * (`*` any run of characters, `?` one character), matched case-sensitively as API Gateway does for method ARNs.
 */
import { wildcardMatch } from '../../core/index.js';

export interface PolicyStatement {
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[] | PolicyStatement;
}

export type PolicyEffect = 'allow' | 'deny' | 'none';

export function evaluatePolicy(policy: PolicyDocument, action: string, resource: string): PolicyEffect {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  let allowed = false;
  for (const statement of statements) {
    if (!matchesAny(statement.Action, action, true) || !matchesAny(statement.Resource, resource, false)) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'none';
}

function matchesAny(patterns: unknown, value: string, ignoreCase: boolean): boolean {
  const list = typeof patterns === 'string' ? [patterns] : Array.isArray(patterns) ? patterns : [];
  return list.some((pattern) => typeof pattern === 'string' && wildcardMatch(pattern, value, ignoreCase));
}
