import { z } from 'zod';
import type { Item, ItemRef, TableInfo } from '../../../storage/index.js';
import type { OperationContext } from '../context.js';
import { validation } from '../errors.js';
import type { Path } from '../expressions/bind.js';
import { project } from '../expressions/paths.js';
import { bindExpressions, checkExpressionParams } from '../expressions/request.js';
import { checkItemKeys, checkKey, keyOf, keyText } from '../keys.js';
import { attributesToGet } from '../legacy.js';
import { attributeMap, attributeNames } from '../schemas.js';
import { findTable } from '../table-model.js';
import { Constraints, parseShape, RETURN_CONSUMED_CAPACITY, RETURN_ITEM_COLLECTION_METRICS } from '../validate.js';
import { requireItem } from '../values/attributes.js';
import { itemSize, MAX_ITEM_BYTES } from '../values/size.js';
import { consumed, readUnits, writeUnits } from './capacity.js';
import { storeCall } from './store-calls.js';
import { deleteAction, putAction, type WriteAction } from './write-plans.js';

/** BatchGetItem and BatchWriteItem: every request is served at once, so nothing is ever left unprocessed. */

const MAX_BATCH_GET_KEYS = 100;
const MAX_BATCH_WRITES = 25;

const batchGetInput = z.object({
  RequestItems: z
    .record(z.string(), z.object({
      Keys: z.array(attributeMap).optional(),
      ProjectionExpression: z.string().optional(),
      ExpressionAttributeNames: attributeNames.optional(),
      AttributesToGet: z.array(z.string()).optional(),
      ConsistentRead: z.boolean().optional(),
    }))
    .optional(),
  ReturnConsumedCapacity: z.string().optional(),
});

const batchWriteInput = z.object({
  RequestItems: z
    .record(z.string(), z.array(z.object({
      PutRequest: z.object({ Item: attributeMap.optional() }).optional(),
      DeleteRequest: z.object({ Key: attributeMap.optional() }).optional(),
    })))
    .optional(),
  ReturnConsumedCapacity: z.string().optional(),
  ReturnItemCollectionMetrics: z.string().optional(),
});

interface TableRead {
  table: TableInfo;
  keys: Item[];
  projection?: Path[];
  consistent: boolean;
}

export async function batchGetItem(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const input = parseShape(batchGetInput, raw);
  const requests = input.RequestItems;
  const constraints = new Constraints().oneOf(input.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY).notNull(requests, 'requestItems');
  for (const [name, request] of Object.entries(requests ?? {})) {
    constraints.tableName(name, `RequestItems.${name}`, 3);
    constraints.notNull(request.Keys, `RequestItems.${name}.member.Keys`);
    // DynamoDB leaves the (long) key list out of this message.
    constraints.check((request.Keys?.length ?? 1) >= 1, request.Keys, `RequestItems.${name}.member.Keys`, 'Member must have length greater than or equal to 1', false);
    constraints.check((request.Keys?.length ?? 0) <= MAX_BATCH_GET_KEYS, request.Keys, `RequestItems.${name}.member.Keys`, `Member must have length less than or equal to ${MAX_BATCH_GET_KEYS}`, false);
  }
  constraints.done();
  if (Object.keys(requests!).length === 0) throw validation('The requestItems parameter is required for BatchGetItem');
  const reads: TableRead[] = [];
  let total = 0;
  for (const [name, request] of Object.entries(requests!)) {
    checkExpressionParams(request, ['ProjectionExpression'], ['AttributesToGet']);
    const legacy = attributesToGet(request.AttributesToGet);
    const bound = bindExpressions(request, ctx.expressions);
    const keys = request.Keys!.map((key) => requireItem(key));
    total += keys.length;
    const table = await findTable(ctx, name);
    reads.push({ table, keys, projection: bound.projection ?? legacy, consistent: request.ConsistentRead === true });
  }
  if (total > MAX_BATCH_GET_KEYS) throw validation('Too many items requested for the BatchGetItem call');
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
  const capacity: unknown[] = [];
  let at = 0;
  for (const read of reads) {
    const items: Item[] = [];
    let bytes = 0;
    for (let i = 0; i < read.keys.length; i++) {
      const item = found[at++];
      if (!item) continue;
      bytes += itemSize(item);
      items.push(read.projection ? project(item, read.projection) : item);
    }
    responses[read.table.name] = items;
    const used = consumed(input.ReturnConsumedCapacity, read.table.name, readUnits(bytes, read.consistent), 'read');
    if (used) capacity.push(used);
  }
  const output: Record<string, unknown> = { Responses: responses, UnprocessedKeys: {} };
  if (capacity.length > 0) output.ConsumedCapacity = capacity;
  return output;
}

export async function batchWriteItem(raw: unknown, ctx: OperationContext): Promise<unknown> {
  const input = parseShape(batchWriteInput, raw);
  const requests = input.RequestItems;
  const constraints = new Constraints()
    .oneOf(input.ReturnConsumedCapacity, 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY)
    .oneOf(input.ReturnItemCollectionMetrics, 'returnItemCollectionMetrics', RETURN_ITEM_COLLECTION_METRICS)
    .notNull(requests, 'requestItems');
  const lengths = Object.values(requests ?? {}).map((list) => list.length);
  constraints.check(lengths.every((n) => n >= 1 && n <= MAX_BATCH_WRITES), requests, 'requestItems',
    `Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_BATCH_WRITES}, Member must have length greater than or equal to 1]`);
  constraints.done();
  if (Object.keys(requests!).length === 0) throw validation('The requestItems parameter is required for BatchWriteItem');
  if (lengths.reduce((a, b) => a + b, 0) > MAX_BATCH_WRITES) throw validation('Too many items requested for the BatchWriteItem call');

  const wantsCapacity = input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES';
  const actions: WriteAction[] = [];
  const seen = new Set<string>();
  for (const [name, list] of Object.entries(requests!)) {
    const table = await findTable(ctx, name);
    for (const request of list) {
      if ((request.PutRequest === undefined) === (request.DeleteRequest === undefined)) {
        throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      }
      const action = request.PutRequest ? putRequest(table, request.PutRequest.Item) : deleteRequest(table, request.DeleteRequest!.Key);
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
  const output: Record<string, unknown> = { UnprocessedItems: {} };
  if (wantsCapacity) {
    const units = new Map<string, number>();
    outcomes.forEach((outcome, i) => {
      const bytes = Math.max(outcome.old ? itemSize(outcome.old) : 0, outcome.next ? itemSize(outcome.next) : 0);
      const name = actions[i]!.table.name;
      units.set(name, (units.get(name) ?? 0) + writeUnits(bytes));
    });
    output.ConsumedCapacity = [...units].map(([name, n]) => consumed(input.ReturnConsumedCapacity, name, n, 'write'));
  }
  return output;
}

function putRequest(table: TableInfo, raw: Record<string, unknown> | undefined): WriteAction {
  new Constraints().notNull(raw, 'item').done();
  const item = requireItem(raw);
  if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
  checkItemKeys(item, table);
  return putAction(table, item, {});
}

function deleteRequest(table: TableInfo, raw: Record<string, unknown> | undefined): WriteAction {
  new Constraints().notNull(raw, 'key').done();
  const key = checkKey(requireItem(raw), table.key);
  return deleteAction(table, keyOf(key, table.key), {});
}
