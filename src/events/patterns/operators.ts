import { compileCidr } from './cidr.js';
import { compileNumeric } from './numeric.js';
import { isJsonObject, PatternError, type Condition, type JsonObject, type JsonValue, type Scalar } from './types.js';
import { compileWildcard } from './wildcard.js';

/**
 * One match expression of a field's list (`{"prefix": "ec2"}`, `{"anything-but": [...]}`...) compiled to a test
 * of one leaf value. Operator names are case-sensitive. Refusals are worded as EventBridge words them; the
 * recordings are LocalStack's tests/aws/services/events/test_events_patterns.snapshot.json (the *_EXC cases).
 */
type Test = (value: Scalar) => boolean;

export function compileExpression(expression: JsonObject): Condition {
  const [operator, ...others] = Object.keys(expression);
  if (operator === undefined) throw new PatternError('Empty objects are not allowed');
  const condition = compileOperator(operator, expression[operator]!);
  if (others.length > 0) throw new PatternError(operator === 'numeric' || operator === 'anything-but' ? 'Too many elements in numeric expression' : 'Only one key allowed in match expression');
  return condition;
}

/** An exact value of a field's list: strings, numbers (compared as numbers), booleans and null. */
export function exactTest(expected: Scalar): Condition {
  return { kind: 'test', test: (value) => value === expected };
}

function compileOperator(operator: string, operand: JsonValue): Condition {
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new PatternError('exists match pattern must be either true or false.');
      return { kind: 'exists', present: operand };
    case 'prefix':
    case 'suffix':
      return test(affixTest(operator, operand));
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') throw new PatternError('equals-ignore-case match pattern must be a string');
      const folded = fold(operand);
      return test((value) => typeof value === 'string' && fold(value) === folded);
    }
    case 'wildcard':
      return test(stringTest(compileWildcard(wildcardText(operand))));
    case 'cidr':
      // EventBridge reports a CIDR that is not a string with the prefix operator's wording.
      if (typeof operand !== 'string') throw new PatternError('prefix match pattern must be a string');
      return test(stringTest(compileCidr(operand)));
    case 'numeric': {
      const inRange = compileNumeric(operand);
      return test((value) => typeof value === 'number' && inRange(value));
    }
    case 'anything-but':
      return test(anythingBut(operand));
    default:
      throw new PatternError(`Unrecognized match type ${operator}`);
  }
}

function test(predicate: Test): Condition {
  return { kind: 'test', test: predicate };
}

function stringTest(predicate: (value: string) => boolean): Test {
  return (value) => typeof value === 'string' && predicate(value);
}

/** Case folding for equals-ignore-case and the ignore-case prefix and suffix. */
function fold(text: string): string {
  return text.toLowerCase();
}

/** `{"prefix": "ec2"}`, or `{"prefix": {"equals-ignore-case": "EC2"}}`; the same for suffix. */
function affixTest(operator: 'prefix' | 'suffix', operand: JsonValue): Test {
  let expected = operand;
  let ignoreCase = false;
  if (isJsonObject(operand)) {
    const [inner, ...others] = Object.keys(operand);
    if (inner !== 'equals-ignore-case') throw new PatternError(`Unsupported ${operator} pattern: ${inner ?? ''}`);
    if (others.length > 0) throw new PatternError('Only one key allowed in match expression');
    expected = operand[inner]!;
    if (typeof expected !== 'string') throw new PatternError('equals-ignore-case match pattern must be a string');
    ignoreCase = true;
  }
  if (typeof expected !== 'string') throw new PatternError(`${operator} match pattern must be a string`);
  const text = ignoreCase ? fold(expected) : expected;
  const check = operator === 'prefix' ? (value: string) => value.startsWith(text) : (value: string) => value.endsWith(text);
  return stringTest((value) => check(ignoreCase ? fold(value) : value));
}

function wildcardText(operand: JsonValue): string {
  if (typeof operand !== 'string') throw new PatternError('wildcard match pattern must be a string');
  return operand;
}

/**
 * `anything-but`: a value or list of values (all strings or all numbers), or an object with one of prefix,
 * suffix, equals-ignore-case or wildcard (each a string or a list of strings). A present value that is not a
 * string (null, a number) passes the string forms, as EventBridge matches it (content_anything_*_null cases).
 */
function anythingBut(operand: JsonValue): Test {
  if (typeof operand === 'string' || typeof operand === 'number') return (value) => value !== operand;
  if (Array.isArray(operand)) {
    const excluded = excludedValues(operand);
    return (value) => !excluded.has(value);
  }
  if (!isJsonObject(operand)) throw new PatternError('Value of anything-but must be an array or single string/number value.');
  const [inner, ...others] = Object.keys(operand);
  if (others.length > 0) throw new PatternError('Too many elements in numeric expression');
  const excluded = excludedStrings(inner ?? '', operand[inner ?? '']);
  return (value) => typeof value !== 'string' || !excluded(value);
}

function excludedValues(items: JsonValue[]): Set<Scalar> {
  if (items.some((item) => typeof item !== 'string' && typeof item !== 'number')) {
    throw new PatternError('Inside anything but list, start|null|boolean is not supported.');
  }
  const strings = items.filter((item) => typeof item === 'string').length;
  if (strings !== 0 && strings !== items.length) {
    throw new PatternError('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  return new Set(items as Scalar[]);
}

/** The string forms of anything-but: whether a string value is one of those excluded. */
function excludedStrings(inner: string, operand: JsonValue | undefined): (value: string) => boolean {
  switch (inner) {
    case 'prefix':
    case 'suffix': {
      const affixes = stringList(operand, 'prefix/suffix match pattern must be a string', true);
      for (const affix of affixes) if (affix === '') throw new PatternError('Null prefix/suffix not allowed');
      return inner === 'prefix' ? (value) => affixes.some((a) => value.startsWith(a)) : (value) => affixes.some((a) => value.endsWith(a));
    }
    case 'equals-ignore-case': {
      const folded = new Set(stringList(operand, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.').map(fold));
      return (value) => folded.has(fold(value));
    }
    case 'wildcard': {
      const matchers = stringList(operand, 'wildcard match pattern must be a string').map(compileWildcard);
      return (value) => matchers.some((matches) => matches(value));
    }
    default:
      throw new PatternError(`Unsupported anything-but pattern: ${inner}`);
  }
}

/** A string or a list of strings; an object inside anything-but's prefix or suffix gets anything-but's own refusal. */
function stringList(operand: JsonValue | undefined, refusal: string, objectRefusedAsAnythingBut = false): string[] {
  if (objectRefusedAsAnythingBut && isJsonObject(operand ?? null)) throw new PatternError('Value of anything-but must be an array or single string/number value.');
  const items = Array.isArray(operand) ? operand : [operand];
  if (items.some((item) => typeof item !== 'string')) throw new PatternError(refusal);
  return items as string[];
}
