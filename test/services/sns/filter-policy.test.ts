import { describe, expect, it } from 'vitest';
import { compileFilterPolicy, matchesPolicy, type FilterPolicyScope, type MessageAttributes } from '../../../src/services/sns/index.js';
import { isAwsError } from '../../../src/protocol/index.js';

/** Policies and messages from SNS's documentation (filter policies, string/numeric/key matching, AND/OR logic). */

const str = (value: string) => ({ DataType: 'String', StringValue: value });
const num = (value: string) => ({ DataType: 'Number', StringValue: value });
const arr = (value: unknown[]) => ({ DataType: 'String.Array', StringValue: JSON.stringify(value) });

function matches(policy: unknown, message: { attributes?: MessageAttributes; body?: unknown }, scope: FilterPolicyScope = 'MessageAttributes'): boolean {
  const compiled = compileFilterPolicy(JSON.stringify(policy), { scope, errorPrefix: 'Invalid parameter: ' });
  const body = message.body === undefined ? 'plain text' : typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
  return matchesPolicy(compiled, message.attributes ?? {}, body);
}

type Case = [string, unknown, { attributes?: MessageAttributes; body?: unknown }, boolean];

const interests = { customer_interests: ['rugby', 'tennis'] };
const anythingBut = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };

const ATTRIBUTE_CASES: Case[] = [
  ['exact string', interests, { attributes: { customer_interests: str('rugby') } }, true],
  ['exact string, second value', interests, { attributes: { customer_interests: str('tennis') } }, true],
  ['exact string in String.Array', interests, { attributes: { customer_interests: arr(['rugby', 'tennis']) } }, true],
  ['exact string, other value', interests, { attributes: { customer_interests: str('baseball') } }, false],
  ['exact string, other String.Array', interests, { attributes: { customer_interests: arr(['baseball']) } }, false],
  ['exact string, attribute absent', interests, { attributes: { other: str('rugby') } }, false],
  ['case-sensitive', interests, { attributes: { customer_interests: str('Rugby') } }, false],
  ['anything-but', anythingBut, { attributes: { customer_interests: str('baseball') } }, true],
  ['anything-but, listed value', anythingBut, { attributes: { customer_interests: str('rugby') } }, false],
  ['anything-but, array with an unlisted value', anythingBut, { attributes: { customer_interests: arr(['rugby', 'baseball']) } }, true],
  ['anything-but does not match an absent attribute', anythingBut, { attributes: {} }, false],
  ['anything-but or exists false matches an absent attribute', { customer_interests: [{ 'anything-but': ['rugby'] }, { exists: false }] }, { attributes: {} }, true],
  ['anything-but a single value', { event: [{ 'anything-but': 'order_cancelled' }] }, { attributes: { event: str('order_placed') } }, true],
  ['anything-but prefix', { event: [{ 'anything-but': { prefix: 'order-' } }] }, { attributes: { event: str('data-entry') } }, true],
  ['anything-but prefix, underscore', { event: [{ 'anything-but': { prefix: 'order-' } }] }, { attributes: { event: str('order_number') } }, true],
  ['anything-but prefix, excluded', { event: [{ 'anything-but': { prefix: 'order-' } }] }, { attributes: { event: str('order-cancelled') } }, false],
  ['prefix', { customer_interests: [{ prefix: 'bas' }] }, { attributes: { customer_interests: str('basketball') } }, true],
  ['prefix, no', { customer_interests: [{ prefix: 'bas' }] }, { attributes: { customer_interests: str('rugby') } }, false],
  ['suffix', { customer_interests: [{ suffix: 'ball' }] }, { attributes: { customer_interests: str('baseball') } }, true],
  ['suffix, no', { customer_interests: [{ suffix: 'ball' }] }, { attributes: { customer_interests: str('rugby') } }, false],
  ['equals-ignore-case', { customer_interests: [{ 'equals-ignore-case': 'RuGbY' }] }, { attributes: { customer_interests: str('rugby') } }, true],
  ['equals-ignore-case, no', { customer_interests: [{ 'equals-ignore-case': 'RuGbY' }] }, { attributes: { customer_interests: str('rugbyx') } }, false],
  ['cidr', { source_ip: [{ cidr: '10.0.0.0/24' }] }, { attributes: { source_ip: str('10.0.0.255') } }, true],
  ['cidr, outside', { source_ip: [{ cidr: '10.0.0.0/24' }] }, { attributes: { source_ip: str('10.1.1.0') } }, false],
  ['cidr, IPv6', { source_ip: [{ cidr: '2001:db8::/32' }] }, { attributes: { source_ip: str('2001:db8:1::7') } }, true],
  ['numeric equals', { price_usd: [{ numeric: ['=', 301.5] }] }, { attributes: { price_usd: num('3.015e2') } }, true],
  ['exact number', { price_usd: [301.5] }, { attributes: { price_usd: num('301.50') } }, true],
  ['exact number does not match a String attribute', { price_usd: [301.5] }, { attributes: { price_usd: str('301.5') } }, false],
  ['numeric anything-but', { price: [{ 'anything-but': [100, 500] }] }, { attributes: { price: num('100.1') } }, true],
  ['numeric anything-but, excluded', { price: [{ 'anything-but': [100, 500] }] }, { attributes: { price: num('100') } }, false],
  ['numeric below zero', { price_usd: [{ numeric: ['<', 0] }] }, { attributes: { price_usd: num('-3') } }, true],
  ['numeric range, top included', { price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, { attributes: { price_usd: num('150') } }, true],
  ['numeric range, bottom excluded', { price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, { attributes: { price_usd: num('0') } }, false],
  ['numeric range, above', { price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, { attributes: { price_usd: num('150.1') } }, false],
  ['numeric does not match a String attribute', { price_usd: [{ numeric: ['>', 0] }] }, { attributes: { price_usd: str('5') } }, false],
  ['exists true', { store: [{ exists: true }] }, { attributes: { store: str('fans') } }, true],
  ['exists true, absent', { store: [{ exists: true }] }, { attributes: { customer_interests: arr(['baseball']) } }, false],
  ['exists false, absent', { store: [{ exists: false }] }, { attributes: { customer_interests: arr(['baseball']) } }, true],
  ['exists false, present', { store: [{ exists: false }] }, { attributes: { store: str('fans') } }, false],
  ['Binary attributes are ignored', { data: [{ exists: true }] }, { attributes: { data: { DataType: 'Binary', BinaryValue: 'AAE=' } } }, false],
  ['custom type String.x is a string', { kind: ['a'] }, { attributes: { kind: { DataType: 'String.custom', StringValue: 'a' } } }, true],
  ['AND across properties', { customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] }, { attributes: { customer_interests: str('rugby'), price_usd: num('101') } }, true],
  ['AND, one fails', { customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] }, { attributes: { customer_interests: str('rugby'), price_usd: num('99') } }, false],
  ['$or, first branch', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] }, { attributes: { source: str('aws.cloudwatch'), metricName: str('CPUUtilization') } }, true],
  ['$or, second branch', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] }, { attributes: { source: str('aws.cloudwatch'), namespace: str('AWS/EC2') } }, true],
  ['$or, neither', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] }, { attributes: { source: str('aws.cloudwatch'), namespace: str('AWS/S3') } }, false],
];

const TRANSACTION_ATTRIBUTES: MessageAttributes = {
  customer_interests: arr(['soccer', 'rugby', 'hockey']),
  store: str('example_corp'),
  event: str('order_placed'),
  price_usd: num('210.75'),
};
const TRANSACTION_BODY = { customer_interests: ['soccer', 'rugby', 'hockey'], store: 'example_corp', event: 'order_placed', price_usd: 210.75 };
const ACCEPTS = { store: ['example_corp'], event: [{ 'anything-but': 'order_cancelled' }], customer_interests: ['rugby', 'football', 'baseball'], price_usd: [{ numeric: ['>=', 100] }] };
const REJECTS = { store: ['example_corp'], event: ['order_cancelled'], encrypted: [false], customer_interests: ['basketball', 'baseball'] };

const BODY_CASES: Case[] = [
  ['documented example accepts (body)', ACCEPTS, { body: TRANSACTION_BODY }, true],
  ['documented example rejects (body)', REJECTS, { body: TRANSACTION_BODY }, false],
  ['exact string', interests, { body: { customer_interests: 'rugby' } }, true],
  ['exact string, no', interests, { body: { customer_interests: 'baseball' } }, false],
  ['anything-but, array with an unlisted value', anythingBut, { body: { customer_interests: ['rugby', 'baseball'] } }, true],
  ['anything-but, only listed values', anythingBut, { body: { customer_interests: ['rugby'] } }, false],
  ['numeric anything-but in an array', { price: [{ 'anything-but': [100, 500] }] }, { body: { price: [100, 50] } }, true],
  ['numeric equals, exponent', { price_usd: [{ numeric: ['=', 301.5] }] }, { body: { price_usd: 3.015e2 } }, true],
  ['nested property', { object: { key: [{ prefix: 'auto-' }] } }, { body: { object: { key: 'auto-test' } } }, true],
  ['nested property, no', { object: { key: [{ prefix: 'auto-' }] } }, { body: { object: { key: 'hardcodedvalue' } } }, false],
  ['nested through an array of objects', { Records: { eventName: [{ prefix: 'ObjectCreated:' }] } }, { body: { Records: [{ eventName: 'ObjectRemoved:Delete' }, { eventName: 'ObjectCreated:Put' }] } }, true],
  ['exists false on the body', { store: [{ exists: false }] }, { body: { customer_interests: ['baseball'] } }, true],
  ['null and booleans', { flag: [true], gone: [null] }, { body: { flag: true, gone: null } }, true],
  ['a body that is not JSON matches nothing', { a: [{ exists: false }] }, { body: 'not json' }, false],
  ['$or not followed by objects is a plain property name', { $or: ['x'] }, { body: { $or: 'x' } }, true],
  ['$or nested in the body', { detail: { $or: [{ count: [{ numeric: ['>', 5] }] }, { limit: [3] }] } }, { body: { detail: { limit: 3 } } }, true],
];

describe('SNS filter policy evaluation', () => {
  it.each(ATTRIBUTE_CASES)('MessageAttributes: %s', (_name, policy, message, expected) => {
    expect(matches(policy, message)).toBe(expected);
  });

  it('accepts and rejects the documented transaction message by its attributes', () => {
    expect(matches(ACCEPTS, { attributes: TRANSACTION_ATTRIBUTES })).toBe(true);
    expect(matches(REJECTS, { attributes: TRANSACTION_ATTRIBUTES })).toBe(false);
  });

  it.each(BODY_CASES)('MessageBody: %s', (_name, policy, message, expected) => {
    expect(matches(policy, message, 'MessageBody')).toBe(expected);
  });
});

function errorOf(policy: string, scope: FilterPolicyScope = 'MessageAttributes', errorPrefix = 'Invalid parameter: Attributes Reason: '): string {
  try {
    compileFilterPolicy(policy, { scope, errorPrefix });
  } catch (error) {
    if (isAwsError(error) && error.awsCode === 'InvalidParameter') return error.message;
    throw error;
  }
  throw new Error(`policy ${policy} was accepted`);
}

/** Messages recorded from SNS (without the Jackson source location it appends). */
const INVALID: [string, string][] = [
  ['{"key":[["value"]]}', 'FilterPolicy: Match value must be String, number, true, false, or null'],
  ['{"key":[{"wrong-operator":true}]}', 'FilterPolicy: Unrecognized match type wrong-operator'],
  ['{"key":[{"suffix":"value","prefix":"value2"}]}', 'FilterPolicy: Only one key allowed in match expression'],
  ['{"key":[]}', 'FilterPolicy: Empty arrays are not allowed'],
  ['{"key":[{"suffix":100}]}', 'FilterPolicy: suffix match pattern must be a string'],
  ['{"key":[{"suffix":null}]}', 'FilterPolicy: suffix match pattern must be a string'],
  ['{"key":{"suffix":"value"}}', 'FilterPolicy: "suffix" must be an object or an array'],
  ['{"key":[{"suffix":[]}]}', 'FilterPolicy: suffix match pattern must be a string'],
  ['{"key":{"not-an-operator":"value"}}', 'FilterPolicy: "not-an-operator" must be an object or an array'],
  ['{"key":[{"cidr":["bad-filter"]}]}', 'FilterPolicy: prefix match pattern must be a string'],
  ['{"key":[{"cidr":"bad-filter"}]}', "FilterPolicy: Malformed CIDR, one '/' required"],
  ['{"key":[{"cidr":"bad-filter/"}]}', 'FilterPolicy: Malformed CIDR, mask bits must be an integer'],
  ['{"key":[{"cidr":"bad-filter/8"}]}', 'FilterPolicy: Nonstandard IP address: bad-filter'],
  ['{"key":[{"cidr":"xx.11.xx/8"}]}', 'FilterPolicy: Nonstandard IP address: xx.11.xx'],
  ['{"key":[{"numeric":[]}]}', 'FilterPolicy: Invalid member in numeric match: ]'],
  ['{"key":[{"numeric":["operator"]}]}', 'FilterPolicy: Unrecognized numeric range operator: operator'],
  ['{"key":[{"numeric":[1,"<="]}]}', 'FilterPolicy: Invalid member in numeric match: 1'],
  ['{"key":[{"numeric":["=","000"]}]}', 'FilterPolicy: Value of equals must be numeric'],
  ['{"key":[{"numeric":[">="]}]}', 'FilterPolicy: Value of >= must be numeric'],
  ['{"key":[{"numeric":["<",100,">",10]}]}', 'FilterPolicy: Too many elements in numeric expression'],
  ['{"key":[{"numeric":[">=",1,">",2]}]}', 'FilterPolicy: Bad numeric range operator: >'],
  ['{"key":[{"numeric":[">",3,"<",1]}]}', 'FilterPolicy: Bottom must be less than top'],
  ['{"key":[{"numeric":[">",20,"<="]}]}', 'FilterPolicy: Value of <= must be numeric'],
  ['{"key":[{"numeric":[">",20,30]}]}', 'FilterPolicy: Bad value in numeric range: 30'],
  ['{"key":[{"numeric":[">",20,"test"]}]}', 'FilterPolicy: Bad numeric range operator: test'],
  ['{"key":[{"numeric":[">","20","<","30"]}]}', 'FilterPolicy: Value of > must be numeric'],
  ['{"key":[{"numeric":[">",20,"<","30"]}]}', 'FilterPolicy: Value of < must be numeric'],
  ['{"key":[{"numeric":[">",20,"<",30,"<",50]}]}', 'FilterPolicy: Too many terms in numeric range expression'],
  ['{"key":[{"exists":null}]}', 'FilterPolicy: exists match pattern must be either true or false.'],
  ['{"key":[{"exists":"no"}]}', 'FilterPolicy: exists match pattern must be either true or false.'],
  ['{"key":[{"anything-but":{"wrong-operator":null}}]}', 'FilterPolicy: Unsupported anything-but pattern: wrong-operator'],
  ['{"key":[{"anything-but":{"suffix":"test"}}]}', 'FilterPolicy: Unsupported anything-but pattern: suffix'],
  ['{"key":[{"anything-but":{"exists":false}}]}', 'FilterPolicy: Unsupported anything-but pattern: exists'],
  ['{"key":[{"anything-but":{"prefix":false}}]}', 'FilterPolicy: prefix match pattern must be a string'],
  [JSON.stringify({ a: ['x'], b: ['x'], c: ['x'], d: ['x'], e: ['x'], f: ['x'] }), 'FilterPolicy: Filter policy can not have more than 5 keys'],
  [JSON.stringify({ key: Array.from({ length: 151 }, (_, i) => `v${i}`) }), 'FilterPolicy: Filter policy is too complex'],
  [JSON.stringify({ a: Array.from({ length: 13 }, (_, i) => i), b: Array.from({ length: 12 }, (_, i) => i) }), 'FilterPolicy: Filter policy is too complex'],
  ['{"object":{"key":["x"]}}', 'Filter policy scope MessageAttributes does not support nested filter policy'],
  ['{"$or":[{"a":["x"]}]}', 'FilterPolicy: Unrecognized match type a'],
];

describe('SNS filter policy validation', () => {
  it.each(INVALID)('%s', (policy, message) => {
    expect(errorOf(policy)).toBe(`Invalid parameter: Attributes Reason: ${message}`);
  });

  it('accepts what SNS accepts', () => {
    const valid = [
      '{"key":[{"anything-but":{"prefix":"test-"}}]}',
      '{"key":[{"anything-but":["test","test2"]}]}',
      '{"key":[{"anything-but":"test"}]}',
      '{"key":[null, true, 1.5, "s"]}',
      '{"a":{"b":{"c":["1","2","3","4"]}},"d":{"e":["1","2","3"]}}',
    ];
    for (const policy of valid) expect(() => compileFilterPolicy(policy, { scope: 'MessageBody', errorPrefix: '' })).not.toThrow();
  });

  it('counts nested keys by depth when measuring complexity, as SNS documents (3 x 4 x 2 x 3 = 72)', () => {
    const nested = { a: { b: { c: ['1', '2', '3', '4'] } }, d: { e: ['1', '2', '3'] } };
    expect(() => compileFilterPolicy(JSON.stringify(nested), { scope: 'MessageBody', errorPrefix: '' })).not.toThrow();
    const tooDeep = { a: { b: { c: { d: { e: Array.from({ length: 38 }, (_, i) => i) } } } } };
    expect(errorOf(JSON.stringify(tooDeep), 'MessageBody', 'Invalid parameter: ')).toBe('Invalid parameter: FilterPolicy: Filter policy is too complex');
  });

  it('reports malformed JSON', () => {
    expect(errorOf('{invalid', 'MessageAttributes', 'Invalid parameter: ')).toMatch(/^Invalid parameter: FilterPolicy: failed to parse JSON\. /);
    expect(errorOf('["a"]', 'MessageAttributes', 'Invalid parameter: ')).toBe('Invalid parameter: FilterPolicy: Filter is not an object');
  });
});
