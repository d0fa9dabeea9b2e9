import { isFlintError } from '../../../core/index.js';
import { keyAttributes, type Item, type ItemPage, type KeySchema, type TableInfo } from '../../../storage/index.js';
import type { QueryOutput } from '../api.js';
import { validation } from '../errors.js';
import type { Condition, Path } from '../expressions/bind.js';
import { evaluate } from '../expressions/evaluate.js';
import { project } from '../expressions/paths.js';
import { checkKey, keyOf } from '../keys.js';
import type { OperationContext } from '../context.js';
import { findIndex, findTable, keyNames, projectToIndex, type IndexView } from '../table-model.js';
import { attributeOf, checkItem, setAttribute } from '../values/attributes.js';
import { itemSize } from '../values/size.js';
import { consumed, readUnits } from './capacity.js';

/**
 * What Query and Scan share: Select and projection rules, the start key, and turning a page of stored items
 * into the response (filter after the limit, projection, counts, LastEvaluatedKey, capacity).
 */

/** DynamoDB reads at most 1 MB per Query or Scan call, before filtering. */
export const PAGE_BYTES = 1024 * 1024;
/** Stands for "no Limit": the byte budget ends the page long before. */
export const NO_LIMIT = 2 ** 31 - 1;

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

export interface ReadPlan {
  table: TableInfo;
  index?: IndexView;
  select: Select;
  projection?: Path[];
  filter?: Condition;
  consistent: boolean;
  returnConsumedCapacity?: string;
}

/** The table and index a Query or Scan reads, with its plan; refuses a read the index cannot serve. */
export async function planRead(
  ctx: OperationContext,
  input: { TableName?: string; IndexName?: string; ConsistentRead?: boolean; ReturnConsumedCapacity?: string },
  reading: Pick<ReadPlan, 'select' | 'projection' | 'filter'>,
): Promise<ReadPlan> {
  const table = await findTable(ctx, input.TableName);
  const index = input.IndexName === undefined ? undefined : findIndex(table, input.IndexName);
  const plan: ReadPlan = { table, index, ...reading, consistent: input.ConsistentRead === true, returnConsumedCapacity: input.ReturnConsumedCapacity };
  checkIndexRead(plan);
  return plan;
}

/** The Select value in force, after DynamoDB's checks of Select against projections and indexes. */
export function chooseSelect(select: string | undefined, projection: Path[] | undefined, hasProjectionExpression: boolean, indexName: string | undefined, query: boolean): Select {
  if (select === 'SPECIFIC_ATTRIBUTES' && !projection) {
    const message = 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES';
    throw validation(query ? `1 validation error detected: ${message}` : message);
  }
  if (hasProjectionExpression && select !== undefined && select !== 'SPECIFIC_ATTRIBUTES') {
    throw validation(`Cannot specify the ProjectionExpression when choosing to get ${select === 'COUNT' ? 'only the Count' : select}`);
  }
  if (projection && select !== undefined && select !== 'SPECIFIC_ATTRIBUTES' && !hasProjectionExpression) {
    throw validation(`Cannot specify the AttributesToGet when choosing to get ${select === 'COUNT' ? 'only the Count' : select}`);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && indexName === undefined) {
    throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  if (select) return select as Select;
  if (projection) return 'SPECIFIC_ATTRIBUTES';
  return indexName === undefined ? 'ALL_ATTRIBUTES' : 'ALL_PROJECTED_ATTRIBUTES';
}

export function checkIndexRead(plan: { index?: IndexView; select: Select; consistent: boolean }): void {
  const index = plan.index;
  if (!index) return;
  if (index.global && plan.consistent) throw validation('Consistent reads are not supported on global secondary indexes');
  if (index.global && plan.select === 'ALL_ATTRIBUTES' && index.projection.ProjectionType !== 'ALL') {
    throw validation(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`);
  }
}

/** The key attributes a LastEvaluatedKey (and so an ExclusiveStartKey) holds: the table's, then the index's. */
export function positionNames(table: TableInfo, index: IndexView | undefined): string[] {
  const names = keyNames(table.key);
  if (index) for (const name of keyNames(index.key)) if (!names.includes(name)) names.push(name);
  return names;
}

const UNPREFIXED = /contains duplicates|number set|numeric value|significant digits|number with magnitude/;

/** Validates an ExclusiveStartKey against the table (and index) key schema. */
export function checkStartKey(raw: Record<string, unknown> | undefined, table: TableInfo, index: IndexView | undefined): Item | undefined {
  if (raw === undefined) return undefined;
  let start: Item;
  try {
    start = checkItem(raw);
  } catch (error) {
    if (!isFlintError(error, 'INVALID_PARAMETER')) throw error;
    throw validation(UNPREFIXED.test(error.message) ? error.message : `The provided starting key is invalid: ${error.message}`);
  }
  const names = positionNames(table, index);
  if (Object.keys(start).length !== names.length || names.some((name) => attributeOf(start, name) === undefined)) {
    throw validation('The provided starting key is invalid');
  }
  if (index) {
    for (const part of keyAttributes(index.key)) {
      if (!(part.type in attributeOf(start, part.name)!)) throw validation('The provided starting key is invalid');
    }
  }
  try {
    checkKey(keyOf(start, table.key), table.key);
  } catch (error) {
    if (!isFlintError(error, 'INVALID_PARAMETER')) throw error;
    throw validation(`The provided starting key is invalid: ${error.message}`);
  }
  return start;
}

/** Attribute names a condition reads at the top level. */
export function conditionHeads(condition: Condition | undefined, out = new Set<string>()): Set<string> {
  if (!condition) return out;
  const operand = (o: { kind: string; path?: Path; operand?: unknown }): void => {
    if (o.kind === 'path' && o.path) out.add(String(o.path[0]));
    if (o.kind === 'size') operand(o.operand as { kind: string });
  };
  switch (condition.kind) {
    case 'and':
    case 'or':
      conditionHeads(condition.left, out);
      conditionHeads(condition.right, out);
      break;
    case 'not':
      conditionHeads(condition.operand, out);
      break;
    case 'exists':
    case 'not_exists':
      out.add(String(condition.path[0]));
      break;
    case 'compare':
      operand(condition.left);
      operand(condition.right);
      break;
    case 'between':
      [condition.subject, condition.low, condition.high].forEach(operand);
      break;
    case 'in':
      [condition.subject, ...condition.options].forEach(operand);
      break;
    case 'type':
      operand(condition.subject);
      break;
    default:
      operand(condition.subject);
      operand(condition.operand);
  }
  return out;
}

/** Query filters may not test the key attributes of what is queried. */
export function checkFilterKeys(filter: Condition | undefined, key: KeySchema, legacy: boolean): void {
  if (!filter) return;
  const heads = conditionHeads(filter);
  for (const name of keyNames(key)) {
    if (heads.has(name)) {
      throw validation(`${legacy ? 'QueryFilter' : 'Filter Expression'} can only contain non-primary key attributes: Primary key attribute: ${name}`);
    }
  }
}

/** The response for one page: filtered after the limit, projected, counted, with where to continue. */
export function pageResponse(plan: ReadPlan, page: ItemPage): QueryOutput {
  const { table, index } = plan;
  const items: Item[] = [];
  let bytes = 0;
  for (const stored of page.items) {
    bytes += itemSize(stored);
    // A global index holds only what it projects; a local one can fetch the rest from the table.
    const fromIndex = index && (index.global || plan.select === 'ALL_PROJECTED_ATTRIBUTES');
    const visible = fromIndex ? projectToIndex(table, index, stored) : stored;
    if (plan.filter && !evaluate(plan.filter, visible)) continue;
    items.push(plan.projection ? project(visible, plan.projection) : visible);
  }
  const output: QueryOutput = {};
  if (plan.select !== 'COUNT') output.Items = items;
  output.Count = items.length;
  output.ScannedCount = page.items.length;
  const last = page.items[page.items.length - 1];
  if (page.truncated && last) {
    const position: Item = {};
    for (const name of positionNames(table, index)) setAttribute(position, name, attributeOf(last, name)!);
    output.LastEvaluatedKey = position;
  }
  const capacity = consumed(plan.returnConsumedCapacity, table.name, readUnits(bytes, plan.consistent), 'read', index && { name: index.name, global: index.global });
  if (capacity) output.ConsumedCapacity = capacity;
  return output;
}
