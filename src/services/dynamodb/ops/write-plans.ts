import type { Item, ItemChange, TableInfo } from '../../../storage/index.js';
import { conditionalCheckFailed, validation } from '../errors.js';
import { applyUpdate } from '../expressions/apply-update.js';
import type { Condition, Path, UpdateAction } from '../expressions/bind.js';
import { evaluate } from '../expressions/evaluate.js';
import { project } from '../expressions/paths.js';
import { checkIndexKeys, keyOf } from '../keys.js';
import { itemSize, MAX_ITEM_BYTES } from '../values/size.js';

/**
 * One item write, decided against the item as it is inside the store's write transaction: the condition is
 * checked, the new item computed, and the change handed back. Shared by the single-item operations, batches and
 * transactions.
 */
export interface WriteOutcome {
  change: ItemChange;
  old: Item | undefined;
  next: Item | undefined;
}

export interface WriteAction {
  table: TableInfo;
  key: Item;
  /** Nothing needs the item as it was (see ItemRef.blind); set by the caller when it asks for no old values. */
  blind?: boolean;
  /** Throws ConditionalCheckFailedException (with the old item when asked) or a validation error. */
  decide(current: Item | undefined): WriteOutcome;
}

export interface ConditionOptions {
  condition?: Condition;
  /** ReturnValuesOnConditionCheckFailure ALL_OLD: the failure carries the item. */
  returnItemOnFailure?: boolean;
}

function check(options: ConditionOptions, current: Item | undefined): void {
  if (!options.condition || evaluate(options.condition, current)) return;
  throw conditionalCheckFailed(options.returnItemOnFailure && current ? current : undefined);
}

export function putAction(table: TableInfo, item: Item, options: ConditionOptions): WriteAction {
  const size = itemSize(item);
  return {
    table,
    key: keyOf(item, table.key),
    decide(current) {
      check(options, current);
      return { change: { put: item, size }, old: current, next: item };
    },
  };
}

export function deleteAction(table: TableInfo, key: Item, options: ConditionOptions): WriteAction {
  return {
    table,
    key,
    decide(current) {
      check(options, current);
      // Always a delete: a blind write does not know whether the item is there.
      return { change: { delete: true }, old: current, next: undefined };
    },
  };
}

export function updateAction(table: TableInfo, key: Item, actions: readonly UpdateAction[], options: ConditionOptions): WriteAction {
  return {
    table,
    key,
    decide(current) {
      check(options, current);
      const next = applyUpdate(actions, current ?? key);
      checkIndexKeys(next, table, true);
      const size = itemSize(next);
      if (size > MAX_ITEM_BYTES) throw validation('Item size to update has exceeded the maximum allowed size');
      return { change: { put: next, size }, old: current, next };
    },
  };
}

/** A condition-only action (TransactWriteItems ConditionCheck): changes nothing. */
export function conditionCheckAction(table: TableInfo, key: Item, options: ConditionOptions): WriteAction {
  return {
    table,
    key,
    decide(current) {
      check(options, current);
      return { change: undefined, old: current, next: current };
    },
  };
}

/** The Attributes a write returns for its ReturnValues choice; undefined when there are none. */
export function returnedAttributes(returnValues: string | undefined, outcome: WriteOutcome, updatedPaths: readonly Path[] = []): Item | undefined {
  let attributes: Item | undefined;
  switch (returnValues) {
    case 'ALL_OLD':
      attributes = outcome.old;
      break;
    case 'ALL_NEW':
      attributes = outcome.next;
      break;
    case 'UPDATED_OLD':
      attributes = outcome.old && project(outcome.old, updatedPaths);
      break;
    case 'UPDATED_NEW':
      attributes = outcome.next && project(outcome.next, updatedPaths);
      break;
    default:
      return undefined;
  }
  return attributes && Object.keys(attributes).length > 0 ? attributes : undefined;
}
