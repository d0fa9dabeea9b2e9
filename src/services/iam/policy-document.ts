import { limitExceeded, malformedPolicy } from './errors.js';

/**
 * Policy documents are stored as the client sent them (IAM keeps the text, whitespace included) and checked as
 * IAM checks them before it stores one: JSON first ("This policy contains invalid Json", recorded in
 * test_create_role_with_malformed_assume_role_policy_document), then the grammar of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html. Identity policies (managed and
 * inline) must name actions and resources and no principal; trust policies must name a principal and no resource.
 * Evaluating policies belongs to a later issue.
 */
export type PolicyKind = 'identity' | 'managed' | 'trust';

const VERSIONS = new Set(['2008-10-17', '2012-10-17']);
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const SYNTAX = 'Syntax errors in policy.';

/** The largest managed policy, counted without whitespace (IAM's PolicySize quota). */
export const MANAGED_POLICY_SIZE = 6144;
/** The largest trust policy (IAM's ACLSizePerRole quota, default). */
export const TRUST_POLICY_SIZE = 2048;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Throws IAM's MalformedPolicyDocument (or LimitExceeded for size) unless `text` is a valid policy of `kind`. */
export function checkPolicyDocument(text: string, kind: PolicyKind): void {
  const document = parse(text);
  if (!isObject(document) || Object.keys(document).some((key) => !TOP_LEVEL.has(key))) throw malformedPolicy(SYNTAX);
  const version = document.Version;
  if (version !== undefined && (typeof version !== 'string' || !VERSIONS.has(version))) throw malformedPolicy('The policy failed legacy parsing');
  // Policy variables need the 2012-10-17 grammar (reference_policies_variables.html).
  if (version !== '2012-10-17' && text.includes('${')) throw malformedPolicy('Policy document must be version 2012-10-17 or greater.');
  const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement === undefined ? [] : [document.Statement];
  if (statements.length === 0) throw malformedPolicy(SYNTAX);
  const sids = new Set<string>();
  for (const statement of statements) {
    if (!isObject(statement) || Object.keys(statement).some((key) => !STATEMENT_KEYS.has(key))) throw malformedPolicy(SYNTAX);
    checkStatement(statement, kind);
    if (typeof statement.Sid === 'string' && statement.Sid !== '') {
      if (sids.has(statement.Sid)) throw malformedPolicy('Statement IDs (SID) in a single policy must be unique.');
      sids.add(statement.Sid);
    }
  }
  if (kind === 'managed' && nonWhitespaceLength(text) > MANAGED_POLICY_SIZE) throw limitExceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY_SIZE}`);
  if (kind === 'trust' && nonWhitespaceLength(text) > TRUST_POLICY_SIZE) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_SIZE}`);
}

function checkStatement(statement: { [key: string]: Json }, kind: PolicyKind): void {
  if (statement.Sid !== undefined && typeof statement.Sid !== 'string') throw malformedPolicy(SYNTAX);
  if (statement.Effect === undefined && kind === 'trust') throw malformedPolicy('Missing required field Effect');
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw malformedPolicy(SYNTAX);
  const actions = statement.Action ?? statement.NotAction;
  if (actions === undefined) throw malformedPolicy('Policy statement must contain actions.');
  if (!isStringOrStrings(actions)) throw malformedPolicy(SYNTAX);
  for (const action of [actions].flat() as string[]) {
    if (action !== '*' && !/^[A-Za-z0-9-]+:/.test(action)) throw malformedPolicy('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  }
  const resources = statement.Resource ?? statement.NotResource;
  if (resources !== undefined && !isStringOrStrings(resources)) throw malformedPolicy(SYNTAX);
  if (statement.Condition !== undefined && !isObject(statement.Condition)) throw malformedPolicy(SYNTAX);
  const principal = statement.Principal ?? statement.NotPrincipal;
  if (kind === 'trust') {
    if (resources !== undefined) throw malformedPolicy(`Has prohibited field ${statement.Resource === undefined ? 'NotResource' : 'Resource'}`);
    if (principal === undefined) throw malformedPolicy('Missing required field Principal');
    if (principal !== '*' && !isObject(principal)) throw malformedPolicy(SYNTAX);
    return;
  }
  if (principal !== undefined) throw malformedPolicy('Policy document should not specify a principal.');
  if (resources === undefined) throw malformedPolicy('Policy statement must contain resources.');
}

function parse(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw malformedPolicy('This policy contains invalid Json');
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringOrStrings(value: Json): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
}

export function nonWhitespaceLength(text: string): number {
  return text.replace(/\s/g, '').length;
}

/** IAM returns policy documents percent-encoded (RFC 3986); botocore decodes them, the SDK v3 leaves that to the caller. */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text);
}
