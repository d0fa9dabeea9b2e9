import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from './lambda-types.js';

export const handler = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyResultV2> => {
  const name = event.pathParameters?.name ?? event.queryStringParameters?.name ?? 'world';
  console.log(`greeting ${name}`);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: `${process.env.GREETING ?? 'Hello'}, ${name}!`, requestId: context.awsRequestId }),
  };
};
