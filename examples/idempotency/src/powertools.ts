import { randomUUID } from 'node:crypto';
import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { count } from './counters.js';

interface Order {
  orderId: string;
  amount: number;
}

const persistenceStore = new DynamoDBPersistenceLayer({ tableName: 'IdempotencyTable' });

/** Powertools for AWS Lambda stores each payload's result; a repeated payload gets the stored result back. */
export const handler = makeIdempotent(
  async (order: Order) => {
    await count('powertools', order.orderId);
    return { paymentId: randomUUID(), orderId: order.orderId, amount: order.amount };
  },
  { persistenceStore },
);
