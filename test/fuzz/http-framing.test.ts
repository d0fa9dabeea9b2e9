import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange } from '../gateway/raw-client.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { checkProperty, mutatedBytes } from './fuzz.js';

const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIAFUZZ/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';

/** Request heads as a client might write them, right or wrong: methods, targets, versions, framing headers. */
const head = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'BREW', 'get', ''),
    target: fc.constantFrom('/', '/_flint/health', '/bucket/key', '/2015-03-31/functions', '*', 'http://x/', '/%', '/%00', '//..//', `/${'a'.repeat(3000)}`, '/?a=%zz&&=', ''),
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', 'HTTP/1', ''),
    headers: fc.array(
      fc.constantFrom(
        'Host: x',
        'Content-Length: 5',
        'Content-Length: 0',
        'Content-Length: -1',
        'Content-Length: 99999999999999999999',
        'Content-Length: 5, 6',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: gzip, chunked',
        'Transfer-Encoding: identity',
        'Expect: 100-continue',
        'Connection: keep-alive, upgrade',
        'Upgrade: websocket',
        `Authorization: ${AUTH}`,
        'Authorization: AWS4-HMAC-SHA256 Credential=',
        'X-Amz-Target: DynamoDB_20120810.ListTables',
        'Content-Type: application/x-amz-json-1.0',
        ' folded: continuation',
        'No-Colon',
        'Bad Name: x',
        'X-Nul: a\0b',
        'X-Ctl: \x01\x7f',
      ),
      { maxLength: 8 },
    ),
    body: fc.constantFrom('', '{}', 'hello', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', 'ffffffffffffffff\r\n', '0\r\n\r\n'),
    lineEnd: fc.constantFrom('\r\n', '\n'),
  })
  .map(({ method, target, version, headers, body, lineEnd }) => Buffer.from(`${method} ${target} ${version}${lineEnd}${headers.join(lineEnd)}${lineEnd}${lineEnd}${body}`, 'latin1'));

/** HTTP framing over a real socket: request lines, headers and chunked bodies, generated and byte-mutated. */
describe('fuzz: HTTP framing', () => {
  let test: TestNode;
  let port: number;
  beforeAll(async () => {
    test = await startTestNode({ limits: { headersTimeoutMs: 500, bodyIdleTimeoutMs: 500 } });
    port = Number(new URL(test.node.url).port);
  });
  afterAll(async () => {
    await test.close();
  });

  it('answers every request with an HTTP status line or closes the connection, promptly, and stays up', async () => {
    await checkProperty(
      fc.asyncProperty(fc.oneof(head, head.chain((bytes) => mutatedBytes(bytes))), async (bytes) => {
        // The client half-closes after its bytes; the node must answer or let go within its timeouts.
        const outcome = await rawExchange(port, bytes, { end: true, deadlineMs: 3_000 });
        expect(outcome.closed, `the node let go of ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`).toBe(true);
        if (outcome.response !== '') expect(outcome.response).toMatch(/^HTTP\/1\.1 [1-5]\d\d /);
        expect(outcome.response, 'no 500 for a malformed request').not.toMatch(/^HTTP\/1\.1 500 /m);
      }),
      120,
      5_000,
    );
    const health = await fetch(`${test.node.url}/_flint/health`);
    expect(health.status).toBe(200);
  });
});
