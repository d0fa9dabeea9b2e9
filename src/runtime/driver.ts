import type { Readable } from 'node:stream';
import type { InstanceCgroup } from './cgroups/index.js';
import type { InvokeRequest } from './types.js';

/**
 * A driver connects the instance state machine to one kind of runtime process: the private channel for
 * built-in runtimes, the HTTP Runtime API for custom ones. Both report the same events, so timeouts, crashes,
 * logs and reports are handled once, in Instance.
 */
export interface DriverEvents {
  ready(): void;
  initError(document: Buffer, errorType: string): void;
  result(requestId: string, kind: 'response' | 'error', body: Buffer, maxRssKb?: number): void;
  /** The function began a streamed response; its chunks follow, and `result` ends it (with an empty body on success). */
  streamStart(requestId: string, contentType: string): void;
  streamChunk(requestId: string, chunk: Buffer): void;
  /** Text the function wrote; requestId null when written outside an invocation. */
  log(text: string, requestId: string | null | undefined): void;
  exit(code: number | null, signal: NodeJS.Signals | null): void;
}

/** The event a cold start is for, which a driver may hand over together with init. */
export interface FirstInvoke {
  request: InvokeRequest;
  /** The function's timeout: the runtime counts it from when it starts the event, after init. */
  timeoutMs: number;
}

export interface Driver {
  readonly pid: number | undefined;
  /** The process's cgroup, once it runs, where the kernel enforces the instance's limits. */
  readonly cgroup: InstanceCgroup | undefined;
  /**
   * Starts the process and its init; `ready` or `initError` (or `exit`) follows. A driver may send `first`
   * right behind init, saving a round trip to the process; `invoke` for that request then sends nothing.
   */
  start(events: DriverEvents, first?: FirstInvoke): void;
  /** Hands one event to the runtime. */
  invoke(request: InvokeRequest, deadlineMs: number): void;
  /** Kills the process tree and frees what the driver holds. Idempotent. */
  destroy(): Promise<void>;
}

/** Emits each complete line of a stream; a last partial line is emitted when the stream ends. */
export function onLines(stream: Readable | null, emit: (line: string) => void): void {
  if (!stream) return;
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) emit(line);
  });
  stream.on('end', () => {
    if (partial) emit(partial);
    partial = '';
  });
}

export function errorTypeOf(document: Buffer, fallback: string): string {
  try {
    const parsed = JSON.parse(document.toString('utf8')) as { errorType?: unknown };
    return typeof parsed.errorType === 'string' ? parsed.errorType : fallback;
  } catch {
    return fallback;
  }
}
