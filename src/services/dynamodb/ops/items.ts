import type { Item, TableInfo } from '../../../storage/index.js';
import type { DeleteItemInput, DeleteItemOutput, GetItemInput, GetItemOutput, PutItemInput, PutItemOutput, UpdateItemInput, UpdateItemOutput } from '../api.js';
import type { OperationContext } from '../context.js';
import { validation } from '../errors.js';
import type { UpdateAction } from '../expressions/bind.js';
import { project } from '../expressions/paths.js';
import { bindExpressions, checkExpressionParams } from '../expressions/request.js';
import { checkItemKeys, checkKey } from '../keys.js';
import { attributesToGet, attributeUpdateActions, expectedCondition } from '../legacy.js';
import { findTable, keyNames } from '../table-model.js';
import { attributeOf, requireItem } from '../values/attributes.js';
import { itemSize, MAX_ITEM_BYTES } from '../values/size.js';
import { consumed, itemWriteCapacity, readUnits } from './capacity.js';
import { runWrite, storeCall } from './store-calls.js';
import { deleteAction, putAction, returnedAttributes, updateAction, type WriteOutcome } from './write-plans.js';

/** PutItem, GetItem, UpdateItem and DeleteItem, after the kit has checked their members against the model. */

/** What the three writes share. */
type WriteInput = PutItemInput | DeleteItemInput | UpdateItemInput;

function allOldOrNone(returnValues: string | undefined): void {
  if (returnValues !== undefined && returnValues !== 'ALL_OLD' && returnValues !== 'NONE') throw validation('ReturnValues can only be ALL_OLD or NONE');
}

export async function putItem(input: PutItemInput, ctx: OperationContext): Promise<PutItemOutput> {
  checkExpressionParams(input, ['ConditionExpression'], ['Expected']);
  const item = requireItem(input.Item);
  allOldOrNone(input.ReturnValues);
  if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
  const expected = expectedCondition(input.Expected, input.ConditionalOperator);
  const bound = bindExpressions(input, ctx.expressions);
  const table = await findTable(ctx, input.TableName);
  checkItemKeys(item, table);
  const options = conditionOptions(bound.condition ?? expected, input);
  const action = putAction(table, item, options);
  action.blind = isBlind(options, input);
  const outcome = await runWrite(ctx, action);
  return writeResponse(input, table, outcome, returnedAttributes(input.ReturnValues, outcome));
}

export async function deleteItem(input: DeleteItemInput, ctx: OperationContext): Promise<DeleteItemOutput> {
  checkExpressionParams(input, ['ConditionExpression'], ['Expected']);
  const key = requireItem(input.Key);
  allOldOrNone(input.ReturnValues);
  const expected = expectedCondition(input.Expected, input.ConditionalOperator);
  const bound = bindExpressions(input, ctx.expressions);
  const table = await findTable(ctx, input.TableName);
  checkKey(key, table.key);
  const options = conditionOptions(bound.condition ?? expected, input);
  const action = deleteAction(table, key, options);
  action.blind = isBlind(options, input);
  const outcome = await runWrite(ctx, action);
  return writeResponse(input, table, outcome, returnedAttributes(input.ReturnValues, outcome));
}

export async function updateItem(input: UpdateItemInput, ctx: OperationContext): Promise<UpdateItemOutput> {
  checkExpressionParams(input, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']);
  const key = requireItem(input.Key);
  const legacy = attributeUpdateActions(input.AttributeUpdates);
  const expected = expectedCondition(input.Expected, input.ConditionalOperator);
  const bound = bindExpressions(input, ctx.expressions);
  const table = await findTable(ctx, input.TableName);
  checkKey(key, table.key);
  const actions = bound.update ?? legacy ?? [];
  checkKeyUpdates(actions, table);
  const outcome = await runWrite(ctx, updateAction(table, key, actions, conditionOptions(bound.condition ?? expected, input)));
  return writeResponse(input, table, outcome, returnedAttributes(input.ReturnValues, outcome, actions.map((a) => a.path)));
}

export async function getItem(input: GetItemInput, ctx: OperationContext): Promise<GetItemOutput> {
  checkExpressionParams(input, ['ProjectionExpression'], ['AttributesToGet']);
  const key = requireItem(input.Key);
  const paths = attributesToGet(input.AttributesToGet);
  const bound = bindExpressions(input, ctx.expressions);
  const table = await findTable(ctx, input.TableName);
  checkKey(key, table.key);
  const item = await storeCall(() => ctx.tables.getItem(table.name, key));
  const projection = bound.projection ?? paths;
  const output: GetItemOutput = {};
  if (item) output.Item = projection ? project(item, projection) : item;
  const capacity = consumed(input.ReturnConsumedCapacity, table.name, readUnits(item ? itemSize(item) : 0, input.ConsistentRead === true), 'read');
  if (capacity) output.ConsumedCapacity = capacity;
  return output;
}

/** Key attributes may not be updated, nor reached into. */
export function checkKeyUpdates(actions: readonly UpdateAction[], table: TableInfo): void {
  const keys = keyNames(table.key);
  for (const action of actions) {
    const head = action.path[0] as string;
    if (keys.includes(head) && action.path.length === 1) {
      throw validation(`One or more parameter values were invalid: Cannot update attribute ${head}. This attribute is part of the key`);
    }
  }
  for (const action of actions) {
    const head = action.path[0] as string;
    if (keys.includes(head)) throw validation(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${head}`);
  }
}

/** A write nobody needs the old item for: no condition, no old values, no capacity report. */
function isBlind(options: { condition?: unknown }, input: WriteInput): boolean {
  return !options.condition && input.ReturnValues !== 'ALL_OLD' && (input.ReturnConsumedCapacity ?? 'NONE') === 'NONE' && input.ReturnItemCollectionMetrics !== 'SIZE';
}

function conditionOptions(condition: ReturnType<typeof expectedCondition>, input: WriteInput) {
  return { condition, returnItemOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
}

function writeResponse(input: WriteInput, table: TableInfo, outcome: WriteOutcome, attributes: Item | undefined): PutItemOutput {
  const output: PutItemOutput = {};
  if (attributes) output.Attributes = attributes;
  const capacity = itemWriteCapacity(input.ReturnConsumedCapacity, table, outcome.old, outcome.next);
  if (capacity) output.ConsumedCapacity = capacity;
  if (input.ReturnItemCollectionMetrics === 'SIZE' && table.indexes.some((index) => !index.global)) {
    const hash = table.key.hash.name;
    const source = outcome.next ?? outcome.old;
    const value = source && attributeOf(source, hash);
    if (value) output.ItemCollectionMetrics = { ItemCollectionKey: { [hash]: value }, SizeEstimateRangeGB: [0, 1] };
  }
  return output;
}
