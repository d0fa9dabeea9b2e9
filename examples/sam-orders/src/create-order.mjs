import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { db, json, log, table } from './orders.mjs';

const sqs = new SQSClient({});

// POST /orders  { "customer": "ada", "items": [{ "sku": "tea", "qty": 2 }] }
export const handler = async (event) => {
  let order;
  try {
    order = JSON.parse(event.body ?? '');
  } catch {
    return json(400, { message: 'the body must be JSON' });
  }
  if (typeof order.customer !== 'string' || !Array.isArray(order.items) || order.items.length === 0) {
    return json(400, { message: 'an order needs a customer and at least one item' });
  }
  const item = {
    orderId: randomUUID(),
    customer: order.customer,
    items: order.items,
    status: 'PENDING',
    stage: process.env.STAGE,
    createdAt: new Date().toISOString(),
  };
  await db.send(new PutCommand({ TableName: table, Item: item }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify({ orderId: item.orderId }) }));
  log('debug', 'order created', { orderId: item.orderId });
  return json(201, { orderId: item.orderId, status: item.status });
};
