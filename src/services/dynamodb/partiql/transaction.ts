import { isFlintError } from '../../../core/index.js';
import type { AwsError } from '../../../protocol/index.js';
import type { Item } from '../../../storage/index.js';
import type { ExecuteTransactionInput, ExecuteTransactionOutput, ItemResponse } from '../api.js';
import type { OperationContext } from '../context.js';
import { validation } from '../errors.js';
import { readUnits } from '../ops/capacity.js';
import { ActionProblem, cancelled, commitWrites, idempotent, transactionCapacity, writeCapacity, type Reason } from '../ops/transactions.js';
import { itemSize } from '../values/size.js';
import type { WriteAction } from '../ops/write-plans.js';
import { getByKey } from './get.js';
import { isRead, prepare, type Prepared } from './statements.js';
import { planWrite, type WriteStatement } from './writes.js';
import type { SelectStatement } from './select.js';

/**
 * ExecuteTransaction: up to 100 writes applied all together through TransactWriteItems' machinery (a taken key
 * for an INSERT cancels with DuplicateItem, a failed condition with ConditionalCheckFailed), or up to 100 reads
 * of single items by full key, as TransactGetItems does. ClientRequestToken makes a repeat harmless.
 */
export function executeTransaction(input: ExecuteTransactionInput, ctx: OperationContext): Promise<ExecuteTransactionOutput> {
  return idempotent(ctx, input.ClientRequestToken, input.TransactStatements, async () => {
    const prepared = input.TransactStatements.map((s) => prepare(s.Statement, s.Parameters));
    const reads = prepared.filter((p) => isRead(p.statement)).length;
    // "The entire transaction must consist of either read statements or write statements, you cannot mix both in
    // one transaction." (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteTransaction.html)
    if (reads > 0 && reads < prepared.length) throw validation('Unsupported operation: Transaction must consist of either all reads or all writes');
    if (reads > 0) {
      const found = await readAll(prepared, ctx);
      // Billed as TransactGetItems bills its reads: each item's strongly consistent units, twice over.
      const costs = found.map((response, i) => ({ table: (prepared[i]!.statement as SelectStatement).target.table, units: readUnits(response.Item ? itemSize(response.Item as Item) : 0, true) }));
      return withCapacity({ Responses: found }, transactionCapacity(input.ReturnConsumedCapacity, costs, 'read'));
    }
    const actions: (WriteAction | ActionProblem)[] = [];
    for (let i = 0; i < prepared.length; i++) {
      const { statement, binder } = prepared[i]!;
      const failureItem = input.TransactStatements[i]!.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
      actions.push(await asProblem(async () => (await planWrite(statement as WriteStatement, binder, ctx, failureItem)).action));
    }
    const written = await commitWrites(actions, ctx);
    // A write transaction answers with an empty Responses list (test_dynamodb_execute_transaction in LocalStack's
    // tests/aws/services/dynamodb/test_dynamodb.snapshot.json, recorded against AWS), billed as TransactWriteItems.
    return withCapacity({ Responses: [] }, writeCapacity(input.ReturnConsumedCapacity, written));
  });
}

function withCapacity(output: ExecuteTransactionOutput, capacity: ExecuteTransactionOutput['ConsumedCapacity']): ExecuteTransactionOutput {
  if (capacity) output.ConsumedCapacity = capacity;
  return output;
}

/** A problem with one statement's key or values is that statement's cancellation reason. */
async function asProblem<T>(run: () => Promise<T>, requestError?: AwsError): Promise<T | ActionProblem> {
  try {
    return await run();
  } catch (error) {
    // A SELECT without the full key fails the whole request rather than its own statement.
    if (error === requestError) throw error;
    if (isFlintError(error, 'INVALID_PARAMETER')) return new ActionProblem(error);
    throw error;
  }
}

async function readAll(prepared: Prepared[], ctx: OperationContext): Promise<ItemResponse[]> {
  const found: (Item | undefined | ActionProblem)[] = [];
  for (const [i, { statement, binder }] of prepared.entries()) {
    // Real DynamoDB's words, as a public conformance suite recorded them.
    const missingKey = validation(`Validation failed in TransactStatements[${i}]: Select statements within ExecuteTransaction must specify the primary key in the where clause.`);
    found.push(await asProblem(() => getByKey(statement as SelectStatement, binder, ctx, () => missingKey), missingKey));
  }
  if (found.some((f) => f instanceof ActionProblem)) {
    throw cancelled(found.map((f): Reason => (f instanceof ActionProblem ? { Code: 'ValidationError', Message: f.error.message } : { Code: 'None' })));
  }
  return found.map((item) => (item ? { Item: item as Item } : {}));
}
