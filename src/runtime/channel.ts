/**
 * Framing for the private channel (see bootstraps/PROTOCOL.md): [u32 header length][u32 body length]
 * [JSON header][raw body]. The decoder is incremental because frames arrive in arbitrary chunks.
 */
import type { Duplex } from 'node:stream';

export interface Frame {
  header: { type: string; [key: string]: unknown };
  body: Buffer;
}

const PREFIX = 8;

export function encodeFrame(header: Frame['header'], body: Uint8Array = Buffer.alloc(0)): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.allocUnsafe(PREFIX);
  prefix.writeUInt32BE(json.length, 0);
  prefix.writeUInt32BE(body.length, 4);
  return Buffer.concat([prefix, json, body]);
}

/** Accumulates chunks and yields complete frames. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) break;
      frames.push(frame);
    }
    return frames;
  }

  private next(): Frame | undefined {
    if (this.buffered < PREFIX) return undefined;
    const head = this.peek(PREFIX);
    const headerLength = head.readUInt32BE(0);
    const bodyLength = head.readUInt32BE(4);
    const total = PREFIX + headerLength + bodyLength;
    if (this.buffered < total) return undefined;
    const all = this.take(total);
    const header = JSON.parse(all.subarray(PREFIX, PREFIX + headerLength).toString('utf8')) as Frame['header'];
    return { header, body: all.subarray(PREFIX + headerLength) };
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    const joined = this.peek(n);
    const out = joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered -= n;
    return out;
  }
}

/** Wires a decoder to a stream; returns a writer for outgoing frames. */
export function attachChannel(stream: Duplex, onFrame: (frame: Frame) => void): (header: Frame['header'], body?: Uint8Array) => void {
  const decoder = new FrameDecoder();
  stream.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) onFrame(frame);
  });
  return (header, body) => {
    stream.write(encodeFrame(header, body));
  };
}
