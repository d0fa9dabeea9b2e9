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

export async function createNodeFunction(lambda: LambdaClient, name: string, zip: Uint8Array, timeout = 10): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/lambda-role', Code: { ZipFile: zip }, Timeout: timeout }),
  );
}
