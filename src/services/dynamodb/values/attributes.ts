import type { AttributeValue, Item } from '../../../storage/index.js';
import { coralConversionMessage } from '../../../protocol/index.js';
import { serialization, validation } from '../errors.js';
import { normalizeNumber } from './numbers.js';

/**
 * Checks attribute values from a request the way DynamoDB does and normalises them in place (numbers to their
 * canonical text), so everything past this point can trust the values. Messages are DynamoDB's, including its
 * quirks ("An string set  may not be empty").
 */

const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] as const;
type TypeName = (typeof TYPES)[number];
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** An item's own attribute: a name like "constructor" must not find Object.prototype's members. */
export function attributeOf(item: Item, name: string): AttributeValue | undefined {
  return Object.hasOwn(item, name) ? item[name] : undefined;
}

/** Sets an attribute as an own property, "__proto__" included. */
export function setAttribute(item: Item, name: string, value: AttributeValue): void {
  if (name === '__proto__') Object.defineProperty(item, name, { value, enumerable: true, writable: true, configurable: true });
  else item[name] = value;
}

export function typeOf(value: AttributeValue): TypeName {
  for (const key in value) return key as TypeName;
  return 'NULL';
}

/** Validates and normalises one value; returns it (the same object, numbers rewritten). */
export function checkValue(value: unknown): AttributeValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw serialization(Array.isArray(value) ? 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue' : 'Unexpected value type in payload');
  }
  const record = value as Record<string, unknown>;
  let found: TypeName | undefined;
  let count = 0;
  for (const key of Object.keys(record)) {
    if (record[key] === null || record[key] === undefined || !(TYPES as readonly string[]).includes(key)) continue;
    count++;
    found = key as TypeName;
  }
  if (count === 0 || !found) throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (count > 1) throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  const raw = record[found];
  const clean = checkTyped(found, raw);
  if (Object.keys(record).length !== 1) return { [found]: clean } as AttributeValue;
  record[found] = clean;
  return record as AttributeValue;
}

function checkTyped(type: TypeName, raw: unknown): unknown {
  switch (type) {
    case 'S':
      return requireString(raw);
    case 'N':
      return normalizeNumber(requireString(raw));
    case 'B':
      return requireBase64(raw);
    case 'BOOL':
      return requireBoolean(raw);
    case 'NULL':
      if (requireBoolean(raw) !== true) throw validation('One or more parameter values were invalid: Null attribute value types must have the value of true');
      return true;
    case 'M':
      return checkItem(requireObject(raw));
    case 'L':
      return requireArray(raw).map((element) => checkValue(element));
    case 'SS':
      return checkSet('SS', requireArray(raw).map(requireString));
    case 'NS':
      return checkSet('NS', requireArray(raw).map((n) => normalizeNumber(requireString(n))));
    case 'BS':
      return checkSet('BS', requireArray(raw).map(requireBase64));
  }
}

function checkSet(type: 'SS' | 'NS' | 'BS', members: string[]): string[] {
  if (members.length === 0) {
    if (type === 'SS') throw validation('One or more parameter values were invalid: An string set  may not be empty');
    if (type === 'NS') throw validation('One or more parameter values were invalid: An number set  may not be empty');
    throw validation('One or more parameter values were invalid: Binary sets should not be empty');
  }
  if (new Set(members).size !== members.length) {
    if (type === 'NS') throw validation('Input collection contains duplicates');
    const shown = `[${members.join(', ')}]`;
    throw validation(type === 'SS'
      ? `One or more parameter values were invalid: Input collection ${shown} contains duplicates.`
      : `One or more parameter values were invalid: Input collection ${shown}of type BS contains duplicates.`);
  }
  return members;
}

/** Validates every attribute of an item (or key, or map value) in place. */
export function checkItem(item: Record<string, unknown>): Item {
  for (const name of Object.keys(item)) item[name] = checkValue(item[name]);
  return item as Item;
}

/** A map of values from the request (Item, Key, ExclusiveStartKey...): must be a JSON object. */
export function requireItem(value: unknown): Item {
  return checkItem(requireObject(value));
}

function requireString(value: unknown): string {
  if (typeof value === 'string') return value;
  throw serialization(coralConversionMessage(value, 'string', 'java.lang.String'));
}

function requireBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw serialization(coralConversionMessage(value, 'boolean', 'java.lang.Boolean'));
}

function requireBase64(value: unknown): string {
  if (typeof value !== 'string') throw serialization(coralConversionMessage(value, 'blob', 'java.nio.ByteBuffer'));
  if (value.length % 4 !== 0) throw serialization(`Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
  if (!BASE64.test(value)) throw serialization('Invalid last non-pad Base64 character dectected');
  return value;
}

function requireArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw serialization(value !== null && typeof value === 'object' ? 'Start of structure or map found where not expected' : 'Unexpected field type');
}

function requireObject(value: unknown): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw serialization(Array.isArray(value) ? 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>' : 'Unexpected field type');
}
