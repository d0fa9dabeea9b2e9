/**
 * The HTTP side of a WebSocket handshake: which API an upgrade request names, the checks before $connect runs, and
 * refusing it with a status.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** The API and stage an upgrade request names: by host (`<api-id>.execute-api.<anything>/<stage>`) or by path. */
export interface UpgradeTarget {
  apiId: string;
  stage: string;
  rawQuery: string;
}

/** Where a client reaches a WebSocket API on any host of the node: `/_flint/ws/<api-id>/<stage>`. */
export const WEBSOCKET_PATH_PREFIX = '/_flint/ws/';

export function upgradeTarget(host: string, target: string): UpgradeTarget | undefined {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const byHost = /^([a-z0-9]{10})\.execute-api\./.exec(host)?.[1];
  if (byHost) {
    const stage = /^\/([^/]+)\/?$/.exec(path)?.[1];
    return stage ? { apiId: byHost, stage: decodeURIComponent(stage), rawQuery } : undefined;
  }
  if (!path.startsWith(WEBSOCKET_PATH_PREFIX)) return undefined;
  const parts = /^([a-z0-9]{10})\/([^/]+)\/?$/.exec(path.slice(WEBSOCKET_PATH_PREFIX.length));
  return parts ? { apiId: parts[1]!, stage: decodeURIComponent(parts[2]!), rawQuery } : undefined;
}

/** A WebSocket upgrade request ws would accept (RFC 6455 section 4.2.1): checked before $connect is invoked. */
export function isWebSocketHandshake(req: IncomingMessage): boolean {
  const key = req.headers['sec-websocket-key'];
  return (
    req.method === 'GET' &&
    String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    typeof key === 'string' &&
    /^[+/0-9A-Za-z]{22}==$/.test(key) &&
    req.headers['sec-websocket-version'] === '13'
  );
}

/** Answers the upgrade request with a plain HTTP status and closes the socket: the handshake is refused. */
export function refuse(socket: Duplex, status: number, body: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const bytes = Buffer.from(body);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, 'Connection: close', `Content-Length: ${bytes.length}`];
  if (bytes.length > 0) lines.push('Content-Type: application/json');
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), bytes]));
}

/** The client's address, without the IPv4-mapped prefix. */
export function sourceIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function rawHeaderPairs(req: IncomingMessage): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) out.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  return out;
}
