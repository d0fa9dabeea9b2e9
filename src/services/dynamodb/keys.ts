import type { AttributeValue, Item, KeyAttribute, KeySchema, TableInfo } from '../../storage/index.js';
import { validation } from './errors.js';
import { indexKeyAttributes } from './table-model.js';
import { attributeOf, setAttribute, typeOf } from './values/attributes.js';

/** DynamoDB's limits on key values: 2048 bytes for a partition key, 1024 for a sort key. */
const MAX_HASH_KEY_BYTES = 2048;
const MAX_RANGE_KEY_BYTES = 1024;

function keySize(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  return 0;
}

function isEmpty(value: AttributeValue): boolean {
  return ('S' in value && value.S.length === 0) || ('B' in value && value.B.length === 0);
}

function emptyKind(value: AttributeValue): string {
  return 'S' in value ? 'string' : 'binary';
}

function checkKeySize(value: AttributeValue, isHash: boolean): void {
  if (isHash && keySize(value) > MAX_HASH_KEY_BYTES) {
    throw validation(`One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of${MAX_HASH_KEY_BYTES} bytes`);
  }
  if (!isHash && keySize(value) > MAX_RANGE_KEY_BYTES) {
    throw validation(`One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of ${MAX_RANGE_KEY_BYTES} bytes`);
  }
}

function parts(key: KeySchema): [KeyAttribute, boolean][] {
  return key.range ? [[key.hash, true], [key.range, false]] : [[key.hash, true]];
}

/** A Key parameter: exactly the table's key attributes, of the right types. */
export function checkKey(key: Item, schema: KeySchema): Item {
  const expected = parts(schema);
  if (Object.keys(key).length !== expected.length) throw validation('The provided key element does not match the schema');
  for (const [part, isHash] of expected) {
    const value = attributeOf(key, part.name);
    if (!value || !(part.type in value)) throw validation('The provided key element does not match the schema');
    if (isEmpty(value)) {
      throw validation(`One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. Key: ${part.name}`);
    }
    checkKeySize(value, isHash);
  }
  return key;
}

/** An item to write: carries the table's key attributes with the right types, and valid index key values. */
export function checkItemKeys(item: Item, table: TableInfo): void {
  for (const [part, isHash] of parts(table.key)) {
    const value = attributeOf(item, part.name);
    if (!value) throw validation(`One or more parameter values were invalid: Missing the key ${part.name} in the item`);
    if (!(part.type in value)) {
      throw validation(`One or more parameter values were invalid: Type mismatch for key ${part.name} expected: ${part.type} actual: ${typeOf(value)}`);
    }
    if (isEmpty(value)) {
      throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. Key: ${part.name}`);
    }
    checkKeySize(value, isHash);
  }
  checkIndexKeys(item, table, false);
}

/** Index key attributes, when present, must have the index's key type and not be empty. */
export function checkIndexKeys(item: Item, table: TableInfo, byUpdate: boolean): void {
  for (const attribute of indexKeyAttributes(table)) {
    const value = attributeOf(item, attribute.name);
    if (!value) continue;
    if (!(attribute.type in value)) {
      throw validation(byUpdate
        ? 'The update expression attempted to update the secondary index key to unsupported type'
        : `One or more parameter values were invalid: Type mismatch for Index Key ${attribute.name} Expected: ${attribute.type} Actual: ${typeOf(value)} IndexName: ${attribute.index}`);
    }
    if (isEmpty(value)) {
      throw validation(byUpdate
        ? `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value.`
        : `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. IndexName: ${attribute.index}, IndexKey: ${attribute.name}`);
    }
  }
}

/** The key attributes of an item under a schema. */
export function keyOf(item: Item, schema: KeySchema): Item {
  const key: Item = { [schema.hash.name]: attributeOf(item, schema.hash.name)! };
  if (schema.range) setAttribute(key, schema.range.name, attributeOf(item, schema.range.name)!);
  return key;
}

/** A stable text for a key, to find duplicates within one request. */
export function keyText(table: string, key: Item, schema: KeySchema): string {
  const values = parts(schema).map(([part]) => JSON.stringify(attributeOf(key, part.name)));
  return `${table}\u0000${values.join('\u0000')}`;
}
