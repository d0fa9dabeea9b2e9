import { LIMITS } from '../../core/index.js';
import { constraintViolation, invalid } from './errors.js';

export const LATEST = '$LATEST';

export interface FunctionRef {
  name: string;
  /** Present when the ARN or name carried one ("name:prod", "arn:…:function:name:3"). */
  qualifier?: string;
}

const NAME_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
const REF = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([A-Za-z0-9_-]+)(?::(\$LATEST|[A-Za-z0-9_-]+))?$/;
const QUALIFIER = /^(\$LATEST|[A-Za-z0-9_-]{1,128})$/;
const VERSION = /^[0-9]+$/;
const ALIAS = /^(?!\d+$)[A-Za-z0-9_-]{1,128}$/;

/**
 * Reads what Lambda accepts wherever it takes a function name: a name, a partial ARN (123456789012:function:name)
 * or a full ARN, any of them optionally followed by :qualifier. Region and account in an ARN are not checked:
 * a Flint node answers for one of each.
 */
export function parseFunctionRef(input: string): FunctionRef {
  const match = REF.exec(input);
  const name = match?.[1];
  if (!match || !name) throw constraintViolation('functionName', input, `Member must satisfy regular expression pattern: ${NAME_PATTERN}`);
  if (name.length > LIMITS.functionName.max) {
    throw constraintViolation('functionName', input, `Member must have length less than or equal to ${LIMITS.functionName.max}`);
  }
  return match[2] === undefined ? { name } : { name, qualifier: match[2] };
}

/** Combines a qualifier in the name with one given separately; Lambda refuses two that disagree. */
export function refWithQualifier(input: string, qualifier?: string): FunctionRef {
  const ref = parseFunctionRef(input);
  if (qualifier === undefined || qualifier === '') return ref;
  if (!QUALIFIER.test(qualifier)) {
    throw constraintViolation('qualifier', qualifier, 'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)');
  }
  if (ref.qualifier !== undefined && ref.qualifier !== qualifier) {
    throw invalid('The derived qualifier from the function name does not match the specified qualifier.', 'value');
  }
  return { name: ref.name, qualifier };
}

/** For operations on the function itself (configuration, code, concurrency), which refuse versions and aliases. */
export function unqualifiedName(input: string): string {
  const ref = parseFunctionRef(input);
  if (ref.qualifier !== undefined) {
    throw invalid(
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
      'value',
    );
  }
  return ref.name;
}

export function isVersion(qualifier: string): boolean {
  return VERSION.test(qualifier);
}

export function isAliasName(name: string): boolean {
  return ALIAS.test(name);
}

export interface ArnScope {
  region: string;
  accountId: string;
}

export function functionArn(scope: ArnScope, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}
