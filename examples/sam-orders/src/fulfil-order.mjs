import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, log, table } from './orders.mjs';

// One batch of the fulfilment queue. A message whose order does not exist fails alone (ReportBatchItemFailures):
// the others are done, and it goes back to the queue until the dead-letter queue takes it.
export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const { orderId } = JSON.parse(record.body);
      await db.send(new UpdateCommand({
        TableName: table,
        Key: { orderId },
        UpdateExpression: 'SET #status = :fulfilled, fulfilledAt = :now',
        ConditionExpression: 'attribute_exists(orderId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':fulfilled': 'FULFILLED', ':now': new Date().toISOString() },
      }));
      log('info', 'order fulfilled', { orderId });
    } catch (error) {
      log('info', 'could not fulfil', { messageId: record.messageId, error: error.name });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
