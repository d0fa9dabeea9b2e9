import { beforeEach, describe, expect, it } from 'vitest';
import { ExpressionCache } from '../../../src/services/dynamodb/expressions/cache.js';
import { expectValidation, useDynamo, type DynamoHarness } from './helpers.js';

const KEY = { pk: { S: 'k' }, sk: { N: '1' } };

/** Sends an expression of the given kind through the operation that carries it. */
function send(db: DynamoHarness, kind: 'Update' | 'Condition' | 'KeyCondition' | 'Filter' | 'Projection', expression: string, extra: Record<string, unknown> = {}) {
  switch (kind) {
    case 'Update':
      return db.fail('UpdateItem', { TableName: 'exprs', Key: KEY, UpdateExpression: expression, ...extra });
    case 'Condition':
      return db.fail('PutItem', { TableName: 'exprs', Item: KEY, ConditionExpression: expression, ...extra });
    case 'KeyCondition':
      return db.fail('Query', { TableName: 'exprs', KeyConditionExpression: expression, ...extra });
    case 'Filter':
      return db.fail('Scan', { TableName: 'exprs', FilterExpression: expression, ...extra });
    case 'Projection':
      return db.fail('GetItem', { TableName: 'exprs', Key: KEY, ProjectionExpression: expression, ...extra });
  }
}

describe('DynamoDB expressions', () => {
  const db = useDynamo();
  beforeEach(async () => {
    await db.table('exprs', { sk: 'N' });
  });

  const expectMessage = async (kind: Parameters<typeof send>[1], expression: string, message: string, extra: Record<string, unknown> = {}) => {
    const error = await send(db, kind, expression, extra);
    expect(error.type).toBe('ValidationException');
    expect(error.message, expression).toBe(message);
  };

  describe('syntax errors name the offending token and the text around it', () => {
    it.each([
      ['Update', 'INVALID SYNTAX HERE', 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'],
      ['Update', 'ADD hits : incr', 'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"'],
      ['Update', 'SET a-b = :v', 'Invalid UpdateExpression: Syntax error; token: "-", near: "a-b"'],
      ['Update', 'SET a = ', 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "= "'],
      ['Update', 'SET a = b + c + d', 'Invalid UpdateExpression: Syntax error; token: "+", near: "c + d"'],
      ['Projection', '!!! INVALID !!!', 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'],
      ['Projection', 'a,', 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'],
      ['Condition', 'a-b', 'Invalid ConditionExpression: Syntax error; token: "-", near: "a-b"'],
      ['Condition', 'a = :v AND', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"'],
      ['Condition', 'a', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"'],
      ['Condition', 'a BETWEEN :x OR :y', 'Invalid ConditionExpression: Syntax error; token: "OR", near: ":x OR :y"'],
      ['KeyCondition', '()', 'Invalid KeyConditionExpression: Syntax error; token: ")", near: "()"'],
      ['Filter', 'a[x] = :v', 'Invalid FilterExpression: Syntax error; token: "x", near: "[x]"'],
    ] as const)('%s %j', async (kind, expression, message) => {
      await expectMessage(kind, expression, message);
    });

    it('reports a dangling NOT operand as DynamoDB does', async () => {
      await expectMessage('Condition', 'attribute_exists(car_id) AND NOT #h', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "#h"', { ExpressionAttributeNames: { '#h': 'has_air_conditioner' } });
    });

    it('refuses expressions over 4 KB', async () => {
      const long = Array.from({ length: 800 }, (_, i) => `a${i}`).join(', ');
      await expectMessage('Projection', long, `Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: ${long.length}`);
    });

    it('refuses empty expressions', async () => {
      await expectMessage('Update', '', 'Invalid UpdateExpression: The expression can not be empty;');
      await expectMessage('KeyCondition', '', 'Invalid KeyConditionExpression: The expression can not be empty;', { ExpressionAttributeValues: { ':v': { S: 'val' } } });
      await expectMessage('Projection', '', 'Invalid ProjectionExpression: The expression can not be empty;');
    });
  });

  describe('names and values', () => {
    it('refuses reserved words as bare names, but not behind placeholders', async () => {
      await expectMessage('Update', 'SET status = :v', 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status', { ExpressionAttributeValues: { ':v': { S: 'x' } } });
      await expectMessage('Filter', 'a.Count > :v', 'Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: Count', { ExpressionAttributeValues: { ':v': { N: '1' } } });
      await expectMessage('Projection', 'data', 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: data');
      await db.ok('UpdateItem', { TableName: 'exprs', Key: KEY, UpdateExpression: 'SET #s = :v', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':v': { S: 'x' } } });
    });

    it('reports undefined and unused placeholders', async () => {
      await expectMessage('Filter', '#missing = :fv', 'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing', { ExpressionAttributeValues: { ':fv': { S: 'x' } } });
      await expectMessage('Update', 'SET attr1 = :v', 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v');
      await expectValidation(db, 'UpdateItem', { TableName: 'exprs', Key: KEY, UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': { S: 'val' } }, ExpressionAttributeNames: { '#unused': 'x', '#also': 'y' } },
        'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused, #also}');
      await expectValidation(db, 'UpdateItem', { TableName: 'exprs', Key: KEY, UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': { S: 'val' }, ':unused': { S: 'extra' } } },
        'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}');
    });

    it('checks the placeholder maps themselves', async () => {
      const base = { TableName: 'exprs', Key: KEY, UpdateExpression: 'SET a = :v' };
      await expectValidation(db, 'UpdateItem', { ...base, ExpressionAttributeNames: {}, ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'ExpressionAttributeNames must not be empty');
      await expectValidation(db, 'UpdateItem', { ...base, ExpressionAttributeNames: { a: 'b' }, ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"');
      await expectValidation(db, 'UpdateItem', { ...base, ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty');
      await expectValidation(db, 'UpdateItem', { ...base, ExpressionAttributeValues: { v: { S: 'x' } } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"');
      await expectValidation(db, 'UpdateItem', { ...base, ExpressionAttributeValues: { ':v': {} } }, 'ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v');
      await expectValidation(db, 'PutItem', { TableName: 'exprs', Item: KEY, ExpressionAttributeValues: { ':v': { S: 'unused' } } }, 'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null');
      await expectValidation(db, 'GetItem', { TableName: 'exprs', Key: KEY, ExpressionAttributeNames: { '#a': 'a' } }, 'ExpressionAttributeNames can only be specified when using expressions');
      await expectValidation(db, 'Query', { TableName: 'exprs', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'k' }] } }, ExpressionAttributeValues: { ':v': { S: 'x' } } },
        'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null');
    });

    it('refuses mixing expressions with legacy parameters', async () => {
      await expectValidation(db, 'PutItem', { TableName: 'exprs', Item: KEY, Expected: { pk: { Exists: false } }, ConditionExpression: 'attribute_not_exists(pk)' },
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}');
      await expectValidation(db, 'UpdateItem', { TableName: 'exprs', Key: KEY, UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': { S: 'val' } }, AttributeUpdates: { attr1: { Value: { S: 'val' }, Action: 'PUT' } } },
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}');
    });
  });

  describe('condition semantics', () => {
    const values = { ExpressionAttributeValues: { ':v': { S: 'x' }, ':w': { S: 'y' }, ':n': { N: '1' }, ':t': { S: 'X' } } };
    it.each([
      ['((a = :v))', 'The expression has redundant parentheses;'],
      ['a = :v AND ((b = :w))', 'The expression has redundant parentheses;'],
      ['((a)) = :v', 'The expression has redundant parentheses;'],
      ['foo(a)', 'Invalid function name; function: foo'],
      ['begins_with(a, :v) = :w', 'The function is not allowed to be used this way in an expression; function: begins_with'],
      ['size(a)', 'The function is not allowed to be used this way in an expression; function: size'],
      ['attribute_exists(a, b)', 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
      ['attribute_exists(:v)', 'Operator or function requires a document path; operator or function: attribute_exists'],
      ['a = a', 'The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'],
      ['begins_with(a, :n)', 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
      ['size(:n) > :n', 'Incorrect operand type for operator or function; operator or function: size, operand type: N'],
      ['attribute_type(a, :t)', 'Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
      ['attribute_type(a, :n)', 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
      ['a BETWEEN :w AND :v', 'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:y}, upper bound operand: AttributeValue: {S:x}'],
      ['a BETWEEN :n AND :v', 'The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}'],
    ])('%j', async (expression, message) => {
      const used = Object.fromEntries(Object.entries(values.ExpressionAttributeValues).filter(([name]) => expression.includes(name)));
      await expectMessage('Condition', expression, `Invalid ConditionExpression: ${message}`, Object.keys(used).length ? { ExpressionAttributeValues: used } : {});
    });

    it('reports problems in DynamoDB order, not text order', async () => {
      await expectMessage('Condition', 'foo(a) AND ((b = :v))', 'Invalid ConditionExpression: The expression has redundant parentheses;', { ExpressionAttributeValues: { ':v': { S: 'x' } } });
      await expectMessage('Condition', '#undefined = :v AND size = :v', 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size', { ExpressionAttributeValues: { ':v': { S: 'x' } } });
    });

    it('accepts parentheses that are not redundant', async () => {
      for (const expression of ['(attribute_not_exists(pk)) AND (attribute_not_exists(#s))', '(attribute_not_exists(pk) AND attribute_not_exists(#s))', '(attribute_not_exists(pk) AND (attribute_not_exists(#s)))']) {
        await db.ok('PutItem', { TableName: 'exprs', Item: { pk: { S: expression }, sk: { N: '1' } }, ConditionExpression: expression, ExpressionAttributeNames: { '#s': 'status' } });
      }
    });
  });

  describe('update expression semantics', () => {
    it.each([
      ['SET a = :v, a.b = :w', 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
      ['SET a.b = :v REMOVE a.b', 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, b]'],
      ['SET a.b = :v, a[0] = :w', 'Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]'],
      ['SET a = :v SET b = :w', 'The "SET" section can only be used once in an update expression;'],
      ['ADD a :v', 'Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
      ['DELETE a :n', 'Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER'],
      ['SET a = size(b)', 'Invalid function name; function: size'],
      ['SET a = if_not_exists(:v, :w)', 'Operator or function requires a document path; operator or function: if_not_exists'],
      ['SET a = :v + :n', 'Incorrect operand type for operator or function; operator or function: +, operand type: S'],
      ['SET a = list_append(:v, b)', 'Incorrect operand type for operator or function; operator or function: list_append, operand type: S'],
      ['SET a = list_append(b)', 'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1'],
    ])('%j', async (expression, message) => {
      const all: Record<string, unknown> = { ':v': { S: 'x' }, ':w': { S: 'y' }, ':n': { N: '1' } };
      const used = Object.fromEntries(Object.entries(all).filter(([name]) => expression.includes(name)));
      await expectMessage('Update', expression, `Invalid UpdateExpression: ${message}`, Object.keys(used).length ? { ExpressionAttributeValues: used } : {});
    });

    it('refuses updates of key attributes', async () => {
      await expectValidation(db, 'UpdateItem', { TableName: 'exprs', Key: KEY, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'new' } } },
        'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
      await expectValidation(db, 'UpdateItem', { TableName: 'exprs', Key: KEY, UpdateExpression: 'REMOVE sk' },
        'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key');
    });
  });

  describe('key conditions', () => {
    const values = { ':a': { N: '1' }, ':b': { N: '2' }, ':s': { S: 'k' } };
    it.each([
      ['pk = :s OR sk = :a', 'Invalid operator used in KeyConditionExpression: OR'],
      ['NOT pk = :s', 'Invalid operator used in KeyConditionExpression: NOT'],
      ['pk IN (:s)', 'Invalid operator used in KeyConditionExpression: IN'],
      ['pk <> :s', 'Invalid operator used in KeyConditionExpression: <>'],
      ['attribute_exists(pk)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
      ['pk = :s AND size(sk) > :a', 'KeyConditionExpressions cannot contain nested operations'],
      [':a BETWEEN sk AND :b AND pk = :s', 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand'],
      ['pk = sk', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
      ['pk.x = :s', 'KeyConditionExpressions cannot have conditions on nested attributes'],
      [':a = :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
      ['pk = :s AND pk = :s', 'KeyConditionExpressions must only contain one condition per key'],
      ['sk = :a', 'Query condition missed key schema element: pk'],
      ['attr1 = :a', 'Query condition missed key schema element: pk'],
      ['pk = :s AND xyz = :a', 'Query condition missed key schema element: sk'],
      ['pk > :s', 'Query key condition not supported'],
      ['pk = :a', 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
      ['pk = :s AND sk = :s', 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
      ['pk = :s AND begins_with(sk, :a)', 'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
      ['pk = :s AND sk BETWEEN :b AND :a', 'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}'],
    ])('%j', async (expression, message) => {
      const used = Object.fromEntries(Object.entries(values).filter(([name]) => expression.includes(name)));
      const error = await db.fail('Query', { TableName: 'exprs', KeyConditionExpression: expression, ...(Object.keys(used).length ? { ExpressionAttributeValues: used } : {}) });
      expect(error.message).toBe(message);
    });

    it('turns "value op key" around', async () => {
      await db.ok('PutItem', { TableName: 'exprs', Item: { pk: { S: 'k' }, sk: { N: '5' } } });
      const result = await db.ok('Query', { TableName: 'exprs', KeyConditionExpression: ':s = pk AND :a < sk', ExpressionAttributeValues: { ':s': { S: 'k' }, ':a': { N: '1' } } });
      expect(result.Count).toBe(1);
    });
  });

  describe('projections', () => {
    it('refuses overlapping or conflicting paths', async () => {
      await expectMessage('Projection', 'a, a.b', 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]');
      await expectMessage('Projection', 'a.b, a[1]', 'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]');
      await expectMessage('Projection', '#a, #b', 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [x], path two: [x]', { ExpressionAttributeNames: { '#a': 'x', '#b': 'x' } });
    });
  });

  it('parses each distinct expression text once', () => {
    const cache = new ExpressionCache();
    const first = cache.condition('a = :v AND attribute_exists(#b)');
    expect(cache.condition('a = :v AND attribute_exists(#b)')).toBe(first);
    expect(cache.update('SET a = :v')).toBe(cache.update('SET a = :v'));
    expect(() => cache.projection('a,')).toThrow('Syntax error');
    expect(() => cache.projection('a,')).toThrow('Syntax error');
  });
});
