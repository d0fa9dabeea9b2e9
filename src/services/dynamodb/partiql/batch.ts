import { isFlintError } from '../../../core/index.js';
import { AwsError } from '../../../protocol/index.js';
import type { Item } from '../../../storage/index.js';
import type { BatchExecuteStatementInput, BatchExecuteStatementOutput, BatchStatementRequest, BatchStatementResponse, ConsumedCapacity } from '../api.js';
import type { OperationContext } from '../context.js';
import { dynamoTypeOf, validation } from '../errors.js';
import { consumed, readUnits, writeUnits } from '../ops/capacity.js';
import { runWrite } from '../ops/store-calls.js';
import { itemSize } from '../values/size.js';
import { getByKey } from './get.js';
import { isRead, prepare, type Prepared } from './statements.js';
import { planWrite } from './writes.js';

/**
 * BatchExecuteStatement: up to 25 reads (each naming one item by its full key) or up to 25 writes, each run on its
 * own; a statement that fails gets its Error in Responses and the others still run.
 */

/** The BatchStatementError code for a DynamoDB error type. */
export function statementErrorCode(type: string): string {
  if (type === 'ValidationException') return 'ValidationError';
  if (type === 'InternalServerError') return type;
  return type.replace(/Exception$/, '');
}

/** Real DynamoDB's words, as a public conformance suite recorded them. */
const BATCH_READ_NEEDS_KEY = 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.';

type Outcome = { response: BatchStatementResponse; units: number };

export async function batchExecuteStatement(input: BatchExecuteStatementInput, ctx: OperationContext): Promise<BatchExecuteStatementOutput> {
  const prepared = input.Statements.map((request) => attempt(() => prepare(request.Statement, request.Parameters)));
  const kinds = new Set(prepared.filter((p): p is Prepared => !(p instanceof Error)).map((p) => isRead(p.statement)));
  // "The entire batch must consist of either read statements or write statements, you cannot mix both in one
  // batch." (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html)
  if (kinds.size > 1) throw validation('Unsupported operation: Batch must consist of either all reads or all writes');
  const outcomes: Outcome[] = [];
  for (let i = 0; i < prepared.length; i++) outcomes.push(await runOne(prepared[i]!, input.Statements[i]!, ctx));
  const output: BatchExecuteStatementOutput = { Responses: outcomes.map((o) => o.response) };
  const capacity = totals(input.ReturnConsumedCapacity, outcomes, kinds.has(true) ? 'read' : 'write');
  if (capacity) output.ConsumedCapacity = capacity;
  return output;
}

function attempt<T>(run: () => T): T | Error {
  try {
    return run();
  } catch (error) {
    if (isFlintError(error) && dynamoTypeOf(error) !== 'InternalServerError') return error as Error;
    throw error;
  }
}

async function runOne(prepared: Prepared | Error, request: BatchStatementRequest, ctx: OperationContext): Promise<Outcome> {
  if (prepared instanceof Error) return failure(prepared, undefined);
  const table = prepared.statement.target.table;
  try {
    if (prepared.statement.kind === 'select') {
      const item = await getByKey(prepared.statement, prepared.binder, ctx, () => validation(BATCH_READ_NEEDS_KEY));
      const response: BatchStatementResponse = { TableName: table };
      if (item) response.Item = item;
      return { response, units: readUnits(item ? itemSize(item) : 0, request.ConsistentRead === true) };
    }
    const planned = await planWrite(prepared.statement, prepared.binder, ctx, request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD');
    const outcome = await runWrite(ctx, planned.action);
    const bytes = Math.max(outcome.old ? itemSize(outcome.old) : 0, outcome.next ? itemSize(outcome.next) : 0);
    return { response: { TableName: table }, units: writeUnits(bytes) };
  } catch (error) {
    if (!isFlintError(error) || dynamoTypeOf(error) === 'InternalServerError') throw error;
    return failure(error as Error, table);
  }
}

function failure(error: Error, table: string | undefined): Outcome {
  const type = isFlintError(error) ? dynamoTypeOf(error) : 'InternalServerError';
  const response: BatchStatementResponse = { Error: { Code: statementErrorCode(type), Message: error.message } };
  const item = error instanceof AwsError ? (error.fields.Item as Item | undefined) : undefined;
  if (item) response.Error!.Item = item;
  if (table !== undefined) response.TableName = table;
  return { response, units: 0 };
}

/** One ConsumedCapacity per table the batch touched. */
function totals(mode: string | undefined, outcomes: Outcome[], kind: 'read' | 'write'): ConsumedCapacity[] | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const units = new Map<string, number>();
  for (const { response, units: used } of outcomes) {
    if (response.TableName !== undefined && !response.Error) units.set(response.TableName, (units.get(response.TableName) ?? 0) + used);
  }
  return [...units].map(([table, total]) => consumed(mode, table, total, kind)!);
}
