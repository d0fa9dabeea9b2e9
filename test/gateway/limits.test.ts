import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { rawConnect, rawExchange } from './raw-client.js';

/** Limits small enough for a test to reach quickly; the defaults are in src/gateway/limits.ts. */
const LIMITS = { maxHeaderBytes: 8 * 1024, maxHeaderCount: 50, headersTimeoutMs: 300, bodyIdleTimeoutMs: 300, maxConnections: 120 };
const AUTH = (service: string): string => `AWS4-HMAC-SHA256 Credential=AKIDLIMITS/20261207/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

describe('gateway limits', () => {
  let test: TestNode;
  let port: number;

  /** A well-behaved client's call: DynamoDB ListTables over a fresh connection. */
  const goodCall = async (): Promise<{ status: number; ms: number }> => {
    const started = performance.now();
    const response = await fetch(`${test.node.url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0', authorization: AUTH('dynamodb') },
      body: '{}',
    });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  };

  beforeAll(async () => {
    test = await startTestNode({ limits: LIMITS });
    port = Number(new URL(test.node.url).port);
  });
  afterAll(async () => {
    await test.close();
  });

  it('answers headers larger than the limit with 431, and keeps serving', async () => {
    const outcome = await rawExchange(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(10_000)}\r\n\r\n`);
    expect(outcome.response).toMatch(/^HTTP\/1\.1 431 /);
    expect(outcome.closed).toBe(true);
    expect((await goodCall()).status).toBe(200);
  });

  it('answers more header fields than the limit with 431 instead of dropping the rest', async () => {
    const headers = Array.from({ length: 60 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const outcome = await rawExchange(port, `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n${headers}\r\n`);
    expect(outcome.response).toMatch(/^HTTP\/1\.1 431 /);
    const fifty = Array.from({ length: 45 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const within = await rawExchange(port, `GET /_flint/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${fifty}\r\n`);
    expect(within.response).not.toMatch(/^HTTP\/1\.1 431 /);
  });

  it('cuts off a client trickling its headers within the headers timeout, while a normal client is served', async () => {
    const trickling = rawExchange(port, `GET / HTTP/1.1\r\nHost: x\r\n${'X-Slow: 1\r\n'.repeat(200)}\r\n`, { trickle: 2, everyMs: 20, deadlineMs: 3_000 });
    const served = await goodCall();
    expect(served.status).toBe(200);
    const outcome = await trickling;
    expect(outcome.closed).toBe(true);
    // 300 ms of headers timeout, checked every 75 ms: cut off well before the 2 s the whole header would take.
    expect(outcome.closedAfterMs).toBeLessThan(1_500);
    expect(outcome.response).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts off a request body that stalls, and lets a slow but steady upload finish', async () => {
    const head = `PUT /limits-bucket/stalled HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH('s3')}\r\nContent-Length: 1000\r\n\r\n`;
    expect((await rawExchange(port, `PUT /limits-bucket HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH('s3')}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)).response).toMatch(/^HTTP\/1\.1 200 /);
    const stalled = await rawExchange(port, `${head}${'x'.repeat(10)}`, { deadlineMs: 3_000 });
    expect(stalled.closed).toBe(true);
    expect(stalled.closedAfterMs).toBeLessThan(1_500);

    // 600 bytes, 40 every 60 ms: slower than the whole request would take on any network, never idle for 300 ms.
    const steadyHead = `PUT /limits-bucket/steady HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH('s3')}\r\nContent-Length: 600\r\nConnection: close\r\n\r\n`;
    const steady = await rawExchange(port, 'y'.repeat(600), { head: steadyHead, trickle: 40, everyMs: 60, deadlineMs: 5_000 });
    expect(steady.response).toMatch(/^HTTP\/1\.1 200 /);
    const read = await fetch(`${test.node.url}/limits-bucket/steady`, { headers: { authorization: AUTH('s3') } });
    expect(await read.text()).toBe('y'.repeat(600));
  });

  it("refuses bodies over each API's documented limit from the declared length, with the service's own error", async () => {
    const declared = async (head: string): Promise<string> => (await rawExchange(port, head, { deadlineMs: 3_000 })).response;
    // S3: a single PUT takes up to 5 GiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html).
    const s3 = await declared(`PUT /limits-bucket/huge HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH('s3')}\r\nContent-Length: ${5 * 1024 ** 3 + 1}\r\nConnection: close\r\n\r\n`);
    expect(s3).toMatch(/^HTTP\/1\.1 400 /);
    expect(s3).toContain('<Code>EntityTooLarge</Code>');
    // Lambda: 6 MB synchronous invocation payload (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
    const lambda = await declared(`POST /2015-03-31/functions/f/invocations HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH('lambda')}\r\nContent-Length: ${6 * 1024 * 1024 + 1}\r\nConnection: close\r\n\r\n`);
    expect(lambda).toMatch(/^HTTP\/1\.1 413 /);
    expect(lambda).toContain('x-amzn-ErrorType: RequestEntityTooLargeException');
    // DynamoDB: 16 MB per request (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
    const dynamodb = await declared(
      `POST / HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH('dynamodb')}\r\nX-Amz-Target: DynamoDB_20120810.BatchWriteItem\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: ${16 * 1024 * 1024 + 1}\r\nConnection: close\r\n\r\n`,
    );
    expect(dynamodb).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(dynamodb).toContain('ValidationException');
    // API Gateway: 10 MB payload (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
    const api = await declared(`POST /anything HTTP/1.1\r\nHost: x\r\nContent-Length: ${10 * 1024 * 1024 + 1}\r\nConnection: close\r\n\r\n`);
    expect(api).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('closes connections beyond the cap at once, and serves again when they go', async () => {
    const sockets = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => rawConnect(port)));
    try {
      const refused = await rawExchange(port, 'GET /_flint/health HTTP/1.1\r\nHost: x\r\n\r\n', { deadlineMs: 3_000 });
      expect(refused.closed).toBe(true);
      expect(refused.response).toBe('');
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    await expect.poll(async () => (await goodCall().catch(() => ({ status: 0 }))).status).toBe(200);
  });

  it('keeps answering a good client promptly while many connections flood it with bad requests', async () => {
    const garbage = [
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), // a TLS ClientHello on the plain port
      Buffer.from('\x00\xff\xfe GARBAGE\r\n\r\n'),
      Buffer.from('GET / HTTP/9.9\r\n\r\n'),
      Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(9_000)}\r\n\r\n`),
      Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n'),
      Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzzz\r\n'),
      Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH('dynamodb')}\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Length: 9\r\n\r\n{"Item":[`),
      Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH('sqs')}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=SendMessage&`),
    ];
    let flooding = true;
    const attacker = async (i: number): Promise<number> => {
      let sent = 0;
      while (flooding) {
        const bytes = garbage[(i + sent) % garbage.length]!;
        // Some send at once, some trickle: both kinds hold connections until the node lets go.
        await rawExchange(port, bytes, i % 4 === 0 ? { trickle: 8, everyMs: 30, deadlineMs: 2_000 } : { deadlineMs: 2_000 });
        sent++;
      }
      return sent;
    };
    const attackers = Array.from({ length: 40 }, (_, i) => attacker(i));
    const latencies: number[] = [];
    try {
      for (let i = 0; i < 25; i++) {
        const call = await goodCall();
        expect(call.status).toBe(200);
        latencies.push(call.ms);
      }
    } finally {
      flooding = false;
    }
    const sent = (await Promise.all(attackers)).reduce((a, b) => a + b, 0);
    expect(sent).toBeGreaterThan(40);
    // Each good call stays quick under the flood: bounded far below the attackers' timeouts.
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  });
});
