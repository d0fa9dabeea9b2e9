import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from './lambda-types.js';

interface User {
  id: string;
  name: string;
}

// Module state lives as long as the instance: a warm instance still has the users it stored.
const users = new Map<string, User>();

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  if (event.requestContext.http.method === 'POST') {
    const body = JSON.parse(event.body ?? '{}') as Partial<User>;
    if (!body.name) return { statusCode: 400, body: JSON.stringify({ message: 'name is required' }) };
    const user = { id: randomUUID(), name: body.name };
    users.set(user.id, user);
    return { statusCode: 201, body: JSON.stringify(user) };
  }
  const user = users.get(event.pathParameters?.id ?? '');
  // A bare object is a 200 JSON response with payload 2.0.
  return user ?? { statusCode: 404, body: JSON.stringify({ message: 'no such user' }) };
};
