import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

const db = new DynamoDBClient({});

/** The side effect that must happen once per order: counted, so a test can see duplicates. */
export async function count(name: string, orderId: string): Promise<void> {
  await db.send(
    new UpdateItemCommand({
      TableName: 'Counters',
      Key: { id: { S: `${name}#${orderId}` } },
      UpdateExpression: 'ADD times :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    }),
  );
}
