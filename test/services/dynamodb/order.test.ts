import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * The order in which DynamoDB checks a request, one malformed request per operation, over raw HTTP with the JSON 1.0
 * headers (the SDKs would refuse some of these before sending): the target, JSON deserialisation
 * (SerializationException naming the Java type), the constraint list (all violations, joined with "; "), semantic
 * checks (attribute values, expressions), and only then the table lookup (ResourceNotFoundException). The wording is
 * DynamoDB's as recorded in LocalStack's snapshots of AWS (tests/aws/services/dynamodb/test_dynamodb.snapshot.json:
 * test_table_crud "delete-non-existent-table", test_batch_write_not_existing_table, test_kinesis_streaming_destination_crud
 * "update-bad-precision" for the constraint message's form) and in Flint's earlier DynamoDB tests.
 */

const CORAL = 'com.amazon.coral.service#';
const VALIDATE = 'com.amazon.coral.validate#ValidationException';
const NOT_FOUND = 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException';
const MISSING_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/missing';

let t: TestNode;

beforeAll(async () => {
  t = await startTestNode();
});

afterAll(async () => {
  await t.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- error bodies are free-form JSON in assertions
async function send(target: string | undefined, body: string, extra: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', ...extra };
  if (target !== undefined) headers['x-amz-target'] = `DynamoDB_20120810.${target}`;
  const response = await fetch(`${t.node.url}/`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.json() };
}

async function expectError(target: string, body: unknown, type: string, message: string): Promise<void> {
  const answer = await send(target, typeof body === 'string' ? body : JSON.stringify(body));
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.__type).toBe(type);
  expect(answer.body.message ?? answer.body.Message).toBe(message);
}

const serialization = (target: string, body: string, message: string) => expectError(target, body, `${CORAL}SerializationException`, message);
const invalid = (target: string, body: unknown, message: string) => expectError(target, body, VALIDATE, message);

describe('DynamoDB checks requests in its order', () => {
  it('refuses a request without X-Amz-Target as an unknown operation', async () => {
    // Signed for dynamodb (the credential scope routes it), but naming no operation.
    const authorization = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';
    const answer = await send(undefined, '{not json', { authorization });
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe(`${CORAL}UnknownOperationException`);
  });

  it('refuses an unknown target before reading the body', async () => {
    const answer = await send('NoSuchOperation', '{not json');
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe(`${CORAL}UnknownOperationException`);
  });

  it('refuses a body that does not deserialise, naming the Java type, before any constraint', async () => {
    await serialization('GetItem', '{', 'Start of structure or map found where not expected');
    await serialization('GetItem', '{"TableName":true,"ReturnConsumedCapacity":"bad"}', 'TRUE_VALUE cannot be converted to String');
    await serialization('PutItem', '{"TableName":"x","Item":[]}', 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>');
    await serialization('Query', '{"TableName":"x","Limit":"ten"}', 'STRING_VALUE cannot be converted to Integer');
    await serialization('Scan', '{"TableName":"x","AttributesToGet":{}}', 'Start of structure or map found where not expected');
    await serialization('BatchWriteItem', '{"RequestItems":[]}', 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.WriteRequests>');
    await serialization('TransactWriteItems', '{"TransactItems":{}}', 'Start of structure or map found where not expected');
    await serialization('TagResource', '{"ResourceArn":5,"Tags":[]}', 'NUMBER_VALUE cannot be converted to String');
  });

  it('reports every constraint violation at once, in DynamoDB order, before semantic checks', async () => {
    await invalid('GetItem', { TableName: 'a b', Key: { id: { Q: 'bad value' } }, ReturnConsumedCapacity: 'bad' },
      "2 validation errors detected: Value 'bad' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
        "Value 'a b' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    await invalid('PutItem', { TableName: 'a b', Item: { id: { S: 'x' } }, ReturnValues: 'NEVER', ConditionExpression: 'a =' },
      "2 validation errors detected: Value 'a b' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value 'NEVER' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
    await invalid('Query', { TableName: 'a b', Select: 'SOME', Limit: 0 },
      "3 validation errors detected: Value 'SOME' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; " +
        "Value 'a b' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await invalid('UpdateTable', { TableName: 'x', BillingMode: 'FREE' },
      "2 validation errors detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
    await invalid('TagResource', { ResourceArn: '', Tags: [{ Key: '', Value: 'v' }] },
      "2 validation errors detected: Value '' at 'resourceArn' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  it('checks values and expressions before looking the table up', async () => {
    await invalid('GetItem', { TableName: 'missing', Key: { id: { S: 'x' } }, ProjectionExpression: 'a,,b' }, 'Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b"');
    await invalid('PutItem', { TableName: 'missing', Item: { id: { S: 'x' } }, ConditionExpression: 'a = ' }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "');
    await invalid('UpdateItem', { TableName: 'missing', Key: { id: { S: 'x' } }, UpdateExpression: 'SET a = :v' },
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v');
    await invalid('DeleteItem', { TableName: 'missing', Key: { id: { S: 'x', N: '1' } } },
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
    await invalid('Query', { TableName: 'missing', KeyConditionExpression: 'id = :v' },
      'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v');
    await invalid('Scan', { TableName: 'missing', Segment: 1 }, 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
    await invalid('BatchGetItem', { RequestItems: { missing: { Keys: [{ id: { S: 'x' } }] }, other: { Keys: [{ id: { S: 'x' } }], ProjectionExpression: 'a,,b' } } },
      'Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b"');
    await invalid('BatchWriteItem', { RequestItems: { missing: [{ PutRequest: { Item: { id: { S: 'x' } } } }], other: [{ PutRequest: { Item: { id: { S: 'x', N: '1' } } } }] } },
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
    await invalid('UpdateTable', { TableName: 'missing' },
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
    await invalid('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'missing', Item: { id: { S: 'x' } } } }, { Put: { TableName: 'other', Item: { id: { S: 'y' } }, ConditionExpression: 'a =' } }] },
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="');
    await invalid('TagResource', { ResourceArn: MISSING_ARN, Tags: [{ Key: 'aws:owner', Value: 'me' }] },
      'One or more parameter values were invalid: Tag keys starting with "aws:" are reserved for system use');
  });

  it('looks the table up only once the request is valid', async () => {
    // test_table_crud "delete-non-existent-table" and test_batch_write_not_existing_table record these texts.
    await expectError('DeleteTable', { TableName: 'missing' }, NOT_FOUND, 'Requested resource not found: Table: missing not found');
    await expectError('GetItem', { TableName: 'missing', Key: { id: { S: 'x' } } }, NOT_FOUND, 'Requested resource not found');
    await expectError('BatchWriteItem', { RequestItems: { missing: [{ PutRequest: { Item: { id: { S: 'x' } } } }] } }, NOT_FOUND, 'Requested resource not found');
    await expectError('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'missing', Item: { id: { S: 'x' } } } }] }, NOT_FOUND, 'Requested resource not found');
    await expectError('TagResource', { ResourceArn: MISSING_ARN, Tags: [{ Key: 'team', Value: 'core' }] }, NOT_FOUND, `Requested resource not found: ResourcArn: ${MISSING_ARN} not found`);
  });
});
