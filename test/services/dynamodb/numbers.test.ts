import { describe, expect, it } from 'vitest';
import { addNumbers, compareNumbers, normalizeNumber, numberSize } from '../../../src/services/dynamodb/values/numbers.js';
import { expectValidation, useDynamo } from './helpers.js';

describe('DynamoDB numbers', () => {
  it('normalises numbers as DynamoDB returns them', () => {
    const cases: [string, string][] = [
      ['1.50', '1.5'], ['001', '1'], ['-0', '0'], ['0.000', '0'], ['1E2', '100'], ['1.5e-3', '0.0015'], ['+7', '7'],
      ['.5', '0.5'], ['5.', '5'], ['-12.3400', '-12.34'], ['1E-130', `0.${'0'.repeat(129)}1`], ['123456789012345678901234567890.12345678', '123456789012345678901234567890.12345678'],
      ['9.9999999999999999999999999999999999999E+125', `99999999999999999999999999999999999999${'0'.repeat(88)}`],
    ];
    for (const [input, output] of cases) expect(normalizeNumber(input), input).toBe(output);
  });

  it('refuses what DynamoDB refuses, with its messages', () => {
    const refuse = (text: string, message: string) => expect(() => normalizeNumber(text), text).toThrow(message);
    refuse('', 'The parameter cannot be converted to a numeric value');
    refuse('abc', 'The parameter cannot be converted to a numeric value: abc');
    refuse('1..2', 'The parameter cannot be converted to a numeric value: 1..2');
    refuse(' 1', 'The parameter cannot be converted to a numeric value:  1');
    refuse('Infinity', 'The parameter cannot be converted to a numeric value: Infinity');
    refuse('123456789012345678901234567890123456789', 'Attempting to store more than 38 significant digits in a Number');
    refuse('1E+126', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
    refuse('-1E+126', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
    refuse('1E-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
    expect(normalizeNumber('1000000000000000000000000000000000000000000')).toBe('1' + '0'.repeat(42));
  });

  it('adds and subtracts exactly, far beyond floating point', () => {
    expect(addNumbers('0.1', '0.2')).toBe('0.3');
    expect(addNumbers('99999999999999999999999999999999999998', '1')).toBe('99999999999999999999999999999999999999');
    expect(addNumbers('1E+20', '1E-17')).toBe('100000000000000000000.00000000000000001');
    expect(addNumbers('-5.5', '5.5')).toBe('0');
    expect(addNumbers('10', '0.001', true)).toBe('9.999');
    expect(addNumbers('-1', '-2.25')).toBe('-3.25');
    expect(() => addNumbers('99999999999999999999999999999999999999', '0.1')).toThrow('Attempting to store more than 38 significant digits in a Number');
    expect(() => addNumbers('9E+125', '9E+125')).toThrow('Number overflow');
  });

  it('compares by value, not by text', () => {
    const sorted = ['-1E+10', '-100', '-99.9', '-1', '-0.001', '0', '1E-130', '0.5', '1', '1.0001', '9', '10', '1E+125'];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareNumbers)).toEqual(sorted);
    expect(compareNumbers('1.0', '1')).toBe(0);
  });

  it('sizes numbers by their significant digits', () => {
    expect(numberSize('0')).toBe(1);
    expect(numberSize('1')).toBe(2);
    expect(numberSize('12')).toBe(2);
    expect(numberSize('120')).toBe(3);
    expect(numberSize('123')).toBe(3);
    expect(numberSize('-1')).toBe(3);
    expect(numberSize('12345678901234567890123456789012345678')).toBe(20);
    expect(numberSize('123456789012345678901234567890123456780')).toBe(21);
  });

  describe('through the API', () => {
    const db = useDynamo();

    it('stores normalised numbers and rejects bad ones with the right context', async () => {
      await db.table('numbers');
      await db.ok('PutItem', { TableName: 'numbers', Item: { pk: { S: 'a' }, n: { N: '0010.500' }, ns: { NS: ['1.0', '2'] } } });
      expect((await db.ok('GetItem', { TableName: 'numbers', Key: { pk: { S: 'a' } } })).Item).toEqual({ pk: { S: 'a' }, n: { N: '10.5' }, ns: { NS: ['1', '2'] } });
      await expectValidation(db, 'PutItem', { TableName: 'numbers', Item: { pk: { S: 'a' }, n: { N: '1E+126' } } }, 'Number overflow. Attempting to store a number with magnitude larger than supported range');
      await expectValidation(db, 'PutItem', { TableName: 'numbers', Item: { pk: { S: 'a' }, ns: { NS: ['1', '1.0'] } } }, 'Input collection contains duplicates');
      await expectValidation(db, 'UpdateItem', { TableName: 'numbers', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET n = :v', ExpressionAttributeValues: { ':v': { N: 'x1' } } },
        'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x1 for key :v');
    });

    it('computes with 38 digits in update expressions', async () => {
      await db.table('numbers');
      await db.ok('PutItem', { TableName: 'numbers', Item: { pk: { S: 'a' }, n: { N: '12345678901234567890123456789012345678' } } });
      const updated = await db.ok('UpdateItem', { TableName: 'numbers', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET n = n - :d', ExpressionAttributeValues: { ':d': { N: '12345678901234567890123456789012345677' } }, ReturnValues: 'UPDATED_NEW' });
      expect(updated.Attributes).toEqual({ n: { N: '1' } });
      await db.ok('UpdateItem', { TableName: 'numbers', Key: { pk: { S: 'a' } }, UpdateExpression: 'ADD n :d', ExpressionAttributeValues: { ':d': { N: '0.000000000000000000000000000000000001' } } });
      expect((await db.ok('GetItem', { TableName: 'numbers', Key: { pk: { S: 'a' } } })).Item.n).toEqual({ N: '1.000000000000000000000000000000000001' });
    });
  });
});
