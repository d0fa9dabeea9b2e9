import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { count } from './counters.js';

interface ChargeEvent {
  /** Stable across redeliveries: the key of the idempotent write. */
  id: string;
  orderId: string;
  amount: number;
}

const db = new DynamoDBClient({});

/** Records the charge with a conditional write keyed by the event id; a redelivery finds it and stops. */
export const handler = async (event: ChargeEvent) => {
  try {
    await db.send(
      new PutItemCommand({
        TableName: 'Charges',
        Item: { id: { S: event.id }, orderId: { S: event.orderId }, amount: { N: String(event.amount) } },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { duplicate: true, id: event.id };
    throw error;
  }
  await count('charge', event.orderId);
  return { charged: true, id: event.id };
};
