import { beforeEach, describe, expect, it } from 'vitest';
import { expectValidation, useDynamo } from './helpers.js';

const KEY = { pk: { S: 'k' }, sk: { N: '1' } };

describe('DynamoDB items', () => {
  const db = useDynamo();
  beforeEach(async () => {
    await db.table('items', { sk: 'N' });
  });
  const get = async (key: unknown = KEY) => (await db.ok('GetItem', { TableName: 'items', Key: key, ConsistentRead: true })).Item;

  describe('PutItem and GetItem', () => {
    it('stores every attribute type and answers the CRC32 of the body', async () => {
      const item = {
        ...KEY,
        s: { S: 'text é ✓' }, n: { N: '-12.5' }, b: { B: 'AAEC' }, t: { BOOL: true }, z: { NULL: true },
        m: { M: { inner: { L: [{ S: 'a' }, { N: '1' }, { M: {} }] } } }, l: { L: [] },
        ss: { SS: ['x', 'y'] }, ns: { NS: ['3', '1'] }, bs: { BS: ['AA==', 'AQ=='] }, empty: { S: '' }, nothing: { B: '' },
      };
      expect(await db.ok('PutItem', { TableName: 'items', Item: item })).toEqual({});
      expect(await get()).toEqual(item);
      const { headers, body } = await db.call('GetItem', { TableName: 'items', Key: KEY });
      const { crc32 } = await import('node:zlib');
      expect(headers['x-amz-crc32']).toBe(String(crc32(Buffer.from(JSON.stringify(body)))));
      expect(await db.ok('GetItem', { TableName: 'items', Key: { pk: { S: 'none' }, sk: { N: '1' } } })).toEqual({});
    });

    it('returns the old item with ALL_OLD and refuses other ReturnValues', async () => {
      expect(await db.ok('PutItem', { TableName: 'items', Item: { ...KEY, v: { N: '1' } }, ReturnValues: 'ALL_OLD' })).toEqual({});
      expect(await db.ok('PutItem', { TableName: 'items', Item: { ...KEY, v: { N: '2' } }, ReturnValues: 'ALL_OLD' })).toEqual({ Attributes: { ...KEY, v: { N: '1' } } });
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: KEY, ReturnValues: 'ALL_NEW' }, 'ReturnValues can only be ALL_OLD or NONE');
    });

    it('projects nested paths and list elements', async () => {
      await db.ok('PutItem', { TableName: 'items', Item: { ...KEY, a: { M: { b: { L: [{ S: '0' }, { M: { c: { S: 'deep' }, d: { S: 'no' } } }, { S: '2' }, { S: '3' }] }, e: { S: 'e' } } }, f: { S: 'f' } } });
      const projected = await db.ok('GetItem', { TableName: 'items', Key: KEY, ProjectionExpression: 'a.b[1].c, a.b[3], f, absent' });
      expect(projected.Item).toEqual({ a: { M: { b: { L: [{ M: { c: { S: 'deep' } } }, { S: '3' }] } } }, f: { S: 'f' } });
      const legacy = await db.ok('GetItem', { TableName: 'items', Key: KEY, AttributesToGet: ['f', 'sk'] });
      expect(legacy.Item).toEqual({ f: { S: 'f' }, sk: { N: '1' } });
      await expectValidation(db, 'GetItem', { TableName: 'items', Key: KEY, AttributesToGet: ['f', 'f'] }, 'One or more parameter values were invalid: Duplicate value in attribute name: f');
    });

    it('validates keys and items with DynamoDB messages', async () => {
      await expectValidation(db, 'GetItem', { TableName: 'items', Key: { pk: { S: 'k' } } }, 'The provided key element does not match the schema');
      await expectValidation(db, 'GetItem', { TableName: 'items', Key: { pk: { S: 'k' }, sk: { S: '1' } } }, 'The provided key element does not match the schema');
      await expectValidation(db, 'GetItem', { TableName: 'items', Key: { pk: { S: '' }, sk: { N: '1' } } }, 'One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { pk: { S: 'k' } } }, 'One or more parameter values were invalid: Missing the key sk in the item');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { pk: { N: '1' }, sk: { N: '1' } } }, 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { pk: { S: '' }, sk: { N: '1' } } }, 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { pk: { S: 'x'.repeat(2049) }, sk: { N: '1' } } }, 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, bad: { SS: [] } } }, 'One or more parameter values were invalid: An string set  may not be empty');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, bad: { NS: [] } } }, 'One or more parameter values were invalid: An number set  may not be empty');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, bad: { BS: [] } } }, 'One or more parameter values were invalid: Binary sets should not be empty');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, bad: { SS: ['a', 'a'] } } }, 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, bad: { NULL: false } } }, 'One or more parameter values were invalid: Null attribute value types must have the value of true');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, bad: {} } }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, bad: { S: 'a', N: '1' } } }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, m: { M: { inner: { L: [{ SS: [] }] } } } } }, 'One or more parameter values were invalid: An string set  may not be empty');
    });

    it('measures items as DynamoDB does against the 400 KB limit', async () => {
      // pk (2 + 1 bytes), sk (2 + 2 bytes for the number 1) and the name "data" (4 bytes) leave 409589 for the string.
      await db.ok('PutItem', { TableName: 'items', Item: { ...KEY, data: { S: 'x'.repeat(409_589) } } });
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, data: { S: 'x'.repeat(409_590) } } }, 'Item size has exceeded the maximum allowed size');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: { ...KEY, nested: { M: { level: { M: { payload: { S: 'é'.repeat(205_000) } } } } } } }, 'Item size has exceeded the maximum allowed size');
      await db.ok('PutItem', { TableName: 'items', Item: { ...KEY, data: { S: 'x'.repeat(300_000) } } });
      await expectValidation(db, 'UpdateItem', { TableName: 'items', Key: KEY, UpdateExpression: 'SET more = :v', ExpressionAttributeValues: { ':v': { S: 'x'.repeat(200_000) } } }, 'Item size to update has exceeded the maximum allowed size');
    });

    it('answers errors as DynamoDB does: types, missing tables, serialization and unknown operations', async () => {
      expect(await db.fail('GetItem', { TableName: 'nothing', Key: KEY })).toMatchObject({ type: 'ResourceNotFoundException', message: 'Requested resource not found' });
      const notFound = await db.call('GetItem', { TableName: 'nothing', Key: KEY });
      expect(notFound.body.__type).toBe('com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
      const missing = await db.call('PutItem', { Item: KEY });
      expect(missing.body).toEqual({ __type: 'com.amazon.coral.validate#ValidationException', message: "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null" });
      await expectValidation(db, 'PutItem', { TableName: '', Item: KEY }, "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1");
      await expectValidation(db, 'PutItem', { TableName: 'a'.repeat(256), Item: KEY }, `1 validation error detected: Value '${'a'.repeat(256)}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`);
      await expectValidation(db, 'PutItem', { TableName: 'bad table!@#', Item: KEY }, "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
      const both = await db.fail('UpdateItem', { TableName: 'items', Key: KEY, ReturnValues: 'INVALID', ReturnConsumedCapacity: 'INVALID' });
      // DynamoDB lists ReturnValues in its own order, not the model's (dynalite's test/updateItem.js, recorded against DynamoDB).
      expect(both.message).toBe("2 validation errors detected: Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
      const serialization = await db.call('PutItem', { TableName: 5, Item: KEY });
      expect(serialization.body).toEqual({ __type: 'com.amazon.coral.service#SerializationException', Message: 'NUMBER_VALUE cannot be converted to String' });
      const garbage = await db.call('PutItem', '{not json');
      expect(garbage.body.__type).toBe('com.amazon.coral.service#SerializationException');
      const unknown = await db.call('DescribeContributorInsights', { TableName: 'items' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.__type).toBe('com.amazon.coral.service#UnknownOperationException');
    });
  });

  describe('conditions', () => {
    beforeEach(async () => {
      await db.ok('PutItem', {
        TableName: 'items',
        Item: { ...KEY, name: { S: 'Widget' }, price: { N: '10' }, tags: { SS: ['red', 'blue'] }, codes: { NS: ['1', '2'] }, parts: { L: [{ S: 'a' }, { N: '2' }] }, blob: { B: 'AQID' }, info: { M: { color: { S: 'red' } } }, flag: { BOOL: false } },
      });
    });
    const holds = async (expression: string, values?: Record<string, unknown>, names?: Record<string, string>) => {
      const result = await db.call('DeleteItem', { TableName: 'items', Key: KEY, ConditionExpression: expression, ExpressionAttributeValues: values, ExpressionAttributeNames: names, ReturnValues: 'ALL_OLD' });
      if (result.status === 200) await db.ok('PutItem', { TableName: 'items', Item: result.body.Attributes });
      else expect(result.body, expression).toMatchObject({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException' });
      return result.status === 200;
    };

    it('evaluates comparators, BETWEEN, IN and AND/OR/NOT with precedence', async () => {
      const names = { '#n': 'name', '#p': 'price' };
      expect(await holds('#n = :v', { ':v': { S: 'Widget' } }, { '#n': 'name' })).toBe(true);
      expect(await holds('#n <> :v', { ':v': { S: 'Widget' } }, { '#n': 'name' })).toBe(false);
      expect(await holds('#p < :v', { ':v': { N: '10.5' } }, { '#p': 'price' })).toBe(true);
      expect(await holds('#p >= :v', { ':v': { N: '1E1' } }, { '#p': 'price' })).toBe(true);
      expect(await holds('#p > :v', { ':v': { S: '1' } }, { '#p': 'price' })).toBe(false);
      expect(await holds('absent <> :v', { ':v': { S: 'x' } })).toBe(true);
      expect(await holds('absent = :v', { ':v': { S: 'x' } })).toBe(false);
      expect(await holds('#p BETWEEN :a AND :b', { ':a': { N: '9.99' }, ':b': { N: '10' } }, { '#p': 'price' })).toBe(true);
      expect(await holds('#n IN (:a, :b)', { ':a': { S: 'x' }, ':b': { S: 'Widget' } }, { '#n': 'name' })).toBe(true);
      expect(await holds('#n = :x OR #p = :p AND NOT #n = :x', { ':x': { S: 'nope' }, ':p': { N: '10' } }, names)).toBe(true);
      expect(await holds('(#n = :x OR #p = :p) AND #n = :x', { ':x': { S: 'nope' }, ':p': { N: '10' } }, names)).toBe(false);
      expect(await holds('NOT #n = :x AND #p = :p', { ':x': { S: 'nope' }, ':p': { N: '10' } }, names)).toBe(true);
      expect(await holds('tags = :t', { ':t': { SS: ['blue', 'red'] } })).toBe(true);
      expect(await holds('info = :m', { ':m': { M: { color: { S: 'red' } } } })).toBe(true);
      expect(await holds('parts = :l', { ':l': { L: [{ N: '2' }, { S: 'a' }] } })).toBe(false);
    });

    it('evaluates the functions', async () => {
      expect(await holds('attribute_exists(info.color) AND attribute_not_exists(info.width)')).toBe(true);
      expect(await holds('attribute_type(tags, :t)', { ':t': { S: 'SS' } })).toBe(true);
      expect(await holds('attribute_type(flag, :t)', { ':t': { S: 'S' } })).toBe(false);
      expect(await holds('begins_with(#n, :p)', { ':p': { S: 'Wid' } }, { '#n': 'name' })).toBe(true);
      expect(await holds('begins_with(#b, :p)', { ':p': { B: 'AQ==' } }, { '#b': 'blob' })).toBe(true);
      expect(await holds('contains(#n, :p)', { ':p': { S: 'dge' } }, { '#n': 'name' })).toBe(true);
      expect(await holds('contains(tags, :p)', { ':p': { S: 'red' } })).toBe(true);
      expect(await holds('contains(codes, :p)', { ':p': { N: '2.0' } })).toBe(true);
      expect(await holds('contains(parts, :p)', { ':p': { N: '2' } })).toBe(true);
      expect(await holds('contains(tags, :p)', { ':p': { S: 'green' } })).toBe(false);
      expect(await holds('size(#n) = :six AND size(tags) = :two AND size(parts) = :two AND size(info) = :one AND size(#b) = :three',
        { ':six': { N: '6' }, ':two': { N: '2' }, ':one': { N: '1' }, ':three': { N: '3' } }, { '#n': 'name', '#b': 'blob' })).toBe(true);
      expect(await holds('size(flag) > :zero', { ':zero': { N: '0' } })).toBe(false);
      expect(await holds('parts[1] = :two AND info.color = :red', { ':two': { N: '2' }, ':red': { S: 'red' } })).toBe(true);
    });

    it('fails a conditional write with the item when asked, and never changes anything', async () => {
      const failure = await db.fail('UpdateItem', { TableName: 'items', Key: KEY, UpdateExpression: 'SET price = :p', ConditionExpression: 'price > :p', ExpressionAttributeValues: { ':p': { N: '100' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
      expect(failure.type).toBe('ConditionalCheckFailedException');
      expect(failure.message).toBe('The conditional request failed');
      expect(failure.body.Item.price).toEqual({ N: '10' });
      const quiet = await db.fail('PutItem', { TableName: 'items', Item: KEY, ConditionExpression: 'attribute_not_exists(pk)' });
      expect(quiet.body).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' });
      expect((await get()).price).toEqual({ N: '10' });
      const absent = await db.fail('DeleteItem', { TableName: 'items', Key: { pk: { S: 'none' }, sk: { N: '1' } }, ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
      expect(absent.body.Item).toBeUndefined();
    });

    it('supports the legacy Expected parameter', async () => {
      await db.ok('PutItem', { TableName: 'items', Item: { ...KEY, v: { N: '1' } }, Expected: { pk: { Exists: true, Value: { S: 'k' } } } });
      expect((await db.fail('PutItem', { TableName: 'items', Item: KEY, Expected: { pk: { Exists: false } } })).type).toBe('ConditionalCheckFailedException');
      await db.ok('PutItem', { TableName: 'items', Item: { ...KEY, v: { N: '2' } }, Expected: { v: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '5' }] }, w: { ComparisonOperator: 'NULL' } } });
      await db.ok('PutItem', { TableName: 'items', Item: KEY, Expected: { v: { ComparisonOperator: 'EQ', Value: { N: '999' } }, pk: { ComparisonOperator: 'NOT_NULL' } }, ConditionalOperator: 'OR' });
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: KEY, Expected: { v: { Exists: false, Value: { N: '1' } } } }, 'One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: v');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: KEY, Expected: { v: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } } }, 'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator');
      await expectValidation(db, 'PutItem', { TableName: 'items', Item: KEY, Expected: { v: {} } }, 'One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: v');
    });
  });

  it('treats attribute names like "constructor" and "__proto__" as plain names', async () => {
    const body = `{"TableName":"items","Item":{"pk":{"S":"k"},"sk":{"N":"1"},"__proto__":{"S":"p"},"toString":{"N":"1"}}}`;
    expect((await db.call('PutItem', body)).status).toBe(200);
    const got = await db.call('GetItem', { TableName: 'items', Key: KEY, ProjectionExpression: '#p, toString, #c', ExpressionAttributeNames: { '#p': '__proto__', '#c': 'constructor' } });
    expect(JSON.stringify(got.body)).toBe('{"Item":{"__proto__":{"S":"p"},"toString":{"N":"1"}}}');
    const absent = await db.call('PutItem', { TableName: 'items', Item: KEY, ConditionExpression: 'attribute_exists(#c)', ExpressionAttributeNames: { '#c': 'constructor' } });
    expect(absent.body.__type).toContain('ConditionalCheckFailedException');
    const unknown = await db.call('toString', {});
    expect(unknown.body.__type).toBe('com.amazon.coral.service#UnknownOperationException');
  });

  describe('DeleteItem', () => {
    it('deletes, returns the old item, and is quiet about absent items', async () => {
      await db.ok('PutItem', { TableName: 'items', Item: { ...KEY, v: { S: 'x' } } });
      expect(await db.ok('DeleteItem', { TableName: 'items', Key: KEY, ReturnValues: 'ALL_OLD' })).toEqual({ Attributes: { ...KEY, v: { S: 'x' } } });
      expect(await db.ok('DeleteItem', { TableName: 'items', Key: KEY, ReturnValues: 'ALL_OLD' })).toEqual({});
      expect(await get()).toBeUndefined();
    });

    it('reports consumed capacity and item collection metrics when asked', async () => {
      await db.ok('PutItem', { TableName: 'items', Item: { ...KEY, big: { S: 'x'.repeat(3000) } } });
      const result = await db.ok('DeleteItem', { TableName: 'items', Key: KEY, ReturnConsumedCapacity: 'TOTAL' });
      expect(result.ConsumedCapacity).toEqual({ TableName: 'items', CapacityUnits: 3, WriteCapacityUnits: 3 });
      const read = await db.ok('GetItem', { TableName: 'items', Key: KEY, ReturnConsumedCapacity: 'INDEXES' });
      expect(read.ConsumedCapacity).toEqual({ TableName: 'items', CapacityUnits: 0.5, ReadCapacityUnits: 0.5, Table: { CapacityUnits: 0.5, ReadCapacityUnits: 0.5 } });
    });
  });
});
