import { beforeEach, describe, expect, it } from 'vitest';
import { expectValidation, useDynamo } from './helpers.js';

const key = (id: string) => ({ pk: { S: id } });

describe('DynamoDB batches and transactions', () => {
  const db = useDynamo();
  beforeEach(async () => {
    await db.table('one');
    await db.table('two');
  });
  const get = async (table: string, id: string) => (await db.ok('GetItem', { TableName: table, Key: key(id) })).Item;

  describe('BatchWriteItem and BatchGetItem', () => {
    it('writes to several tables and reads back with projections', async () => {
      const written = await db.ok('BatchWriteItem', {
        RequestItems: {
          one: [{ PutRequest: { Item: { ...key('a'), v: { N: '1' }, w: { S: 'x' } } } }, { PutRequest: { Item: { ...key('b'), v: { N: '2' } } } }],
          two: [{ PutRequest: { Item: { ...key('c'), v: { N: '3' } } } }],
        },
      });
      expect(written).toEqual({ UnprocessedItems: {} });
      await db.ok('BatchWriteItem', { RequestItems: { one: [{ DeleteRequest: { Key: key('b') } }] } });
      const read = await db.ok('BatchGetItem', {
        RequestItems: {
          one: { Keys: [key('a'), key('b')], ProjectionExpression: '#w', ExpressionAttributeNames: { '#w': 'w' } },
          two: { Keys: [key('c')], ConsistentRead: true },
        },
        ReturnConsumedCapacity: 'TOTAL',
      });
      expect(read.Responses).toEqual({ one: [{ w: { S: 'x' } }], two: [{ ...key('c'), v: { N: '3' } }] });
      expect(read.UnprocessedKeys).toEqual({});
      expect(read.ConsumedCapacity).toEqual([{ TableName: 'one', CapacityUnits: 0.5, ReadCapacityUnits: 0.5 }, { TableName: 'two', CapacityUnits: 1, ReadCapacityUnits: 1 }]);
    });

    it('enforces batch limits and duplicate keys with DynamoDB messages', async () => {
      await expectValidation(db, 'BatchGetItem', { RequestItems: {} }, 'The requestItems parameter is required for BatchGetItem');
      await expectValidation(db, 'BatchWriteItem', { RequestItems: {} }, 'The requestItems parameter is required for BatchWriteItem');
      await expectValidation(db, 'BatchGetItem', { RequestItems: { one: { Keys: Array.from({ length: 101 }, (_, i) => key(`k${i}`)) } } },
        "1 validation error detected: Value at 'RequestItems.one.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
      await expectValidation(db, 'BatchGetItem', { RequestItems: { one: { Keys: Array.from({ length: 60 }, (_, i) => key(`k${i}`)) }, two: { Keys: Array.from({ length: 60 }, (_, i) => key(`k${i}`)) } } },
        'Too many items requested for the BatchGetItem call');
      await expectValidation(db, 'BatchGetItem', { RequestItems: { one: { Keys: [key('dup'), key('dup')] } } }, 'Provided list of item keys contains duplicates');
      await expectValidation(db, 'BatchWriteItem', { RequestItems: { one: [{ PutRequest: { Item: key('dup') } }, { DeleteRequest: { Key: key('dup') } }] } }, 'Provided list of item keys contains duplicates');
      const tooMany = await db.fail('BatchWriteItem', { RequestItems: { one: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: key(`k${i}`) } })) } });
      expect(tooMany.message).toMatch(/^1 validation error detected: Value '\{one=\[.+\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s);
      expect(await db.fail('BatchWriteItem', { RequestItems: { ghost: [{ PutRequest: { Item: key('a') } }] } })).toMatchObject({ type: 'ResourceNotFoundException', message: 'Requested resource not found' });
      expect(await get('one', 'k0')).toBeUndefined();
    });
  });

  describe('TransactWriteItems', () => {
    beforeEach(async () => {
      await db.ok('PutItem', { TableName: 'one', Item: { ...key('stock'), count: { N: '1' } } });
    });

    it('applies every action together', async () => {
      const result = await db.ok('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'two', Item: { ...key('order'), state: { S: 'new' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Update: { TableName: 'one', Key: key('stock'), UpdateExpression: 'SET #c = #c - :one', ConditionExpression: '#c >= :one', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':one': { N: '1' } } } },
          { ConditionCheck: { TableName: 'one', Key: key('absent'), ConditionExpression: 'attribute_not_exists(pk)' } },
          { Delete: { TableName: 'two', Key: key('never-there') } },
        ],
      });
      expect(result).toEqual({});
      expect(await get('two', 'order')).toEqual({ ...key('order'), state: { S: 'new' } });
      expect(await get('one', 'stock')).toEqual({ ...key('stock'), count: { N: '0' } });
    });

    it('cancels everything and reports a reason per action, in order', async () => {
      const failure = await db.fail('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'two', Item: key('order') } },
          { Update: { TableName: 'one', Key: key('stock'), UpdateExpression: 'SET #c = #c - :two', ConditionExpression: '#c >= :two', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':two': { N: '2' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          { ConditionCheck: { TableName: 'one', Key: key('stock'.toUpperCase()), ConditionExpression: 'attribute_exists(pk)' } },
        ],
      });
      expect(failure.type).toBe('TransactionCanceledException');
      expect(failure.body).toEqual({
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { ...key('stock'), count: { N: '1' } } },
          { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        ],
        Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]',
      });
      expect(await get('two', 'order')).toBeUndefined();
      expect(await get('one', 'stock')).toEqual({ ...key('stock'), count: { N: '1' } });
    });

    it('reports update errors and malformed keys as ValidationError reasons', async () => {
      const failure = await db.fail('TransactWriteItems', {
        TransactItems: [
          { Update: { TableName: 'one', Key: key('stock'), UpdateExpression: 'SET #c = #c + :s', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':s': { N: '1' } } } },
          { Update: { TableName: 'one', Key: key('x'), UpdateExpression: 'ADD sss :s', ExpressionAttributeValues: { ':s': { N: '1' } } } },
          { Put: { TableName: 'two', Item: { other: { S: 'no key' } } } },
        ],
      });
      expect(failure.body.CancellationReasons).toEqual([
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Missing the key pk in the item' },
      ]);
      await db.ok('PutItem', { TableName: 'one', Item: { ...key('text'), n: { S: 'not a number' } } });
      const typeError = await db.fail('TransactWriteItems', { TransactItems: [{ Update: { TableName: 'one', Key: key('text'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }] });
      expect(typeError.body.CancellationReasons).toEqual([{ Code: 'ValidationError', Message: 'An operand in the update expression has an incorrect data type' }]);
    });

    it('refuses malformed transactions as a whole', async () => {
      await expectValidation(db, 'TransactWriteItems', { TransactItems: [] }, "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
      await expectValidation(db, 'TransactWriteItems', { TransactItems: [{ Put: { TableName: 'one', Item: key('same') } }, { Delete: { TableName: 'one', Key: key('same') } }] },
        'Transaction request cannot include multiple operations on one item');
      await expectValidation(db, 'TransactWriteItems', { TransactItems: [{ Put: { TableName: 'one', Item: key('a') }, Delete: { TableName: 'one', Key: key('a') } }] },
        'TransactItems can only contain one of Check, Put, Update or Delete');
      const tooMany = await db.fail('TransactWriteItems', { TransactItems: Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: 'one', Item: key(`k${i}`) } })) });
      expect(tooMany.message).toMatch(/^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s);
      await expectValidation(db, 'TransactWriteItems', { TransactItems: [{ Update: { TableName: 'one', Key: key('a'), UpdateExpression: 'SET' } }] }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"');
      expect(await db.fail('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'ghost', Item: key('a') } }] })).toMatchObject({ type: 'ResourceNotFoundException', message: 'Requested resource not found' });
    });

    it('answers a repeated ClientRequestToken without writing again', async () => {
      const request = (value: string) => ({ ClientRequestToken: 'token-1', TransactItems: [{ Update: { TableName: 'one', Key: key('stock'), UpdateExpression: 'ADD #c :v', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':v': { N: value } } } }] });
      await db.ok('TransactWriteItems', request('5'));
      await db.ok('TransactWriteItems', request('5'));
      expect(await get('one', 'stock')).toEqual({ ...key('stock'), count: { N: '6' } });
      expect(await db.fail('TransactWriteItems', request('7'))).toMatchObject({ type: 'IdempotentParameterMismatchException' });
      await db.clock.advance(11 * 60 * 1000);
      await db.ok('TransactWriteItems', request('7'));
      expect(await get('one', 'stock')).toEqual({ ...key('stock'), count: { N: '13' } });
    });
  });

  describe('TransactGetItems', () => {
    it('reads items from several tables in order, projected', async () => {
      await db.ok('PutItem', { TableName: 'one', Item: { ...key('a'), v: { N: '1' }, w: { N: '2' } } });
      await db.ok('PutItem', { TableName: 'two', Item: { ...key('b'), v: { N: '3' } } });
      const result = await db.ok('TransactGetItems', {
        TransactItems: [
          { Get: { TableName: 'two', Key: key('b') } },
          { Get: { TableName: 'one', Key: key('missing') } },
          { Get: { TableName: 'one', Key: key('a'), ProjectionExpression: 'w' } },
        ],
      });
      expect(result).toEqual({ Responses: [{ Item: { ...key('b'), v: { N: '3' } } }, {}, { Item: { w: { N: '2' } } }] });
    });

    it('reports a malformed key as a cancellation reason', async () => {
      const failure = await db.fail('TransactGetItems', { TransactItems: [{ Get: { TableName: 'one', Key: {} } }] });
      expect(failure.type).toBe('TransactionCanceledException');
      expect(failure.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]');
      await expectValidation(db, 'TransactGetItems', { TransactItems: [{ Get: { TableName: 'one', Key: key('a'), ProjectionExpression: '!!!' } }] }, 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"');
    });
  });
});
