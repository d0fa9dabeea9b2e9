import { connect, type Socket } from 'node:net';

/** What a raw connection saw: the bytes the node sent and whether (and how soon) it closed the connection. */
export interface RawOutcome {
  response: string;
  closed: boolean;
  /** Milliseconds from connecting to the node closing the connection. */
  closedAfterMs: number;
}

/** Opens a raw TCP connection to the node, for clients no HTTP library would be: malformed, oversized, trickling. */
export function rawConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends `head` at once, then `bytes` (at once, or `trickle` bytes every `everyMs`), and waits for the node to close
 * the connection, up to `deadlineMs`; the connection is then closed by the client if the node did not.
 */
export interface RawOptions {
  head?: string;
  trickle?: number;
  everyMs?: number;
  deadlineMs?: number;
  /** Half-close after sending (the client has nothing more to say), so the node answers and closes. */
  end?: boolean;
}

export async function rawExchange(port: number, bytes: Buffer | string, options: RawOptions = {}): Promise<RawOutcome> {
  const started = performance.now();
  const socket = await rawConnect(port);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  const data = Buffer.from(bytes);
  if (options.head !== undefined) socket.write(options.head);
  let timer: NodeJS.Timeout | undefined;
  if (options.trickle) {
    let at = 0;
    // The trickling client itself: a few bytes on a timer, as a slow-loris attacker sends them.
    timer = setInterval(() => {
      if (socket.destroyed || at >= data.length) return clearInterval(timer);
      socket.write(data.subarray(at, at + options.trickle!));
      at += options.trickle!;
    }, options.everyMs ?? 20);
  } else if (options.end) socket.end(data);
  else socket.write(data);
  const closed = await new Promise<boolean>((resolve) => {
    const deadline = setTimeout(() => resolve(false), options.deadlineMs ?? 5_000);
    socket.once('close', () => {
      clearTimeout(deadline);
      resolve(true);
    });
  });
  clearInterval(timer);
  const closedAfterMs = performance.now() - started;
  socket.destroy();
  return { response: Buffer.concat(chunks).toString('latin1'), closed, closedAfterMs };
}
