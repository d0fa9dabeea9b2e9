import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { requestScript } from './wrk-scripts.js';

/**
 * The data-service requests the benchmarks send, prepared once as wrk scripts (DynamoDB JSON 1.0, S3 path-style with
 * 1 KiB objects), and the tables and objects they read, created through the SDK.
 */
export const KEYS = 1000;
const OBJECT = 'x'.repeat(1024);
/** Request time of the prepared requests: now, since s3rver refuses requests more than 15 minutes off. */
const DATE = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const DAY = DATE.slice(0, 8);

/** s3rver only knows its own key pair; Flint and dynalite accept any. */
const ACCESS_KEY = 'S3RVER';
const config = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY } });

export async function prepareDynamo(url: string): Promise<void> {
  const db = new DynamoDBClient(config(url));
  await db.send(new CreateTableCommand({ TableName: 'bench', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
  await db.send(
    new CreateTableCommand({
      TableName: 'benchq',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  for (let i = 0; i < KEYS; i += 25) {
    const items = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { pk: { S: `k${i + j}` }, value: { S: 'some value' }, n: { N: String(i + j) } } } }));
    await db.send(new BatchWriteItemCommand({ RequestItems: { bench: items } }));
  }
  for (let p = 0; p < 100; p += 2) {
    const items = [p, p + 1].flatMap((q) => Array.from({ length: 10 }, (_, s) => ({ PutRequest: { Item: { pk: { S: `q${q}` }, sk: { S: `s${s}` }, value: { S: 'v' } } } })));
    await db.send(new BatchWriteItemCommand({ RequestItems: { benchq: items } }));
  }
}

export async function prepareS3(url: string): Promise<void> {
  const s3 = new S3Client({ ...config(url), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  for (let i = 0; i < KEYS; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `o${i + j}`, Body: OBJECT }))));
}

function dynamoHeaders(op: string): Record<string, string> {
  return {
    'Content-Type': 'application/x-amz-json-1.0',
    'X-Amz-Target': `DynamoDB_20120810.${op}`,
    'X-Amz-Date': DATE,
    Authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${DAY}/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
  };
}

function s3Headers(): Record<string, string> {
  return {
    'X-Amz-Date': DATE,
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    Authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${DAY}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
  };
}

export function dataScripts(dir: string): Record<string, string> {
  return {
    PutItem: requestScript(dir, 'put-item', { method: 'POST', headers: dynamoHeaders('PutItem'), body: '{"TableName":"bench","Item":{"pk":{"S":"p%d"},"value":{"S":"some value"},"n":{"N":"42"}}}' }),
    GetItem: requestScript(dir, 'get-item', { method: 'POST', headers: dynamoHeaders('GetItem'), body: '{"TableName":"bench","Key":{"pk":{"S":"k%d"}}}', keys: KEYS }),
    Query: requestScript(dir, 'query', {
      method: 'POST',
      headers: dynamoHeaders('Query'),
      body: '{"TableName":"benchq","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"q%d"}}}',
      keys: 100,
    }),
    PutObject: requestScript(dir, 'put-object', { method: 'PUT', path: '/bench/new%d', headers: { ...s3Headers(), 'Content-Type': 'application/octet-stream' }, body: OBJECT }),
    GetObject: requestScript(dir, 'get-object', { method: 'GET', path: '/bench/o%d', headers: s3Headers(), keys: KEYS }),
  };
}

