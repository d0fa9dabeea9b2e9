import type { AttributeValue, Item, KeyAttribute, KeySchema, KeyType, RangeCondition } from '../ports-tables.js';

/**
 * Key values as bytes whose memcmp order (SQLite's BLOB order) is DynamoDB's key order: strings as UTF-8, binary
 * as is, numbers in a sign/exponent/digits form. Partition keys only need equality, but use the same encoding, so
 * numerically equal numbers ("1", "1.0") land in one partition.
 */

const EMPTY: Buffer = Buffer.alloc(0);
const ZERO = Buffer.from([0x80]);
const NEGATIVE = 0x40;
const POSITIVE = 0xc0;
/** Keeps the exponent of any storable number (DynamoDB allows about 1e-130 to 1e126) positive in two bytes. */
const EXPONENT_BIAS = 0x4000;

export function encodeKeyValue(value: AttributeValue, type: KeyType): Buffer {
  if (type === 'S' && 'S' in value) return Buffer.from(value.S, 'utf8');
  if (type === 'B' && 'B' in value) return Buffer.from(value.B, 'base64');
  if (type === 'N' && 'N' in value) return encodeNumber(value.N);
  throw new TypeError(`key value is not of type ${type}`);
}

/** Encoding of an item's (or key's) value for one key attribute; undefined when absent or of another type. */
export function keyBytes(item: Item, name: string, type: KeyType): Buffer | undefined {
  const value = Object.hasOwn(item, name) ? item[name] : undefined;
  if (value === undefined || !(type in value)) return undefined;
  return encodeKeyValue(value, type);
}

export interface EncodedKey {
  hash: number;
  pk: Buffer;
  sk: Buffer;
}

/** The (partition hash, partition key, sort key) triple of an item under a key schema; undefined if it lacks one. */
export function encodeKey(item: Item, key: KeySchema): EncodedKey | undefined {
  if (key.moreHash || key.moreRange) return encodeMultiKey(item, key);
  const pk = keyBytes(item, key.hash.name, key.hash.type);
  if (!pk) return undefined;
  let sk: Buffer = EMPTY;
  if (key.range) {
    const range = keyBytes(item, key.range.name, key.range.type);
    if (!range) return undefined;
    sk = range;
  }
  return { hash: partitionHash(pk), pk, sk };
}

/**
 * A multi-attribute key: each part with several attributes is their tuple encoding (tupleBytes), a part with one
 * attribute stays as a single key encodes it. An item lacking any attribute has no entry, as in a sparse index.
 */
function encodeMultiKey(item: Item, key: KeySchema): EncodedKey | undefined {
  const pk = partBytes(item, key.hash, key.moreHash);
  if (!pk) return undefined;
  let sk: Buffer = EMPTY;
  if (key.range) {
    const range = partBytes(item, key.range, key.moreRange);
    if (!range) return undefined;
    sk = range;
  }
  return { hash: partitionHash(pk), pk, sk };
}

function partBytes(item: Item, first: KeyAttribute, more: KeyAttribute[] | undefined): Buffer | undefined {
  if (!more) return keyBytes(item, first.name, first.type);
  const values: Buffer[] = [];
  for (const attribute of [first, ...more]) {
    const bytes = keyBytes(item, attribute.name, attribute.type);
    if (!bytes) return undefined;
    values.push(tupleElement(bytes));
  }
  return Buffer.concat(values);
}

/** The key values of one part of a key (given in order), as stored: a tuple encoding when there are several. */
export function encodePartValues(values: AttributeValue[], attributes: KeyAttribute[]): Buffer {
  if (attributes.length === 1) return encodeKeyValue(values[0]!, attributes[0]!.type);
  if (values.length !== attributes.length) throw new TypeError(`expected ${attributes.length} key values, got ${values.length}`);
  return tupleBytes(values, attributes);
}

function tupleBytes(values: AttributeValue[], attributes: KeyAttribute[]): Buffer {
  return Buffer.concat(values.map((value, i) => tupleElement(encodeKeyValue(value, attributes[i]!.type))));
}

const TERMINATOR = Buffer.from([0x00, 0x01]);

/**
 * One element of a tuple: 0x00 escaped as 0x00 0xff, then 0x00 0x01. No element is a prefix of another, and memcmp
 * of concatenated elements orders by the first element, then the next, as DynamoDB orders multi-attribute sort keys.
 */
function tupleElement(bytes: Buffer): Buffer {
  if (!bytes.includes(0)) return Buffer.concat([bytes, TERMINATOR]);
  const out: number[] = [];
  for (const byte of bytes) {
    out.push(byte);
    if (byte === 0) out.push(0xff);
  }
  return Buffer.concat([Buffer.from(out), TERMINATOR]);
}

/**
 * The bounds of a multi-attribute sort key: equal to `prefix` (the leading attributes' values), then `condition`
 * on the next attribute (none: the whole prefix).
 */
export function tupleSortRange(prefix: AttributeValue[], condition: RangeCondition | undefined, attributes: KeyAttribute[]): SortRange {
  const head = tupleBytes(prefix, attributes);
  const whole = (bytes: Buffer): SortRange => ({ lower: { value: bytes, inclusive: true }, upper: after(bytes) });
  const after = (bytes: Buffer): Bound | undefined => {
    const next = prefixSuccessor(bytes);
    return next && { value: next, inclusive: false };
  };
  if (!condition) return head.length === 0 ? {} : whole(head);
  const type = attributes[prefix.length]!.type;
  const at = (value: AttributeValue): Buffer => Buffer.concat([head, tupleElement(encodeKeyValue(value, type))]);
  const floor: Bound | undefined = head.length === 0 ? undefined : { value: head, inclusive: true };
  const ceiling = head.length === 0 ? undefined : after(head);
  switch (condition.op) {
    case 'eq':
      return whole(at(condition.value));
    case 'lt':
      return { lower: floor, upper: { value: at(condition.value), inclusive: false } };
    case 'le':
      return { lower: floor, upper: after(at(condition.value)) ?? ceiling };
    case 'gt': {
      const next = prefixSuccessor(at(condition.value));
      return { lower: next && { value: next, inclusive: true }, upper: ceiling };
    }
    case 'ge':
      return { lower: { value: at(condition.value), inclusive: true }, upper: ceiling };
    case 'between':
      return { lower: { value: at(condition.low), inclusive: true }, upper: after(at(condition.high)) };
    case 'begins_with': {
      // The raw prefix, escaped but not terminated: every longer value continues it.
      const start = tupleElement(encodeKeyValue(condition.prefix, type)).subarray(0, -TERMINATOR.length);
      return whole(Buffer.concat([head, start]));
    }
  }
}

/**
 * FNV-1a over the partition key bytes, then MurmurHash3's finaliser so that similar keys ("p1", "p2") spread over
 * all 32 bits: the hash orders partitions in a Scan and splits them into parallel scan segments.
 */
export function partitionHash(bytes: Buffer): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The partition hash range [low, high) of one parallel scan segment. */
export function segmentBounds(segment: number, total: number): { low: number; high: number } {
  const span = 2 ** 32;
  return { low: Math.ceil((segment * span) / total), high: Math.ceil(((segment + 1) * span) / total) };
}

export interface Bound {
  value: Buffer;
  inclusive: boolean;
}

export interface SortRange {
  lower?: Bound;
  upper?: Bound;
}

export function sortRange(condition: RangeCondition | undefined, type: KeyType): SortRange {
  if (!condition) return {};
  switch (condition.op) {
    case 'eq': {
      const value = encodeKeyValue(condition.value, type);
      return { lower: { value, inclusive: true }, upper: { value, inclusive: true } };
    }
    case 'lt':
      return { upper: { value: encodeKeyValue(condition.value, type), inclusive: false } };
    case 'le':
      return { upper: { value: encodeKeyValue(condition.value, type), inclusive: true } };
    case 'gt':
      return { lower: { value: encodeKeyValue(condition.value, type), inclusive: false } };
    case 'ge':
      return { lower: { value: encodeKeyValue(condition.value, type), inclusive: true } };
    case 'between':
      return {
        lower: { value: encodeKeyValue(condition.low, type), inclusive: true },
        upper: { value: encodeKeyValue(condition.high, type), inclusive: true },
      };
    case 'begins_with': {
      const prefix = encodeKeyValue(condition.prefix, type);
      const next = prefixSuccessor(prefix);
      return { lower: { value: prefix, inclusive: true }, upper: next && { value: next, inclusive: false } };
    }
  }
}

/** The smallest byte string greater than every string starting with `prefix`; undefined if there is none. */
export function prefixSuccessor(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const next = Buffer.from(prefix.subarray(0, end));
  next[end - 1]! += 1;
  return next;
}

/**
 * Sign byte, two exponent bytes, one byte per significant digit; negatives invert exponent and digits and end
 * with 0xff so that a longer negative (-0.123) sorts before its prefix (-0.12).
 */
export function encodeNumber(text: string): Buffer {
  const { negative, digits, exponent } = parseDecimal(text);
  if (digits.length === 0) return ZERO;
  const out = Buffer.allocUnsafe(3 + digits.length + (negative ? 1 : 0));
  const biased = exponent + EXPONENT_BIAS;
  const storedExponent = negative ? 0xffff - biased : biased;
  out[0] = negative ? NEGATIVE : POSITIVE;
  out[1] = storedExponent >> 8;
  out[2] = storedExponent & 0xff;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(i) - 48 + 1;
    out[3 + i] = negative ? 0xfe - digit : digit;
  }
  if (negative) out[out.length - 1] = 0xff;
  return out;
}

/** value = 0.<digits> × 10^exponent, digits without leading or trailing zeros ("" for zero). */
export function parseDecimal(text: string): { negative: boolean; digits: string; exponent: number } {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match) throw new TypeError(`not a decimal number: ${text}`);
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  const all = whole + fraction;
  let start = 0;
  while (start < all.length && all[start] === '0') start++;
  let end = all.length;
  while (end > start && all[end - 1] === '0') end--;
  const digits = all.slice(start, end);
  const exponent = whole.length - start + Number(match[4] ?? 0);
  return { negative: match[1] === '-' && digits.length > 0, digits, exponent };
}
