import type { Item, TableInfo } from '../../../storage/index.js';
import type { ConsumedCapacity } from '../api.js';
import { findIndex, keyNames, projectToIndex, type IndexView } from '../table-model.js';
import { attributeOf } from '../values/attributes.js';
import { valuesEqual } from '../values/compare.js';
import { itemSize } from '../values/size.js';

/**
 * ConsumedCapacity as DynamoDB reports it when asked: writes cost one unit per started KB of the larger of the
 * old and new item, reads one unit per started 4 KB (half for eventually consistent reads).
 */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

export function readUnits(bytes: number, consistent: boolean): number {
  return Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
}

export function consumed(mode: string | undefined, table: string, units: number, kind: 'read' | 'write', index?: { name: string; global: boolean }): ConsumedCapacity | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const split = kind === 'read' ? { ReadCapacityUnits: units } : { WriteCapacityUnits: units };
  const capacity: ConsumedCapacity = { TableName: table, CapacityUnits: units, ...split };
  if (mode === 'INDEXES') {
    if (index) capacity[index.global ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes'] = { [index.name]: { CapacityUnits: units, ...split } };
    else capacity.Table = { CapacityUnits: units, ...split };
  }
  return capacity;
}

/**
 * One item write's ConsumedCapacity with the indexes it touches, as DynamoDB bills them: each index the item enters,
 * leaves or changes in costs the write units of its index entry, a change of the index key costs a delete and a
 * put, and an index whose entry stays the same costs nothing
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes).
 */
export function itemWriteCapacity(mode: string | undefined, table: TableInfo, old: Item | undefined, next: Item | undefined): ConsumedCapacity | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const tableUnits = writeUnits(Math.max(old ? itemSize(old) : 0, next ? itemSize(next) : 0));
  const capacity: ConsumedCapacity = { TableName: table.name };
  let total = tableUnits;
  for (const definition of table.indexes) {
    const index = findIndex(table, definition.name);
    const units = indexWriteUnits(table, index, old, next);
    if (units === 0) continue;
    total += units;
    const group = index.global ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes';
    capacity[group] = { ...capacity[group], [index.name]: { CapacityUnits: units, WriteCapacityUnits: units } };
  }
  if (mode === 'TOTAL') return { TableName: table.name, CapacityUnits: total, WriteCapacityUnits: total };
  return { ...capacity, CapacityUnits: total, WriteCapacityUnits: total, Table: { CapacityUnits: tableUnits, WriteCapacityUnits: tableUnits } };
}

type Units = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

/**
 * Adds one ConsumedCapacity into the running total of its table, `times` over (transactions bill each item twice),
 * so a batch or transaction answers one entry per table with its index breakdown summed.
 */
export function addCapacity(totals: Map<string, ConsumedCapacity>, capacity: ConsumedCapacity, times = 1): void {
  const name = capacity.TableName!;
  const total = totals.get(name) ?? { TableName: name };
  addUnits(total, capacity, times);
  if (capacity.Table) total.Table = addUnits({ ...total.Table }, capacity.Table, times);
  for (const group of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const) {
    for (const [index, units] of Object.entries(capacity[group] ?? {})) {
      total[group] = { ...total[group], [index]: addUnits({ ...total[group]?.[index] }, units, times) };
    }
  }
  totals.set(name, total);
}

function addUnits<T extends Units>(into: T, units: Units, times: number): T {
  for (const key of ['CapacityUnits', 'ReadCapacityUnits', 'WriteCapacityUnits'] as const) {
    if (units[key] !== undefined) into[key] = (into[key] ?? 0) + times * units[key];
  }
  return into;
}

function indexWriteUnits(table: TableInfo, index: IndexView, old: Item | undefined, next: Item | undefined): number {
  const before = old && inIndex(old, index) ? projectToIndex(table, index, old) : undefined;
  const after = next && inIndex(next, index) ? projectToIndex(table, index, next) : undefined;
  if (before && after) {
    if (valuesEqual({ M: before }, { M: after })) return 0;
    const sameKey = keyNames(index.key).every((name) => valuesEqual(attributeOf(before, name)!, attributeOf(after, name)!));
    if (sameKey) return writeUnits(Math.max(itemSize(before), itemSize(after)));
  }
  return (before ? writeUnits(itemSize(before)) : 0) + (after ? writeUnits(itemSize(after)) : 0);
}

function inIndex(item: Item, index: IndexView): boolean {
  return keyNames(index.key).every((name) => attributeOf(item, name) !== undefined);
}
