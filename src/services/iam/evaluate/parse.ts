import type { Policy, PrincipalElement, Statement } from './types.js';

/**
 * Reads a policy document (JSON text, as IAM stores it) into statements. IAM checked the grammar when the policy was
 * stored; what does not parse here (a bucket policy written before, a malformed session policy) grants nothing.
 */
export function parsePolicy(document: string | Record<string, unknown>): Policy {
  let value: unknown = document;
  if (typeof document === 'string') {
    try {
      value = JSON.parse(document);
    } catch {
      return { statements: [], variables: false };
    }
  }
  if (!isRecord(value)) return { statements: [], variables: false };
  const raw = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
  const statements = raw.filter(isRecord).map(statementOf);
  return { statements, variables: value.Version === '2012-10-17' };
}

function statementOf(raw: Record<string, unknown>): Statement {
  const statement: Statement = { effect: String(raw.Effect) };
  if (typeof raw.Sid === 'string') statement.sid = raw.Sid;
  if (raw.Action !== undefined) statement.action = strings(raw.Action);
  if (raw.NotAction !== undefined) statement.notAction = strings(raw.NotAction);
  if (raw.Resource !== undefined) statement.resource = strings(raw.Resource);
  if (raw.NotResource !== undefined) statement.notResource = strings(raw.NotResource);
  if (raw.Principal !== undefined) statement.principal = principalOf(raw.Principal);
  if (raw.NotPrincipal !== undefined) statement.notPrincipal = principalOf(raw.NotPrincipal);
  if (isRecord(raw.Condition)) {
    statement.condition = Object.fromEntries(Object.entries(raw.Condition).filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1])));
  }
  return statement;
}

function principalOf(value: unknown): PrincipalElement {
  if (value === '*') return '*';
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([kind, entries]) => [kind, strings(entries)]));
}

export function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
