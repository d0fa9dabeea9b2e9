import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
}

export function hasWrk(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk']).status === 0;
}

/** wrk with one thread (the other core is the server's) and `connections` connections; optionally a Lua script. */
export function wrk(url: string, seconds: number, connections: number, script?: string): LoadResult {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...(script ? ['-s', script] : []), url];
  const output = execFileSync('wrk', args, { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const latency = (label: string): number => {
    const match = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(output);
    if (!match) return NaN;
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1];
  if (errors) throw new Error(`wrk saw ${errors} error responses from ${url}`);
  return { rps, p50: latency('50'), p99: latency('99') };
}

export async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}

/**
 * Times GETs on one kept-alive HTTP/1.1 connection, from writing the request to the last byte of the
 * response, as wrk does. fetch (undici) adds 1–2 ms of its own to a request made after an idle pause, which
 * would be counted as the server's; this client does next to nothing. Responses must have a content-length.
 */
export class RequestTimer {
  private buffered = Buffer.alloc(0);
  private pending: { path: string; started: number; resolve: (ms: number) => void; reject: (error: Error) => void } | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly host: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.pending?.reject(error));
  }

  static async open(base: string): Promise<RequestTimer> {
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    return new RequestTimer(socket, url.host);
  }

  /** Milliseconds for one GET; rejects unless the answer is 200. */
  get(path: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = { path, started: performance.now(), resolve, reject };
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${this.host}\r\n\r\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const ended = performance.now();
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffered.subarray(0, headEnd).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffered.length < headEnd + 4 + length) return;
    this.buffered = this.buffered.subarray(headEnd + 4 + length);
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    if (!head.startsWith('HTTP/1.1 200')) pending.reject(new Error(`${pending.path} answered ${head.split('\r\n')[0]}`));
    else pending.resolve(ended - pending.started);
  }
}
