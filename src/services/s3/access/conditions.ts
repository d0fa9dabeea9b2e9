import { wildcardMatch } from '../../../core/index.js';
import { BlockList, isIP } from 'node:net';

/** The condition keys of one request, by lower-cased name (aws:sourceip, s3:prefix, ...); absent keys are missing. */
export type ConditionKeys = ReadonlyMap<string, string>;

type Test = (actual: string, expected: string) => boolean;

/**
 * The condition operators S3 bucket policies use most
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html). Negated
 * operators are written as their positive test with `negated`.
 */
const OPERATORS: Readonly<Record<string, { test: Test; negated?: true }>> = {
  stringequals: { test: (a, e) => a === e },
  stringnotequals: { test: (a, e) => a === e, negated: true },
  stringequalsignorecase: { test: (a, e) => a.toLowerCase() === e.toLowerCase() },
  stringnotequalsignorecase: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { test: (a, e) => wildcardMatch(e, a, false) },
  stringnotlike: { test: (a, e) => wildcardMatch(e, a, false), negated: true },
  arnequals: { test: (a, e) => a === e },
  arnlike: { test: (a, e) => wildcardMatch(e, a, false) },
  arnnotequals: { test: (a, e) => a === e, negated: true },
  arnnotlike: { test: (a, e) => wildcardMatch(e, a, false), negated: true },
  numericequals: { test: numeric((a, e) => a === e) },
  numericnotequals: { test: numeric((a, e) => a === e), negated: true },
  numericlessthan: { test: numeric((a, e) => a < e) },
  numericlessthanequals: { test: numeric((a, e) => a <= e) },
  numericgreaterthan: { test: numeric((a, e) => a > e) },
  numericgreaterthanequals: { test: numeric((a, e) => a >= e) },
  bool: { test: (a, e) => a.toLowerCase() === e.toLowerCase() },
  ipaddress: { test: inNetwork },
  notipaddress: { test: inNetwork, negated: true },
};

/**
 * Whether a statement's Condition block holds: every operator, every key under it; a key matches when any of its
 * values does (a negated operator: none does). A key the request does not have fails a positive test and passes a
 * negated one, or passes any test with ...IfExists; `Null` tests presence. An operator S3 does not know makes the
 * statement not apply.
 */
export function conditionsHold(condition: unknown, keys: ConditionKeys): boolean {
  if (condition === undefined) return true;
  if (!isRecord(condition)) return false;
  return Object.entries(condition).every(([operator, tests]) => isRecord(tests) && Object.entries(tests).every(([key, values]) => keyHolds(operator, key, values, keys)));
}

function keyHolds(operatorName: string, key: string, values: unknown, keys: ConditionKeys): boolean {
  const expected = (Array.isArray(values) ? values : [values]).map(String);
  const actual = keys.get(key.toLowerCase());
  let name = operatorName.toLowerCase();
  // Every key here is single-valued: ForAnyValue tests it as it is, ForAllValues holds when it is missing.
  const forAll = name.startsWith('forallvalues:');
  name = name.replace(/^for(any|all)values:/, '');
  if (name === 'null') return expected.some((value) => (value.toLowerCase() === 'true') === (actual === undefined));
  const ifExists = name.endsWith('ifexists');
  if (ifExists) name = name.slice(0, -'ifexists'.length);
  const operator = OPERATORS[name];
  if (!operator) return false;
  if (actual === undefined) return ifExists || forAll || operator.negated === true;
  const matched = expected.some((value) => operator.test(actual, value));
  return operator.negated ? !matched : matched;
}

function numeric(compare: (actual: number, expected: number) => boolean): Test {
  return (a, e) => {
    const [actual, expected] = [Number(a), Number(e)];
    return !Number.isNaN(actual) && !Number.isNaN(expected) && compare(actual, expected);
  };
}

/** An address against a CIDR block (203.0.113.0/24, 2001:db8::/32) or a single address. */
function inNetwork(address: string, network: string): boolean {
  const [base = '', bits] = network.split('/');
  const family = isIP(base);
  if (family === 0 || isIP(address) === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  try {
    if (bits === undefined) list.addAddress(base, type);
    else list.addSubnet(base, Number(bits), type);
    return list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
