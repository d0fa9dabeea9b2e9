// The few Lambda types this example uses (the full set is in @types/aws-lambda).
export interface APIGatewayProxyEventV2 {
  rawPath: string;
  body?: string;
  pathParameters?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  requestContext: { http: { method: string; path: string } };
}

export type APIGatewayProxyResultV2 = { statusCode: number; headers?: Record<string, string>; body?: string } | object;

export interface Context {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}
