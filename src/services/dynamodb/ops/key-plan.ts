import type { AttributeValue, Item, KeyAttribute, KeySchema, RangeCondition } from '../../../storage/index.js';
import { validation } from '../errors.js';
import { beginsWith, compare } from '../expressions/evaluate.js';
import type { KeyConstraint } from '../expressions/key-condition.js';
import { attributeOf, typeOf } from '../values/attributes.js';
import { valuesEqual } from '../values/compare.js';

/**
 * A Query's key conditions matched to the key schema it reads, as the store's RangeQuery takes them, and the
 * check that an ExclusiveStartKey lies inside them. Single-attribute keys (every table, every local index) take
 * the short path; a global index with a multi-attribute key needs an equality on each partition attribute and
 * conditions on its sort attributes left to right, a range condition only on the last one named
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html).
 */
export interface QueryKeys {
  hash: AttributeValue;
  moreHash?: AttributeValue[];
  sortPrefix?: AttributeValue[];
  range?: RangeCondition;
}

/** The most conditions a key condition can hold: four partition and four sort attributes. */
export const MAX_KEY_CONDITIONS = 8;

export function planKeys(constraints: Map<string, KeyConstraint>, key: KeySchema): QueryKeys {
  if (key.moreHash || key.moreRange) return planMultiKeys(constraints, key);
  if (constraints.size > 2) throw validation('Conditions can be of length 1 or 2 only');
  const hashName = key.hash.name;
  const rangeName = key.range?.name;
  if (!key.range && constraints.size > 1) throw validation('Query key condition not supported');
  const hash = constraints.get(hashName);
  if (!hash) throw validation(`Query condition missed key schema element: ${hashName}`);
  if (constraints.size === 2 && (rangeName === undefined || !constraints.has(rangeName))) {
    throw validation(`Query condition missed key schema element: ${rangeName ?? hashName}`);
  }
  checkValueTypes(hash, key.hash.type);
  if (hash.op !== 'EQ') throw validation('Query key condition not supported');
  const sort = rangeName === undefined ? undefined : constraints.get(rangeName);
  if (!sort || !key.range) return { hash: hash.values[0]! };
  return { hash: hash.values[0]!, range: sortCondition(sort, key.range) };
}

/** The words for a condition out of order are Flint's: AWS does not publish them. */
function planMultiKeys(constraints: Map<string, KeyConstraint>, key: KeySchema): QueryKeys {
  const hashes = [key.hash, ...(key.moreHash ?? [])];
  const ranges = key.range ? [key.range, ...(key.moreRange ?? [])] : [];
  const hashValues = hashes.map((attribute) => {
    const constraint = constraints.get(attribute.name);
    if (!constraint) throw validation(`Query condition missed key schema element: ${attribute.name}`);
    checkValueTypes(constraint, attribute.type);
    if (constraint.op !== 'EQ') throw validation(`Query key condition not supported: partition key attribute ${attribute.name} must be compared with =`);
    return constraint.values[0]!;
  });
  let named = 0;
  while (named < ranges.length && constraints.has(ranges[named]!.name)) named++;
  if (constraints.size !== hashes.length + named) {
    if (named < ranges.length) throw validation(`Query condition missed key schema element: ${ranges[named]!.name}`);
    throw validation('Query key condition not supported');
  }
  const out: QueryKeys = { hash: hashValues[0]! };
  if (hashValues.length > 1) out.moreHash = hashValues.slice(1);
  if (named === 0) return out;
  const sortPrefix = ranges.slice(0, named - 1).map((attribute) => {
    const constraint = constraints.get(attribute.name)!;
    checkValueTypes(constraint, attribute.type);
    if (constraint.op !== 'EQ') {
      throw validation(`Query key condition not supported: sort key attribute ${attribute.name} must be compared with = when a later sort key attribute has a condition`);
    }
    return constraint.values[0]!;
  });
  if (sortPrefix.length > 0) out.sortPrefix = sortPrefix;
  const last = ranges[named - 1]!;
  out.range = sortCondition(constraints.get(last.name)!, last);
  return out;
}

function sortCondition(sort: KeyConstraint, attribute: KeyAttribute): RangeCondition {
  checkValueTypes(sort, attribute.type);
  if (sort.op === 'BEGINS_WITH' && attribute.type === 'N') {
    throw validation('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
  }
  return rangeCondition(sort);
}

function checkValueTypes(constraint: KeyConstraint, type: string): void {
  if (constraint.values.some((value) => typeOf(value) !== type)) {
    throw validation('One or more parameter values were invalid: Condition parameter type does not match schema type');
  }
}

const RANGE_OPS: Record<string, 'eq' | 'lt' | 'le' | 'gt' | 'ge'> = { EQ: 'eq', LT: 'lt', LE: 'le', GT: 'gt', GE: 'ge' };

function rangeCondition(constraint: KeyConstraint): RangeCondition {
  const [first, second] = constraint.values as [AttributeValue, AttributeValue];
  if (constraint.op === 'BETWEEN') return { op: 'between', low: first, high: second };
  if (constraint.op === 'BEGINS_WITH') return { op: 'begins_with', prefix: first };
  return { op: RANGE_OPS[constraint.op]!, value: first };
}

/** An ExclusiveStartKey must lie in the queried partition and satisfy the sort key condition. */
export function checkStartInRange(start: Item, key: KeySchema, keys: QueryKeys): void {
  const hashValues = [keys.hash, ...(keys.moreHash ?? [])];
  const hashes = [key.hash, ...(key.moreHash ?? [])];
  if (hashes.some((attribute, i) => !valuesEqual(attributeOf(start, attribute.name)!, hashValues[i]!))) {
    throw validation('The provided starting key is outside query boundaries based on provided conditions');
  }
  if (!keys.range || !key.range) return;
  const ranges = [key.range, ...(key.moreRange ?? [])];
  const prefix = keys.sortPrefix ?? [];
  const inPrefix = prefix.every((value, i) => valuesEqual(attributeOf(start, ranges[i]!.name)!, value));
  const value = attributeOf(start, ranges[prefix.length]!.name)!;
  if (!inPrefix || !matchesRange(value, keys.range)) throw validation('The provided starting key does not match the range key predicate');
}

/** Whether a key value satisfies a key condition's range part: the same comparisons a condition uses. */
function matchesRange(value: AttributeValue, range: RangeCondition): boolean {
  switch (range.op) {
    case 'between':
      return compare('>=', value, range.low) && compare('<=', value, range.high);
    case 'begins_with':
      return beginsWith(value, range.prefix);
    default:
      return compare(RANGE_OPERATORS[range.op], value, range.value);
  }
}

const RANGE_OPERATORS = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;
