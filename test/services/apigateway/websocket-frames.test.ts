import { describe, expect, it } from 'vitest';
import { FrameSizeWatch } from '../../../src/services/apigateway/index.js';

/** A masked client frame header (RFC 6455 section 5.2) with its payload. */
function frame(opcode: number, payload: number, fin = true): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  let header: Buffer;
  if (payload < 126) header = Buffer.from([first, 0x80 | payload]);
  else if (payload < 65_536) header = Buffer.from([first, 0x80 | 126, payload >> 8, payload & 0xff]);
  else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(payload), 2);
  }
  return Buffer.concat([header, Buffer.from([1, 2, 3, 4]), Buffer.alloc(payload, 0x61)]);
}

function watch(limit: number): { feed: (bytes: Buffer, chunk?: number) => void; tripped: () => number } {
  let count = 0;
  const watcher = new FrameSizeWatch(limit, () => count++);
  return {
    feed: (bytes, chunk = bytes.length) => {
      for (let i = 0; i < bytes.length; i += chunk) watcher.feed(bytes.subarray(i, i + chunk));
    },
    tripped: () => count,
  };
}

describe("the 32 KB frame quota of WebSocket APIs (API Gateway's frame size limit)", () => {
  const limit = 32 * 1024;

  it('lets frames up to the limit through, however the bytes are split', () => {
    const w = watch(limit);
    const stream = Buffer.concat([frame(0x1, 10), frame(0x1, limit, false), frame(0x0, limit, false), frame(0x0, 200), frame(0x9, 4)]);
    w.feed(stream, 1);
    w.feed(stream, 7);
    w.feed(stream);
    expect(w.tripped()).toBe(0);
  });

  it('trips once on the first data frame over the limit, with a 16-bit or a 64-bit length', () => {
    const medium = watch(limit);
    medium.feed(Buffer.concat([frame(0x1, 5), frame(0x2, limit + 1), frame(0x2, limit + 1)]), 3);
    expect(medium.tripped()).toBe(1);
    const large = watch(limit);
    large.feed(frame(0x0, 70_000), 5);
    expect(large.tripped()).toBe(1);
  });
});
