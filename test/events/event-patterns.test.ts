import { describe, expect, it } from 'vitest';
import { compileEventPattern, PatternError } from '../../src/events/index.js';

/**
 * The event pattern language as EventBridge documents it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html and
 * eb-event-patterns-content-based-filtering.html). Outcomes and refusal reasons of the edge cases follow
 * EventBridge's recorded answers in LocalStack's tests/aws/services/events/test_events_patterns.snapshot.json
 * (test_event_pattern[<case>]), named beside each row.
 */

/** The documentation's EC2 state-change event, the running example of the pattern pages. */
const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated', 'c-count': 5, 'd-count': 9, 'x-limit': 301.8, 'source-ip': '10.0.0.123' },
};

const cases: [name: string, pattern: unknown, event: unknown, expected: boolean][] = [
  // Exact values.
  ['source string', { source: ['aws.ec2'] }, EC2_EVENT, true],
  ['source other', { source: ['aws.s3'] }, EC2_EVENT, false],
  ['any value of the list', { source: ['aws.s3', 'aws.ec2'] }, EC2_EVENT, true],
  ['every field must match', { source: ['aws.ec2'], 'detail-type': ['Other'] }, EC2_EVENT, false],
  ['nested field', { detail: { state: ['terminated'] } }, EC2_EVENT, true],
  ['event array: any element', { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, EC2_EVENT, true],
  ['number compared as a number (number_comparison_float)', { n: [300] }, { n: 300.0 }, true],
  ['string is not a number', { n: ['300'] }, { n: 300 }, false],
  ['null (null_value)', { detail: { r: [null] } }, { detail: { r: null } }, true],
  ['"null" is a string (null_value_NEG)', { detail: { r: [null] } }, { detail: { r: 'null' } }, false],
  ['empty string (string_empty)', { v: [''] }, { v: '' }, true],
  ['booleans (boolean_NEG)', { b: [false] }, { b: true }, false],
  ['empty event array has no values (arrays_empty_null_NEG)', { resources: [null] }, { resources: [] }, false],
  ['a string holding JSON is a string (nested_json_NEG)', { detail: { k: ['v'] } }, { detail: '{"k": "v"}' }, false],
  ['dotted event key (dot_joining_event)', { detail: { state: { status: ['running'] } } }, { detail: { 'state.status': 'running' } }, true],
  ['dotted pattern key (dot_joining_pattern)', { detail: { 'state.status': ['running'] } }, { detail: { state: { status: 'running' } } }, true],
  ['an object is not a value', { detail: ['x'] }, { detail: { a: 'x' } }, false],
  ['empty pattern matches anything', {}, EC2_EVENT, true],
  // Prefix, suffix, equals-ignore-case.
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, EC2_EVENT, true],
  ['prefix no', { time: [{ prefix: '2018' }] }, EC2_EVENT, false],
  ['prefix ignore case', { 'detail-type': [{ prefix: { 'equals-ignore-case': 'ec2 INSTANCE' } }] }, EC2_EVENT, true],
  ['suffix', { detail: { 'instance-id': [{ suffix: 'ef0' }] } }, EC2_EVENT, true],
  ['suffix ignore case', { detail: { 'instance-id': [{ suffix: { 'equals-ignore-case': 'EF0' } }] } }, EC2_EVENT, true],
  ['prefix of a number', { n: [{ prefix: '1' }] }, { n: 12 }, false],
  ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, EC2_EVENT, true],
  ['equals-ignore-case other', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance' }] }, EC2_EVENT, false],
  // anything-but.
  ['anything-but string', { detail: { state: [{ 'anything-but': 'running' }] } }, EC2_EVENT, true],
  ['anything-but list', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, EC2_EVENT, false],
  ['anything-but number', { detail: { 'c-count': [{ 'anything-but': 0 }] } }, EC2_EVENT, true],
  ['anything-but numbers', { detail: { 'c-count': [{ 'anything-but': [5, 6] }] } }, EC2_EVENT, false],
  ['anything-but matches null (content_anything_but_string_null)', { s: [{ 'anything-but': 'x' }] }, { s: null }, true],
  ['anything-but needs the field (content_anything_but_string_missing_NEG)', { s: [{ 'anything-but': 'x' }] }, { t: 1 }, false],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, EC2_EVENT, true],
  ['anything-but prefix no', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, EC2_EVENT, false],
  ['anything-but prefix list', { s: [{ 'anything-but': { prefix: ['a', 'b'] } }] }, { s: 'bc' }, false],
  ['anything-but prefix of a number (content_anything_prefix_int_value)', { s: [{ 'anything-but': { prefix: 'init' } }] }, { s: 12 }, true],
  ['anything-but suffix', { f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.txt' }, true],
  ['anything-but ignore case', { s: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'X'] } }] }, { s: 'STOPPED' }, false],
  ['anything-but wildcard', { p: [{ 'anything-but': { wildcard: '*/dir/*' } }] }, { p: '/a/dir/b' }, false],
  ['anything-but wildcard other', { p: [{ 'anything-but': { wildcard: '*/dir/*' } }] }, { p: '/a/b' }, true],
  // Numeric.
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, EC2_EVENT, true],
  ['numeric range out', { detail: { 'c-count': [{ numeric: ['>', 5, '<=', 10] }] } }, EC2_EVENT, false],
  ['numeric =', { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, EC2_EVENT, true],
  ['numeric <', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, EC2_EVENT, true],
  ['numeric >=', { n: [{ numeric: ['>=', 100] }] }, { n: 100 }, true],
  ['numeric on a float (numeric-int-float)', { n: [{ numeric: ['>', 100] }] }, { n: 101.0 }, true],
  ['numeric on a string (numeric-string_NEG)', { n: [{ numeric: ['>', 100] }] }, { n: '300' }, false],
  // exists.
  ['exists true', { detail: { state: [{ exists: true }] } }, EC2_EVENT, true],
  ['exists true, absent', { detail: { missing: [{ exists: true }] } }, EC2_EVENT, false],
  ['exists false, absent', { detail: { missing: [{ exists: false }] } }, EC2_EVENT, true],
  ['exists false, present', { detail: { state: [{ exists: false }] } }, EC2_EVENT, false],
  ['exists is about leaves (exists_dynamodb_NEG)', { d: { k: [{ exists: true }] } }, { d: { k: { S: 'v' } } }, false],
  ['exists on an empty array (exists_list_empty_NEG)', { resources: [{ exists: true }] }, { resources: [] }, false],
  ['exists false or a value (or-exists)', { a: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } }, { a: { N: '1' } }, true],
  ['exists inside array elements (list_within_dict)', { list: { id: [{ exists: true }] } }, { list: [{ k: 1 }, { id: 'x' }] }, true],
  // CIDR.
  ['cidr v4', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, EC2_EVENT, true],
  ['cidr v4 out', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, EC2_EVENT, false],
  ['cidr v6', { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] }, { ip: '2001:db8:1234:1a00::10' }, true],
  ['cidr on a number (content_ip_address_bad_type_NEG)', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: 123 }, false],
  // Wildcard.
  ['wildcard', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/b' }, true],
  ['wildcard repeating (content_wildcard_repeating)', { f: [{ wildcard: '/Users/*/dir/dir/doc.txt' }] }, { f: '/Users/u/dir/dir/dir/doc.txt' }, true],
  ['wildcard no (content_wildcard_nonrepeating_NEG)', { f: [{ wildcard: '/Users/*/doc.txt' }] }, { f: '/Users/u/notdoc.txt' }, false],
  ['wildcard end', { f: [{ wildcard: '/Users/*/doc.txt' }] }, { f: '/Users/u/doc.txt.bak' }, false],
  ['wildcard escaped star', { f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' }, true],
  ['wildcard escaped star is literal', { f: [{ wildcard: 'a\\*b' }] }, { f: 'axb' }, false],
  ['empty wildcard (content_wildcard_empty_NEG)', { f: [{ wildcard: '' }] }, { f: 'x' }, false],
  // $or and nesting.
  [
    '$or (complex_or)',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } },
    { detail: { 'c-count': 0, 'd-count': 0 } },
    true,
  ],
  ['$or none', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { a: '2', b: '1' }, false],
  ['$or beside a field', { source: ['aws.ec2'], $or: [{ a: ['1'] }, { b: ['2'] }] }, { source: 'aws.ec2', b: '2' }, true],
  ['array consistency', { e: { name: ['Jane'], last: ['Doe'] } }, { e: [{ name: 'Jane', last: 'Smith' }, { name: 'John', last: 'Doe' }] }, false],
  ['array consistency, same element', { e: { name: ['Jane'], last: ['Doe'] } }, { e: [{ name: 'John', last: 'Smith' }, { name: 'Jane', last: 'Doe' }] }, true],
];

describe('event patterns: matching', () => {
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(compileEventPattern(JSON.stringify(pattern)).matches(event)).toBe(expected);
  });

  it('compiles once and matches many events', () => {
    const pattern = compileEventPattern(JSON.stringify({ detail: { n: [{ numeric: ['>=', 10] }] } }));
    const results = [1, 10, 11, 9].map((n) => pattern.matches({ detail: { n } }));
    expect(results).toEqual([false, true, true, false]);
  });

  it('matches only objects', () => {
    const pattern = compileEventPattern('{}');
    expect([pattern.matches([]), pattern.matches('x'), pattern.matches(null)]).toEqual([false, false, false]);
  });
});

const refusals: [name: string, pattern: string, reason: string][] = [
  ['int_nolist_EXC', '{"int": 42}', '"int" must be an object or an array'],
  ['string_nolist_EXC', '{"string": "my-value"}', '"string" must be an object or an array'],
  ['arrays_empty_EXC', '{"resources": []}', 'Empty arrays are not allowed'],
  ['operator_case_sensitive_EXC', '{"my_key": [{"EXISTS": true}]}', 'Unrecognized match type EXISTS'],
  ['content_numeric_EXC', '{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', 'Bad numeric range operator: >'],
  ['content_numeric_syntax_EXC', '{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', 'Value of < must be numeric'],
  ['content_numeric_number_EXC', '{"c": [{"numeric": 10}]}', 'Value of numeric must be an array.'],
  ['content_wildcard_repeating_star_EXC', '{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}', 'Consecutive wildcard characters at pos 26'],
  [
    'content_wildcard_complex_EXC',
    '{"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}',
    'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
  ],
  ['content_wildcard_int_EXC', '{"a": [{"wildcard": 123}]}', 'wildcard match pattern must be a string'],
  ['content_ignorecase_EXC', '{"d": [{"equals-ignore-case": ["x"]}]}', 'equals-ignore-case match pattern must be a string'],
  ['content_ip_address_EXC', '{"ip": [{"cidr": "bad-filter"}]}', "Malformed CIDR, one '/' required"],
  ['content_ip_address_bad_mask_EXC', '{"ip": [{"cidr": "10.0.0.0/x"}]}', 'Malformed CIDR, mask bits must be an integer'],
  ['content_ip_address_bad_ip_EXC', '{"ip": [{"cidr": "xx.11.xx/24"}]}', 'Nonstandard IP address: xx.11.xx'],
  ['content_ip_address_type_EXC', '{"ip": [{"cidr": ["bad-type"]}]}', 'prefix match pattern must be a string'],
  ['content_prefix_int_EXC', '{"time": [{"prefix": 123}]}', 'prefix match pattern must be a string'],
  ['content_suffix_list_EXC', '{"f": [{"suffix": [".png"]}]}', 'suffix match pattern must be a string'],
  ['content_anything_prefix_empty_EXC', '{"f": [{"anything-but": {"prefix": ""}}]}', 'Null prefix/suffix not allowed'],
  ['content_anything_prefix_int_EXC', '{"s": [{"anything-but": {"prefix": 123}}]}', 'prefix/suffix match pattern must be a string'],
  ['content_anything_prefix_ignorecase_EXC', '{"f": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}', 'Value of anything-but must be an array or single string/number value.'],
  ['content_anything_but_ignorecase_EXC', '{"s": [{"anything-but": {"equals-ignore-case": 123}}]}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
  ['content_anything_but_string_null_type_EXC', '{"s": [{"anything-but": null}]}', 'Value of anything-but must be an array or single string/number value.'],
  ['content_anything_but_string_list_null_type_EXC', '{"s": [{"anything-but": ["stopped", null]}]}', 'Inside anything but list, start|null|boolean is not supported.'],
  ['not an object (test_invalid_json_event_pattern)', '["not", "a", "dict", "but valid json"]', 'Filter is not an object'],
  [
    'not JSON (test_invalid_json_event_pattern)',
    'this is valid json but not a dict',
    "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
  ],
  ['single quotes (test_invalid_json_event_pattern)', "{'bad': 'quotation'}", "Unexpected character (''' (code 39)): was expecting double-quote to start field name"],
  ['exists not boolean', '{"a": [{"exists": "yes"}]}', 'exists match pattern must be either true or false.'],
  ['two operators', '{"a": [{"prefix": "x", "suffix": "y"}]}', 'Only one key allowed in match expression'],
  ['nested list', '{"a": [["x"]]}', 'Match value must be String, number, true, false, or null'],
  ['empty object', '{"a": {}}', 'Empty objects are not allowed'],
  ['bottom above top', '{"a": [{"numeric": [">", 10, "<", 5]}]}', 'Bottom must be less than top'],
];

describe('event patterns: validation', () => {
  it.each(refusals)('%s', (_name, pattern, reason) => {
    let caught: unknown;
    try {
      compileEventPattern(pattern);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PatternError);
    expect((caught as PatternError).reason).toBe(reason);
  });
});
