import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  ForbiddenException,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import type { DeployReport } from '../../../src/services/admin/index.js';
import { AWS_CLI } from '../../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../../helpers/node.js';
import { connect, HandshakeRefused, type TestSocket } from './websocket-client.js';

/**
 * API Gateway WebSocket APIs end to end: real `ws` clients against the node's listener, functions behind the routes,
 * and the @connections API through the SDK v3's ApiGatewayManagementApiClient. Behaviour as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api.html documents it; the quotas
 * (128 KB messages, 10 minutes idle, 2 hours per connection) from
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html, on the node's FakeClock.
 */
const MANIFEST = `app: ws-test
functions:
  connect: { runtime: nodejs20.x, handler: index.connect }
  disconnect: { runtime: nodejs20.x, handler: index.record }
  echo: { runtime: nodejs20.x, handler: index.echo, events: [{ http: GET /ping }] }
  oneway: { runtime: nodejs20.x, handler: index.echo }
  boom: { runtime: nodejs20.x, handler: index.boom }
  whoami: { runtime: nodejs20.x, handler: index.whoami }
  pywho: { runtime: python3.11, handler: who.handler }
websockets:
  chat:
    routes:
      $connect: connect
      $disconnect: disconnect
      $default: { function: echo, routeResponse: true }
      echo: { function: echo, routeResponse: true }
      quiet: oneway
      boom: boom
      whoami: whoami
      pywho: pywho
  nested:
    routeSelection: $request.body.message.type
    stage: dev
    routes:
      greet: { function: echo, routeResponse: true }
resources:
  queues:
    ws-events: {}
`;

const CODE = `
const { SQSClient, GetQueueUrlCommand, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { ApiGatewayManagementApiClient, GetConnectionCommand, PostToConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi');
const sqs = new SQSClient({});
let queueUrl;
async function record(event) {
  queueUrl ??= (await sqs.send(new GetQueueUrlCommand({ QueueName: 'ws-events' }))).QueueUrl;
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
  return { statusCode: 200 };
}
exports.record = record;
exports.connect = async (event) => {
  const query = event.queryStringParameters || {};
  if (query.deny) return { statusCode: Number(query.deny), body: 'go away' };
  if (query.crash) throw new Error('connect failed');
  await record(event);
  const offered = event.headers['Sec-WebSocket-Protocol'] || event.headers['sec-websocket-protocol'];
  if (offered) return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': offered.split(',')[1].trim() } };
  return { statusCode: 200 };
};
exports.echo = async (event) => ({ statusCode: 200, body: JSON.stringify({ routeKey: event.requestContext.routeKey, event }) });
exports.boom = async () => { throw new Error('boom'); };
exports.whoami = async (event) => {
  const { domainName, stage, connectionId } = event.requestContext;
  const client = new ApiGatewayManagementApiClient({ endpoint: 'http://' + domainName + '/' + stage });
  const info = await client.send(new GetConnectionCommand({ ConnectionId: connectionId }));
  await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify({ you: connectionId, sourceIp: info.Identity.SourceIp }) }));
  return { statusCode: 200 };
};
`;

/** A Python function calling @connections with boto3, the endpoint built as AWS's samples build it (but http). */
const PYTHON = `
import json
import boto3

def handler(event, context):
    ctx = event["requestContext"]
    client = boto3.client("apigatewaymanagementapi", endpoint_url="http://%s/%s" % (ctx["domainName"], ctx["stage"]))
    info = client.get_connection(ConnectionId=ctx["connectionId"])
    client.post_to_connection(ConnectionId=ctx["connectionId"], Data=json.dumps({"python": True, "userAgent": info["Identity"]["UserAgent"]}).encode())
    return {"statusCode": 200}
`;

const run = promisify(execFile);

type Context = Record<string, unknown> & { connectionId: string; eventType: string; routeKey: string };
type WsEvent = Record<string, unknown> & { requestContext: Context };
type Echo = { routeKey: string; event: WsEvent };

describe('API Gateway WebSocket APIs', () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1), 5);
  let test: TestNode;
  let appDir: string;
  let report: DeployReport;
  let chatUrl: string;
  let management: ApiGatewayManagementApiClient;
  let sqs: SQSClient;
  let queueUrl: string;
  const recorded: WsEvent[] = [];
  /** Runs of each function that ended, as the node's CallObserver saw them. */
  const ended = new Map<string, number>();

  beforeAll(async () => {
    appDir = mkdtempSync(join(tmpdir(), 'flint-ws-app-'));
    writeFileSync(join(appDir, 'flint.yaml'), MANIFEST);
    writeFileSync(join(appDir, 'index.js'), CODE);
    writeFileSync(join(appDir, 'package.json'), '{"type":"commonjs"}');
    writeFileSync(join(appDir, 'who.py'), PYTHON);
    test = await startTestNode({ clock, observer: { ended: (run) => void ended.set(run.functionName, (ended.get(run.functionName) ?? 0) + 1) } });
    report = await test.node.deployDir(appDir);
    chatUrl = report.websockets!.find((api) => api.name === 'chat')!.url;
    management = new ApiGatewayManagementApiClient({ ...test.config, endpoint: `${test.node.url}/production` });
    sqs = new SQSClient(test.config);
    queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'ws-events' }))).QueueUrl!;
  });
  afterAll(async () => {
    await test?.close();
    rmSync(appDir, { recursive: true, force: true });
  });

  /** The $connect or $disconnect event the functions recorded for a connection. */
  async function recordedEvent(connectionId: string, eventType: 'CONNECT' | 'DISCONNECT'): Promise<WsEvent> {
    const find = (): WsEvent | undefined => recorded.find((e) => e.requestContext.connectionId === connectionId && e.requestContext.eventType === eventType);
    await expect.poll(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      for (const message of Messages) {
        recorded.push(JSON.parse(message.Body!) as WsEvent);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
      return find() !== undefined;
    }, { timeout: 20_000 }).toBe(true);
    return find()!;
  }

  async function echo(client: TestSocket, body: string | Buffer): Promise<Echo> {
    client.send(body);
    return client.nextJson<Echo>();
  }

  it('prints the ws:// URL, the host form and the @connections endpoint after deploy', () => {
    const chat = report.websockets!.find((api) => api.name === 'chat')!;
    expect(chat.id).toMatch(/^[a-z0-9]{10}$/);
    expect(chat.url).toBe(`ws://${new URL(test.node.url).host}/_flint/ws/${chat.id}/production`);
    expect(chat.hostUrl).toMatch(new RegExp(`^ws://${chat.id}\\.execute-api\\.localhost:\\d+/production$`));
    expect(chat.connectionsUrl).toBe(`${test.node.url}/production`);
    expect(chat.routes.map((r) => r.routeKey)).toEqual(['$connect', '$disconnect', '$default', 'echo', 'quiet', 'boom', 'whoami', 'pywho']);
  });

  it('runs $connect before the handshake completes, with the handshake headers and query string', async () => {
    const client = await connect(`${chatUrl}?room=blue&room=green&user=ada`, { headers: { 'X-Team': 'flint' } });
    const { event } = await echo(client, 'hello');
    const connectionId = event.requestContext.connectionId;
    // Connection ids look like AWS's: L0SM9cOFvHcCIhw= (apigateway-how-to-call-websocket-api-connections.html).
    expect(connectionId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    const connected = await recordedEvent(connectionId, 'CONNECT');
    const host = new URL(test.node.url).host;
    expect(connected.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageDirection: 'IN',
      stage: 'production',
      domainName: host,
      apiId: report.websockets![0]!.id,
      connectedAt: clock.now(),
      requestTimeEpoch: clock.now(),
      identity: { sourceIp: '127.0.0.1', userAgent: '' },
    });
    expect(connected.requestContext.requestTime).toBe('01/Jan/2026:00:00:00 +0000');
    expect(connected.requestContext.requestId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(connected.headers).toMatchObject({ Host: host, 'X-Team': 'flint', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13' });
    expect(connected.multiValueHeaders).toMatchObject({ 'X-Team': ['flint'] });
    expect(connected.queryStringParameters).toEqual({ room: 'green', user: 'ada' });
    expect(connected.multiValueQueryStringParameters).toEqual({ room: ['blue', 'green'], user: ['ada'] });
    expect(connected.isBase64Encoded).toBe(false);
    client.socket.close();
  });

  it('refuses the handshake with the status $connect returns, and with 502 when $connect fails', async () => {
    const refused = await connect(`${chatUrl}?deny=403`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HandshakeRefused);
    expect((refused as HandshakeRefused).status).toBe(403);
    expect(((await connect(`${chatUrl}?deny=401`).catch((e: unknown) => e)) as HandshakeRefused).status).toBe(401);
    expect(((await connect(`${chatUrl}?crash=1`).catch((e: unknown) => e)) as HandshakeRefused).status).toBe(502);
  });

  it('completes the handshake with the subprotocol $connect chose', async () => {
    const client = await connect(chatUrl, { protocols: ['chat.v1', 'chat.v2'] });
    expect(client.socket.protocol).toBe('chat.v2');
    client.socket.close();
  });

  it('refuses an unknown API (404) and an unknown stage of a known API (403)', async () => {
    const base = new URL(test.node.url).host;
    expect(((await connect(`ws://${base}/_flint/ws/zzzzzzzzzz/production`).catch((e: unknown) => e)) as HandshakeRefused).status).toBe(404);
    expect(((await connect(chatUrl.replace('/production', '/staging')).catch((e: unknown) => e)) as HandshakeRefused).status).toBe(403);
  });

  it('routes by $request.body.action, and to $default when the body is not JSON or names no route', async () => {
    const client = await connect(chatUrl);
    const routed = await echo(client, JSON.stringify({ action: 'echo', text: 'hi' }));
    expect(routed.routeKey).toBe('echo');
    expect(routed.event.requestContext).toMatchObject({ routeKey: 'echo', eventType: 'MESSAGE', messageDirection: 'IN', stage: 'production' });
    expect(routed.event.requestContext.messageId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(routed.event.body).toBe('{"action":"echo","text":"hi"}');
    expect(routed.event.isBase64Encoded).toBe(false);
    expect(routed.event.headers).toBeUndefined();
    expect((await echo(client, JSON.stringify({ action: 'nope' }))).routeKey).toBe('$default');
    expect((await echo(client, 'not json')).routeKey).toBe('$default');
    expect((await echo(client, JSON.stringify({ text: 'no action' }))).routeKey).toBe('$default');
    client.socket.close();
  });

  it('hands binary messages to the function base64-encoded', async () => {
    const client = await connect(chatUrl);
    const routed = await echo(client, Buffer.from([0, 1, 2, 255]));
    expect(routed.routeKey).toBe('$default');
    expect(routed.event).toMatchObject({ body: 'AAEC/w==', isBase64Encoded: true });
    client.socket.close();
  });

  it('selects by any $request.body path, and answers Forbidden when no route matches and there is no $default', async () => {
    const nested = report.websockets!.find((api) => api.name === 'nested')!;
    expect(nested.url.endsWith('/dev')).toBe(true);
    const client = await connect(nested.url);
    const routed = await echo(client, JSON.stringify({ message: { type: 'greet' } }));
    expect(routed.routeKey).toBe('greet');
    expect(routed.event.requestContext.stage).toBe('dev');
    client.send(JSON.stringify({ action: 'greet' }));
    const refused = await client.nextJson();
    expect(refused).toEqual({ message: 'Forbidden', connectionId: routed.event.requestContext.connectionId, requestId: expect.stringMatching(/=$/) });
    client.socket.close();
  });

  it('sends the response of a two-way route back and discards that of a one-way route', async () => {
    const client = await connect(chatUrl);
    client.send(JSON.stringify({ action: 'quiet' }));
    await expect.poll(() => ended.get('oneway') ?? 0, { timeout: 20_000 }).toBe(1);
    const after = await echo(client, JSON.stringify({ action: 'echo', n: 2 }));
    // The one-way route's answer (sent first) never arrived: the first message is the echo of the second.
    expect(after.event.body).toBe('{"action":"echo","n":2}');
    expect(client.received).toHaveLength(1);
    client.socket.close();
  });

  it("tells the client when the route's function fails, as API Gateway does", async () => {
    const client = await connect(chatUrl);
    client.send(JSON.stringify({ action: 'boom' }));
    expect(await client.nextJson()).toEqual({ message: 'Internal server error', connectionId: expect.stringMatching(/=$/), requestId: expect.stringMatching(/=$/) });
    client.socket.close();
  });

  it('lets a function call @connections with the endpoint it builds from domainName and stage', async () => {
    const client = await connect(chatUrl);
    client.send(JSON.stringify({ action: 'whoami' }));
    const answer = await client.nextJson<{ you: string; sourceIp: string }>();
    expect(answer.you).toMatch(/=$/);
    expect(answer.sourceIp).toBe('127.0.0.1');
    client.socket.close();
  });

  it("lets a Python function call @connections with Debian's boto3", async () => {
    const client = await connect(chatUrl, { headers: { 'User-Agent': 'py-test' } });
    client.send(JSON.stringify({ action: 'pywho' }));
    expect(await client.nextJson()).toEqual({ python: true, userAgent: 'py-test' });
    client.socket.close();
  });

  it("reaches an API by its host (<api-id>.execute-api.localhost), with that host as the events' domainName", async () => {
    const chat = report.websockets!.find((api) => api.name === 'chat')!;
    const { port, host } = new URL(test.node.url);
    const client = await connect(`ws://${host}/production`, { headers: { Host: `${chat.id}.execute-api.localhost:${port}` } });
    const { event } = await echo(client, 'x');
    expect(event.requestContext).toMatchObject({ apiId: chat.id, domainName: `${chat.id}.execute-api.localhost:${port}`, stage: 'production' });
    client.socket.close();
  });

  it("posts to a connection with Debian's AWS CLI", async () => {
    const client = await connect(chatUrl);
    const { event } = await echo(client, 'x');
    const home = mkdtempSync(join(tmpdir(), 'flint-cli-home-'));
    try {
      await run(AWS_CLI, ['apigatewaymanagementapi', 'post-to-connection', '--connection-id', event.requestContext.connectionId, '--data', '{"from":"cli"}', '--cli-binary-format', 'raw-in-base64-out', '--endpoint-url', `${test.node.url}/production`], {
        env: { ...clientEnv(test.node), HOME: home },
      });
      expect(await client.nextJson()).toEqual({ from: 'cli' });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    client.socket.close();
  });

  it('posts to, describes and deletes a connection with the SDK, then answers GoneException', async () => {
    const client = await connect(chatUrl, { headers: { 'User-Agent': 'flint-test/1.0' } });
    const connectedAt = clock.now();
    const { event } = await echo(client, 'who am i');
    const id = event.requestContext.connectionId;

    await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: JSON.stringify({ hello: 'there' }) }));
    expect(await client.nextJson()).toEqual({ hello: 'there' });

    await clock.advance(60_000);
    client.send('still here');
    await client.next();
    const info = await management.send(new GetConnectionCommand({ ConnectionId: id }));
    expect(info.ConnectedAt?.getTime()).toBe(connectedAt);
    expect(info.LastActiveAt?.getTime()).toBe(connectedAt + 60_000);
    expect(info.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'flint-test/1.0' });

    await management.send(new DeleteConnectionCommand({ ConnectionId: id }));
    expect((await client.closed).code).toBe(1000);
    const gone = await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'late' })).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(GoneException);
    expect((gone as GoneException).$metadata.httpStatusCode).toBe(410);
    await expect(management.send(new GetConnectionCommand({ ConnectionId: id }))).rejects.toBeInstanceOf(GoneException);
    await expect(management.send(new DeleteConnectionCommand({ ConnectionId: id }))).rejects.toBeInstanceOf(GoneException);
    await expect(management.send(new GetConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' }))).rejects.toBeInstanceOf(GoneException);

    const disconnected = await recordedEvent(id, 'DISCONNECT');
    expect(disconnected.requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', connectionId: id, connectedAt, disconnectStatusCode: 1000 });
  });

  it('leaves requests signed for execute-api outside @connections to the HTTP APIs (IAM-authorised calls)', async () => {
    const authorization = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=0';
    const res = await fetch(`${test.node.url}/ping`, { headers: { authorization } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).routeKey).toBe('GET /ping');
  });

  it('refuses a callback URL of another stage with ForbiddenException', async () => {
    const client = await connect(chatUrl);
    const { event } = await echo(client, 'x');
    const elsewhere = new ApiGatewayManagementApiClient({ ...test.config, endpoint: `${test.node.url}/dev` });
    const refused = await elsewhere.send(new PostToConnectionCommand({ ConnectionId: event.requestContext.connectionId, Data: 'x' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenException);
    expect((refused as ForbiddenException).$metadata.httpStatusCode).toBe(403);
    client.socket.close();
  });

  it('sends messages up to 128 KB (in 32 KB frames) and refuses larger ones with PayloadTooLargeException', async () => {
    const client = await connect(chatUrl);
    const { event } = await echo(client, 'x');
    const id = event.requestContext.connectionId;
    const big = 'x'.repeat(128 * 1024);
    await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: big }));
    expect(await client.next()).toBe(big);
    const tooBig = await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: `${big}x` })).catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(PayloadTooLargeException);
    expect((tooBig as PayloadTooLargeException).$metadata.httpStatusCode).toBe(413);
    client.socket.close();
  });

  /** Sends one text message in frames of `frame` bytes. */
  function sendFragmented(client: TestSocket, text: string, frame: number): void {
    for (let offset = 0; offset < text.length; offset += frame) {
      client.socket.send(text.slice(offset, offset + frame), { binary: false, fin: offset + frame >= text.length });
    }
  }

  it('takes a 100 KB message sent in 32 KB frames whole', async () => {
    const client = await connect(chatUrl);
    const text = JSON.stringify({ action: 'echo', padding: 'z'.repeat(100 * 1024) });
    sendFragmented(client, text, 32 * 1024);
    const { event } = await client.nextJson<Echo>();
    expect(event.body).toBe(text);
    client.socket.close();
  });

  it('closes the connection with 1009 for a frame over 32 KB or a message over 128 KB', async () => {
    const oneFrame = await connect(chatUrl);
    oneFrame.send('y'.repeat(32 * 1024 + 1));
    expect((await oneFrame.closed).code).toBe(1009);
    expect(oneFrame.received).toEqual([]);
    const manyFrames = await connect(chatUrl);
    sendFragmented(manyFrames, 'y'.repeat(128 * 1024 + 1), 32 * 1024);
    expect((await manyFrames.closed).code).toBe(1009);
  });

  it('reports the close code and reason the client sent in the $disconnect event', async () => {
    const client = await connect(chatUrl);
    const { event } = await echo(client, 'x');
    client.socket.close(4000, 'bye');
    await client.closed;
    const disconnected = await recordedEvent(event.requestContext.connectionId, 'DISCONNECT');
    expect(disconnected.requestContext).toMatchObject({ disconnectStatusCode: 4000, disconnectReason: 'bye' });
    expect(disconnected.headers).toMatchObject({ Host: new URL(test.node.url).host });
  });

  it('closes a connection idle for 10 minutes with 1001 "Going away", on the node clock', async () => {
    const client = await connect(chatUrl);
    const { event } = await echo(client, 'x');
    await clock.advance(9 * 60_000);
    await echo(client, 'keeps it alive');
    await clock.advance(9 * 60_000);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    await clock.advance(60_000 + 1);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    const disconnected = await recordedEvent(event.requestContext.connectionId, 'DISCONNECT');
    expect(disconnected.requestContext).toMatchObject({ disconnectStatusCode: 1001, disconnectReason: 'Going away' });
    await expect(management.send(new GetConnectionCommand({ ConnectionId: event.requestContext.connectionId }))).rejects.toBeInstanceOf(GoneException);
  });

  it('closes a connection after 2 hours however active it is', async () => {
    const client = await connect(chatUrl);
    await echo(client, 'x');
    for (let minute = 0; minute < 119; minute += 7) {
      await clock.advance(7 * 60_000);
      await echo(client, 'active');
    }
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    await clock.advance(2 * 60 * 60_000);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
  });
});
