import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';

/** The parts of API Gateway's WebSocket event this app reads. */
interface WebSocketEvent {
  requestContext: { connectionId: string; domainName: string; stage: string; routeKey: string };
  queryStringParameters?: Record<string, string>;
  body?: string;
}

interface Result {
  statusCode: number;
  body?: string;
}

const TABLE = process.env.CONNECTIONS_TABLE ?? 'Connections';
const db = new DynamoDBClient({});

/** $connect: remember who joined (`?name=ada` on the URL), or refuse a connection without a name. */
export const connect = async (event: WebSocketEvent): Promise<Result> => {
  const name = event.queryStringParameters?.name;
  if (!name) return { statusCode: 400, body: 'connect with ?name=<your name>' };
  await db.send(new PutItemCommand({ TableName: TABLE, Item: { connectionId: { S: event.requestContext.connectionId }, name: { S: name } } }));
  return { statusCode: 200 };
};

/** $disconnect: forget the connection. */
export const disconnect = async (event: WebSocketEvent): Promise<Result> => {
  await db.send(new DeleteItemCommand({ TableName: TABLE, Key: { connectionId: { S: event.requestContext.connectionId } } }));
  return { statusCode: 200 };
};

/** sendmessage: `{"action":"sendmessage","text":"hi"}` goes to everyone connected, the sender included. */
export const sendMessage = async (event: WebSocketEvent): Promise<Result> => {
  const { text } = JSON.parse(event.body ?? '{}') as { text?: string };
  const connections = await allConnections();
  const from = connections.find((c) => c.connectionId === event.requestContext.connectionId)?.name ?? 'someone';
  const api = new ApiGatewayManagementApiClient({ endpoint: callbackUrl(event) });
  const message = JSON.stringify({ from, text });
  await Promise.all(
    connections.map(async ({ connectionId }) => {
      try {
        await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: message }));
      } catch (error) {
        // The client went away without a $disconnect reaching us: drop it.
        if (error instanceof GoneException) await db.send(new DeleteItemCommand({ TableName: TABLE, Key: { connectionId: { S: connectionId } } }));
        else throw error;
      }
    }),
  );
  return { statusCode: 200 };
};

/** $default: how to talk to this API. */
export const help = async (): Promise<Result> => ({
  statusCode: 200,
  body: JSON.stringify({ error: 'unknown action', usage: { action: 'sendmessage', text: '<your message>' } }),
});

async function allConnections(): Promise<{ connectionId: string; name: string }[]> {
  const found: { connectionId: string; name: string }[] = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await db.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) found.push({ connectionId: item.connectionId!.S!, name: item.name?.S ?? 'someone' });
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

/**
 * The @connections endpoint of this API: https://{domainName}/{stage} on AWS. Where AWS_ENDPOINT_URL is set (Flint
 * sets it for every function it runs, and local AWS emulators do too) the management API is served there.
 */
function callbackUrl(event: WebSocketEvent): string {
  const { domainName, stage } = event.requestContext;
  const local = process.env.AWS_ENDPOINT_URL;
  return local ? `${local}/${stage}` : `https://${domainName}/${stage}`;
}
