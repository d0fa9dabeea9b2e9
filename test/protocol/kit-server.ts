import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { streamBody, type Service } from '../../src/core/index.js';

/**
 * Serves one kit service on a loopback port, so real clients (SDK v3, boto3, the AWS CLI) can exercise a protocol
 * against handlers written for the test. The product's gateway routes by service name; this is the kit alone.
 */
export async function serveKit(service: Service): Promise<{ url: string; close(): Promise<void> }> {
  let id = 0;
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const host = req.headers.host ?? 'localhost';
    void service
      .handle({
        method: req.method ?? 'GET',
        rawPath: q < 0 ? url : url.slice(0, q),
        query: new URLSearchParams(q < 0 ? '' : url.slice(q)),
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: streamBody(req),
        requestId: `req-${++id}`,
        host,
        baseUrl: `http://${host}`,
        sourceIp: '127.0.0.1',
      })
      .then(async (response) => {
        const body = response.body;
        if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
          const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
          res.writeHead(response.status, { ...response.headers, 'content-length': String(bytes.length) } as Record<string, string>);
          res.end(bytes);
        } else {
          res.writeHead(response.status, response.headers as Record<string, string>);
          await pipeline(body, res);
        }
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
