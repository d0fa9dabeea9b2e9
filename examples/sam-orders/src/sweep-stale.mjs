import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, log, table } from './orders.mjs';

// Every 15 minutes: orders still PENDING after STALE_AFTER_MINUTES are marked STALE.
export const handler = async () => {
  const cutoff = new Date(Date.now() - Number(process.env.STALE_AFTER_MINUTES) * 60_000).toISOString();
  const { Items = [] } = await db.send(new ScanCommand({
    TableName: table,
    FilterExpression: '#status = :pending AND createdAt < :cutoff',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pending': 'PENDING', ':cutoff': cutoff },
  }));
  for (const order of Items) {
    await db.send(new UpdateCommand({
      TableName: table,
      Key: { orderId: order.orderId },
      UpdateExpression: 'SET #status = :stale',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':stale': 'STALE' },
    }));
  }
  log('info', 'swept stale orders', { count: Items.length });
  return { swept: Items.length };
};
