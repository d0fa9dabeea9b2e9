import type { AttributeValue, Item, KeySchema, RangeCondition } from '../../../storage/index.js';
import type { QueryInput, QueryOutput } from '../api.js';
import type { OperationContext } from '../context.js';
import { validation } from '../errors.js';
import { keyConstraints, type KeyConstraint } from '../expressions/key-condition.js';
import { beginsWith, compare } from '../expressions/evaluate.js';
import { bindExpressions, checkExpressionParams } from '../expressions/request.js';
import { attributesToGet, filterCondition, keyConditions } from '../legacy.js';
import { attributeOf, typeOf } from '../values/attributes.js';
import { valuesEqual } from '../values/compare.js';
import { checkFilterKeys, checkStartKey, chooseSelect, NO_LIMIT, PAGE_BYTES, pageResponse, planRead } from './read-plan.js';
import { storeCall } from './store-calls.js';

export async function query(input: QueryInput, ctx: OperationContext): Promise<QueryOutput> {
  checkExpressionParams(input, ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'], ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']);
  const legacyFilter = filterCondition(input.QueryFilter, input.ConditionalOperator);
  const legacyProjection = attributesToGet(input.AttributesToGet);
  if (input.KeyConditions === undefined && input.KeyConditionExpression === undefined) {
    throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  const bound = bindExpressions(input, ctx.expressions);
  const constraints = bound.keyCondition ? keyConstraints(bound.keyCondition) : legacyKeyConstraints(input);
  if (constraints.size !== 1 && constraints.size !== 2) throw validation('Conditions can be of length 1 or 2 only');
  const projection = bound.projection ?? legacyProjection;
  const select = chooseSelect(input.Select, projection, input.ProjectionExpression !== undefined, input.IndexName, true);

  const plan = await planRead(ctx, input, { select, projection, filter: bound.filter ?? legacyFilter });
  const { table, index } = plan;
  const key = index ? index.key : table.key;
  const { hash, range } = planKeys(constraints, key);
  const start = checkStartKey(input.ExclusiveStartKey, table, index);
  if (start) checkStartInRange(start, key, hash, range);
  checkFilterKeys(plan.filter, key, bound.filter === undefined && legacyFilter !== undefined);

  const page = await storeCall(() =>
    ctx.tables.query({
      table: table.name,
      index: index?.name,
      hash,
      range,
      descending: input.ScanIndexForward === false,
      startAfter: start,
      limit: input.Limit ?? NO_LIMIT,
      maxBytes: PAGE_BYTES,
    }),
  );
  return pageResponse(plan, page);
}

function legacyKeyConstraints(input: QueryInput): Map<string, KeyConstraint> {
  const out = new Map<string, KeyConstraint>();
  for (const [name, { op, values }] of keyConditions(input.KeyConditions ?? {})) {
    if (['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'].includes(op)) {
      throw validation('Attempted conditional constraint is not an indexable operation');
    }
    out.set(name, { op: op as KeyConstraint['op'], values });
  }
  return out;
}

const RANGE_OPS: Record<string, 'eq' | 'lt' | 'le' | 'gt' | 'ge'> = { EQ: 'eq', LT: 'lt', LE: 'le', GT: 'gt', GE: 'ge' };

/** Matches the constraints to the key schema: an equality on the partition key, at most one on the sort key. */
function planKeys(constraints: Map<string, KeyConstraint>, key: KeySchema): { hash: AttributeValue; range?: RangeCondition } {
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
  checkValueTypes(sort, key.range.type);
  if (sort.op === 'BEGINS_WITH' && key.range.type === 'N') {
    throw validation('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
  }
  return { hash: hash.values[0]!, range: rangeCondition(sort) };
}

function checkValueTypes(constraint: KeyConstraint, type: string): void {
  if (constraint.values.some((value) => typeOf(value) !== type)) {
    throw validation('One or more parameter values were invalid: Condition parameter type does not match schema type');
  }
}

function rangeCondition(constraint: KeyConstraint): RangeCondition {
  const [first, second] = constraint.values as [AttributeValue, AttributeValue];
  if (constraint.op === 'BETWEEN') return { op: 'between', low: first, high: second };
  if (constraint.op === 'BEGINS_WITH') return { op: 'begins_with', prefix: first };
  return { op: RANGE_OPS[constraint.op]!, value: first };
}

/** An ExclusiveStartKey must lie in the queried partition and satisfy the sort key condition. */
function checkStartInRange(start: Item, key: KeySchema, hash: AttributeValue, range: RangeCondition | undefined): void {
  if (!valuesEqual(attributeOf(start, key.hash.name)!, hash)) {
    throw validation('The provided starting key is outside query boundaries based on provided conditions');
  }
  if (!range || !key.range) return;
  const value = attributeOf(start, key.range.name)!;
  if (!matchesRange(value, range)) throw validation('The provided starting key does not match the range key predicate');
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
