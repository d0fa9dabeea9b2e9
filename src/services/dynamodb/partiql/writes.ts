import { isFlintError } from '../../../core/index.js';
import type { AttributeValue, Item, TableInfo } from '../../../storage/index.js';
import type { OperationContext } from '../context.js';
import { dynamoTypeOf, validation } from '../errors.js';
import type { Condition, Path } from '../expressions/bind.js';
import { checkItemKeys, checkKey } from '../keys.js';
import { checkKeyUpdates } from '../ops/items.js';
import { deleteAction, putAction, updateAction, type WriteAction } from '../ops/write-plans.js';
import { findTable, keyNames } from '../table-model.js';
import { itemSize, MAX_ITEM_BYTES } from '../values/size.js';
import type { Expr, Returning, Statement } from './ast.js';
import { allOf, conjuncts, fixedValues, type StatementBinder } from './bind.js';
import { duplicateItem, missingKeyEquality } from './errors.js';

/**
 * INSERT, UPDATE and DELETE as the native write actions PutItem, UpdateItem and DeleteItem use, so conditions,
 * index keys, item sizes and stream records behave alike, in single statements, batches and transactions.
 */

export interface PlannedWrite {
  table: TableInfo;
  action: WriteAction;
  returning?: Returning;
  /** The paths an UPDATE sets or removes, for RETURNING MODIFIED. */
  paths: Path[];
}

export type WriteStatement = Exclude<Statement, { kind: 'select' }>;

export async function planWrite(statement: WriteStatement, binder: StatementBinder, ctx: OperationContext, returnItemOnFailure: boolean): Promise<PlannedWrite> {
  const table = await findTable(ctx, statement.target.table);
  if (statement.kind === 'insert') return { table, action: insertAction(table, binder.value(statement.value)), paths: [] };
  const { key, rest } = keyOfWhere(statement.where, table, binder);
  const condition = rest.map((term) => binder.condition(term));
  if (statement.kind === 'delete') {
    return { table, action: deleteAction(table, key, { condition: allOf(condition), returnItemOnFailure }), returning: statement.returning, paths: [] };
  }
  const actions = binder.updateActions(statement.steps);
  checkKeyUpdates(actions, table);
  // An UPDATE changes an item that exists; it never creates one.
  const exists: Condition = { kind: 'exists', path: [table.key.hash.name] };
  const options = { condition: allOf([exists, ...condition]), returnItemOnFailure };
  return { table, action: updateAction(table, key, actions, options), returning: statement.returning, paths: actions.map((a) => a.path) };
}

function insertAction(table: TableInfo, value: AttributeValue): WriteAction {
  if (!('M' in value)) throw validation('Unsupported operation: Inserting an item that is not a map');
  const item: Item = value.M;
  if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
  checkItemKeys(item, table);
  const action = putAction(table, item, { condition: { kind: 'not_exists', path: [table.key.hash.name] } });
  return {
    ...action,
    decide(current) {
      try {
        return action.decide(current);
      } catch (error) {
        if (isFlintError(error) && dynamoTypeOf(error) === 'ConditionalCheckFailedException') throw duplicateItem();
        throw error;
      }
    },
  };
}

/** The full primary key a WHERE fixes with equalities, and the other terms, which become the condition. */
export function keyOfWhere(where: Expr | undefined, table: TableInfo, binder: StatementBinder, missing = missingKeyEquality): { key: Item; rest: Expr[] } {
  const terms = conjuncts(where);
  const key: Item = {};
  const used = new Set<Expr>();
  for (const name of keyNames(table.key)) {
    const term = terms.find((t) => !used.has(t) && fixedValues(t, name, false));
    if (!term) throw missing();
    used.add(term);
    key[name] = binder.value(fixedValues(term, name, false)![0]!);
  }
  checkKey(key, table.key);
  return { key, rest: terms.filter((t) => !used.has(t)) };
}
