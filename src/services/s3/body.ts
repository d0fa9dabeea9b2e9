import { FlintError, type RequestBody } from '../../core/index.js';

/** Bodies up to this size that arrive unread with an error are drained to keep the connection; larger ones close it. */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/**
 * The request body as S3's operations read it, noting whether it was read to its end: an error sent before a large
 * upload was read closes the connection instead of reading gigabytes only to drop them. A client that goes away
 * mid-body surfaces as a FlintError (IncompleteBody to S3), not as an internal failure.
 */
export class TrackedBody implements RequestBody {
  private finished = false;

  constructor(private readonly inner: RequestBody) {}

  get length(): number | undefined {
    return this.inner.length;
  }

  async read(limit: number): Promise<Buffer | undefined> {
    try {
      const body = await this.inner.read(limit);
      this.finished = body !== undefined;
      return body;
    } catch (error) {
      throw clientGone(error);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    try {
      for await (const chunk of this.inner) yield chunk;
    } catch (error) {
      throw clientGone(error);
    }
    this.finished = true;
  }

  /** True if answering now, with the body unread, should close the connection rather than drain it. */
  closesOnAnswer(headers: Record<string, string | string[] | undefined>): boolean {
    if (this.finished) return false;
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) return false;
    const length = Number(headers['content-length'] ?? NaN);
    return !(Number.isFinite(length) && length <= DRAIN_LIMIT);
  }
}

function clientGone(error: unknown): FlintError {
  if (error instanceof FlintError) return error;
  return new FlintError('INVALID_REQUEST', 'the request body ended early', { clientGone: true }, { cause: error });
}
