import { createHash, type Hash } from 'node:crypto';
import type { RequestBody } from '../../core/index.js';
import type { AwsError } from '../../protocol/index.js';
import { AwsChunkedDecoder, type ChunkObserver } from '../../services/s3/index.js';
import { sameSignature, sha256Hex } from './signing.js';

const EMPTY_HASH = sha256Hex('');

/** What checking a streamed upload's chunk signatures needs from the request's own (already verified) signature. */
export interface ChunkChain {
  amzDate: string;
  scopeText: string;
  /** The request's signature: the first chunk's "previous signature". */
  seed: string;
  /** Whether the last chunk is followed by trailers signed with x-amz-trailer-signature. */
  signedTrailer: boolean;
  sign(stringToSign: string): string;
  refuse(provided: string, stringToSign: string): AwsError;
}

/**
 * Checks each chunk of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body in sequence: a chunk's signature covers the previous
 * signature and its data's hash, so chunks cannot be changed, dropped or reordered
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html), and, for the -TRAILER variant, the
 * trailing headers (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html).
 */
class ChunkSignatures implements ChunkObserver {
  private previous: string;
  private provided = '';
  private hash: Hash = createHash('sha256');
  private trailerText = '';
  private trailerSignature = '';

  constructor(private readonly chain: ChunkChain) {
    this.previous = chain.seed;
  }

  chunk(_size: number, extensions: string): void {
    this.provided = /chunk-signature=([0-9a-fA-F]+)/.exec(extensions)?.[1] ?? '';
    this.hash = createHash('sha256');
  }

  data(piece: Buffer): void {
    this.hash.update(piece);
  }

  chunkEnd(): void {
    const { amzDate, scopeText } = this.chain;
    this.previous = this.check('AWS4-HMAC-SHA256-PAYLOAD', `${amzDate}\n${scopeText}\n${this.previous}\n${EMPTY_HASH}\n${this.hash.digest('hex')}`, this.provided);
  }

  trailer(name: string, value: string): void {
    if (name === 'x-amz-trailer-signature') this.trailerSignature = value;
    else this.trailerText += `${name}:${value}\n`;
  }

  end(): void {
    if (!this.chain.signedTrailer) return;
    const { amzDate, scopeText } = this.chain;
    this.check('AWS4-HMAC-SHA256-TRAILER', `${amzDate}\n${scopeText}\n${this.previous}\n${sha256Hex(this.trailerText)}`, this.trailerSignature);
  }

  /** The expected signature of this step, or the refusal when the one sent differs. */
  private check(algorithm: string, rest: string, provided: string): string {
    const stringToSign = `${algorithm}\n${rest}`;
    const expected = this.chain.sign(stringToSign);
    if (!sameSignature(expected, provided)) throw this.chain.refuse(provided, stringToSign);
    return expected;
  }
}

/** The body as sent (the service decodes the framing itself), each chunk's signature checked as it streams past. */
export function verifiedChunks(body: RequestBody, chain: ChunkChain): RequestBody {
  const decoder = new AwsChunkedDecoder(new ChunkSignatures(chain));
  async function* checked(): AsyncGenerator<Uint8Array> {
    for await (const piece of body) {
      decoder.push(Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
      yield piece;
    }
    decoder.end();
  }
  return passThrough(body.length, checked);
}

/** A body whose bytes must hash to the x-amz-content-sha256 the request was signed with (S3's XAmzContentSHA256Mismatch). */
export function hashedBody(body: RequestBody, expected: string, mismatch: (computed: string) => AwsError): RequestBody {
  async function* checked(): AsyncGenerator<Uint8Array> {
    const hash = createHash('sha256');
    for await (const piece of body) {
      hash.update(piece);
      yield piece;
    }
    const computed = hash.digest('hex');
    if (computed !== expected) throw mismatch(computed);
  }
  return passThrough(body.length, checked);
}

function passThrough(length: number | undefined, pieces: () => AsyncGenerator<Uint8Array>): RequestBody {
  return {
    length,
    async read(limit) {
      const parts: Buffer[] = [];
      let size = 0;
      for await (const piece of pieces()) {
        size += piece.length;
        if (size > limit) return undefined;
        parts.push(Buffer.from(piece));
      }
      return Buffer.concat(parts);
    },
    [Symbol.asyncIterator]: () => pieces(),
  };
}
