// Shared by the handlers: the table client and how an order looks in it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const table = process.env.ORDERS_TABLE;
export const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const json = (statusCode, body) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const log = (level, message, fields = {}) => {
  if (level === 'debug' && process.env.LOG_LEVEL !== 'debug') return;
  console.log(JSON.stringify({ level, message, ...fields }));
};
