import type { AttributeValue, Item } from '../../../storage/index.js';
import { typeOf } from '../values/attributes.js';
import { compareBinary, compareScalars, valuesEqual } from '../values/compare.js';
import { compareNumbers } from '../values/numbers.js';
import type { Condition, Operand } from './bind.js';
import { getPath } from './paths.js';

/**
 * Condition and filter evaluation against an item (undefined when the item does not exist). As in DynamoDB, a
 * comparison with a missing attribute or with a value of another type is false, except <> which is then true.
 */
export function evaluate(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, item) && evaluate(condition.right, item);
    case 'or':
      return evaluate(condition.left, item) || evaluate(condition.right, item);
    case 'not':
      return !evaluate(condition.operand, item);
    case 'exists':
      return item !== undefined && getPath(item, condition.path) !== undefined;
    case 'not_exists':
      return item === undefined || getPath(item, condition.path) === undefined;
    case 'compare':
      return compare(condition.op, resolve(condition.left, item), resolve(condition.right, item));
    case 'between': {
      const subject = resolve(condition.subject, item);
      return compare('>=', subject, resolve(condition.low, item)) && compare('<=', subject, resolve(condition.high, item));
    }
    case 'in': {
      const subject = resolve(condition.subject, item);
      return subject !== undefined && condition.options.some((option) => compare('=', subject, resolve(option, item)));
    }
    case 'type': {
      const subject = resolve(condition.subject, item);
      const type = resolve(condition.type, item);
      return subject !== undefined && type !== undefined && 'S' in type && typeOf(subject) === type.S;
    }
    case 'begins_with':
      return beginsWith(resolve(condition.subject, item), resolve(condition.operand, item));
    case 'contains':
      return contains(resolve(condition.subject, item), resolve(condition.operand, item));
  }
}

export function resolve(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  if (operand.kind === 'value') return operand.value;
  if (operand.kind === 'path') return item && getPath(item, operand.path);
  const value = resolve(operand.operand, item);
  const size = value === undefined ? undefined : sizeOf(value);
  return size === undefined ? undefined : { N: String(size) };
}

function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

/** A comparison of the condition language (=, <>, <, <=, >, >=); a missing operand only satisfies <>. */
export function compare(op: string, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (left === undefined || right === undefined) return op === '<>';
  if (op === '=') return valuesEqual(left, right);
  if (op === '<>') return !valuesEqual(left, right);
  const order = compareScalars(left, right);
  if (order === undefined) return false;
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

export function beginsWith(subject: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (!subject || !prefix) return false;
  if ('S' in subject) return 'S' in prefix && subject.S.startsWith(prefix.S);
  if ('B' in subject && 'B' in prefix) {
    const whole = Buffer.from(subject.B, 'base64');
    const start = Buffer.from(prefix.B, 'base64');
    return whole.length >= start.length && whole.subarray(0, start.length).equals(start);
  }
  return false;
}

function contains(subject: AttributeValue | undefined, operand: AttributeValue | undefined): boolean {
  if (!subject || !operand) return false;
  if ('S' in subject) return 'S' in operand && subject.S.includes(operand.S);
  if ('B' in subject) return 'B' in operand && Buffer.from(subject.B, 'base64').includes(Buffer.from(operand.B, 'base64'));
  if ('SS' in subject) return 'S' in operand && subject.SS.includes(operand.S);
  if ('NS' in subject) return 'N' in operand && subject.NS.some((n) => compareNumbers(n, operand.N) === 0);
  if ('BS' in subject) return 'B' in operand && subject.BS.some((b) => compareBinary(b, operand.B) === 0);
  if ('L' in subject) return subject.L.some((element) => valuesEqual(element, operand));
  return false;
}
