import { PatternError, type JsonValue } from './types.js';

/**
 * `{"numeric": [">", 0, "<=", 5]}`: either `=` and a number, or one bound (`>`, `>=`, `<`, `<=`), or a lower bound
 * followed by an upper one. Refusals are Event Ruler's (recorded from EventBridge in LocalStack's
 * tests/aws/services/events/test_events_patterns.snapshot.json, content_numeric_*_EXC).
 */
type Bound = { limit: number; inclusive: boolean };

export function compileNumeric(spec: JsonValue): (value: number) => boolean {
  if (!Array.isArray(spec)) throw new PatternError('Value of numeric must be an array.');
  const [operator] = spec;
  if (typeof operator !== 'string') throw new PatternError(`Invalid member in numeric match: ${shownToken(operator)}`);
  if (operator === '=') {
    const target = numberAt(spec, 1, 'equals');
    if (spec.length > 2) throw new PatternError('Too many elements in numeric expression');
    return (value) => value === target;
  }
  if (operator === '<' || operator === '<=') {
    const upper = { limit: numberAt(spec, 1, operator), inclusive: operator === '<=' };
    if (spec.length > 2) throw new PatternError('Too many elements in numeric expression');
    return (value) => below(value, upper);
  }
  if (operator !== '>' && operator !== '>=') throw new PatternError(`Unrecognized numeric range operator: ${operator}`);
  const lower = { limit: numberAt(spec, 1, operator), inclusive: operator === '>=' };
  if (spec.length === 2) return (value) => above(value, lower);
  const upper = upperBound(spec.slice(2), lower.limit);
  return (value) => above(value, lower) && below(value, upper);
}

function upperBound(rest: JsonValue[], bottom: number): Bound {
  const [operator] = rest;
  if (typeof operator !== 'string') throw new PatternError(`Bad value in numeric range: ${shownToken(operator)}`);
  if (operator !== '<' && operator !== '<=') throw new PatternError(`Bad numeric range operator: ${operator}`);
  const limit = numberAt(rest, 1, operator);
  if (rest.length > 2) throw new PatternError('Too many terms in numeric range expression');
  if (limit <= bottom) throw new PatternError('Bottom must be less than top');
  return { limit, inclusive: operator === '<=' };
}

function numberAt(items: JsonValue[], index: number, name: string): number {
  const value = items[index];
  if (typeof value !== 'number') throw new PatternError(`Value of ${name} must be numeric`);
  return value;
}

function above(value: number, bound: Bound): boolean {
  return bound.inclusive ? value >= bound.limit : value > bound.limit;
}

function below(value: number, bound: Bound): boolean {
  return bound.inclusive ? value <= bound.limit : value < bound.limit;
}

/** The token Jackson names where a number or operator was expected: `]` when the array ended. */
function shownToken(token: JsonValue | undefined): string {
  if (token === undefined) return ']';
  if (Array.isArray(token)) return '[';
  return token !== null && typeof token === 'object' ? '{' : String(token);
}
