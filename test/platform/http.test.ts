import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import { startNode, type FlintNode } from '../../src/platform/index.js';

const MANIFEST = `app: gateway-test
functions:
  echo:
    runtime: nodejs20.x
    handler: index.echo
    events:
      - http: ANY /echo/{proxy+}
  malformed:
    runtime: nodejs20.x
    handler: index.malformed
    events:
      - http: GET /malformed
  thrower:
    runtime: nodejs20.x
    handler: index.thrower
    events:
      - http: GET /thrower
  slow:
    runtime: nodejs20.x
    handler: index.slow
    timeout: 1
    events:
      - http: GET /slow
  disabled:
    runtime: nodejs20.x
    handler: index.echo
    reservedConcurrency: 0
    events:
      - http: GET /disabled
  rest:
    runtime: nodejs20.x
    handler: index.echo
    events:
      - http: { method: GET, path: "/rest/{id}", api: legacy }
apis:
  legacy:
    payload: "1.0"
`;

const CODE = `
exports.echo = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });
exports.malformed = async () => ({ statusCode: 'not a number' });
exports.thrower = async () => { throw new Error('boom'); };
exports.slow = () => new Promise((resolve) => setTimeout(resolve, 5000));
`;

describe('the gateway, end to end in one node', () => {
  let node: FlintNode;
  let appDir: string;
  let dataDir: string;

  beforeAll(async () => {
    appDir = mkdtempSync(join(tmpdir(), 'flint-gw-app-'));
    dataDir = mkdtempSync(join(tmpdir(), 'flint-gw-data-'));
    writeFileSync(join(appDir, 'flint.yaml'), MANIFEST);
    writeFileSync(join(appDir, 'index.js'), CODE);
    writeFileSync(join(appDir, 'package.json'), '{"type":"commonjs"}');
    node = await startNode({ dataDir, port: 0, logger: silentLogger, sandbox: 'process' });
    await node.deployDir(appDir);
  });
  afterAll(async () => {
    await node?.close();
    rmSync(appDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds a payload 2.0 event with the request as sent', async () => {
    const res = await fetch(`${node.url}/echo/a/b%20c?x=1&x=2&y=3`, { method: 'PUT', headers: { cookie: 'a=1; b=2', 'x-custom': 'v' }, body: 'hello' });
    expect(res.status).toBe(200);
    const event = (await res.json()) as Record<string, unknown> & { requestContext: Record<string, unknown> & { http: Record<string, unknown> } };
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('ANY /echo/{proxy+}');
    expect(event.pathParameters).toEqual({ proxy: 'a/b c' });
    expect(event.queryStringParameters).toEqual({ x: '1,2', y: '3' });
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect((event.headers as Record<string, string>)['x-custom']).toBe('v');
    expect(event.body).toBe('hello');
    expect(event.requestContext.http).toMatchObject({ method: 'PUT', sourceIp: '127.0.0.1' });
    expect(event.requestContext.accountId).toBe('000000000000');
  });

  it('builds a payload 1.0 event for a REST-style API', async () => {
    const res = await fetch(`${node.url}/rest/42?a=1`);
    const event = (await res.json()) as Record<string, unknown>;
    expect(event).toMatchObject({ resource: '/rest/{id}', path: '/rest/42', httpMethod: 'GET', pathParameters: { id: '42' }, queryStringParameters: { a: '1' }, multiValueQueryStringParameters: { a: ['1'] } });
  });

  it('reaches one API on its own execute-api host', async () => {
    const api = node.apis.list().find((a) => a.config.name === 'legacy')!;
    const host = `${api.config.id}.execute-api.localhost:${new URL(node.url).port}`;
    expect(await statusWithHost(`${node.url}/rest/7`, host)).toBe(200);
    // The other API's route is not part of this REST API: 403 Missing Authentication Token, as REST answers.
    expect(await statusWithHost(`${node.url}/malformed`, host)).toBe(403);
  });

  // HTTP APIs: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
  it('answers 500 Internal Server Error for a malformed response and for a function error', async () => {
    const malformed = await fetch(`${node.url}/malformed`);
    expect(malformed.status).toBe(500);
    expect(await malformed.json()).toEqual({ message: 'Internal Server Error' });
    const thrown = await fetch(`${node.url}/thrower`);
    expect(thrown.status).toBe(500);
  });

  // A function that runs out of its own time has failed like any other; API Gateway's own 503/504 is its 30/29 s
  // integration timeout (test/services/apigateway/integration-timeout.test.ts).
  it('answers a function timing out as a function error', async () => {
    const res = await fetch(`${node.url}/slow`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
  });

  // Lambda refused the invocation: https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
  it('answers 500 when the function is throttled', async () => {
    const res = await fetch(`${node.url}/disabled`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 413 when the event would exceed the 6 MB invocation limit', async () => {
    const res = await fetch(`${node.url}/echo/big`, { method: 'POST', body: 'x'.repeat(6 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
  });

  it('routes signed requests by their credential scope, and says which services it does not emulate yet', async () => {
    const signed = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x` });
    const lambda = await fetch(`${node.url}/2015-03-31/functions/`, { headers: signed('lambda') });
    expect(lambda.status).toBe(200);
    expect(((await lambda.json()) as { Functions: unknown[] }).Functions.length).toBeGreaterThan(0);
    const s3 = await fetch(`${node.url}/no-such-bucket/key`, { headers: signed('s3') });
    expect(s3.status).toBe(404);
    expect(await s3.text()).toContain('<Code>NoSuchBucket</Code>');
    const kinesis = await fetch(`${node.url}/`, { method: 'POST', headers: signed('kinesis') });
    expect(kinesis.status).toBe(501);
  });

  it("answers unknown paths with API Gateway's 404", async () => {
    const res = await fetch(`${node.url}/nothing/here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });

  it('refuses, before changing anything, an app whose route another app already serves', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'flint-gw-other-'));
    try {
      writeFileSync(join(otherDir, 'flint.yaml'), 'app: other\nfunctions:\n  mine:\n    runtime: nodejs20.x\n    handler: index.echo\n    events:\n      - http: GET /disabled\n');
      writeFileSync(join(otherDir, 'index.js'), CODE);
      await expect(node.deployDir(otherDir)).rejects.toMatchObject({ code: 'ROUTE_CONFLICT' });
      expect(await node.registry.list({}).then((page) => page.items.map((f) => f.name))).not.toContain('mine');
      expect((await fetch(`${node.url}/disabled`)).status).toBe(500);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  // Last: it restarts the node.
  it('keeps reserved concurrency across a restart', async () => {
    await node.close();
    node = await startNode({ dataDir, port: 0, logger: silentLogger, sandbox: 'process' });
    expect((await fetch(`${node.url}/disabled`)).status).toBe(500);
    expect((await fetch(`${node.url}/echo/x`)).status).toBe(200);
  });
});

/** fetch() will not send a Host header of our choosing; node:http will. */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}
