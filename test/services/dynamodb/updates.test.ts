import { beforeEach, describe, expect, it } from 'vitest';
import { expectValidation, useDynamo, type Json } from './helpers.js';

const KEY = { pk: { S: 'k' } };

describe('DynamoDB UpdateItem', () => {
  const db = useDynamo();
  beforeEach(async () => {
    await db.table('updates');
  });
  const update = (expression: string, values?: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Json> =>
    db.ok('UpdateItem', { TableName: 'updates', Key: KEY, UpdateExpression: expression, ExpressionAttributeValues: values, ReturnValues: 'ALL_NEW', ...extra }).then((r: Json) => r.Attributes);
  const seed = (item: Record<string, unknown>) => db.ok('PutItem', { TableName: 'updates', Item: { ...KEY, ...item } });

  it('creates the item from its key when it does not exist', async () => {
    expect(await update('SET a = :v', { ':v': { S: 'x' } })).toEqual({ ...KEY, a: { S: 'x' } });
    await db.ok('UpdateItem', { TableName: 'updates', Key: { pk: { S: 'bare' } } });
    expect((await db.ok('GetItem', { TableName: 'updates', Key: { pk: { S: 'bare' } } })).Item).toEqual({ pk: { S: 'bare' } });
  });

  it('does arithmetic, if_not_exists and list_append, reading the item as it was', async () => {
    await seed({ n: { N: '10' }, l: { L: [{ N: '1' }] }, a: { S: 'A' }, b: { S: 'B' } });
    const result = await update('SET n = n - :one, m = if_not_exists(m, :zero) + :one, l = list_append(:front, l), a = b, b = a, c = if_not_exists(n, :zero)',
      { ':one': { N: '1' }, ':zero': { N: '0' }, ':front': { L: [{ S: 'f' }] } });
    expect(result).toEqual({ ...KEY, n: { N: '9' }, m: { N: '1' }, l: { L: [{ S: 'f' }, { N: '1' }] }, a: { S: 'B' }, b: { S: 'A' }, c: { N: '10' } });
    expect(await update('SET l = list_append(l, :more)', { ':more': { L: [{ BOOL: true }] } })).toMatchObject({ l: { L: [{ S: 'f' }, { N: '1' }, { BOOL: true }] } });
  });

  it('sets and removes nested map entries and list elements', async () => {
    await seed({ m: { M: { nest: { M: { x: { N: '1' } } } } }, l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] } });
    expect(await update('SET m.nest.y = :v, l[1] = :v, l[10] = :end', { ':v': { S: 'new' }, ':end': { S: 'end' } })).toMatchObject({
      m: { M: { nest: { M: { x: { N: '1' }, y: { S: 'new' } } } } },
      l: { L: [{ S: 'a' }, { S: 'new' }, { S: 'c' }, { S: 'd' }, { S: 'end' }] },
    });
    expect(await update('REMOVE l[0], l[2], m.nest.x, m.absent, l[9]')).toMatchObject({ m: { M: { nest: { M: { y: { S: 'new' } } } } }, l: { L: [{ S: 'new' }, { S: 'd' }, { S: 'end' }] } });
  });

  it('adds to numbers and sets and deletes from sets', async () => {
    await seed({ n: { N: '1.5' }, s: { SS: ['a'] }, ns: { NS: ['1', '2'] } });
    expect(await update('ADD n :two, s :more, fresh :two, freshset :set DELETE ns :one', { ':two': { N: '2' }, ':more': { SS: ['a', 'b'] }, ':set': { BS: ['AA=='] }, ':one': { NS: ['1.0'] } })).toEqual({
      ...KEY, n: { N: '3.5' }, s: { SS: ['a', 'b'] }, fresh: { N: '2' }, freshset: { BS: ['AA=='] }, ns: { NS: ['2'] },
    });
    expect(await update('DELETE ns :two, nothing :two', { ':two': { NS: ['2'] } })).toEqual({ ...KEY, n: { N: '3.5' }, s: { SS: ['a', 'b'] }, fresh: { N: '2' }, freshset: { BS: ['AA=='] } });
  });

  it('refuses type errors and missing operands with DynamoDB messages', async () => {
    await seed({ s: { S: 'text' }, m: { M: {} }, l: { L: [] }, ss: { SS: ['a'] } });
    const base = { TableName: 'updates', Key: KEY };
    await expectValidation(db, 'UpdateItem', { ...base, UpdateExpression: 'SET n = s + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }, 'An operand in the update expression has an incorrect data type');
    await expectValidation(db, 'UpdateItem', { ...base, UpdateExpression: 'SET n = absent + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }, 'The provided expression refers to an attribute that does not exist in the item');
    await expectValidation(db, 'UpdateItem', { ...base, UpdateExpression: 'SET x = list_append(s, :l)', ExpressionAttributeValues: { ':l': { L: [] } } }, 'An operand in the update expression has an incorrect data type');
    await expectValidation(db, 'UpdateItem', { ...base, UpdateExpression: 'ADD s :one', ExpressionAttributeValues: { ':one': { N: '1' } } }, 'An operand in the update expression has an incorrect data type');
    await expectValidation(db, 'UpdateItem', { ...base, UpdateExpression: 'ADD ss :n', ExpressionAttributeValues: { ':n': { NS: ['1'] } } }, 'An operand in the update expression has an incorrect data type');
    await expectValidation(db, 'UpdateItem', { ...base, UpdateExpression: 'SET absent.x = :one', ExpressionAttributeValues: { ':one': { N: '1' } } }, 'The document path provided in the update expression is invalid for update');
    await expectValidation(db, 'UpdateItem', { ...base, UpdateExpression: 'SET s.x = :one', ExpressionAttributeValues: { ':one': { N: '1' } } }, 'The document path provided in the update expression is invalid for update');
    await expectValidation(db, 'UpdateItem', { ...base, UpdateExpression: 'SET m[0] = :one', ExpressionAttributeValues: { ':one': { N: '1' } } }, 'The document path provided in the update expression is invalid for update');
    expect((await db.ok('GetItem', { TableName: 'updates', Key: KEY })).Item).toEqual({ ...KEY, s: { S: 'text' }, m: { M: {} }, l: { L: [] }, ss: { SS: ['a'] } });
  });

  it('returns UPDATED_OLD and UPDATED_NEW as the updated paths', async () => {
    await seed({ a: { N: '1' }, m: { M: { x: { N: '1' }, y: { N: '2' } } }, gone: { S: 'bye' } });
    const values = { ':v': { N: '5' } };
    const old = await db.ok('UpdateItem', { TableName: 'updates', Key: KEY, UpdateExpression: 'SET a = :v, m.x = :v REMOVE gone', ExpressionAttributeValues: values, ReturnValues: 'UPDATED_OLD' });
    expect(old.Attributes).toEqual({ a: { N: '1' }, m: { M: { x: { N: '1' } } }, gone: { S: 'bye' } });
    const next = await db.ok('UpdateItem', { TableName: 'updates', Key: KEY, UpdateExpression: 'SET b = :v REMOVE a', ExpressionAttributeValues: values, ReturnValues: 'UPDATED_NEW' });
    expect(next.Attributes).toEqual({ b: { N: '5' } });
    expect(await db.ok('UpdateItem', { TableName: 'updates', Key: KEY, UpdateExpression: 'REMOVE b', ReturnValues: 'UPDATED_NEW' })).toEqual({});
    const all = await db.ok('UpdateItem', { TableName: 'updates', Key: KEY, UpdateExpression: 'SET c = :v', ExpressionAttributeValues: values, ReturnValues: 'ALL_OLD' });
    expect(all.Attributes).toEqual({ ...KEY, m: { M: { x: { N: '5' }, y: { N: '2' } } } });
  });

  it('supports the legacy AttributeUpdates', async () => {
    await seed({ n: { N: '1' }, s: { SS: ['a', 'b'] }, l: { L: [{ S: 'x' }] }, gone: { S: 'x' } });
    const result = await db.ok('UpdateItem', {
      TableName: 'updates',
      Key: KEY,
      AttributeUpdates: { n: { Action: 'ADD', Value: { N: '2' } }, s: { Action: 'DELETE', Value: { SS: ['a'] } }, l: { Action: 'ADD', Value: { L: [{ S: 'y' }] } }, gone: { Action: 'DELETE' }, put: { Value: { S: 'p' } } },
      ReturnValues: 'ALL_NEW',
    });
    expect(result.Attributes).toEqual({ ...KEY, n: { N: '3' }, s: { SS: ['b'] }, l: { L: [{ S: 'x' }, { S: 'y' }] }, put: { S: 'p' } });
    await expectValidation(db, 'UpdateItem', { TableName: 'updates', Key: KEY, AttributeUpdates: { x: { Action: 'PUT' } } }, 'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified');
    await expectValidation(db, 'UpdateItem', { TableName: 'updates', Key: KEY, AttributeUpdates: { x: { Action: 'ADD', Value: { S: 'x' } } } }, 'One or more parameter values were invalid: ADD action is not supported for the type S');
  });

  it('keeps index keys valid on updates', async () => {
    await db.ok('CreateTable', {
      TableName: 'indexed',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await expectValidation(db, 'UpdateItem', { TableName: 'indexed', Key: KEY, UpdateExpression: 'SET g = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }, 'The update expression attempted to update the secondary index key to unsupported type');
    await expectValidation(db, 'PutItem', { TableName: 'indexed', Item: { ...KEY, g: { N: '1' } } }, 'One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: byG');
    await expectValidation(db, 'PutItem', { TableName: 'indexed', Item: { ...KEY, g: { S: '' } } },
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byG, IndexKey: g');
  });
});
