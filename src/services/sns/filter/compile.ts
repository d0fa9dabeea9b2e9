import type { FlintError } from '../../../core/index.js';
import { snsError } from '../errors.js';
import { parseCidr } from './cidr.js';
import { parseNumeric } from './numeric.js';
import type { CompiledPolicy, Condition, FilterPolicyScope, Rule } from './types.js';

/**
 * Validates a filter policy as SNS does and compiles it for matching. Messages follow SNS (whose rule compiler
 * is AWS's Event Ruler): "Invalid parameter: FilterPolicy: …" from SetSubscriptionAttributes, "Invalid parameter:
 * Attributes Reason: FilterPolicy: …" from Subscribe. SNS appends a Jackson source location ("\n at [Source: …;
 * line: 1, column: N]") to some of them; Flint does not.
 */
export interface CompileOptions {
  scope: FilterPolicyScope;
  /** "Invalid parameter: " or "Invalid parameter: Attributes Reason: ". */
  errorPrefix: string;
}

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const RESERVED_IN_OR = new Set(['exact', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'numeric', 'cidr', 'wildcard']);

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export function compileFilterPolicy(text: string, options: CompileOptions): CompiledPolicy {
  const fail = (message: string): FlintError => snsError('InvalidParameterException', `${options.errorPrefix}FilterPolicy: ${message}`);
  let policy: Json;
  try {
    policy = JSON.parse(text) as Json;
  } catch (error) {
    throw fail(`failed to parse JSON. ${(error as Error).message}`);
  }
  if (!isObject(policy)) throw fail('Filter is not an object');
  // An empty policy is accepted and filters nothing out (CloudFormation templates write `FilterPolicy: {}`).
  if (Object.keys(policy).length === 0) return { scope: options.scope, alternatives: [[]] };
  if (Object.keys(policy).length > MAX_KEYS) throw fail(`Filter policy can not have more than ${MAX_KEYS} keys`);
  const alternatives = compileObject(policy, [], [[]], fail);
  if (options.scope === 'MessageAttributes' && alternatives.some((rules) => rules.some((rule) => rule.path.length > 1))) {
    throw snsError('InvalidParameterException', `${options.errorPrefix}Filter policy scope MessageAttributes does not support nested filter policy`);
  }
  if (combinations(alternatives) > MAX_COMBINATIONS) throw fail('Filter policy is too complex');
  return { scope: options.scope, alternatives };
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `$or` is an operator only as SNS documents it: an array of at least two objects without operator names. */
function isOrList(value: Json | undefined): value is JsonObject[] {
  return Array.isArray(value) && value.length >= 2 && value.every((item) => isObject(item) && Object.keys(item).every((key) => !RESERVED_IN_OR.has(key)));
}

function compileObject(node: JsonObject, path: string[], alternatives: Rule[][], fail: (m: string) => FlintError): Rule[][] {
  const keys = Object.keys(node);
  if (keys.length === 0) throw fail('Empty objects are not allowed');
  let current = alternatives;
  for (const key of keys) {
    const value = node[key]!;
    if (key === '$or' && isOrList(value)) {
      const before = current;
      current = value.flatMap((branch) => compileObject(branch, path, before, fail));
    } else if (Array.isArray(value)) {
      const rule: Rule = { path: [...path, key], conditions: compileConditions(value, fail) };
      current = current.map((rules) => [...rules, rule]);
    } else if (isObject(value)) {
      current = compileObject(value, [...path, key], current, fail);
    } else {
      throw fail(`"${key}" must be an object or an array`);
    }
  }
  return current;
}

function compileConditions(values: Json[], fail: (m: string) => FlintError): Condition[] {
  if (values.length === 0) throw fail('Empty arrays are not allowed');
  return values.map((value): Condition => {
    if (isObject(value)) return compileExpression(value, fail);
    if (Array.isArray(value)) throw fail('Match value must be String, number, true, false, or null');
    return { type: 'exact', value };
  });
}

function compileExpression(expression: JsonObject, fail: (m: string) => FlintError): Condition {
  const keys = Object.keys(expression);
  const operator = keys[0];
  if (operator === undefined) throw fail('Match expression name not found');
  const value = expression[operator]!;
  const condition = compileOperator(operator, value, fail);
  if (keys.length > 1) throw fail(operator === 'numeric' || operator === 'anything-but' ? 'Too many elements in numeric expression' : 'Only one key allowed in match expression');
  return condition;
}

function compileOperator(operator: string, value: Json, fail: (m: string) => FlintError): Condition {
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return affix(operator, value, fail);
    case 'equals-ignore-case':
      if (typeof value !== 'string') throw fail('equals-ignore-case match pattern must be a string');
      return { type: 'equals-ignore-case', value: value.toLowerCase() };
    case 'numeric':
      if (!Array.isArray(value)) throw fail('Value of numeric must be an array.');
      return parseNumeric(value, fail);
    case 'anything-but':
      return anythingBut(value, fail);
    case 'exists':
      if (typeof value !== 'boolean') throw fail('exists match pattern must be either true or false.');
      return { type: 'exists', value };
    case 'cidr':
      // SNS reports a non-string CIDR with the prefix operator's wording.
      if (typeof value !== 'string') throw fail('prefix match pattern must be a string');
      return { type: 'cidr', range: parseCidr(value, fail) };
    default:
      throw fail(`Unrecognized match type ${operator}`);
  }
}

function affix(operator: 'prefix' | 'suffix', value: Json, fail: (m: string) => FlintError): Condition {
  if (isObject(value)) {
    const [inner, ...rest] = Object.keys(value);
    if (inner !== 'equals-ignore-case') throw fail(`Unsupported ${operator} pattern: ${inner ?? ''}`);
    const pattern = value[inner];
    if (typeof pattern !== 'string') throw fail('equals-ignore-case match pattern must be a string');
    if (rest.length > 0) throw fail('Only one key allowed in match expression');
    return { type: operator, value: pattern.toLowerCase(), ignoreCase: true };
  }
  if (typeof value !== 'string') throw fail(`${operator} match pattern must be a string`);
  return { type: operator, value, ignoreCase: false };
}

function anythingBut(value: Json, fail: (m: string) => FlintError): Condition {
  if (isObject(value)) {
    const [inner, ...rest] = Object.keys(value);
    if (inner !== 'prefix') throw fail(`Unsupported anything-but pattern: ${inner ?? ''}`);
    const pattern = value[inner];
    if (typeof pattern !== 'string') throw fail('prefix match pattern must be a string');
    if (pattern === '') throw fail('Null prefix/suffix not allowed');
    if (rest.length > 0) throw fail('Too many elements in numeric expression');
    return { type: 'anything-but-prefix', value: pattern };
  }
  if (typeof value === 'string' || typeof value === 'number') return { type: 'anything-but', values: [value] };
  if (!Array.isArray(value)) throw fail('Value of anything-but must be an array or single string/number value.');
  for (const item of value) {
    if (typeof item !== 'string' && typeof item !== 'number') throw fail('Inside anything but list, start|null|boolean is not supported.');
  }
  const strings = value.filter((item) => typeof item === 'string').length;
  if (strings !== 0 && strings !== value.length) throw fail('Inside anything but list, either all values are number or string, mixed type is not supported');
  if (value.length === 0) throw fail('Inside anything but list, either all values are number or string, mixed type is not supported');
  return { type: 'anything-but', values: value as (string | number)[] };
}

/**
 * SNS's complexity measure: per alternative of the `$or` expansion, the product over properties of (values x
 * nesting depth), summed over alternatives ("3 x 4 x 2 x 3 = 72" in SNS's documentation).
 */
function combinations(alternatives: Rule[][]): number {
  let total = 0;
  for (const rules of alternatives) total += rules.reduce((product, rule) => product * rule.conditions.length * rule.path.length, 1);
  return total;
}
