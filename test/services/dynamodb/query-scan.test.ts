import { beforeEach, describe, expect, it } from 'vitest';
import { expectValidation, useDynamo, type DynamoHarness, type Json } from './helpers.js';

async function queryAll(db: DynamoHarness, input: Record<string, unknown>): Promise<{ items: Json[]; pages: number }> {
  const items: Json[] = [];
  let pages = 0;
  let start: Json;
  do {
    const page = await db.ok('Query', { ...input, ExclusiveStartKey: start });
    items.push(...(page.Items ?? []));
    pages++;
    start = page.LastEvaluatedKey;
  } while (start);
  return { items, pages };
}

describe('DynamoDB Query and Scan', () => {
  const db = useDynamo();

  describe('key order and key conditions', () => {
    it('orders number, string and binary sort keys as DynamoDB does', async () => {
      await db.table('nums', { sk: 'N' });
      const numbers = ['-1E+20', '-3.5', '-1', '-0.25', '0', '0.000001', '1', '2', '10', '10.5', '100', '1E+30'];
      for (const n of [...numbers].reverse()) await db.ok('PutItem', { TableName: 'nums', Item: { pk: { S: 'p' }, sk: { N: n } } });
      const up = await db.ok('Query', { TableName: 'nums', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } });
      expect(up.Items.map((i: Json) => i.sk.N)).toEqual(['-100000000000000000000', '-3.5', '-1', '-0.25', '0', '0.000001', '1', '2', '10', '10.5', '100', '1000000000000000000000000000000']);
      const down = await db.ok('Query', { TableName: 'nums', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ScanIndexForward: false, Limit: 3 });
      expect(down.Items.map((i: Json) => i.sk.N)).toEqual(['1000000000000000000000000000000', '100', '10.5']);

      await db.table('strs', { sk: 'S' });
      const strings = ['A', 'Z', 'a', 'z', '\u00e9', '\uff5e', '\u{1f600}'];
      for (const s of [...strings].reverse()) await db.ok('PutItem', { TableName: 'strs', Item: { pk: { S: 'p' }, sk: { S: s } } });
      const ordered = await db.ok('Query', { TableName: 'strs', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } });
      expect(ordered.Items.map((i: Json) => i.sk.S)).toEqual(strings);

      await db.table('bins', { sk: 'B' });
      const blobs = [[0], [0, 1], [1], [127], [128], [255]].map((b) => Buffer.from(b).toString('base64'));
      for (const b of [...blobs].reverse()) await db.ok('PutItem', { TableName: 'bins', Item: { pk: { S: 'p' }, sk: { B: b } } });
      const bytes = await db.ok('Query', { TableName: 'bins', KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)', ExpressionAttributeValues: { ':p': { S: 'p' }, ':b': { B: 'AA==' } } });
      expect(bytes.Items.map((i: Json) => i.sk.B)).toEqual(blobs.slice(0, 2));
    });

    it('applies every sort key condition', async () => {
      await db.table('keys', { sk: 'S' });
      for (const sk of ['a', 'ab', 'abc', 'b', 'ba', 'c']) await db.ok('PutItem', { TableName: 'keys', Item: { pk: { S: 'p' }, sk: { S: sk } } });
      const run = async (condition: string, values: Record<string, unknown>) => {
        const result = await db.ok('Query', { TableName: 'keys', KeyConditionExpression: `pk = :p AND ${condition}`, ExpressionAttributeValues: { ':p': { S: 'p' }, ...values } });
        return result.Items.map((i: Json) => i.sk.S);
      };
      expect(await run('sk = :v', { ':v': { S: 'ab' } })).toEqual(['ab']);
      expect(await run('sk < :v', { ':v': { S: 'ab' } })).toEqual(['a']);
      expect(await run('sk <= :v', { ':v': { S: 'ab' } })).toEqual(['a', 'ab']);
      expect(await run('sk > :v', { ':v': { S: 'b' } })).toEqual(['ba', 'c']);
      expect(await run('sk >= :v', { ':v': { S: 'b' } })).toEqual(['b', 'ba', 'c']);
      expect(await run('sk BETWEEN :a AND :b', { ':a': { S: 'ab' }, ':b': { S: 'b' } })).toEqual(['ab', 'abc', 'b']);
      expect(await run('begins_with(sk, :v)', { ':v': { S: 'ab' } })).toEqual(['ab', 'abc']);
      const legacy = await db.ok('Query', { TableName: 'keys', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'b' }] } } });
      expect(legacy.Items.map((i: Json) => i.sk.S)).toEqual(['b', 'ba']);
    });
  });

  describe('paging, limits and filters', () => {
    beforeEach(async () => {
      await db.table('pages', { sk: 'N' });
      for (let n = 1; n <= 10; n++) await db.ok('PutItem', { TableName: 'pages', Item: { pk: { S: 'p' }, sk: { N: String(n) }, even: { BOOL: n % 2 === 0 }, parity: { N: String(n % 2) } } });
    });
    const base = { TableName: 'pages', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } };

    it('pages with Limit, returning LastEvaluatedKey whenever the limit is reached', async () => {
      const { items, pages } = await queryAll(db, { ...base, Limit: 5 });
      expect(items.map((i) => i.sk.N)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      expect(pages).toBe(3);
      const last = await db.ok('Query', { ...base, Limit: 5, ExclusiveStartKey: { pk: { S: 'p' }, sk: { N: '5' } } });
      expect(last.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: '10' } });
      const none = await db.ok('Query', { ...base, ExclusiveStartKey: { pk: { S: 'p' }, sk: { N: '10' } } });
      expect(none).toEqual({ Items: [], Count: 0, ScannedCount: 0 });
    });

    it('filters after the limit and counts both', async () => {
      const result = await db.ok('Query', { ...base, FilterExpression: 'even = :t', ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } }, Limit: 3 });
      expect(result).toEqual({ Items: [{ pk: { S: 'p' }, sk: { N: '2' }, even: { BOOL: true }, parity: { N: '0' } }], Count: 1, ScannedCount: 3, LastEvaluatedKey: { pk: { S: 'p' }, sk: { N: '3' } } });
      const counted = await db.ok('Query', { ...base, FilterExpression: 'even = :t', ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } }, Select: 'COUNT' });
      expect(counted).toEqual({ Count: 5, ScannedCount: 10 });
      const legacy = await db.ok('Query', { TableName: 'pages', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } }, QueryFilter: { parity: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } }, AttributesToGet: ['sk'] });
      expect(legacy.Items).toEqual([1, 3, 5, 7, 9].map((n) => ({ sk: { N: String(n) } })));
      await expectValidation(db, 'Query', { ...base, FilterExpression: 'sk > :n', ExpressionAttributeValues: { ':p': { S: 'p' }, ':n': { N: '1' } } }, 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk');
    });

    it('checks the start key against the schema and the query', async () => {
      await expectValidation(db, 'Query', { ...base, ExclusiveStartKey: { pk: { S: 'p' } } }, 'The provided starting key is invalid');
      await expectValidation(db, 'Query', { ...base, ExclusiveStartKey: { pk: { S: 'p' }, sk: { S: '1' } } }, 'The provided starting key is invalid: The provided key element does not match the schema');
      await expectValidation(db, 'Query', { ...base, ExclusiveStartKey: { pk: { S: 'q' }, sk: { N: '1' } } }, 'The provided starting key is outside query boundaries based on provided conditions');
      await expectValidation(db, 'Query', { ...base, KeyConditionExpression: 'pk = :p AND sk > :n', ExpressionAttributeValues: { ':p': { S: 'p' }, ':n': { N: '5' } }, ExclusiveStartKey: { pk: { S: 'p' }, sk: { N: '1' } } },
        'The provided starting key does not match the range key predicate');
    });

    it('validates Limit, Select and the key condition parameters', async () => {
      await expectValidation(db, 'Query', { ...base, Limit: 0 }, "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
      await expectValidation(db, 'Scan', { TableName: 'pages', Limit: 0 }, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
      await expectValidation(db, 'Query', { ...base, Select: 'INVALID_VALUE' }, "1 validation error detected: Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
      await expectValidation(db, 'Query', { ...base, Select: 'SPECIFIC_ATTRIBUTES' }, '1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
      await expectValidation(db, 'Query', { ...base, Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'sk' }, 'Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES');
      await expectValidation(db, 'Query', { ...base, Select: 'COUNT', ProjectionExpression: 'sk' }, 'Cannot specify the ProjectionExpression when choosing to get only the Count');
      await expectValidation(db, 'Query', { ...base, Select: 'ALL_PROJECTED_ATTRIBUTES' }, 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
      await expectValidation(db, 'Query', { TableName: 'pages' }, 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
      await expectValidation(db, 'Query', { ...base, IndexName: 'whatever' }, 'The table does not have the specified index: whatever');
    });
  });

  describe('secondary indexes', () => {
    beforeEach(async () => {
      await db.ok('CreateTable', {
        TableName: 'idx',
        AttributeDefinitions: ['pk', 'sk', 'g', 'r', 'l'].map((name) => ({ AttributeName: name, AttributeType: name === 'r' ? 'N' : 'S' })),
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        GlobalSecondaryIndexes: [
          { IndexName: 'keysOnly', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'r', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
          { IndexName: 'include', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['extra'] } },
        ],
        LocalSecondaryIndexes: [{ IndexName: 'local', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        BillingMode: 'PAY_PER_REQUEST',
      });
      for (let i = 1; i <= 6; i++) {
        await db.ok('PutItem', { TableName: 'idx', Item: { pk: { S: `p${i % 2}` }, sk: { S: `s${i}` }, g: { S: i <= 4 ? 'g1' : 'g2' }, r: { N: String(10 - i) }, l: { S: `l${7 - i}` }, extra: { S: 'e' }, secret: { S: 'h' } } });
      }
      await db.ok('PutItem', { TableName: 'idx', Item: { pk: { S: 'p0' }, sk: { S: 'sparse' } } });
    });

    it('queries global indexes with their projections, sparse and ordered', async () => {
      const keys = await db.ok('Query', { TableName: 'idx', IndexName: 'keysOnly', KeyConditionExpression: 'g = :g AND r >= :r', ExpressionAttributeValues: { ':g': { S: 'g1' }, ':r': { N: '7' } } });
      expect(keys.Items).toEqual([
        { pk: { S: 'p1' }, sk: { S: 's3' }, g: { S: 'g1' }, r: { N: '7' } },
        { pk: { S: 'p0' }, sk: { S: 's2' }, g: { S: 'g1' }, r: { N: '8' } },
        { pk: { S: 'p1' }, sk: { S: 's1' }, g: { S: 'g1' }, r: { N: '9' } },
      ]);
      const include = await db.ok('Query', { TableName: 'idx', IndexName: 'include', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g2' } } });
      expect(include.Items.every((i: Json) => Object.keys(i).sort().join() === 'extra,g,pk,sk')).toBe(true);
      const specific = await db.ok('Query', { TableName: 'idx', IndexName: 'include', KeyConditionExpression: 'g = :g', ProjectionExpression: 'extra, secret', ExpressionAttributeValues: { ':g': { S: 'g2' } } });
      expect(specific.Items).toEqual([{ extra: { S: 'e' } }, { extra: { S: 'e' } }]);
      await expectValidation(db, 'Query', { TableName: 'idx', IndexName: 'keysOnly', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g1' } }, Select: 'ALL_ATTRIBUTES' },
        'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index keysOnly because its projection type is not ALL');
      await expectValidation(db, 'Query', { TableName: 'idx', IndexName: 'keysOnly', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g1' } }, ConsistentRead: true },
        'Consistent reads are not supported on global secondary indexes');
    });

    it('pages through an index by index and table keys', async () => {
      const { items } = await queryAll(db, { TableName: 'idx', IndexName: 'include', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g1' } }, Limit: 1 });
      expect(items.map((i) => i.sk.S)).toEqual(['s2', 's4', 's1', 's3']);
      const first = await db.ok('Query', { TableName: 'idx', IndexName: 'include', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g1' } }, Limit: 1 });
      expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'p0' }, sk: { S: 's2' }, g: { S: 'g1' } });
      await expectValidation(db, 'Query', { TableName: 'idx', IndexName: 'include', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g1' } }, ExclusiveStartKey: { pk: { S: 'p0' }, sk: { S: 's2' } } },
        'The provided starting key is invalid');
    });

    it('queries local indexes, fetching unprojected attributes when asked', async () => {
      const projected = await db.ok('Query', { TableName: 'idx', IndexName: 'local', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p0' } } });
      expect(projected.Items).toEqual([
        { pk: { S: 'p0' }, sk: { S: 's6' }, l: { S: 'l1' } },
        { pk: { S: 'p0' }, sk: { S: 's4' }, l: { S: 'l3' } },
        { pk: { S: 'p0' }, sk: { S: 's2' }, l: { S: 'l5' } },
      ]);
      const everything = await db.ok('Query', { TableName: 'idx', IndexName: 'local', KeyConditionExpression: 'pk = :p AND l > :l', ExpressionAttributeValues: { ':p': { S: 'p0' }, ':l': { S: 'l4' } }, Select: 'ALL_ATTRIBUTES' });
      expect(everything.Items).toEqual([{ pk: { S: 'p0' }, sk: { S: 's2' }, g: { S: 'g1' }, r: { N: '8' }, l: { S: 'l5' }, extra: { S: 'e' }, secret: { S: 'h' } }]);
    });

    it('scans an index, which holds only items with its keys', async () => {
      const scanned = await db.ok('Scan', { TableName: 'idx', IndexName: 'keysOnly' });
      expect(scanned.Count).toBe(6);
      const table = await db.ok('Scan', { TableName: 'idx', Select: 'COUNT' });
      expect(table).toEqual({ Count: 7, ScannedCount: 7 });
    });
  });

  describe('Scan', () => {
    beforeEach(async () => {
      await db.table('scan', { sk: 'N' });
      for (let i = 0; i < 40; i++) await db.ok('PutItem', { TableName: 'scan', Item: { pk: { S: `p${i % 8}` }, sk: { N: String(i) }, n: { N: String(i) } } });
    });

    it('covers the table once across segments and pages', async () => {
      const seen: string[] = [];
      for (let segment = 0; segment < 3; segment++) {
        let start: Json;
        do {
          const page = await db.ok('Scan', { TableName: 'scan', Segment: segment, TotalSegments: 3, Limit: 4, ExclusiveStartKey: start });
          seen.push(...page.Items.map((i: Json) => i.sk.N));
          start = page.LastEvaluatedKey;
        } while (start);
      }
      expect(seen.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
    });

    it('filters with expressions and legacy ScanFilter', async () => {
      const expression = await db.ok('Scan', { TableName: 'scan', FilterExpression: 'n BETWEEN :a AND :b AND NOT contains(pk, :x)', ExpressionAttributeValues: { ':a': { N: '10' }, ':b': { N: '19' }, ':x': { S: '7' } } });
      expect(expression.Count).toBe(9);
      expect(expression.ScannedCount).toBe(40);
      const legacy = await db.ok('Scan', { TableName: 'scan', ScanFilter: { n: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }, { N: '2' }] }, pk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'p1' }] } } });
      expect(legacy.Items.map((i: Json) => i.n.N)).toEqual(['1']);
    });

    it('validates segments as DynamoDB does', async () => {
      await expectValidation(db, 'Scan', { TableName: 'scan', Segment: 0 }, 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
      await expectValidation(db, 'Scan', { TableName: 'scan', TotalSegments: 4 }, 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
      await expectValidation(db, 'Scan', { TableName: 'scan', Segment: 5, TotalSegments: 5 }, 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5');
      expect(await db.fail('Scan', { TableName: 'nothing-here' })).toMatchObject({ type: 'ResourceNotFoundException', message: 'Requested resource not found' });
    });

    it('stops a page after about 1 MB of items, before filtering', async () => {
      await db.table('big');
      const text = 'x'.repeat(100_000);
      for (let i = 0; i < 15; i++) await db.ok('PutItem', { TableName: 'big', Item: { pk: { S: `item${i}` }, body: { S: text } } });
      const first = await db.ok('Scan', { TableName: 'big', FilterExpression: 'attribute_not_exists(body)' });
      expect(first).toMatchObject({ Count: 0, ScannedCount: 11 });
      expect(first.LastEvaluatedKey).toBeDefined();
      const second = await db.ok('Scan', { TableName: 'big', ExclusiveStartKey: first.LastEvaluatedKey, Select: 'COUNT' });
      expect(second).toEqual({ Count: 4, ScannedCount: 4 });
    });
  });
});
