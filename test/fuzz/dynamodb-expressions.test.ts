import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/protocol/index.js';
import { DYNAMODB_ERROR_TYPES, FRAMEWORK_ERRORS } from '../../src/services/dynamodb/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { checkProperty, expectServiceAnswer, mutatedBytes, printStats } from './fuzz.js';
import { serviceCodes } from './service-fuzz.js';

const TABLE = 'fuzz';
const NAMES = ['pk', 'sk', 'a', 'b', 'list', 'map', 'set', 'size', 'AND', 'name with space'];
/** Names written in the expression itself: mostly plain ones, now and then a reserved word or a key attribute. */
const PLAIN = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'list', 'map', 'set') }, { weight: 1, arbitrary: fc.constantFrom('size', 'AND', 'pk', 'sk') });
const REFS = ['#n', '#m', '#pk', '#missing'];
const VALUES = [':v', ':w', ':n', ':missing'];

/** A path: a name, a #reference, nested by dots and list indexes. */
const path: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(PLAIN, fc.constantFrom(...REFS)), fc.array(fc.oneof(fc.oneof(PLAIN, fc.constantFrom(...REFS)).map((n) => `.${n}`), fc.integer({ min: -1, max: 3 }).map((i) => `[${i}]`)), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.join(''));

const operand: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: path }, { weight: 3, arbitrary: fc.constantFrom(...VALUES) }, { weight: 1, arbitrary: path.map((p) => `size(${p})`) });

/** Conditions in DynamoDB's grammar: comparisons, BETWEEN, IN, functions, NOT, AND/OR and parentheses. */
const condition: fc.Arbitrary<string> = fc.letrec<{ cond: string }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(operand, fc.constantFrom('=', '<>', '<', '<=', '>', '>='), operand).map(([l, op, r]) => `${l} ${op} ${r}`),
    fc.tuple(operand, operand, operand).map(([a, b, c]) => `${a} BETWEEN ${b} AND ${c}`),
    fc.tuple(operand, fc.array(operand, { minLength: 1, maxLength: 4 })).map(([a, list]) => `${a} IN (${list.join(', ')})`),
    fc.tuple(fc.constantFrom('attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size', 'nosuch'), fc.array(operand, { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    tie('cond').map((c) => `NOT ${c}`),
    fc.tuple(tie('cond'), fc.constantFrom('AND', 'OR'), tie('cond')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('cond').map((c) => `(${c})`),
  ),
})).cond;

const setValue: fc.Arbitrary<string> = fc.oneof(
  operand,
  fc.tuple(operand, fc.constantFrom('+', '-'), operand).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.tuple(path, operand).map(([p, v]) => `if_not_exists(${p}, ${v})`),
  fc.tuple(operand, operand).map(([a, b]) => `list_append(${a}, ${b})`),
);

/** Update expressions: SET, REMOVE, ADD and DELETE sections, repeated or not. */
const update: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.array(fc.tuple(path, setValue).map(([p, v]) => `${p} = ${v}`), { minLength: 1, maxLength: 3 }).map((a) => `SET ${a.join(', ')}`),
      fc.array(path, { minLength: 1, maxLength: 3 }).map((a) => `REMOVE ${a.join(', ')}`),
      fc.tuple(path, fc.constantFrom(...VALUES)).map(([p, v]) => `ADD ${p} ${v}`),
      fc.tuple(path, fc.constantFrom(...VALUES)).map(([p, v]) => `DELETE ${p} ${v}`),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((sections) => sections.join(' '));

const projection = fc.array(path, { minLength: 1, maxLength: 4 }).map((a) => a.join(', '));
const keyCondition = fc.oneof(
  condition,
  fc.tuple(fc.constantFrom('pk', '#pk'), fc.constantFrom(...VALUES), fc.option(fc.tuple(fc.constantFrom('sk', '#n'), fc.constantFrom('=', '<', 'BETWEEN :v AND', 'begins_with'), fc.constantFrom(...VALUES)))).map(
    ([k, v, sort]) => `${k} = ${v}${sort ? (sort[1] === 'begins_with' ? ` AND begins_with(${sort[0]}, ${sort[2]})` : ` AND ${sort[0]} ${sort[1]} ${sort[2]}`) : ''}`,
  ),
);

/** An expression as generated, or its bytes mutated (read back as UTF-8, so broken sequences arrive as U+FFFD). */
function maybeMutated(expression: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: expression }, { weight: 1, arbitrary: expression.chain((e) => mutatedBytes(Buffer.from(e)).map((b) => b.toString('utf8'))) });
}

const attributeValue = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }).map((S) => ({ S })) },
  { weight: 3, arbitrary: fc.integer().map((n) => ({ N: String(n) })) },
  { weight: 2, arbitrary: fc.constantFrom({ L: [{ N: '1' }] }, { M: { a: { S: 'x' } } }, { SS: ['z'] }, { NS: ['2', '3'] }, { BOOL: false }, { N: '1E+125' }, { N: '-1E-130' }) },
  fc.constantFrom({ N: '1e999' }, { N: 'abc' }, { S: '' }, { BOOL: true }, { NULL: true }, { L: [{ S: 'x' }] }, { M: { a: { N: '1' } } }, { SS: ['a', 'a'] }, { NS: ['1'] }, { BS: [] }, {}, { S: 'x', N: '1' }),
);

type Maps = { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, object> };

/**
 * Name and value maps for some expressions: mostly exactly the placeholders they use (so the request gets past
 * DynamoDB's unused/undefined checks to the evaluator), sometimes random ones (missing, unused, wrongly typed).
 */
function mapsFor(expressions: readonly (string | undefined)[]): fc.Arbitrary<Maps> {
  const text = expressions.filter((e) => e !== undefined).join(' ');
  const refs = [...new Set(text.match(/#\w+/g) ?? [])];
  const placeholders = [...new Set(text.match(/:\w+/g) ?? [])];
  const exact = fc.record({
    ExpressionAttributeNames: fc.tuple(...refs.map(() => fc.constantFrom(...NAMES))).map((chosen) => (refs.length ? Object.fromEntries(refs.map((r, i) => [r, chosen[i]!])) : undefined)),
    ExpressionAttributeValues: fc.tuple(...placeholders.map(() => attributeValue)).map((chosen) => (placeholders.length ? Object.fromEntries(placeholders.map((v, i) => [v, chosen[i]!])) : undefined)),
  });
  const random = fc.record({
    ExpressionAttributeNames: fc.option(fc.dictionary(fc.constantFrom(...REFS, 'n', '#'), fc.constantFrom(...NAMES, ''), { maxKeys: 4 }), { nil: undefined }),
    ExpressionAttributeValues: fc.option(fc.dictionary(fc.constantFrom(...VALUES, 'v', ':'), attributeValue, { maxKeys: 4 }), { nil: undefined }),
  });
  return fc.oneof({ weight: 4, arbitrary: exact }, { weight: 1, arbitrary: random }) as fc.Arbitrary<Maps>;
}

/** Expressions with maps made for them. */
function withMaps<T extends (string | undefined)[]>(expressions: fc.Arbitrary<T>): fc.Arbitrary<[T, Maps]> {
  return expressions.chain((list) => mapsFor(list).map((maps): [T, Maps] => [list, maps]));
}

/** A Scan has no key condition: the placeholders only it used would be unused ones. */
function mapsWithout(maps: Maps, keyCondition: string): Maps {
  void keyCondition;
  return maps;
}

describe('fuzz: DynamoDB expressions', () => {
  let test: TestNode;
  const codes = serviceCodes({ model: loadModel('dynamodb'), wire: 'json', signingName: 'dynamodb', format: 'json', extraCodes: [...DYNAMODB_ERROR_TYPES, ...Object.keys(FRAMEWORK_ERRORS)] });
  const call = async (operation: string, input: object) => {
    const response = await test.node.request({
      method: 'POST',
      path: '/',
      headers: {
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        'content-type': 'application/x-amz-json-1.0',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAFUZZ/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: JSON.stringify(input),
    });
    expectServiceAnswer(response, 'json', codes, `${operation} ${JSON.stringify(input).slice(0, 600)}`);
    return response;
  };

  beforeAll(async () => {
    test = await startTestNode();
    const created = await call('CreateTable', {
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    expect(created.status).toBe(200);
    const item = { pk: { S: 'p' }, sk: { S: 's' }, a: { N: '1' }, b: { S: 'b' }, list: { L: [{ N: '1' }, { S: 'x' }] }, map: { M: { a: { S: 'y' } } }, set: { SS: ['a', 'b'] } };
    expect((await call('PutItem', { TableName: TABLE, Item: item })).status).toBe(200);
  });
  afterAll(async () => {
    await test.close();
  });

  const key = { pk: { S: 'p' }, sk: { S: 's' } };

  it('condition and update expressions on UpdateItem: a success or a ValidationException, never a fault', async () => {
    await checkProperty(
      fc.asyncProperty(withMaps(fc.tuple(maybeMutated(update), fc.option(maybeMutated(condition), { nil: undefined }))), async ([[UpdateExpression, ConditionExpression], maps]) => {
        await call('UpdateItem', { TableName: TABLE, Key: key, UpdateExpression, ConditionExpression, ...maps, ReturnValues: 'ALL_NEW' });
      }),
      200,
    );
    printStats('UpdateItem');
  });

  it('key conditions, filters and projections on Query and Scan; conditions on PutItem and DeleteItem', async () => {
    await checkProperty(
      fc.asyncProperty(withMaps(fc.tuple(maybeMutated(keyCondition), fc.option(maybeMutated(condition), { nil: undefined }), fc.option(maybeMutated(projection), { nil: undefined }))), async ([[KeyConditionExpression, FilterExpression, ProjectionExpression], maps]) => {
        const common = { TableName: TABLE, FilterExpression, ProjectionExpression, ...maps };
        await call('Query', { ...common, KeyConditionExpression });
        await call('Scan', { ...common, ...mapsWithout(maps, KeyConditionExpression) });
      }),
      200,
    );
    await checkProperty(
      fc.asyncProperty(withMaps(fc.tuple(maybeMutated(condition))), async ([[ConditionExpression], maps]) => {
        await call('PutItem', { TableName: TABLE, Item: { ...key, a: { N: '2' } }, ConditionExpression, ...maps });
        await call('DeleteItem', { TableName: TABLE, Key: { pk: { S: 'gone' }, sk: { S: 's' } }, ConditionExpression, ...maps });
      }),
      150,
    );
    printStats('Query/Scan/PutItem/DeleteItem');
  });
});
