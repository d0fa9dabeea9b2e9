import { BlockList, isIP } from 'node:net';
import { wildcardMatch } from '../../../core/index.js';
import { strings } from './parse.js';
import type { ContextValues } from './types.js';
import { substitute } from './variables.js';

type Test = (actual: string, expected: string) => boolean;

/**
 * The condition operators (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * Negated operators are their positive test with `negated`: they hold when no expected value matches.
 */
const OPERATORS: Readonly<Record<string, { test: Test; negated?: true }>> = {
  stringequals: { test: (a, e) => a === e },
  stringnotequals: { test: (a, e) => a === e, negated: true },
  stringequalsignorecase: { test: (a, e) => a.toLowerCase() === e.toLowerCase() },
  stringnotequalsignorecase: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { test: (a, e) => wildcardMatch(e, a, false) },
  stringnotlike: { test: (a, e) => wildcardMatch(e, a, false), negated: true },
  arnequals: { test: (a, e) => wildcardMatch(e, a, false) },
  arnlike: { test: (a, e) => wildcardMatch(e, a, false) },
  arnnotequals: { test: (a, e) => wildcardMatch(e, a, false), negated: true },
  arnnotlike: { test: (a, e) => wildcardMatch(e, a, false), negated: true },
  numericequals: { test: numeric((a, e) => a === e) },
  numericnotequals: { test: numeric((a, e) => a === e), negated: true },
  numericlessthan: { test: numeric((a, e) => a < e) },
  numericlessthanequals: { test: numeric((a, e) => a <= e) },
  numericgreaterthan: { test: numeric((a, e) => a > e) },
  numericgreaterthanequals: { test: numeric((a, e) => a >= e) },
  dateequals: { test: date((a, e) => a === e) },
  datenotequals: { test: date((a, e) => a === e), negated: true },
  datelessthan: { test: date((a, e) => a < e) },
  datelessthanequals: { test: date((a, e) => a <= e) },
  dategreaterthan: { test: date((a, e) => a > e) },
  dategreaterthanequals: { test: date((a, e) => a >= e) },
  bool: { test: (a, e) => a.toLowerCase() === e.toLowerCase() },
  binaryequals: { test: (a, e) => a === e },
  ipaddress: { test: inNetwork },
  notipaddress: { test: inNetwork, negated: true },
};

/**
 * Whether a statement's Condition block holds: every operator and every key under it (AND); a key holds when any of
 * its values matches (OR; a negated operator: when none does). A key the request lacks fails a positive test and
 * passes a negated one; `...IfExists` passes it; `Null` tests presence. A multivalued key is tested per value:
 * ForAnyValue holds when one value does, ForAllValues when all do (and when the key is missing or empty); without a
 * qualifier a multivalued key is tested as ForAnyValue. An operator IAM does not have makes the statement not apply.
 */
export function conditionsHold(condition: Record<string, Record<string, unknown>> | undefined, context: ContextValues, variables: boolean): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition).every(([operator, tests]) => Object.entries(tests).every(([key, values]) => keyHolds(operator, key, values, context, variables)));
}

function keyHolds(operatorName: string, key: string, values: unknown, context: ContextValues, variables: boolean): boolean {
  const expected = strings(values).flatMap((value) => {
    const text = variables ? substitute(value, context) : value;
    return text === undefined ? [] : [text];
  });
  const found = context.get(key.toLowerCase());
  const actual = found === undefined ? undefined : typeof found === 'string' ? [found] : [...found];
  let name = operatorName.toLowerCase();
  const qualifier = /^for(anyvalue|allvalues):/.exec(name);
  const set = qualifier ? (qualifier[1] === 'anyvalue' ? 'any' : 'all') : undefined;
  if (qualifier) name = name.slice(qualifier[0].length);
  if (name === 'null') return expected.some((value) => (value.toLowerCase() === 'true') === (actual === undefined || actual.length === 0));
  const ifExists = name.endsWith('ifexists');
  if (ifExists) name = name.slice(0, -'ifexists'.length);
  const operator = OPERATORS[name];
  if (!operator) return false;
  if (actual === undefined || actual.length === 0) return ifExists || set === 'all' || (operator.negated === true && set !== 'any');
  const holdsFor = (value: string): boolean => {
    const matched = expected.some((e) => operator.test(value, e));
    return operator.negated ? !matched : matched;
  };
  return set === 'all' ? actual.every(holdsFor) : actual.some(holdsFor);
}

function numeric(compare: (actual: number, expected: number) => boolean): Test {
  return (a, e) => {
    const [actual, expected] = [Number(a), Number(e)];
    return !Number.isNaN(actual) && !Number.isNaN(expected) && compare(actual, expected);
  };
}

/** Dates as ISO 8601 text or epoch seconds, on either side. */
function date(compare: (actual: number, expected: number) => boolean): Test {
  const time = (text: string): number => (/^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text));
  return (a, e) => {
    const [actual, expected] = [time(a), time(e)];
    return !Number.isNaN(actual) && !Number.isNaN(expected) && compare(actual, expected);
  };
}

/** An address against a CIDR block (203.0.113.0/24, 2001:db8::/32) or a single address. */
function inNetwork(address: string, network: string): boolean {
  const [base = '', bits] = network.split('/');
  const family = isIP(base);
  const own = isIP(address);
  if (family === 0 || own === 0) return false;
  const list = new BlockList();
  try {
    if (bits === undefined) list.addAddress(base, family === 4 ? 'ipv4' : 'ipv6');
    else list.addSubnet(base, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    return list.check(address, own === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
}
