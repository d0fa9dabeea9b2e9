import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { createZip } from '../../../src/functions/index.js';

/**
 * A gate a function waits at between two writes: it fetches `url`, and the request is answered only when the test
 * opens the gate, after it has read the first chunk. A chunk read before the gate opens was streamed, not buffered.
 */
export class Gate {
  private waiting: ServerResponse[] = [];
  private opened = false;
  requests = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Gate> {
    const arrivals: { gate?: Gate } = {};
    const server = createServer((_req, res) => arrivals.gate!.arrive(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    arrivals.gate = new Gate(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return arrivals.gate;
  }

  open(): void {
    this.opened = true;
    for (const res of this.waiting.splice(0)) res.end('open');
  }

  /** Closes the gate again for the next test. */
  reset(): void {
    this.opened = false;
  }

  async close(): Promise<void> {
    this.open();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private arrive(res: ServerResponse): void {
    this.requests++;
    if (this.opened) res.end('open');
    else this.waiting.push(res);
  }
}

/**
 * A streaming handler (awslambda.streamifyResponse): writes "first;", waits at the gate named in the event, writes
 * "second;", then ends, or fails when asked. With `http`, it answers as an HTTP response for a function URL.
 */
export const STREAMING_SOURCE = `
exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
  const input = typeof event.body === 'string' ? JSON.parse(event.body) : event;
  if (input.http) {
    responseStream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-streamed': 'yes', 'content-type': 'text/plain' }, cookies: ['a=1'] });
  } else {
    responseStream.setContentType('text/plain');
  }
  responseStream.write('first;');
  await fetch(input.gate);
  responseStream.write('second;');
  if (input.fail) throw new Error('failed mid-stream');
  responseStream.end();
});
`;

export function streamingZip(): Uint8Array {
  return createZip([{ path: 'index.js', data: Buffer.from(STREAMING_SOURCE), mode: 0o644 }]);
}

export function sourceZip(source: string): Uint8Array {
  return createZip([{ path: 'index.js', data: Buffer.from(source), mode: 0o644 }]);
}

/**
 * A custom runtime (provided.al2023) whose bootstrap speaks the Runtime API's streaming mode itself, as AWS documents it
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html#runtimes-custom-response-streaming): a chunked
 * POST with Lambda-Runtime-Function-Response-Mode: streaming, "first;" then, after the gate, "second;", and with
 * `fail` an error in the trailers Lambda-Runtime-Function-Error-Type and Lambda-Runtime-Function-Error-Body.
 */
export const STREAMING_BOOTSTRAP = `#!/usr/bin/env node
const http = require('node:http');
const api = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/invocation/';
function next() {
  http.get(api + 'next', (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => respond(res.headers['lambda-runtime-aws-request-id'], JSON.parse(body)));
  });
}
function respond(id, event) {
  const req = http.request(api + id + '/response', {
    method: 'POST',
    headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Transfer-Encoding': 'chunked', 'Content-Type': 'text/plain', Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' },
  }, (res) => { res.resume(); res.on('end', next); });
  req.write('first;');
  http.get(event.gate, (res) => {
    res.resume();
    res.on('end', () => {
      req.write('second;');
      if (event.fail) {
        const doc = JSON.stringify({ errorType: 'StreamBroke', errorMessage: 'custom runtime failed mid-stream' });
        req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': 'StreamBroke', 'Lambda-Runtime-Function-Error-Body': Buffer.from(doc).toString('base64') });
      }
      req.end();
    });
  });
}
next();
`;

export function customRuntimeZip(): Uint8Array {
  return createZip([{ path: 'bootstrap', data: Buffer.from(STREAMING_BOOTSTRAP), mode: 0o755 }]);
}

export async function createNodeFunction(lambda: LambdaClient, name: string, zip: Uint8Array, timeout = 10): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/lambda-role', Code: { ZipFile: zip }, Timeout: timeout }),
  );
}
