import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, runFlint, type RunningFlint } from '../../test/helpers/cli.js';
import { connect, HandshakeRefused, type TestSocket } from '../../test/services/apigateway/websocket-client.js';

const CLIENTS = 100;
const SENDERS = 5;
/** Clients connect this many at a time, as people join a room: the $connect function scales out to about this. */
const JOIN_BATCH = 10;

describe('example: ws-chat (a WebSocket chat room with 100 real clients)', () => {
  let flint: RunningFlint;
  let url: string;
  let db: DynamoDBClient;
  const clients: TestSocket[] = [];

  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
    url = /WebSocket API chat at (ws:\/\/\S+)/.exec(flint.output())![1]!;
    db = new DynamoDBClient({ endpoint: flint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    for (const client of clients) client.socket.terminate();
    await flint?.stop();
  });

  const connections = async (): Promise<number> => (await db.send(new ScanCommand({ TableName: 'Connections', Select: 'COUNT' }))).Count ?? 0;

  it('prints the WebSocket URL and the routes after deploy', () => {
    expect(flint.output()).toMatch(/WebSocket API chat at ws:\/\/127\.0\.0\.1:\d+\/_flint\/ws\/[a-z0-9]{10}\/production/);
    expect(flint.output()).toMatch(/sendmessage\s+→ sendMessage/);
  });

  it('lists the routes with the WebSocket URL in flint ls', async () => {
    const listed = await runFlint(['ls', '--endpoint', flint.url]);
    expect(listed.stdout).toMatch(new RegExp(`ws-chat\\s+chat\\s+sendmessage\\s+sendMessage\\s+${url.replace(/[/.]/g, '\\$&')}`));
  });

  it('refuses a client without a name, as $connect says', async () => {
    const refused = await connect(url).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HandshakeRefused);
    expect((refused as HandshakeRefused).status).toBe(400);
  });

  it('connects 100 clients, each stored in the Connections table', async () => {
    for (let i = 0; i < CLIENTS; i += JOIN_BATCH) {
      const batch = Array.from({ length: Math.min(JOIN_BATCH, CLIENTS - i) }, (_, k) => connect(`${url}?name=user-${i + k}`));
      clients.push(...(await Promise.all(batch)));
    }
    expect(clients).toHaveLength(CLIENTS);
    expect(await connections()).toBe(CLIENTS);
  }, 120_000);

  it('delivers every broadcast to every client', async () => {
    const senders = [0, 17, 42, 73, 99].slice(0, SENDERS);
    for (const s of senders) clients[s]!.send(JSON.stringify({ action: 'sendmessage', text: `hello from ${s}` }));
    const expected = senders.map((s) => JSON.stringify({ from: `user-${s}`, text: `hello from ${s}` })).sort();
    const everyone = await Promise.all(clients.map(async (client) => (await Promise.all(senders.map(() => client.next()))).map(String).sort()));
    for (const received of everyone) expect(received).toEqual(expected);
  }, 120_000);

  it('answers an unknown action on the same connection with a usage hint', async () => {
    const client = clients[5]!;
    client.send(JSON.stringify({ action: 'dance' }));
    expect(await client.nextJson()).toEqual({ error: 'unknown action', usage: { action: 'sendmessage', text: '<your message>' } });
  });

  it('forgets a client that leaves, and drops a stale connection that answers GoneException', async () => {
    const leaving = clients.pop()!;
    leaving.socket.close(1000, 'bye');
    await expect.poll(connections, { timeout: 20_000 }).toBe(CLIENTS - 1);
    await db.send(new PutItemCommand({ TableName: 'Connections', Item: { connectionId: { S: 'AAAAAAAAAAAAAAA=' }, name: { S: 'ghost' } } }));
    clients[0]!.send(JSON.stringify({ action: 'sendmessage', text: 'who is here?' }));
    const everyone = await Promise.all(clients.map((client) => client.nextJson()));
    expect(new Set(everyone.map((m) => JSON.stringify(m)))).toEqual(new Set([JSON.stringify({ from: 'user-0', text: 'who is here?' })]));
    await expect.poll(connections, { timeout: 20_000 }).toBe(CLIENTS - 1);
  }, 60_000);
});
