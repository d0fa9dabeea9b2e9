import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, log, table } from './orders.mjs';

// An upload to receipts/<orderId>.pdf files the receipt against its order. A receipt for an order that does not
// exist fails the invocation; with no retries configured, the event goes straight to the OnFailure queue.
export const handler = async (event) => {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const orderId = key.slice(process.env.RECEIPT_PREFIX.length).replace(/\.[^.]+$/, '');
    await db.send(new UpdateCommand({
      TableName: table,
      Key: { orderId },
      UpdateExpression: 'SET receipt = :receipt',
      ConditionExpression: 'attribute_exists(orderId)',
      ExpressionAttributeValues: { ':receipt': `s3://${record.s3.bucket.name}/${key}` },
    }));
    log('info', 'receipt attached', { orderId, key });
  }
};
