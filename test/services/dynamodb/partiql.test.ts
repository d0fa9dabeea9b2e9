import { beforeEach, describe, expect, it } from 'vitest';
import { expectValidation, useDynamo } from './helpers.js';

/**
 * PartiQL's three operations over the service: each statement kind, its planning onto Query or Scan, paging,
 * conditions, RETURNING, batches and transactions, with DynamoDB's errors.
 */

const run = (Statement: string, Parameters?: unknown[], extra: Record<string, unknown> = {}) => ({ Statement, ...(Parameters ? { Parameters } : {}), ...extra });

describe('PartiQL', () => {
  const db = useDynamo();
  beforeEach(async () => {
    await db.table('songs', { sk: 'S' });
    await db.table('users');
  });
  const exec = (statement: string, parameters?: unknown[], extra?: Record<string, unknown>) => db.ok('ExecuteStatement', run(statement, parameters, extra));
  const item = async (table: string, key: Record<string, unknown>) => (await db.ok('GetItem', { TableName: table, Key: key })).Item;

  describe('INSERT', () => {
    it('writes the VALUE map with literals of every kind, and answers with no items', async () => {
      const inserted = await exec(`INSERT INTO "songs" VALUE {'pk': 'queen', 'sk': ?, 'year': 1975, 'hit': TRUE, 'gone': NULL, 'tags': <<'rock', 'opera'>>, 'info': {'length': 5.55, 'parts': [1, 'two']}}`, [{ S: 'bohemian' }]);
      expect(inserted).toEqual({ Items: [] });
      expect(await item('songs', { pk: { S: 'queen' }, sk: { S: 'bohemian' } })).toEqual({
        pk: { S: 'queen' }, sk: { S: 'bohemian' }, year: { N: '1975' }, hit: { BOOL: true }, gone: { NULL: true },
        tags: { SS: ['rock', 'opera'] }, info: { M: { length: { N: '5.55' }, parts: { L: [{ N: '1' }, { S: 'two' }] } } },
      });
    });

    it('refuses a key that exists with DuplicateItemException', async () => {
      await exec(`INSERT INTO users VALUE {'pk': 'alice'}`);
      const duplicate = await db.fail('ExecuteStatement', run(`INSERT INTO users VALUE {'pk': 'alice', 'x': 1}`));
      expect(duplicate).toMatchObject({ type: 'DuplicateItemException', message: 'Duplicate primary key exists in table' });
      expect(await item('users', { pk: { S: 'alice' } })).toEqual({ pk: { S: 'alice' } });
    });

    it('checks the key like PutItem', async () => {
      await expectValidation(db, 'ExecuteStatement', run(`INSERT INTO users VALUE {'name': 'x'}`), 'One or more parameter values were invalid: Missing the key pk in the item');
      await expectValidation(db, 'ExecuteStatement', run(`INSERT INTO users VALUE {'pk': 1}`), 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
    });
  });

  describe('SELECT', () => {
    beforeEach(async () => {
      for (const [pk, sk, plays] of [['queen', 'a', 1], ['queen', 'b', 2], ['queen', 'c', 3], ['abba', 'a', 4], ['abba', 'b', 5]] as const) {
        await db.ok('PutItem', { TableName: 'songs', Item: { pk: { S: pk }, sk: { S: sk }, plays: { N: String(plays) }, meta: { M: { tags: { L: [{ S: `t${plays}` }] } } } } });
      }
    });
    const keys = (items: Record<string, { S: string }>[]) => items.map((i) => `${i.pk!.S}/${i.sk!.S}`);

    it('queries a partition fixed by = and filters on sort key and attributes', async () => {
      expect(keys((await exec(`SELECT * FROM "songs" WHERE pk = 'queen'`)).Items)).toEqual(['queen/a', 'queen/b', 'queen/c']);
      expect(keys((await exec(`SELECT * FROM songs WHERE pk = ? AND sk >= 'b' AND plays < 3`, [{ S: 'queen' }])).Items)).toEqual(['queen/b']);
      expect(keys((await exec(`SELECT * FROM songs WHERE pk = 'queen' AND sk BETWEEN 'a' AND 'b'`)).Items)).toEqual(['queen/a', 'queen/b']);
      expect(keys((await exec(`SELECT * FROM songs WHERE pk = 'queen' AND begins_with(sk, 'c')`)).Items)).toEqual(['queen/c']);
    });

    it('orders a Query by its sort key with ORDER BY', async () => {
      expect(keys((await exec(`SELECT * FROM songs WHERE pk = 'queen' ORDER BY sk DESC`)).Items)).toEqual(['queen/c', 'queen/b', 'queen/a']);
      expect(keys((await exec(`SELECT * FROM songs WHERE pk = 'queen' AND sk > 'a' ORDER BY sk ASC`)).Items)).toEqual(['queen/b', 'queen/c']);
      expect((await db.fail('ExecuteStatement', run(`SELECT * FROM songs ORDER BY sk`))).type).toBe('ValidationException');
    });

    it('reads each partition of an IN list, and scans when no partition is fixed', async () => {
      expect(keys((await exec(`SELECT * FROM songs WHERE pk IN ['abba', 'queen'] AND sk = 'a'`)).Items)).toEqual(['abba/a', 'queen/a']);
      const scanned = keys((await exec(`SELECT * FROM songs WHERE plays > 1 AND NOT (sk = 'c') OR plays = 3`)).Items).sort();
      expect(scanned).toEqual(['abba/a', 'abba/b', 'queen/b', 'queen/c']);
      expect((await exec(`SELECT * FROM songs`)).Items).toHaveLength(5);
    });

    it('projects paths and understands IS MISSING, functions and nested paths', async () => {
      await db.ok('PutItem', { TableName: 'songs', Item: { pk: { S: 'solo' }, sk: { S: 'x' } } });
      expect((await exec(`SELECT plays, meta.tags[0] FROM songs WHERE pk = 'abba' AND sk = 'b'`)).Items).toEqual([{ plays: { N: '5' }, meta: { M: { tags: { L: [{ S: 't5' }] } } } }]);
      expect(keys((await exec(`SELECT * FROM songs WHERE plays IS MISSING`)).Items)).toEqual(['solo/x']);
      expect((await exec(`SELECT * FROM songs WHERE plays IS NOT MISSING`)).Items).toHaveLength(5);
      expect(keys((await exec(`SELECT * FROM songs WHERE pk = 'queen' AND contains(meta.tags, 't2')`)).Items)).toEqual(['queen/b']);
      expect(keys((await exec(`SELECT * FROM songs WHERE pk = 'queen' AND size(meta.tags) = 1 AND attribute_exists(plays) AND plays <> 1 AND plays IN [2, 9]`)).Items)).toEqual(['queen/b']);
    });

    it('pages with Limit and NextToken, across the partitions of an IN list', async () => {
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await exec(`SELECT * FROM songs WHERE pk IN ['queen', 'abba']`, undefined, { Limit: 2, ...(NextToken ? { NextToken } : {}) });
        seen.push(...keys(page.Items));
        NextToken = page.NextToken;
        pages++;
      } while (NextToken);
      expect(seen).toEqual(['queen/a', 'queen/b', 'queen/c', 'abba/a', 'abba/b']);
      expect(pages).toBe(3);
      const first = await exec(`SELECT * FROM songs`, undefined, { Limit: 1 });
      expect(first.LastEvaluatedKey).toBeDefined();
      expect(first.NextToken).toEqual(expect.any(String));
      const elsewhere = await db.fail('ExecuteStatement', run(`SELECT * FROM users`, undefined, { NextToken: first.NextToken }));
      expect(elsewhere.type).toBe('ValidationException');
    });

    it('reads a secondary index named after the table, as a Query when its partition key is fixed', async () => {
      await db.table('indexed', {
        extra: {
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'city', AttributeType: 'S' }],
          GlobalSecondaryIndexes: [{ IndexName: 'byCity', KeySchema: [{ AttributeName: 'city', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        },
      });
      for (const [pk, city] of [['a', 'rome'], ['b', 'oslo'], ['c', 'rome']]) await exec(`INSERT INTO indexed VALUE {'pk': ?, 'city': ?}`, [{ S: pk }, { S: city }]);
      const rome = await exec(`SELECT pk FROM "indexed"."byCity" WHERE city = 'rome'`, undefined, { ReturnConsumedCapacity: 'INDEXES' });
      expect(rome.Items.map((i: { pk: { S: string } }) => i.pk.S).sort()).toEqual(['a', 'c']);
      expect(rome.ConsumedCapacity).toEqual({ TableName: 'indexed', CapacityUnits: 0.5, ReadCapacityUnits: 0.5, GlobalSecondaryIndexes: { byCity: { CapacityUnits: 0.5, ReadCapacityUnits: 0.5 } } });
      await expectValidation(db, 'ExecuteStatement', run(`SELECT * FROM "indexed"."byCity"`, undefined, { ConsistentRead: true }), 'Consistent reads are not supported on global secondary indexes');
    });

    it('reports consumed capacity and honours ConsistentRead', async () => {
      const result = await exec(`SELECT * FROM songs WHERE pk = 'queen'`, undefined, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
      expect(result.ConsumedCapacity).toEqual({ TableName: 'songs', CapacityUnits: 1, ReadCapacityUnits: 1 });
    });
  });

  describe('UPDATE and DELETE', () => {
    beforeEach(async () => {
      await db.ok('PutItem', { TableName: 'users', Item: { pk: { S: 'bob' }, n: { N: '1' }, list: { L: [{ S: 'a' }] }, m: { M: { x: { S: 'old' } } }, old: { S: 'gone soon' } } });
    });

    it('sets, appends, nests, removes and returns what was asked', async () => {
      const result = await exec(`UPDATE users SET n = n + 2 SET list = list_append(list, ['b']) SET m.x = 'new' REMOVE old WHERE pk = 'bob' RETURNING MODIFIED NEW *`);
      expect(result.Items).toEqual([{ n: { N: '3' }, list: { L: [{ S: 'a' }, { S: 'b' }] }, m: { M: { x: { S: 'new' } } } }]);
      expect(await item('users', { pk: { S: 'bob' } })).toEqual({ pk: { S: 'bob' }, n: { N: '3' }, list: { L: [{ S: 'a' }, { S: 'b' }] }, m: { M: { x: { S: 'new' } } } });
      const old = await exec(`UPDATE users SET n = ? WHERE pk = 'bob' RETURNING ALL OLD *`, [{ N: '10' }]);
      expect(old.Items[0].n).toEqual({ N: '3' });
    });

    it('adds and deletes set members with set_add and set_delete', async () => {
      await exec(`UPDATE users SET tags = set_add(tags, <<'a', 'b'>>) WHERE pk = 'bob'`);
      await exec(`UPDATE users SET tags = set_delete(tags, ?) WHERE pk = 'bob'`, [{ SS: ['a'] }]);
      expect((await item('users', { pk: { S: 'bob' } })).tags).toEqual({ SS: ['b'] });
    });

    it('fails its condition with ConditionalCheckFailedException, and never creates an item', async () => {
      const failed = await db.fail('ExecuteStatement', run(`UPDATE users SET n = 5 WHERE pk = 'bob' AND n > 1`, undefined, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      expect(failed).toMatchObject({ type: 'ConditionalCheckFailedException', message: 'The conditional request failed' });
      expect(failed.body.Item.pk).toEqual({ S: 'bob' });
      expect(await db.fail('ExecuteStatement', run(`UPDATE users SET n = 5 WHERE pk = 'nobody'`))).toMatchObject({ type: 'ConditionalCheckFailedException' });
      expect(await item('users', { pk: { S: 'nobody' } })).toBeUndefined();
    });

    it('deletes by full key, with a condition and RETURNING ALL OLD', async () => {
      expect(await db.fail('ExecuteStatement', run(`DELETE FROM users WHERE pk = 'bob' AND n = 2`))).toMatchObject({ type: 'ConditionalCheckFailedException' });
      const deleted = await exec(`DELETE FROM users WHERE pk = 'bob' AND n = 1 RETURNING ALL OLD *`);
      expect(deleted.Items[0].old).toEqual({ S: 'gone soon' });
      expect(await item('users', { pk: { S: 'bob' } })).toBeUndefined();
    });

    it('needs an equality on every key attribute', async () => {
      const message = 'Where clause does not contain a mandatory equality on all key attributes';
      await expectValidation(db, 'ExecuteStatement', run(`UPDATE songs SET x = 1 WHERE pk = 'a'`), message);
      await expectValidation(db, 'ExecuteStatement', run(`DELETE FROM users WHERE n = 1`), message);
      await expectValidation(db, 'ExecuteStatement', run(`UPDATE users SET pk = 'x' WHERE pk = 'bob'`), 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
    });
  });

  it('writes stream records as the native writes do', async () => {
    // test_dynamodb_stream_stream_view_type (LocalStack's test_dynamodb.snapshot.json): a PartiQL INSERT, UPDATE and
    // DELETE give INSERT, MODIFY and REMOVE records.
    await db.table('streamed', { extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } } });
    await exec(`INSERT INTO streamed VALUE {'pk': 'Alice'}`);
    await exec(`UPDATE streamed SET partiql = 1 WHERE pk = 'Alice'`);
    await exec(`DELETE FROM streamed WHERE pk = 'Alice'`);
    const streams = 'DynamoDBStreams_20120810';
    const { Table } = await db.ok('DescribeTable', { TableName: 'streamed' });
    const { StreamDescription } = await db.ok(`${streams}.DescribeStream`, { StreamArn: Table.LatestStreamArn });
    const { ShardIterator } = await db.ok(`${streams}.GetShardIterator`, { StreamArn: Table.LatestStreamArn, ShardId: StreamDescription.Shards[0].ShardId, ShardIteratorType: 'TRIM_HORIZON' });
    const { Records } = await db.ok(`${streams}.GetRecords`, { ShardIterator });
    expect(Records.map((r: { eventName: string }) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
  });

  describe('errors', () => {
    it('words syntax errors, parameter counts and unknown tables as DynamoDB does', async () => {
      // A statement that does not open with a DML keyword: https://github.com/awsdocs/aws-sdk-for-javascript-v3/issues/98
      await expectValidation(db, 'ExecuteStatement', run(`SELEC * FROM users`), "Statement wasn't well formed, can't be processed: Expected data manipulation");
      expect((await db.fail('ExecuteStatement', run(`SELECT * FROM users WHERE`))).message).toMatch(/^Statement wasn't well formed, can't be processed: /);
      await expectValidation(db, 'ExecuteStatement', run(`SELECT * FROM users WHERE pk = ?`), "Number of parameters in request and statement don't match.");
      await expectValidation(db, 'ExecuteStatement', run(`SELECT * FROM users`, [{ S: 'x' }]), "Number of parameters in request and statement don't match.");
      expect(await db.fail('ExecuteStatement', run(`SELECT * FROM ghost`))).toMatchObject({ type: 'ResourceNotFoundException', message: 'Requested resource not found' });
    });

    it('words misused functions as DynamoDB does', async () => {
      const where = (condition: string) => `SELECT * FROM users WHERE pk = 'a' AND ${condition}`;
      await expectValidation(db, 'ExecuteStatement', run(where(`attribute_exists('x')`)), 'Operator or function requires a document path; operator or function: attribute_exists');
      await expectValidation(db, 'ExecuteStatement', run(where(`attribute_exists()`)), 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0');
      await expectValidation(db, 'ExecuteStatement', run(`SELECT * FROM users WHERE EXISTS(x)`), 'Unrecognized function: exists at 1:27:6');
      await expectValidation(db, 'ExecuteStatement', run(`SELECT attribute_exists(x) FROM users`), 'Unexpected path component at 1:8:16');
      await expectValidation(db, 'ExecuteStatement', run(`UPDATE users SET t = set_add(s, <<'x'>>) WHERE pk = 'a'`), 'The first argument to SET_ADD must equal the assignment value at 1:22:7');
      await expectValidation(db, 'ExecuteStatement', run(`UPDATE users SET s = set_add(s, 'x') WHERE pk = 'a'`), 'The second argument to SET_ADD must be a value with type SET at 1:30:1');
      await expectValidation(db, 'ExecuteStatement', run(`UPDATE users SET s = set_add(s) WHERE pk = 'a'`), 'SET_ADD must have exactly two arguments at 1:22:7');
      await expectValidation(db, 'ExecuteStatement', run(`UPDATE users SET s = set_add(s, <<>>) WHERE pk = 'a'`), 'Empty bags are not supported');
    });

    it('checks Parameters against the model first', async () => {
      // test_dynamodb_execute_statement_empy_parameter in LocalStack's tests/aws/services/dynamodb/test_dynamodb.snapshot.json
      await expectValidation(db, 'ExecuteStatement', run(`SELECT * FROM users`, []), "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
    });
  });

  describe('BatchExecuteStatement', () => {
    it('runs each write on its own and reports failures per statement', async () => {
      // test_dynamodb_batch_execute_statement (LocalStack's test_dynamodb.snapshot.json): each write answers with its TableName.
      await db.ok('PutItem', { TableName: 'users', Item: { pk: { S: 'user02' } } });
      const result = await db.ok('BatchExecuteStatement', {
        Statements: [
          { Statement: `INSERT INTO users VALUE {'pk': 'user01'}` },
          { Statement: `UPDATE users SET Age = 20 WHERE pk = 'user02'` },
          { Statement: `INSERT INTO users VALUE {'pk': 'user02'}` },
          { Statement: `UPDATE users SET Age = 1 WHERE pk = 'user02' AND Age = 3`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        ],
      });
      expect(result.Responses).toEqual([
        { TableName: 'users' },
        { TableName: 'users' },
        { TableName: 'users', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
        { TableName: 'users', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'user02' }, Age: { N: '20' } } } },
      ]);
      expect(await item('users', { pk: { S: 'user01' } })).toEqual({ pk: { S: 'user01' } });
    });

    it('reads items by full key, and refuses to mix reads with writes', async () => {
      await db.ok('PutItem', { TableName: 'users', Item: { pk: { S: 'a' }, v: { N: '1' } } });
      const read = await db.ok('BatchExecuteStatement', {
        Statements: [{ Statement: `SELECT v FROM users WHERE pk = ?`, Parameters: [{ S: 'a' }] }, { Statement: `SELECT * FROM users WHERE pk = 'none'` }, { Statement: `SELECT * FROM users WHERE v = 1` }],
      });
      expect(read.Responses).toEqual([
        { TableName: 'users', Item: { v: { N: '1' } } },
        { TableName: 'users' },
        { TableName: 'users', Error: { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' } },
      ]);
      const mixed = await db.fail('BatchExecuteStatement', { Statements: [{ Statement: `SELECT * FROM users WHERE pk = 'a'` }, { Statement: `DELETE FROM users WHERE pk = 'a'` }] });
      expect(mixed.type).toBe('ValidationException');
    });
  });

  describe('ExecuteTransaction', () => {
    it('writes all statements together, answering with an empty Responses list', async () => {
      // test_dynamodb_execute_transaction (LocalStack's test_dynamodb.snapshot.json): "Responses": [] for writes.
      const result = await db.ok('ExecuteTransaction', { TransactStatements: [{ Statement: `INSERT INTO users VALUE {'pk': 'user01'}` }, { Statement: `INSERT INTO users VALUE {'pk': 'user02'}` }] });
      expect(result).toEqual({ Responses: [] });
      expect((await db.ok('Scan', { TableName: 'users' })).Count).toBe(2);
    });

    it('cancels everything with a reason per statement', async () => {
      await db.ok('PutItem', { TableName: 'users', Item: { pk: { S: 'taken' }, n: { N: '1' } } });
      await db.ok('PutItem', { TableName: 'users', Item: { pk: { S: 'counted' }, n: { N: '1' } } });
      const failed = await db.fail('ExecuteTransaction', {
        TransactStatements: [
          { Statement: `INSERT INTO users VALUE {'pk': 'fresh'}` },
          { Statement: `INSERT INTO users VALUE {'pk': 'taken'}` },
          { Statement: `UPDATE users SET n = 2 WHERE pk = 'counted' AND n = 5`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        ],
      });
      expect(failed.type).toBe('TransactionCanceledException');
      expect(failed.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, ConditionalCheckFailed]');
      expect(failed.body.CancellationReasons).toEqual([
        { Code: 'None' },
        { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'counted' }, n: { N: '1' } } },
      ]);
      const sameItem = await db.fail('ExecuteTransaction', { TransactStatements: [{ Statement: `INSERT INTO users VALUE {'pk': 'x'}` }, { Statement: `DELETE FROM users WHERE pk = 'x'` }] });
      expect(sameItem).toMatchObject({ type: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' });
      expect(await item('users', { pk: { S: 'fresh' } })).toBeUndefined();
    });

    it('reports ConsumedCapacity as the Transact* operations do: every item twice', async () => {
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling
      const written = await db.ok('ExecuteTransaction', {
        TransactStatements: [{ Statement: `INSERT INTO users VALUE {'pk': 'cap1'}` }, { Statement: `INSERT INTO users VALUE {'pk': 'cap2'}` }],
        ReturnConsumedCapacity: 'TOTAL',
      });
      expect(written.ConsumedCapacity).toEqual([{ TableName: 'users', CapacityUnits: 4, WriteCapacityUnits: 4 }]);
      const read = await db.ok('ExecuteTransaction', { TransactStatements: [{ Statement: `SELECT * FROM users WHERE pk = 'cap1'` }], ReturnConsumedCapacity: 'TOTAL' });
      expect(read).toEqual({ Responses: [{ Item: { pk: { S: 'cap1' } } }], ConsumedCapacity: [{ TableName: 'users', CapacityUnits: 2, ReadCapacityUnits: 2 }] });
    });

    it('reads items by full key, and honours ClientRequestToken', async () => {
      await db.ok('PutItem', { TableName: 'users', Item: { pk: { S: 'a' } } });
      const read = await db.ok('ExecuteTransaction', { TransactStatements: [{ Statement: `SELECT * FROM users WHERE pk = 'a'` }, { Statement: `SELECT * FROM users WHERE pk = 'b'` }] });
      expect(read.Responses).toEqual([{ Item: { pk: { S: 'a' } } }, {}]);
      const request = { TransactStatements: [{ Statement: `INSERT INTO users VALUE {'pk': 'once'}` }], ClientRequestToken: 'token-1' };
      await db.ok('ExecuteTransaction', request);
      expect(await db.ok('ExecuteTransaction', request)).toEqual({ Responses: [] });
      await expectValidation(db, 'ExecuteTransaction', { TransactStatements: [{ Statement: `SELECT * FROM users WHERE pk = 'a'` }, { Statement: `SELECT * FROM users WHERE attribute_exists(x)` }] },
        'Validation failed in TransactStatements[1]: Select statements within ExecuteTransaction must specify the primary key in the where clause.');
      const mismatch = await db.fail('ExecuteTransaction', { ...request, TransactStatements: [{ Statement: `INSERT INTO users VALUE {'pk': 'twice'}` }] });
      expect(mismatch.type).toBe('IdempotentParameterMismatchException');
    });
  });
});
