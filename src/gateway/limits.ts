import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';

/**
 * What the listener allows one client, so that a node reachable from a network keeps answering good requests while
 * bad ones arrive: the size and number of request headers, how long headers may take to arrive, how long a request
 * body may stall, and how many connections are open at once. Body sizes are each service's own (its protocol's
 * limit and its own error: S3's EntityTooLarge above 5 GiB, DynamoDB's 16 MB, Lambda's 6 MB invocations and 70 MB
 * code uploads, API Gateway's 10 MB), not the gateway's.
 */
export interface GatewayLimits {
  /** Bytes of the request line and headers together; larger gets 431. Node's default; S3 allows 8 KB of headers, API Gateway 10 KB. */
  maxHeaderBytes: number;
  /** Header fields per request; more gets 431 (node:http would otherwise drop the rest silently). */
  maxHeaderCount: number;
  /** A request's headers must all arrive within this long of its first byte (a client trickling them is cut off with 408). */
  headersTimeoutMs: number;
  /**
   * A request body that stalls this long (no byte arrives while the service waits for one) is cut off. Stalls only:
   * a 5 GiB upload may take as long as it needs while bytes keep coming, and a slow service reading the body does
   * not count against the client.
   */
  bodyIdleTimeoutMs: number;
  /** Open connections at once; the listener closes new ones beyond this at once. */
  maxConnections: number;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 200,
  headersTimeoutMs: 20_000,
  // S3 answers RequestTimeout after about 20 s without data on an upload's socket.
  bodyIdleTimeoutMs: 20_000,
  maxConnections: 10_000,
};

/** The node:http server options these limits set; the whole-request timeout is off, since a large upload may be slow. */
export function serverOptions(limits: GatewayLimits): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: 0,
    // How often node:http checks the headers timeout: often enough that the timeout holds within a quarter of itself.
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/** Applies the limits node:http takes as server properties. */
export function applyServerLimits(server: Server, limits: GatewayLimits): void {
  server.maxConnections = limits.maxConnections;
  // One past the limit, so a request with too many is seen (node:http drops fields beyond this count).
  server.maxHeadersCount = limits.maxHeaderCount + 1;
}

/** Whether a request carries more header fields than allowed: answered 431 by the gateway. */
export function tooManyHeaders(req: IncomingMessage, limits: GatewayLimits): boolean {
  return req.rawHeaders.length / 2 > limits.maxHeaderCount;
}

export function headersTooMany(res: ServerResponse): void {
  res.writeHead(431, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ message: 'Request Header Fields Too Large' }));
}

interface Watched {
  bytes: number;
  since: number;
}

/**
 * Cuts off request bodies that stall. Every in-flight request whose body has not ended is checked on a timer: if
 * no byte arrived on its socket for `bodyIdleTimeoutMs` while the body's buffer had room (so the client, not a busy
 * service, is the slow side), its socket is destroyed. One timer for the listener, not one per request.
 */
export class StalledBodyWatch {
  private readonly watched = new Map<IncomingMessage, Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.check(), Math.max(5, Math.floor(this.idleMs / 4)));
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }

  /** Watches a request until its body ends or it closes. */
  watch(req: IncomingMessage): void {
    if (req.complete) return;
    this.watched.set(req, { bytes: req.socket.bytesRead, since: this.now() });
    const forget = (): void => {
      this.watched.delete(req);
    };
    req.once('end', forget);
    req.once('close', forget);
  }

  private check(): void {
    const now = this.now();
    for (const [req, seen] of this.watched) {
      const bytes = req.socket.bytesRead;
      const full = req.readableLength >= req.readableHighWaterMark;
      if (bytes !== seen.bytes || full || req.complete) {
        seen.bytes = bytes;
        seen.since = now;
      } else if (now - seen.since >= this.idleMs) {
        this.watched.delete(req);
        req.socket.destroy();
      }
    }
  }
}
