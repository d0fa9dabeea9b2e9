import type { Item } from '../../../storage/index.js';
import type { ExecuteStatementInput, ExecuteStatementOutput } from '../api.js';
import type { OperationContext } from '../context.js';
import { consumed, writeUnits } from '../ops/capacity.js';
import { runWrite } from '../ops/store-calls.js';
import { returnedAttributes } from '../ops/write-plans.js';
import { itemSize } from '../values/size.js';
import { runSelect } from './select.js';
import { prepare } from './statements.js';
import { planWrite } from './writes.js';

/** ExecuteStatement: one SELECT (paged), INSERT, UPDATE or DELETE. */
export async function executeStatement(input: ExecuteStatementInput, ctx: OperationContext): Promise<ExecuteStatementOutput> {
  const { statement, binder } = prepare(input.Statement, input.Parameters);
  if (statement.kind === 'select') {
    return runSelect(statement, binder, ctx, {
      source: JSON.stringify([input.Statement, input.Parameters ?? []]),
      consistent: input.ConsistentRead,
      limit: input.Limit,
      nextToken: input.NextToken,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    });
  }
  const planned = await planWrite(statement, binder, ctx, input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD');
  const outcome = await runWrite(ctx, planned.action);
  const attributes = returnedAttributes(planned.returning, outcome, planned.paths);
  const output: ExecuteStatementOutput = { Items: attributes ? [attributes] : [] };
  const bytes = Math.max(sizeOf(outcome.old), sizeOf(outcome.next));
  const capacity = consumed(input.ReturnConsumedCapacity, planned.table.name, writeUnits(bytes), 'write');
  if (capacity) output.ConsumedCapacity = capacity;
  return output;
}

function sizeOf(item: Item | undefined): number {
  return item ? itemSize(item) : 0;
}
