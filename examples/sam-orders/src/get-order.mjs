import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, json, table } from './orders.mjs';

// GET /orders/{orderId} (HTTP API) and GET /v1/orders/{orderId} (REST API): both events carry pathParameters.
export const handler = async (event) => {
  const orderId = event.pathParameters?.orderId;
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: { orderId } }));
  return Item ? json(200, Item) : json(404, { message: `no order ${orderId}` });
};
