import type { MessageAttributeValue } from './api.js';
import { snsError } from './errors.js';
import type { MessageAttribute, MessageAttributes } from './types.js';

/**
 * Publish's message attributes, checked in SNS's order and with its messages (code ParameterValueInvalid). A missing
 * DataType is the model's constraint, reported by the kit before these checks run.
 */

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;
const CUSTOM_TYPE = /^(String|Number|Binary)\..+$/;

function invalidValue(message: string): Error {
  return snsError('InvalidParameterValueException', message);
}

/** The attributes as they arrived on the wire (binary values as bytes), as SNS keeps them (binary as base64). */
export function fromWire(attributes: Record<string, MessageAttributeValue> | undefined): MessageAttributes {
  const out: MessageAttributes = {};
  for (const [name, { DataType, StringValue, BinaryValue }] of Object.entries(attributes ?? {})) {
    out[name] = { DataType, StringValue, BinaryValue: BinaryValue === undefined ? undefined : Buffer.from(BinaryValue).toString('base64') };
  }
  return out;
}

export function checkMessageAttributes(inputs: MessageAttributes): MessageAttributes {
  const attributes: MessageAttributes = {};
  for (const [name, value] of Object.entries(inputs)) attributes[name] = checkAttribute(name, value);
  return attributes;
}

function checkAttribute(name: string, value: MessageAttribute): MessageAttribute {
  checkName(name);
  const dataType = value.DataType;
  if (dataType !== 'String' && dataType !== 'Number' && dataType !== 'Binary' && !CUSTOM_TYPE.test(dataType)) {
    throw invalidValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
  }
  const empty = `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`;
  if (value.StringValue === undefined && value.BinaryValue === undefined) throw invalidValue(empty);
  const binary = dataType.startsWith('Binary');
  const field = binary ? value.BinaryValue : value.StringValue;
  if (field === undefined) throw invalidValue(`The message attribute '${name}' with type '${dataType}' must use field '${binary ? 'Binary' : 'String'}'.`);
  if (field === '') throw invalidValue(empty);
  return binary ? { DataType: dataType, BinaryValue: field } : { DataType: dataType, StringValue: field };
}

function checkName(name: string): void {
  if (Buffer.byteLength(name) > 256) throw invalidValue('Length of message attribute name must be less than 256 bytes.');
  if (NAME_CHARS.test(name) && !name.startsWith('.') && !name.endsWith('.') && !name.includes('..')) return;
  if (name.startsWith('.')) throw invalidValue(`Invalid message attribute name starting with character '.' was found.`);
  if (name.endsWith('.')) throw invalidValue(`Invalid message attribute name ending with character '.' was found.`);
  for (const char of name) {
    if (!NAME_CHARS.test(char)) {
      const code = `#x${(char.codePointAt(0) ?? 0).toString(16).toUpperCase()}`;
      throw invalidValue(`Invalid non-alphanumeric character '${code}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
    }
  }
  throw invalidValue(`Message attribute name can not have successive '.' character.`);
}

/** Message plus every attribute's name, type and value count towards SNS's 256 KB limit. */
export function publishSize(message: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(message);
  for (const [name, attribute] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType);
    if (attribute.StringValue !== undefined) size += Buffer.byteLength(attribute.StringValue);
    if (attribute.BinaryValue !== undefined) size += Buffer.from(attribute.BinaryValue, 'base64').length;
  }
  return size;
}
