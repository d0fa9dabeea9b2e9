import { incompleteBody } from './errors.js';

const MAX_LINE = 8192;
const LF = 0x0a;
const HEX = /^[0-9a-fA-F]+$/;

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

/** Sees a body's framing as it is decoded: each chunk's header, its data, its end, the trailers, the end. */
export interface ChunkObserver {
  /** A chunk header: its size and what follows the size (";chunk-signature=..."). */
  chunk(size: number, extensions: string): void;
  data(piece: Buffer): void;
  /** The chunk's data is complete (at once for the final, empty chunk). */
  chunkEnd(): void;
  trailer(name: string, value: string): void;
  /** The body's framing is complete. */
  end(): void;
}

/**
 * Decodes the `aws-chunked` content encoding SDKs use for streaming uploads:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n[<trailer>:<value>\r\n]...\r\n
 *
 * Incremental: `push` takes whatever the socket delivered (a frame may be split anywhere) and returns the data
 * bytes it completes, as views of the input without copying. S3 reads chunk and trailer signatures past; the
 * gateway, when it verifies signatures, decodes the body once more with an observer that checks each of them.
 */
export class AwsChunkedDecoder {
  private state: State = 'size';
  private line = '';
  private remaining = 0;
  private readonly trailerValues = new Map<string, string>();

  constructor(private readonly observer?: ChunkObserver) {}

  /** Trailing headers (x-amz-checksum-crc32, ...) by lowercase name, once the body has ended. */
  get trailers(): ReadonlyMap<string, string> {
    return this.trailerValues;
  }

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - at);
        const piece = chunk.subarray(at, at + take);
        out.push(piece);
        this.observer?.data(piece);
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) {
          this.state = 'data-end';
          this.observer?.chunkEnd();
        }
        continue;
      }
      if (this.state === 'done') {
        at = chunk.length;
        continue;
      }
      const line = this.readLine(chunk, at);
      at = line.next;
      if (line.text !== undefined) this.onLine(line.text);
    }
    return out;
  }

  /** Call when the request body ended; IncompleteBody if the encoding did not finish. */
  end(): void {
    // Some writers stop right after the last trailer, without the closing empty line.
    if (this.state === 'trailer' && this.line === '') this.finish();
    if (this.state !== 'done') throw incompleteBody();
  }

  private finish(): void {
    this.state = 'done';
    this.observer?.end();
  }

  private readLine(chunk: Buffer, from: number): { text?: string; next: number } {
    const newline = chunk.indexOf(LF, from);
    const end = newline < 0 ? chunk.length : newline;
    this.line += chunk.toString('latin1', from, end);
    if (this.line.length > MAX_LINE) throw incompleteBody();
    if (newline < 0) return { next: chunk.length };
    const text = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    return { text, next: newline + 1 };
  }

  private onLine(text: string): void {
    switch (this.state) {
      case 'size': {
        const semicolon = text.indexOf(';');
        const hex = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
        if (!HEX.test(hex)) throw incompleteBody();
        const size = Number.parseInt(hex, 16);
        this.state = size === 0 ? 'trailer' : 'data';
        this.remaining = size;
        this.observer?.chunk(size, semicolon < 0 ? '' : text.slice(semicolon));
        if (size === 0) this.observer?.chunkEnd();
        return;
      }
      case 'data-end':
        if (text !== '') throw incompleteBody();
        this.state = 'size';
        return;
      case 'trailer': {
        if (text === '') {
          this.finish();
          return;
        }
        const colon = text.indexOf(':');
        if (colon <= 0) throw incompleteBody();
        const name = text.slice(0, colon).trim().toLowerCase();
        const value = text.slice(colon + 1).trim();
        this.trailerValues.set(name, value);
        this.observer?.trailer(name, value);
        return;
      }
      default:
        return;
    }
  }
}
