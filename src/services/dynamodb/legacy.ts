import type { AttributeValue } from '../../storage/index.js';
import { validation } from './errors.js';
import type { Condition, Operand, Path, UpdateAction, UpdateValue } from './expressions/bind.js';
import type { AttributeValueUpdate, ExpectedAttributeValue } from './api.js';
import { checkValue, typeOf } from './values/attributes.js';
import { compareScalars } from './values/compare.js';

/**
 * The pre-expression parameters (Expected, QueryFilter, ScanFilter, KeyConditions, AttributesToGet,
 * AttributeUpdates), turned into the same bound conditions, projections and update actions the expressions give,
 * with DynamoDB's validation messages for them.
 */

const ARGUMENTS: Record<string, [number, number]> = {
  EQ: [1, 1], NE: [1, 1], LE: [1, 1], LT: [1, 1], GE: [1, 1], GT: [1, 1],
  CONTAINS: [1, 1], NOT_CONTAINS: [1, 1], BEGINS_WITH: [1, 1],
  NULL: [0, 0], NOT_NULL: [0, 0], IN: [1, Number.MAX_SAFE_INTEGER], BETWEEN: [2, 2],
};
const TYPES: Record<string, string[]> = {
  EQ: ['S', 'N', 'B', 'SS', 'NS', 'BS'], NE: ['S', 'N', 'B', 'SS', 'NS', 'BS'],
  LE: ['S', 'N', 'B'], LT: ['S', 'N', 'B'], GE: ['S', 'N', 'B'], GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B'], NOT_CONTAINS: ['S', 'N', 'B'], BEGINS_WITH: ['S', 'B'], IN: ['S', 'N', 'B'], BETWEEN: ['S', 'N', 'B'],
};
const INVALID = 'One or more parameter values were invalid: ';

/** Expected, QueryFilter, ScanFilter or KeyConditions (a Condition is an ExpectedAttributeValue without Value and Exists). */
export type LegacyConditions = Record<string, ExpectedAttributeValue>;

/** Expected (conditional writes): Exists/Value pairs or ComparisonOperator lists. */
export function expectedCondition(expected: LegacyConditions | undefined, operator: string | undefined): Condition | undefined {
  if (expected === undefined) return undefined;
  const parts: Condition[] = [];
  for (const [name, entry] of Object.entries(expected)) {
    if (entry.AttributeValueList !== undefined && entry.Value !== undefined) {
      throw validation(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`);
    }
    if (entry.ComparisonOperator !== undefined) {
      if (entry.Exists !== undefined) throw validation(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
      const op = entry.ComparisonOperator;
      if (op !== 'NULL' && op !== 'NOT_NULL' && entry.AttributeValueList === undefined && entry.Value === undefined) {
        throw validation(`${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`);
      }
      const values = entry.AttributeValueList ?? (entry.Value !== undefined ? [entry.Value] : []);
      parts.push(comparison(name, op, values));
      continue;
    }
    if (entry.AttributeValueList !== undefined) {
      throw validation(`${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
    }
    const exists = entry.Exists ?? true;
    if (exists && entry.Value === undefined) {
      throw validation(`${INVALID}Value must be provided when Exists is ${entry.Exists === undefined ? 'null' : 'true'} for Attribute: ${name}`);
    }
    if (!exists && entry.Value !== undefined) throw validation(`${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`);
    parts.push(exists ? comparison(name, 'EQ', [entry.Value]) : { kind: 'not_exists', path: [name] });
  }
  return combine(parts, operator);
}

/** QueryFilter and ScanFilter: every entry needs a ComparisonOperator. */
export function filterCondition(filter: LegacyConditions | undefined, operator: string | undefined): Condition | undefined {
  if (filter === undefined) return undefined;
  const parts = Object.entries(filter).map(([name, entry]) => comparison(name, entry.ComparisonOperator ?? 'EQ', entry.AttributeValueList ?? []));
  return combine(parts, operator);
}

/** KeyConditions as attribute → (operator, values), for the query planner. */
export function keyConditions(conditions: LegacyConditions): Map<string, { op: string; values: AttributeValue[] }> {
  const out = new Map<string, { op: string; values: AttributeValue[] }>();
  for (const [name, entry] of Object.entries(conditions)) {
    const op = entry.ComparisonOperator ?? 'EQ';
    const values = checkArguments(op, entry.AttributeValueList ?? []);
    out.set(name, { op, values });
  }
  return out;
}

function combine(parts: Condition[], operator: string | undefined): Condition | undefined {
  if (parts.length === 0) return undefined;
  const kind = operator === 'OR' ? 'or' : 'and';
  return parts.reduce((left, right) => ({ kind, left, right }));
}

function checkArguments(op: string, raw: unknown[]): AttributeValue[] {
  const values = raw.map((value) => checkValue(value));
  const [min, max] = ARGUMENTS[op] ?? [0, 0];
  if (values.length < min || values.length > max) throw validation(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
  const first = values[0];
  if (first && values.some((v) => typeOf(v) !== typeOf(first))) {
    throw validation(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  }
  for (const value of values) {
    if (!(TYPES[op] ?? []).includes(typeOf(value))) throw validation(`${INVALID}ComparisonOperator ${op} is not valid for ${typeOf(value)} AttributeValue type`);
  }
  if (op === 'BETWEEN' && (compareScalars(values[0]!, values[1]!) ?? 0) > 0) {
    throw validation('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
  return values;
}

function comparison(name: string, op: string, raw: unknown[]): Condition {
  const values = checkArguments(op, raw);
  const subject: Operand = { kind: 'path', path: [name] };
  const value = (i: number): Operand => ({ kind: 'value', value: values[i]! });
  switch (op) {
    case 'EQ':
      return { kind: 'compare', op: '=', left: subject, right: value(0) };
    case 'NE':
      return { kind: 'compare', op: '<>', left: subject, right: value(0) };
    case 'LE':
      return { kind: 'compare', op: '<=', left: subject, right: value(0) };
    case 'LT':
      return { kind: 'compare', op: '<', left: subject, right: value(0) };
    case 'GE':
      return { kind: 'compare', op: '>=', left: subject, right: value(0) };
    case 'GT':
      return { kind: 'compare', op: '>', left: subject, right: value(0) };
    case 'NULL':
      return { kind: 'not_exists', path: [name] };
    case 'NOT_NULL':
      return { kind: 'exists', path: [name] };
    case 'CONTAINS':
      return { kind: 'contains', subject, operand: value(0) };
    case 'NOT_CONTAINS':
      return { kind: 'and', left: { kind: 'exists', path: [name] }, right: { kind: 'not', operand: { kind: 'contains', subject, operand: value(0) } } };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', subject, operand: value(0) };
    case 'IN':
      return { kind: 'in', subject, options: values.map((_, i) => value(i)) };
    default:
      return { kind: 'between', subject, low: value(0), high: value(1) };
  }
}

/** AttributesToGet as projection paths; duplicates are refused as DynamoDB does. */
export function attributesToGet(names: string[] | undefined): Path[] | undefined {
  if (names === undefined) return undefined;
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw validation(`${INVALID}Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
  return names.map((name) => [name]);
}

export type AttributeUpdates = Record<string, AttributeValueUpdate>;

/** AttributeUpdates as update actions: PUT sets, DELETE removes (or takes members out of a set), ADD adds. */
export function attributeUpdateActions(updates: AttributeUpdates | undefined): UpdateAction[] | undefined {
  if (updates === undefined) return undefined;
  return Object.entries(updates).map(([name, update]) => {
    const action = update.Action ?? 'PUT';
    const value = update.Value === undefined ? undefined : checkValue(update.Value);
    if (value === undefined && action !== 'DELETE') throw validation(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
    const type = value && typeOf(value);
    if (action === 'DELETE') {
      if (!value) return { kind: 'REMOVE', path: [name] };
      if (type !== 'SS' && type !== 'NS' && type !== 'BS') throw validation(`${INVALID}DELETE action with value is not supported for the type ${type}`);
      return { kind: 'DELETE', path: [name], value };
    }
    if (action === 'ADD') {
      if (type === 'L') {
        const appended: UpdateValue = { kind: 'list_append', first: { kind: 'if_not_exists', path: [name], fallback: { kind: 'value', value: { L: [] } } }, second: { kind: 'value', value: value! } };
        return { kind: 'SET', path: [name], value: appended };
      }
      if (type !== 'SS' && type !== 'NS' && type !== 'BS' && type !== 'N') throw validation(`${INVALID}ADD action is not supported for the type ${type}`);
      return { kind: 'ADD', path: [name], value: value! };
    }
    return { kind: 'SET', path: [name], value: { kind: 'value', value: value! } };
  });
}
