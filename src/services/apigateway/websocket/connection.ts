import { isUtf8 } from 'node:buffer';
import type { WebSocket } from 'ws';
import type { Clock, Timer } from '../../../core/index.js';
import type { ConnectionFacts } from './events.js';
import { WEBSOCKET_LIMITS } from './types.js';

/** Why a connection ended: the close code and reason the $disconnect event reports. */
export interface CloseCause {
  code: number;
  reason: string;
}

/** As AWS reports a client close frame without a status code (1005). */
const NO_STATUS_REASON = 'Client-side close frame status not set';
/** API Gateway closes idle and over-age connections with 1001 "Going away". */
export const GOING_AWAY: CloseCause = { code: 1001, reason: 'Going away' };

/**
 * One open WebSocket connection: its facts (id, API, stage, identity), when it was last active, and the two limits
 * AWS enforces on every connection, the idle timeout and the maximum duration, kept on the node's clock.
 */
export class Connection {
  lastActiveAt: number;
  private idleTimer: Timer | undefined;
  private readonly ageTimer: Timer;
  /** Set when Flint closes the connection (idle, age, DeleteConnection, shutdown): the cause the event reports. */
  private serverCause: CloseCause | undefined;

  constructor(
    readonly facts: ConnectionFacts,
    private readonly socket: WebSocket,
    private readonly clock: Clock,
  ) {
    this.lastActiveAt = facts.connectedAt;
    this.armIdle();
    this.ageTimer = clock.setTimer(WEBSOCKET_LIMITS.maxDurationMs, () => this.close(GOING_AWAY));
  }

  /** Flint is closing it: messages still arriving are not routed. */
  get closing(): boolean {
    return this.serverCause !== undefined;
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** A message (or ping) from the client: the connection is active, its idle timeout starts again. */
  touch(): void {
    this.lastActiveAt = this.clock.now();
    this.armIdle();
  }

  /**
   * Sends one message, in frames of at most 32 KB as API Gateway's frame quota allows; text when it is UTF-8 text
   * (what clients of PostToConnection with JSON expect), binary otherwise.
   */
  send(data: Buffer | string, binary = typeof data !== 'string' && !isUtf8(data)): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const frame = WEBSOCKET_LIMITS.frameBytes;
    if (bytes.length <= frame) {
      this.socket.send(bytes, { binary, fin: true });
      return;
    }
    for (let offset = 0; offset < bytes.length; offset += frame) {
      this.socket.send(bytes.subarray(offset, offset + frame), { binary, fin: offset + frame >= bytes.length });
    }
  }

  /** Closes from the server side; the $disconnect event reports this cause. */
  close(cause: CloseCause): void {
    this.serverCause ??= cause;
    this.stopTimers();
    this.socket.close(cause.code, cause.reason);
    // A client that never answers the close frame is cut off, as a server does after its close timeout.
    const socket = this.socket;
    this.clock.setTimer(5_000, () => socket.terminate());
  }

  /** Node shutdown: sends 1001 "Going away" and waits a moment (real time) for the client's answer before cutting off. */
  async shutdown(): Promise<void> {
    this.serverCause ??= GOING_AWAY;
    this.stopTimers();
    const socket = this.socket;
    if (socket.readyState === socket.CLOSED) return;
    const closed = new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      setTimeout(resolve, 1000).unref();
    });
    socket.close(GOING_AWAY.code, GOING_AWAY.reason);
    await closed;
    socket.terminate();
  }

  /** The cause to report once the socket closed: Flint's own, else what the client sent. */
  closedWith(code: number, reason: string): CloseCause {
    this.stopTimers();
    if (this.serverCause) return this.serverCause;
    if (code === 1005) return { code, reason: NO_STATUS_REASON };
    return { code, reason };
  }

  private armIdle(): void {
    this.idleTimer?.cancel();
    this.idleTimer = this.clock.setTimer(WEBSOCKET_LIMITS.idleMs, () => this.close(GOING_AWAY));
  }

  private stopTimers(): void {
    this.idleTimer?.cancel();
    this.ageTimer.cancel();
  }
}
