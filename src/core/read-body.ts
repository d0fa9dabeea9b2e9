import type { IncomingMessage } from 'node:http';
import type { RequestBody } from './service.js';

/** Reads a request body; resolves `undefined` as soon as it exceeds `limit` (the rest is discarded). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return resolve(undefined);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= limit ? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)) : undefined));
    req.on('error', reject);
  });
}

/**
 * The body of an incoming request as the services see it: read whole up to a limit, or streamed chunk by chunk.
 * Leaving a `for await` early does not destroy the request, so an error response can still be sent on its socket.
 * `beforeRead` runs when a service first reads it: a request sent with `Expect: 100-continue` is answered
 * "100 Continue" then, so one refused on its headers alone gets its error without the client sending the body.
 */
export function streamBody(req: IncomingMessage, beforeRead?: () => void): RequestBody {
  const declared = Number(req.headers['content-length']);
  let taken = false;
  const take = (): void => {
    if (taken) throw new Error('the request body was already read');
    taken = true;
  };
  return {
    length: Number.isFinite(declared) ? declared : undefined,
    read: (limit) => {
      take();
      // A body too large to take is not asked for.
      if (!(Number.isFinite(declared) && declared > limit)) beforeRead?.();
      return readBody(req, limit);
    },
    [Symbol.asyncIterator]: () => {
      take();
      beforeRead?.();
      return req.iterator({ destroyOnReturn: false })[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    },
  };
}
