import type { QueryInput, QueryOutput } from '../api.js';
import type { OperationContext } from '../context.js';
import { validation } from '../errors.js';
import { keyConstraints, type KeyConstraint } from '../expressions/key-condition.js';
import { bindExpressions, checkExpressionParams } from '../expressions/request.js';
import { attributesToGet, filterCondition, keyConditions } from '../legacy.js';
import { checkStartInRange, MAX_KEY_CONDITIONS, planKeys } from './key-plan.js';
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
  // A table's key has two attributes at most; an index's may have eight (planKeys checks, once it is known).
  const most = input.IndexName === undefined ? 2 : MAX_KEY_CONDITIONS;
  if (constraints.size === 0 || constraints.size > most) throw validation('Conditions can be of length 1 or 2 only');
  const projection = bound.projection ?? legacyProjection;
  const select = chooseSelect(input.Select, projection, input.ProjectionExpression !== undefined, input.IndexName, true);

  const plan = await planRead(ctx, input, { select, projection, filter: bound.filter ?? legacyFilter });
  const { table, index } = plan;
  const key = index ? index.key : table.key;
  const keys = planKeys(constraints, key);
  const start = checkStartKey(input.ExclusiveStartKey, table, index);
  if (start) checkStartInRange(start, key, keys);
  checkFilterKeys(plan.filter, key, bound.filter === undefined && legacyFilter !== undefined);

  const page = await storeCall(() =>
    ctx.tables.query({
      table: table.name,
      index: index?.name,
      // Named, not spread: a spread copies through the runtime's slow path on every Query.
      hash: keys.hash,
      moreHash: keys.moreHash,
      sortPrefix: keys.sortPrefix,
      range: keys.range,
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
