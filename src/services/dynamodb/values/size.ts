import type { AttributeValue, Item } from '../../../storage/index.js';
import { numberSize } from './numbers.js';

/**
 * Item sizes as DynamoDB counts them against the 400 KB limit: attribute names and strings in UTF-8 bytes, binary
 * in bytes, numbers by their significant digits, one byte for booleans and nulls, and for maps and lists three
 * bytes plus one per element on top of their contents.
 */
export const MAX_ITEM_BYTES = 400 * 1024;

export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name, 'utf8') + valueSize(item[name]!);
  return size;
}

export function valueSize(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64Length(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('M' in value) {
    let size = 3;
    for (const name in value.M) size += 1 + Buffer.byteLength(name, 'utf8') + valueSize(value.M[name]!);
    return size;
  }
  if ('L' in value) return value.L.reduce((sum, element) => sum + 1 + valueSize(element), 3);
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  return value.BS.reduce((sum, b) => sum + base64Length(b), 0);
}

function base64Length(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}
