import type { MessageAttributes } from '../types.js';
import { inRange } from './cidr.js';
import type { CompiledPolicy, Condition, Rule, Scalar } from './types.js';

/**
 * Evaluates a compiled filter policy the way SNS does. A property is "absent" when the message has no such
 * attribute (Binary attributes are ignored, as SNS ignores them) or the body has no leaf value at that path;
 * only `{"exists": false}` matches an absent property. A present property matches when any of its values
 * (each element of a String.Array or of a body array counts separately) satisfies any of the rule's conditions.
 */
export function matchesPolicy(policy: CompiledPolicy, attributes: MessageAttributes, body: string): boolean {
  if (policy.alternatives.length === 1 && policy.alternatives[0]!.length === 0) return true;
  if (policy.scope === 'MessageAttributes') return policy.alternatives.some((rules) => rules.every((rule) => ruleMatches(rule, attributeValues(attributes, rule.path[0]!))));
  const parsed = parseBody(body);
  if (parsed === undefined) return false;
  return policy.alternatives.some((rules) => rules.every((rule) => ruleMatches(rule, bodyValues(parsed, rule.path))));
}

/** Undefined means absent. */
type Values = Scalar[] | undefined;

function ruleMatches(rule: Rule, values: Values): boolean {
  for (const condition of rule.conditions) {
    if (condition.type === 'exists') {
      if (condition.value === (values !== undefined)) return true;
    } else if (values !== undefined && values.some((value) => conditionMatches(condition, value))) {
      return true;
    }
  }
  return false;
}

function conditionMatches(condition: Exclude<Condition, { type: 'exists' }>, value: Scalar): boolean {
  switch (condition.type) {
    case 'exact':
      return typeof condition.value === 'number' ? typeof value === 'number' && sameNumber(value, condition.value) : value === condition.value;
    case 'prefix':
      return typeof value === 'string' && (condition.ignoreCase ? value.toLowerCase() : value).startsWith(condition.value);
    case 'suffix':
      return typeof value === 'string' && (condition.ignoreCase ? value.toLowerCase() : value).endsWith(condition.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === condition.value;
    case 'anything-but':
      return !condition.values.some((excluded) => (typeof excluded === 'number' ? typeof value === 'number' && sameNumber(value, excluded) : value === excluded));
    case 'anything-but-prefix':
      return typeof value === 'string' && !value.startsWith(condition.value);
    case 'numeric':
      return typeof value === 'number' && inNumericRange(condition, value);
    case 'cidr':
      return typeof value === 'string' && inRange(condition.range, value);
  }
}

/** SNS compares numbers to five decimal places (its documentation), within ±10^9. */
function sameNumber(a: number, b: number): boolean {
  return Math.round(a * 1e5) === Math.round(b * 1e5);
}

function inNumericRange(condition: Extract<Condition, { type: 'numeric' }>, value: number): boolean {
  if (condition.equals !== undefined) return sameNumber(value, condition.equals);
  const { lower, upper } = condition;
  if (lower && (lower.inclusive ? value < lower.value : value <= lower.value)) return false;
  if (upper && (upper.inclusive ? value > upper.value : value >= upper.value)) return false;
  return true;
}

function attributeValues(attributes: MessageAttributes, name: string): Values {
  const attribute = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
  if (!attribute || attribute.DataType.startsWith('Binary')) return undefined;
  const text = attribute.StringValue ?? '';
  if (attribute.DataType === 'String.Array') return arrayValues(text);
  if (attribute.DataType.startsWith('Number')) {
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number) ? [number] : [text];
  }
  return [text];
}

/** A String.Array's elements; one that is not a JSON array of scalars has no values to match. */
function arrayValues(text: string): Scalar[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isScalar) : [];
  } catch {
    return [];
  }
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Body filtering assumes a JSON object; anything else matches no policy. */
function parseBody(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Leaf values at a path, stepping through arrays of objects; objects are not leaves (SNS flattens to leaves). */
function bodyValues(body: Record<string, unknown>, path: string[]): Values {
  let nodes: unknown[] = [body];
  for (const step of path) {
    const next: unknown[] = [];
    for (const node of flatten(nodes)) {
      if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.hasOwn(node, step)) next.push((node as Record<string, unknown>)[step]);
    }
    nodes = next;
  }
  const leaves = flatten(nodes).filter(isScalar);
  return leaves.length > 0 ? leaves : undefined;
}

function flatten(values: unknown[]): unknown[] {
  return values.some(Array.isArray) ? values.flatMap((value) => (Array.isArray(value) ? flatten(value) : [value])) : values;
}
