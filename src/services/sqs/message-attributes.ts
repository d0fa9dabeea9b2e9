import { createHash } from 'node:crypto';
import type { MessageAttributeValue as WireAttributeValue } from './api.js';
import { invalidValue } from './errors.js';

/** Message attributes: validation, their share of the message size, the MD5 digests SQS returns, filtering. */

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64, as both wire protocols carry it. */
  BinaryValue?: string;
  StringListValues?: string[];
  BinaryListValues?: string[];
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** Attributes as the model types them: binary values as bytes (the protocols carry them as base64). */
export type WireAttributes = Record<string, WireAttributeValue>;

const MAX_ATTRIBUTES = 10;
const NAME_PATTERN = /^[A-Za-z0-9_.\-\u00c0-\u017f]{1,256}$/;
const RESERVED_NAME = /^(aws\.|amazon\.|\.)|\.$|\.\./i;
const TYPE_PATTERN = /^(String|Number|Binary)(\..{1,250})?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Characters SQS refuses in bodies and string attribute values (they could not travel in XML either). */
export const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
export const INVALID_CHARACTER_MESSAGE =
  'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';

/** Transport types of the MD5 encoding: 1 for string values (String, Number), 2 for binary ones. */
const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;

export function isBinaryType(dataType: string): boolean {
  return dataType.startsWith('Binary');
}

export function checkMessageAttributes(attributes: MessageAttributes): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) {
    throw invalidValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  for (const name of names) checkAttribute(name, attributes[name] as MessageAttributeValue);
}

function checkAttribute(name: string, value: MessageAttributeValue): void {
  if (!NAME_PATTERN.test(name)) {
    throw invalidValue(`Message (user) attribute name '${name}' is invalid. Attribute names can only contain alphanumeric characters, hyphens (-), underscores (_) and periods (.), up to 256 characters.`);
  }
  if (RESERVED_NAME.test(name)) {
    throw invalidValue(
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.' or contain '..'.",
    );
  }
  const type = value.DataType;
  if (!type) throw invalidValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
  if (!TYPE_PATTERN.test(type)) {
    throw invalidValue(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
  }
  const base = type.split('.')[0] as 'String' | 'Number' | 'Binary';
  const present = base === 'Binary' ? value.BinaryValue : value.StringValue;
  if (present === undefined || present.length === 0) {
    throw invalidValue(`Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`);
  }
  if (base === 'Number' && !NUMBER.test(present)) {
    throw invalidValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  }
  if (base !== 'Binary' && INVALID_CHARACTER.test(present)) throw invalidValue(INVALID_CHARACTER_MESSAGE);
}

/** Bytes the attributes add to a message: names, data types and values all count toward the size limit. */
export function attributesSize(attributes: MessageAttributes | undefined): number {
  if (!attributes) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    if (isBinaryType(value.DataType)) size += Buffer.from(value.BinaryValue ?? '', 'base64').length;
    else size += Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}

/**
 * MD5OfMessageAttributes as SQS computes it (and the SDKs check it): over the attributes sorted by name, each as
 * length-prefixed (4 bytes, big-endian) name and data type, one transport-type byte, and the length-prefixed value.
 */
export function md5OfAttributes(attributes: MessageAttributes): string {
  const hash = createHash('md5');
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name] as MessageAttributeValue;
    updateWithLength(hash, Buffer.from(name, 'utf8'));
    updateWithLength(hash, Buffer.from(value.DataType, 'utf8'));
    if (isBinaryType(value.DataType)) {
      hash.update(Uint8Array.of(BINARY_TRANSPORT));
      updateWithLength(hash, Buffer.from(value.BinaryValue ?? '', 'base64'));
    } else {
      hash.update(Uint8Array.of(STRING_TRANSPORT));
      updateWithLength(hash, Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

function updateWithLength(hash: ReturnType<typeof createHash>, bytes: Buffer): void {
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(bytes.length);
  hash.update(length);
  hash.update(bytes);
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * The attributes a receiver asked for: `All` or `.*` for every one, `prefix.*` for names starting with `prefix.`,
 * otherwise exact names. Undefined when none is left.
 */
export function selectAttributes(attributes: MessageAttributes, requested: readonly string[]): MessageAttributes | undefined {
  if (requested.length === 0) return undefined;
  if (requested.includes('All') || requested.includes('.*')) return attributes;
  const prefixes = requested.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -1));
  const exact = new Set(requested);
  let selected: MessageAttributes | undefined;
  for (const [name, value] of Object.entries(attributes)) {
    if (!exact.has(name) && !prefixes.some((prefix) => name.startsWith(prefix))) continue;
    selected ??= {};
    selected[name] = value;
  }
  return selected;
}

/** Drops the reserved list members (SQS does not store them) so that what is kept is exactly what is hashed. */
export function normaliseAttributes(attributes: MessageAttributes): MessageAttributes {
  const out: MessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = isBinaryType(value.DataType)
      ? { DataType: value.DataType, BinaryValue: value.BinaryValue ?? '' }
      : { DataType: value.DataType, StringValue: value.StringValue ?? '' };
  }
  return out;
}

/** Attributes as read from a request, in the form Flint keeps and hashes them (binary values as base64). */
export function fromWire(attributes: WireAttributes | undefined): MessageAttributes | undefined {
  if (!attributes) return undefined;
  const out: MessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    const kept: MessageAttributeValue = { DataType: value.DataType };
    if (value.StringValue !== undefined) kept.StringValue = value.StringValue;
    if (value.BinaryValue !== undefined) kept.BinaryValue = base64(value.BinaryValue);
    if (value.StringListValues !== undefined) kept.StringListValues = value.StringListValues;
    if (value.BinaryListValues !== undefined) kept.BinaryListValues = value.BinaryListValues.map(base64);
    out[name] = kept;
  }
  return out;
}

/** Kept attributes as a response carries them. */
export function toWire(attributes: MessageAttributes): WireAttributes {
  const out: WireAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wire: WireAttributeValue = { DataType: value.DataType };
    if (value.StringValue !== undefined) wire.StringValue = value.StringValue;
    if (value.BinaryValue !== undefined) wire.BinaryValue = Buffer.from(value.BinaryValue, 'base64');
    out[name] = wire;
  }
  return out;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
