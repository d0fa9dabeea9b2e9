import type { FlintError } from '../../../core/index.js';
import type { Condition, NumericBound } from './types.js';

/**
 * `{"numeric": ["=", 5]}`, `[">", 0]`, `[">=", 0, "<", 10]`, `["<=", 3]`: one operator and value, or a lower
 * bound followed by an upper bound, checked in the order and with the messages of SNS's rule compiler.
 */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function parseNumeric(items: Json[], fail: (message: string) => FlintError): Condition {
  const [operator, operand, ...rest] = items;
  if (typeof operator !== 'string') throw fail(`Invalid member in numeric match: ${tokenText(operator)}`);
  switch (operator) {
    case '=':
      if (typeof operand !== 'number') throw fail('Value of equals must be numeric');
      if (rest.length > 0) throw fail('Too many elements in numeric expression');
      return { type: 'numeric', equals: operand };
    case '>':
    case '>=': {
      if (typeof operand !== 'number') throw fail(`Value of ${operator} must be numeric`);
      const lower: NumericBound = { value: operand, inclusive: operator === '>=' };
      return rest.length === 0 ? { type: 'numeric', lower } : { type: 'numeric', lower, upper: upperBound(rest, operand, fail) };
    }
    case '<':
    case '<=':
      if (typeof operand !== 'number') throw fail(`Value of ${operator} must be numeric`);
      if (rest.length > 0) throw fail('Too many elements in numeric expression');
      return { type: 'numeric', upper: { value: operand, inclusive: operator === '<=' } };
    default:
      throw fail(`Unrecognized numeric range operator: ${operator}`);
  }
}

function upperBound(items: Json[], bottom: number, fail: (message: string) => FlintError): NumericBound {
  const [operator, operand, ...rest] = items;
  if (typeof operator !== 'string') throw fail(`Bad value in numeric range: ${tokenText(operator)}`);
  if (operator !== '<' && operator !== '<=') throw fail(`Bad numeric range operator: ${operator}`);
  if (typeof operand !== 'number') throw fail(`Value of ${operator} must be numeric`);
  if (rest.length > 0) throw fail('Too many terms in numeric range expression');
  if (operand <= bottom) throw fail('Bottom must be less than top');
  return { value: operand, inclusive: operator === '<=' };
}

/** How the JSON parser would show the offending token: `]` for the end of the array. */
function tokenText(token: Json | undefined): string {
  if (token === undefined) return ']';
  if (Array.isArray(token)) return '[';
  if (token !== null && typeof token === 'object') return '{';
  return String(token);
}
