import type { Item, ItemRef, TableInfo } from '../../../storage/index.js';
import type { BatchGetItemInput, BatchGetItemOutput, BatchWriteItemInput, BatchWriteItemOutput, ConsumedCapacity, WriteRequest } from '../api.js';
import { MAX_BATCH_GET_KEYS } from '../checks.js';
import type { OperationContext } from '../context.js';
import { validation } from '../errors.js';
import type { Path } from '../expressions/bind.js';
import { project } from '../expressions/paths.js';
import { bindExpressions, checkExpressionParams } from '../expressions/request.js';
import { checkItemKeys, checkKey, keyOf, keyText } from '../keys.js';
import { attributesToGet } from '../legacy.js';
import { findTable } from '../table-model.js';
import { requireItem } from '../values/attributes.js';
import { itemSize, MAX_ITEM_BYTES } from '../values/size.js';
import { addCapacity, consumed, itemWriteCapacity, readUnits } from './capacity.js';
import { storeCall } from './store-calls.js';
import { deleteAction, putAction, type WriteAction } from './write-plans.js';

/**
 * BatchGetItem and BatchWriteItem: every request is served at once, so nothing is ever left unprocessed. The kit
 * has checked their members (see quirks.ts and checks.ts).
 */

const MAX_BATCH_WRITES = 25;
/** The most item bytes one BatchGetItem answer carries. */
const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;

interface TableRead {
  /** The table's name or ARN as the request gave it: Responses are keyed by it. */
  requested: string;
  table: TableInfo;
  keys: Item[];
  projection?: Path[];
  consistent: boolean;
}

export async function batchGetItem(input: BatchGetItemInput, ctx: OperationContext): Promise<BatchGetItemOutput> {
  const requests = input.RequestItems;
  if (Object.keys(requests).length === 0) throw validation('The requestItems parameter is required for BatchGetItem');
  // Every table's expressions and keys are checked before any table is looked up, as DynamoDB does.
  const checked = Object.entries(requests).map(([name, request]) => {
    checkExpressionParams(request, ['ProjectionExpression'], ['AttributesToGet']);
    const legacy = attributesToGet(request.AttributesToGet);
    const bound = bindExpressions(request, ctx.expressions);
    return { name, keys: request.Keys.map((key) => requireItem(key)), projection: bound.projection ?? legacy, consistent: request.ConsistentRead === true };
  });
  const total = checked.reduce((sum, request) => sum + request.keys.length, 0);
  if (total > MAX_BATCH_GET_KEYS) throw validation('Too many items requested for the BatchGetItem call');
  const reads: TableRead[] = [];
  for (const { name, ...read } of checked) reads.push({ requested: name, table: await findTable(ctx, name), ...read });
  for (const read of reads) {
    const seen = new Set<string>();
    for (const key of read.keys) {
      checkKey(key, read.table.key);
      const text = keyText(read.table.name, key, read.table.key);
      if (seen.has(text)) throw validation('Provided list of item keys contains duplicates');
      seen.add(text);
    }
  }
  const refs: ItemRef[] = reads.flatMap((read) => read.keys.map((key) => ({ table: read.table.name, key })));
  const found = await storeCall(() => ctx.tables.getItems(refs));
  const responses: Record<string, Item[]> = {};
  const unprocessed: BatchGetItemOutput['UnprocessedKeys'] = {};
  const capacity: ConsumedCapacity[] = [];
  let at = 0;
  let responseBytes = 0;
  for (const read of reads) {
    const items: Item[] = [];
    const left: Item[] = [];
    let bytes = 0;
    for (const key of read.keys) {
      const item = found[at++];
      if (!item) continue;
      const size = itemSize(item);
      // A response holds at most 16 MB of items; the keys of the rest come back unprocessed
      // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
      if (left.length > 0 || responseBytes + size > MAX_BATCH_GET_BYTES) {
        left.push(keyOf(key, read.table.key));
        continue;
      }
      responseBytes += size;
      bytes += size;
      items.push(read.projection ? project(item, read.projection) : item);
    }
    responses[read.requested] = items;
    if (left.length > 0) unprocessed[read.requested] = { ...requests[read.requested], Keys: left };
    const used = consumed(input.ReturnConsumedCapacity, read.table.name, readUnits(bytes, read.consistent), 'read');
    if (used) capacity.push(used);
  }
  const output: BatchGetItemOutput = { Responses: responses, UnprocessedKeys: unprocessed };
  if (capacity.length > 0) output.ConsumedCapacity = capacity;
  return output;
}

export async function batchWriteItem(input: BatchWriteItemInput, ctx: OperationContext): Promise<BatchWriteItemOutput> {
  const requests = input.RequestItems;
  if (Object.keys(requests).length === 0) throw validation('The requestItems parameter is required for BatchWriteItem');
  const count = Object.values(requests).reduce((sum, list) => sum + list.length, 0);
  if (count > MAX_BATCH_WRITES) throw validation('Too many items requested for the BatchWriteItem call');

  const wantsCapacity = input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES';
  // Every request's shape and attribute values are checked before any table is looked up, as DynamoDB does.
  const checked = Object.entries(requests).map(([name, list]) => ({ name, list: list.map(checkWriteRequest) }));
  const actions: WriteAction[] = [];
  const seen = new Set<string>();
  for (const { name, list } of checked) {
    const table = await findTable(ctx, name);
    for (const request of list) {
      const action = 'put' in request ? putRequest(table, request.put) : deleteRequest(table, request.delete);
      const text = keyText(table.name, action.key, table.key);
      if (seen.has(text)) throw validation('Provided list of item keys contains duplicates');
      seen.add(text);
      actions.push(action);
    }
  }
  const outcomes = await storeCall(() =>
    ctx.tables.write(actions.map((a) => ({ table: a.table.name, key: a.key, blind: !wantsCapacity })), (current) => {
      const decided = actions.map((action, i) => action.decide(current[i]));
      return { changes: decided.map((d) => d.change), result: decided };
    }),
  );
  const output: BatchWriteItemOutput = { UnprocessedItems: {} };
  if (wantsCapacity) {
    // Each item as PutItem or DeleteItem would bill it, index entries included, summed per table.
    const totals = new Map<string, ConsumedCapacity>();
    outcomes.forEach((outcome, i) => addCapacity(totals, itemWriteCapacity(input.ReturnConsumedCapacity, actions[i]!.table, outcome.old, outcome.next)!));
    output.ConsumedCapacity = [...totals.values()];
  }
  return output;
}

type CheckedWrite = { put: Item } | { delete: Item };

function checkWriteRequest(request: WriteRequest): CheckedWrite {
  if ((request.PutRequest === undefined) === (request.DeleteRequest === undefined)) {
    throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  }
  return request.PutRequest ? { put: requireItem(request.PutRequest.Item) } : { delete: requireItem(request.DeleteRequest!.Key) };
}

function putRequest(table: TableInfo, item: Item): WriteAction {
  if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
  checkItemKeys(item, table);
  return putAction(table, item, {});
}

function deleteRequest(table: TableInfo, raw: Item): WriteAction {
  const key = checkKey(raw, table.key);
  return deleteAction(table, keyOf(key, table.key), {});
}
