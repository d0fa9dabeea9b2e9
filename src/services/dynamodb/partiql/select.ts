import { createHash } from 'node:crypto';
import type { AttributeValue, Item, ItemPage, KeySchema, RangeCondition } from '../../../storage/index.js';
import type { ExecuteStatementOutput } from '../api.js';
import type { OperationContext } from '../context.js';
import { validation } from '../errors.js';
import { consumed, readUnits } from '../ops/capacity.js';
import { checkStartKey, chooseSelect, NO_LIMIT, PAGE_BYTES, pageResponse, planRead, type ReadPlan } from '../ops/read-plan.js';
import { storeCall } from '../ops/store-calls.js';
import { itemSize } from '../values/size.js';
import type { Expr, Statement } from './ast.js';
import { conjuncts, fixedValues, type StatementBinder } from './bind.js';

/**
 * SELECT as DynamoDB runs it: a Query when the WHERE fixes the partition key with = or IN (one Query per value, in
 * the order given), otherwise a Scan; the whole WHERE filters what is read, after Limit, as a FilterExpression
 * does. NextToken carries where the read stopped.
 */

export type SelectStatement = Extract<Statement, { kind: 'select' }>;

export interface ReadOptions {
  /** The statement and parameters as sent: a NextToken continues only the read it came from. */
  source: string;
  consistent?: boolean;
  limit?: number;
  nextToken?: string;
  returnConsumedCapacity?: string;
}

/** Where a paged SELECT goes on: which partition key value (for Query) and after which item. */
interface Position {
  partition: number;
  after?: Item;
}

export async function runSelect(statement: SelectStatement, binder: StatementBinder, ctx: OperationContext, options: ReadOptions): Promise<ExecuteStatementOutput> {
  const { target, projection, where } = statement;
  const select = chooseSelect(undefined, projection, projection !== undefined, target.index, true);
  const filter = where ? binder.condition(where) : undefined;
  const input = { TableName: target.table, IndexName: target.index, ConsistentRead: options.consistent, ReturnConsumedCapacity: undefined };
  const plan = await planRead(ctx, input, { select, projection, filter });
  const key = plan.index ? plan.index.key : plan.table.key;
  const terms = conjuncts(where);
  // An index with a multi-attribute key is read by a Scan (the WHERE clause still filters).
  const multi = key.moreHash !== undefined || key.moreRange !== undefined;
  const hashTerm = multi ? undefined : terms.map((t) => fixedValues(t, key.hash.name, true)).find((values) => values !== undefined);
  const partitions = hashTerm?.map((value) => binder.value(value));
  const range = partitions ? rangeOf(terms, key, binder) : undefined;
  const descending = orderOf(statement, key, partitions !== undefined);
  const read = fingerprint(options.source);
  let position = decodeToken(options.nextToken, read);
  if (position.after) position.after = checkStartKey(position.after, plan.table, plan.index);

  const items: Item[] = [];
  let bytes = 0;
  let remaining = options.limit ?? NO_LIMIT;
  let next: Position | undefined;
  for (;;) {
    const page = await readPage(ctx, plan, { partitions, range, descending }, position, remaining);
    bytes += page.items.reduce((sum, item) => sum + itemSize(item), 0);
    const response = pageResponse(plan, page);
    items.push(...(response.Items ?? []) as Item[]);
    remaining -= page.items.length;
    if (response.LastEvaluatedKey) {
      next = { partition: position.partition, after: response.LastEvaluatedKey as Item };
      break;
    }
    const more = partitions !== undefined && position.partition + 1 < partitions.length;
    if (!more) break;
    position = { partition: position.partition + 1 };
    if (remaining <= 0) {
      next = position;
      break;
    }
  }
  const output: ExecuteStatementOutput = { Items: items };
  if (next) {
    output.NextToken = encodeToken(next, read);
    if (next.after) output.LastEvaluatedKey = next.after;
  }
  const capacity = consumed(options.returnConsumedCapacity, plan.table.name, readUnits(bytes, plan.consistent), 'read', plan.index && { name: plan.index.name, global: plan.index.global });
  if (capacity) output.ConsumedCapacity = capacity;
  return output;
}

/** How a Query reads: the partition key values in order, the sort key condition and direction. */
interface QueryShape {
  partitions?: AttributeValue[];
  range?: RangeCondition;
  descending: boolean;
}

function readPage(ctx: OperationContext, plan: ReadPlan, { partitions, range, descending }: QueryShape, position: Position, limit: number): Promise<ItemPage> {
  const common = { table: plan.table.name, index: plan.index?.name, startAfter: position.after, limit, maxBytes: PAGE_BYTES };
  if (!partitions) return storeCall(() => ctx.tables.scan(common));
  const hash = partitions[position.partition];
  const hashType = (plan.index ? plan.index.key : plan.table.key).hash.type;
  // A value of another type than the key's matches nothing.
  if (!hash || !(hashType in hash)) return Promise.resolve({ items: [], truncated: false });
  return storeCall(() => ctx.tables.query({ ...common, hash, range, descending }));
}

/** ORDER BY sorts a Query by its key (sort key order within each partition); a Scan has no order to give. */
function orderOf(statement: SelectStatement, key: KeySchema, query: boolean): boolean {
  const order = statement.order;
  if (!order) return false;
  const name = order.path.length === 1 ? order.path[0] : undefined;
  if (!query || (name !== key.hash.name && name !== key.range?.name)) {
    throw validation('Unsupported operation: ORDER BY is supported only on a key attribute of a statement whose WHERE clause fixes the partition key');
  }
  return order.descending;
}

const RANGE_OPS = { '=': 'eq', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const;

/** A sort key condition the Query can use (the filter still checks it): a comparison, BETWEEN or begins_with. */
function rangeOf(terms: Expr[], key: KeySchema, binder: StatementBinder): RangeCondition | undefined {
  const range = key.range;
  if (!range) return undefined;
  const isKey = (e: Expr) => e.kind === 'path' && e.path.length === 1 && e.path[0] === range.name;
  const isValue = (e: Expr) => ['string', 'number', 'param'].includes(e.kind);
  const fits = (value: AttributeValue) => range.type in value;
  for (const term of terms) {
    if (term.kind === 'compare' && term.op !== '<>' && isKey(term.left) && isValue(term.right)) {
      const value = binder.value(term.right);
      if (fits(value)) return { op: RANGE_OPS[term.op], value };
    }
    if (term.kind === 'between' && isKey(term.subject) && isValue(term.low) && isValue(term.high)) {
      const [low, high] = [binder.value(term.low), binder.value(term.high)];
      if (fits(low) && fits(high)) return { op: 'between', low, high };
    }
    if (term.kind === 'call' && term.name === 'begins_with' && term.args.length === 2 && isKey(term.args[0]!) && isValue(term.args[1]!)) {
      const prefix = binder.value(term.args[1]!);
      if (range.type !== 'N' && fits(prefix)) return { op: 'begins_with', prefix };
    }
  }
  return undefined;
}

function fingerprint(source: string): string {
  return createHash('sha256').update(source).digest('base64url').slice(0, 16);
}

function encodeToken(position: Position, read: string): string {
  return Buffer.from(JSON.stringify({ r: read, p: position.partition, a: position.after })).toString('base64');
}

function decodeToken(token: string | undefined, read: string): Position {
  if (token === undefined) return { partition: 0 };
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { r?: unknown; p?: unknown; a?: unknown };
    if (decoded.r !== read) throw new Error('another read');
    if (typeof decoded.p !== 'number' || !Number.isInteger(decoded.p) || decoded.p < 0) throw new Error('no position');
    if (decoded.a !== undefined && (typeof decoded.a !== 'object' || decoded.a === null)) throw new Error('no key');
    return { partition: decoded.p, after: decoded.a as Item | undefined };
  } catch {
    throw validation('Invalid NextToken');
  }
}
