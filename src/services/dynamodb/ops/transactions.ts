import { createHash } from 'node:crypto';
import { isFlintError, type FlintError } from '../../../core/index.js';
import type { Item, ItemChange, TableInfo } from '../../../storage/index.js';
import type { CancellationReason, ConsumedCapacity, TransactGetItemsInput, TransactGetItemsOutput, TransactWriteItem, TransactWriteItemsInput, TransactWriteItemsOutput } from '../api.js';
import type { OperationContext } from '../context.js';
import { AwsError } from '../../../protocol/index.js';
import { dynamoError, dynamoTypeOf, validation } from '../errors.js';
import { project } from '../expressions/paths.js';
import { bindExpressions } from '../expressions/request.js';
import { checkItemKeys, checkKey, keyText } from '../keys.js';
import { findTable } from '../table-model.js';
import { requireItem } from '../values/attributes.js';
import { itemSize, MAX_ITEM_BYTES } from '../values/size.js';
import { addCapacity, consumed, itemWriteCapacity, readUnits } from './capacity.js';
import { checkKeyUpdates } from './items.js';
import { storeCall } from './store-calls.js';
import { conditionCheckAction, deleteAction, putAction, updateAction, type WriteAction } from './write-plans.js';

/** TransactWriteItems and TransactGetItems: all-or-nothing, with DynamoDB's cancellation reasons in order. */

/** What the four kinds of write action share, as one shape. */
type ActionInput = NonNullable<TransactWriteItem[keyof TransactWriteItem]> & { Key?: Record<string, unknown>; Item?: Record<string, unknown>; UpdateExpression?: string };

export type Reason = CancellationReason & { Code: string };

/** How a transaction's write ends: cancelled with a reason per action, or applied with each item's size. */
type Settled = { reasons: Reason[] } | { written: Written[] };

/** The item after a change: the new item, none after a delete, the same one when nothing changes. */
function afterChange(old: Item | undefined, change: ItemChange): Item | undefined {
  if (!change) return old;
  return 'put' in change ? change.put : undefined;
}

/** A per-action problem DynamoDB reports as a cancellation reason rather than a request error. */
export class ActionProblem {
  constructor(readonly error: FlintError) {}
}

export async function transactWriteItems(input: TransactWriteItemsInput, ctx: OperationContext): Promise<TransactWriteItemsOutput> {
  return idempotent(ctx, input.ClientRequestToken, input.TransactItems, async () => {
    // Every action's shape and expressions are checked before any table is looked up, as DynamoDB does.
    for (const item of input.TransactItems) bindExpressions(actionOf(item), ctx.expressions);
    const prepared: (WriteAction | ActionProblem)[] = [];
    for (const item of input.TransactItems) prepared.push(await prepareWrite(item, ctx));
    const written = await commitWrites(prepared, ctx);
    const result: TransactWriteItemsOutput = {};
    const capacity = writeCapacity(input.ReturnConsumedCapacity, written);
    if (capacity) result.ConsumedCapacity = capacity;
    return result;
  });
}

/**
 * Runs a transaction once per ClientRequestToken: a repeat of the same request answers as the first did without
 * running again; the same token with a different request is a mismatch.
 */
export async function idempotent<T>(ctx: OperationContext, token: string | undefined, request: unknown, run: () => Promise<T>): Promise<T> {
  if (token === undefined) return run();
  const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const seen = ctx.tokens.lookup(token, fingerprint);
  if (seen === 'mismatch') throw dynamoError('IdempotentParameterMismatchException', 'Request parameters do not match the parameters of a previous request with the same client request token');
  if (seen) return seen.result as T;
  const result = await run();
  ctx.tokens.remember(token, fingerprint, result);
  return result;
}

/** An applied transaction write: its table and the item before and after (a condition check leaves it as it was). */
export interface Written {
  table: TableInfo;
  old: Item | undefined;
  next: Item | undefined;
}

/**
 * A transaction's writes billed as DynamoDB bills them: each item as its single write would be, index entries
 * included, twice over (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
 */
export function writeCapacity(mode: string | undefined, written: readonly Written[]): ConsumedCapacity[] | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const totals = new Map<string, ConsumedCapacity>();
  for (const w of written) addCapacity(totals, itemWriteCapacity(mode, w.table, w.old, w.next)!, 2);
  return [...totals.values()];
}

/** Applies prepared write actions all together, or none of them with every action's cancellation reason. */
export async function commitWrites(prepared: readonly (WriteAction | ActionProblem)[], ctx: OperationContext): Promise<Written[]> {
  const actions = prepared.filter((p): p is WriteAction => !(p instanceof ActionProblem));
  checkDistinctTargets(actions);
  const targets = actions.map((a) => ({ table: a.table.name, key: a.key }));
  if (actions.length < prepared.length) {
    // Some action is malformed: nothing is written, but every action still gets its reason.
    const current = await storeCall(() => ctx.tables.getItems(targets));
    let at = 0;
    throw cancelled(prepared.map((p) => (p instanceof ActionProblem ? problemReason(p) : reasonOf(decide(p, current[at++])))));
  }
  const settled = await storeCall(() =>
    ctx.tables.write(targets, (current): { changes: (ItemChange | undefined)[]; result: Settled } => {
      const outcomes = actions.map((action, i) => decide(action, current[i]));
      const failed = outcomes.some((o) => 'reason' in o);
      const changes = failed ? [] : outcomes.map((o) => ('change' in o ? o.change : undefined));
      const written = outcomes.map((o, i): Written => ({ table: actions[i]!.table, old: current[i], next: afterChange(current[i], 'change' in o ? o.change : undefined) }));
      return { changes, result: failed ? { reasons: outcomes.map(reasonOf) } : { written } };
    }),
  );
  if ('reasons' in settled) throw cancelled(settled.reasons);
  return settled.written;
}

function kindOf(item: TransactWriteItem): 'ConditionCheck' | 'Put' | 'Delete' | 'Update' {
  const kinds = (['ConditionCheck', 'Put', 'Delete', 'Update'] as const).filter((kind) => item[kind] !== undefined);
  if (kinds.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
  return kinds[0]!;
}

function actionOf(item: TransactWriteItem): ActionInput {
  return item[kindOf(item)] as ActionInput;
}

async function prepareWrite(item: TransactWriteItem, ctx: OperationContext): Promise<WriteAction | ActionProblem> {
  const kind = kindOf(item);
  const action = item[kind] as ActionInput;
  const bound = bindExpressions(action, ctx.expressions);
  const table = await findTable(ctx, action.TableName);
  const options = { condition: bound.condition, returnItemOnFailure: action.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
  try {
    if (kind === 'Put') {
      const putItem = requireItem(action.Item);
      if (itemSize(putItem) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
      checkItemKeys(putItem, table);
      return putAction(table, putItem, options);
    }
    const key = checkKey(requireItem(action.Key), table.key);
    if (kind === 'Delete') return deleteAction(table, key, options);
    if (kind === 'ConditionCheck') return conditionCheckAction(table, key, options);
    const actions = bound.update ?? [];
    checkKeyUpdates(actions, table);
    return updateAction(table, key, actions, options);
  } catch (error) {
    if (isFlintError(error, 'INVALID_PARAMETER')) return new ActionProblem(error);
    throw error;
  }
}

function problemReason(problem: ActionProblem): Reason {
  return { Code: 'ValidationError', Message: problem.error.message };
}

function reasonOf(outcome: ReturnType<typeof decide>): Reason {
  return 'reason' in outcome ? outcome.reason : { Code: 'None' };
}

function checkDistinctTargets(actions: WriteAction[]): void {
  const seen = new Set<string>();
  for (const action of actions) {
    const text = keyText(action.table.name, action.key, action.table.key);
    if (seen.has(text)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(text);
  }
}

function decide(action: WriteAction, current: Item | undefined): { change: ReturnType<WriteAction['decide']>['change'] } | { reason: Reason } {
  try {
    return { change: action.decide(current).change };
  } catch (error) {
    if (!isFlintError(error)) throw error;
    if (dynamoTypeOf(error) === 'ConditionalCheckFailedException') {
      const reason: Reason = { Code: 'ConditionalCheckFailed', Message: error.message };
      const item = error instanceof AwsError ? (error.fields.Item as Item | undefined) : undefined;
      if (item) reason.Item = item;
      return { reason };
    }
    if (dynamoTypeOf(error) === 'ValidationException') return { reason: { Code: 'ValidationError', Message: error.message } };
    // A PartiQL INSERT whose key is taken.
    if (dynamoTypeOf(error) === 'DuplicateItemException') return { reason: { Code: 'DuplicateItem', Message: error.message } };
    throw error;
  }
}

export function cancelled(reasons: Reason[]): FlintError {
  const codes = reasons.map((r) => r.Code).join(', ');
  return dynamoError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, { CancellationReasons: reasons });
}

export async function transactGetItems(input: TransactGetItemsInput, ctx: OperationContext): Promise<TransactGetItemsOutput> {
  const gets: { table: TableInfo; key: Item; projection?: ReturnType<typeof bindExpressions>['projection'] }[] = [];
  const reasons: Reason[] = [];
  for (const { Get: get } of input.TransactItems) bindExpressions(get, ctx.expressions);
  for (const { Get: get } of input.TransactItems) {
    const bound = bindExpressions(get, ctx.expressions);
    const table = await findTable(ctx, get.TableName);
    const key = requireItem(get.Key);
    try {
      checkKey(key, table.key);
      reasons.push({ Code: 'None' });
    } catch (error) {
      if (!isFlintError(error, 'INVALID_PARAMETER')) throw error;
      reasons.push({ Code: 'ValidationError', Message: error.message });
    }
    gets.push({ table, key, projection: bound.projection });
  }
  if (reasons.some((r) => r.Code !== 'None')) throw cancelled(reasons);
  const found = await storeCall(() => ctx.tables.getItems(gets.map((g) => ({ table: g.table.name, key: g.key }))));
  const responses = found.map((item, i) => {
    if (!item) return {};
    const projection = gets[i]!.projection;
    return { Item: projection ? project(item, projection) : item };
  });
  const output: TransactGetItemsOutput = { Responses: responses };
  const capacity = transactionCapacity(input.ReturnConsumedCapacity, gets.map((g, i) => ({ table: g.table.name, units: readUnits(found[i] ? itemSize(found[i]) : 0, true) })), 'read');
  if (capacity) output.ConsumedCapacity = capacity;
  return output;
}

/**
 * A transaction's ConsumedCapacity, one entry per table: every item costs twice what a plain read or write of it
 * would, for the prepare and commit phases (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
 */
export function transactionCapacity(mode: string | undefined, costs: { table: string; units: number }[], kind: 'read' | 'write'): ConsumedCapacity[] | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const units = new Map<string, number>();
  for (const cost of costs) units.set(cost.table, (units.get(cost.table) ?? 0) + 2 * cost.units);
  return [...units].map(([table, n]) => consumed(mode, table, n, kind)!);
}
