/**
 * CBOR (RFC 8949), as Smithy's rpc-v2-cbor protocol uses it: maps, arrays, text and byte strings, integers, floats,
 * booleans, null, and tag 1 (epoch-seconds timestamps, read as Date). Definite and indefinite lengths are read;
 * definite lengths are written, integers in their shortest form, other numbers as doubles.
 */

export class CborError extends Error {}

const TEXT = new TextDecoder('utf-8', { fatal: true });

export function decodeCbor(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.item();
  if (reader.at !== bytes.length) throw new CborError('trailing bytes after the CBOR value');
  return value;
}

const BREAK = Symbol('break');

class Reader {
  at = 0;
  private readonly view: DataView;
  private depth = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  item(): unknown {
    const value = this.next();
    if (value === BREAK) throw new CborError('unexpected break');
    return value;
  }

  private next(): unknown {
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) return this.simple(info);
    if (info === 31) return this.indefinite(major);
    const argument = this.argument(info);
    switch (major) {
      case 0:
        return argument;
      case 1:
        return -1 - argument;
      case 2:
        return new Uint8Array(this.take(argument));
      case 3:
        return this.text(argument);
      case 4:
        return this.nested(() => Array.from({ length: this.count(argument) }, () => this.item()));
      case 5:
        return this.nested(() => {
          const map: Record<string, unknown> = {};
          const count = this.count(argument);
          for (let i = 0; i < count; i++) this.entry(map);
          return map;
        });
      default: {
        const tagged = this.item();
        if (argument === 1 && typeof tagged === 'number') return new Date(tagged * 1000);
        return tagged;
      }
    }
  }

  private indefinite(major: number): unknown {
    switch (major) {
      case 2:
      case 3: {
        const parts: Uint8Array[] = [];
        for (let part = this.next(); part !== BREAK; part = this.next()) {
          if (major === 2 ? !(part instanceof Uint8Array) : typeof part !== 'string') throw new CborError('bad chunk in an indefinite string');
          parts.push(major === 2 ? (part as Uint8Array) : Buffer.from(part as string));
        }
        const joined = Buffer.concat(parts);
        return major === 2 ? new Uint8Array(joined) : joined.toString('utf8');
      }
      case 4:
        return this.nested(() => {
          const items: unknown[] = [];
          for (let item = this.next(); item !== BREAK; item = this.next()) items.push(item);
          return items;
        });
      case 5:
        return this.nested(() => {
          const map: Record<string, unknown> = {};
          while (this.bytes[this.at] !== 0xff) this.entry(map);
          this.at++;
          return map;
        });
      default:
        throw new CborError('indefinite length on a type that has none');
    }
  }

  private entry(map: Record<string, unknown>): void {
    const key = this.item();
    if (typeof key !== 'string') throw new CborError('a map key that is not text');
    const value = this.item();
    // Own data properties only: a key such as "__proto__" must not reach the prototype.
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  }

  private simple(info: number): unknown {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
      case 23:
        return null;
      case 25:
        return halfFloat(this.view.getUint16(this.advance(2)));
      case 26:
        return this.view.getFloat32(this.advance(4));
      case 27:
        return this.view.getFloat64(this.advance(8));
      case 31:
        return BREAK;
      default:
        throw new CborError(`unsupported simple value ${info}`);
    }
  }

  private argument(info: number): number {
    if (info < 24) return info;
    if (info === 24) return this.byte();
    if (info === 25) return this.view.getUint16(this.advance(2));
    if (info === 26) return this.view.getUint32(this.advance(4));
    if (info === 27) {
      const value = this.view.getBigUint64(this.advance(8));
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CborError('an integer beyond 2^53');
      return Number(value);
    }
    throw new CborError(`reserved additional information ${info}`);
  }

  private count(n: number): number {
    if (n > this.bytes.length - this.at) throw new CborError('a length beyond the input');
    return n;
  }

  private nested<T>(read: () => T): T {
    if (++this.depth > 256) throw new CborError('nested too deeply');
    try {
      return read();
    } finally {
      this.depth--;
    }
  }

  private text(length: number): string {
    try {
      return TEXT.decode(this.take(length));
    } catch {
      throw new CborError('text that is not UTF-8');
    }
  }

  private take(length: number): Uint8Array {
    const start = this.advance(length);
    return this.bytes.subarray(start, start + length);
  }

  private byte(): number {
    return this.bytes[this.advance(1)]!;
  }

  private advance(n: number): number {
    const start = this.at;
    if (start + n > this.bytes.length) throw new CborError('unexpected end of input');
    this.at += n;
    return start;
  }
}

function halfFloat(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

export function encodeCbor(value: unknown): Buffer {
  const parts: Buffer[] = [];
  write(parts, value);
  return Buffer.concat(parts);
}

function write(parts: Buffer[], value: unknown): void {
  if (value === null || value === undefined) parts.push(Buffer.from([0xf6]));
  else if (value === false) parts.push(Buffer.from([0xf4]));
  else if (value === true) parts.push(Buffer.from([0xf5]));
  else if (typeof value === 'number') writeNumber(parts, value);
  else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    parts.push(head(3, bytes.length), bytes);
  } else if (value instanceof Date) {
    parts.push(Buffer.from([0xc1]));
    writeNumber(parts, value.getTime() / 1000);
  } else if (value instanceof Uint8Array) {
    parts.push(head(2, value.length), Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  } else if (Array.isArray(value)) {
    parts.push(head(4, value.length));
    for (const item of value) write(parts, item);
  } else if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    parts.push(head(5, entries.length));
    for (const [key, inner] of entries) {
      write(parts, key);
      write(parts, inner);
    }
  } else throw new CborError(`cannot encode a ${typeof value}`);
}

function writeNumber(parts: Buffer[], value: number): void {
  if (Number.isSafeInteger(value)) {
    parts.push(value >= 0 ? head(0, value) : head(1, -1 - value));
    return;
  }
  const buffer = Buffer.alloc(9);
  buffer[0] = 0xfb;
  buffer.writeDoubleBE(value, 1);
  parts.push(buffer);
}

function head(major: number, n: number): Buffer {
  const type = major << 5;
  if (n < 24) return Buffer.from([type | n]);
  if (n < 0x100) return Buffer.from([type | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = type | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  if (n < 0x100000000) {
    const b = Buffer.alloc(5);
    b[0] = type | 26;
    b.writeUInt32BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = type | 27;
  b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}
