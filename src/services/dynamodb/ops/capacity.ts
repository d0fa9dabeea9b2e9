import type { ConsumedCapacity } from '../api.js';

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
