import WebSocket from 'ws';

/** A real WebSocket client (the `ws` package) that keeps what it receives, for tests to await in order. */
export interface TestSocket {
  socket: WebSocket;
  /** Every message received so far (text as strings, binary as Buffers). */
  received: Array<string | Buffer>;
  /** The next message not yet taken by `next`. */
  next(): Promise<string | Buffer>;
  /** The next message, parsed as JSON. */
  nextJson<T = Record<string, unknown>>(): Promise<T>;
  send(data: string | Buffer): void;
  /** Resolves with the close code and reason, whoever closed. */
  closed: Promise<{ code: number; reason: string }>;
}

/** Connects; resolves once the handshake completed, rejects with the status when it was refused. */
export function connect(url: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<TestSocket> {
  const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
  const received: Array<string | Buffer> = [];
  let taken = 0;
  const waiters: Array<() => void> = [];
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    received.push(isBinary ? data : data.toString('utf8'));
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') }));
  });
  const next = async (): Promise<string | Buffer> => {
    while (received.length <= taken) await new Promise<void>((wake) => waiters.push(wake));
    return received[taken++]!;
  };
  const client: TestSocket = {
    socket,
    received,
    next,
    nextJson: async <T>() => JSON.parse(String(await next())) as T,
    send: (data) => socket.send(data),
    closed,
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => reject(new HandshakeRefused(res.statusCode ?? 0, body)));
    });
    socket.once('error', reject);
  });
}

export class HandshakeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`handshake refused with ${status}`);
  }
}
