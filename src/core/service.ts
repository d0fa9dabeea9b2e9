import type { IncomingHttpHeaders } from 'node:http';

/**
 * The one HTTP seam: every AWS-compatible service, Flint's admin API and the HTTP APIs are a
 * `(request) => response` handler. The gateway owns sockets and routing and nothing else; tests call a handler (or
 * the node's `request()`) in process, without a socket. Bodies stream both ways, so an object upload or download
 * larger than memory passes through the same seam as a JSON call.
 */
export interface ServiceRequest {
  method: string;
  /** Percent-encoded path as received, without the query. */
  rawPath: string;
  query: URLSearchParams;
  /** Lowercased names, as node:http gives them (repeated headers joined). */
  headers: IncomingHttpHeaders;
  /** Names and values in the order received, repeated headers kept apart: [name, value, name, value, ...]. */
  rawHeaders: readonly string[];
  body: RequestBody;
  requestId: string;
  /** The Host header (virtual-hosted S3 addressing reads the bucket from it). */
  host: string;
  /** Scheme, host and port the client used, e.g. "http://127.0.0.1:4566", for URLs in responses. */
  baseUrl: string;
  sourceIp: string;
  /** The SigV4 credential scope of a signed request, set by the gateway (which verifies the signature in server mode). */
  credential?: CredentialScope;
  /**
   * Set by the platform when IAM policies are enforced: called by the protocol layer once the operation and its
   * input are known, before the handler runs; throws the service's AccessDenied error to refuse.
   */
  authorize?: (operation: string, input: Readonly<Record<string, unknown>>) => Promise<void>;
  /** Set by the gateway when it refused the request's signature: the service answers with it in its own protocol. */
  refusal?: Error;
  /** Set by the gateway in server mode: checks a form upload's policy signature (S3 POST); throws the service's error. */
  verifyForm?: (fields: ReadonlyMap<string, string>) => Promise<void>;
}

/** Who signed a request, for which region and service: "AKID/20260101/us-west-2/lambda/aws4_request". */
export interface CredentialScope {
  accessKeyId: string;
  region: string;
  service: string;
}

/** A response body: bytes in memory, or a stream the gateway pipes to the socket. */
export type ResponseBody = Buffer | string | Uint8Array | AsyncIterable<Uint8Array>;

export interface ServiceResponse {
  status: number;
  /** A header given as a list is sent once per value (Set-Cookie). */
  headers?: Record<string, string | readonly string[]>;
  /** A streamed body should come with its content-length header; a buffered one gets it from the gateway. */
  body?: ResponseBody;
}

export interface Service {
  handle(request: ServiceRequest): Promise<ServiceResponse>;
}

/**
 * A request body, read at most once: whole (up to a limit) or as a stream of chunks. A client that goes away
 * mid-body makes reading it throw.
 */
export interface RequestBody extends AsyncIterable<Uint8Array> {
  /** The declared Content-Length, when there is one. */
  readonly length: number | undefined;
  /** The whole body, or `undefined` when it is larger than `limit` bytes (the rest is discarded). */
  read(limit: number): Promise<Buffer | undefined>;
}

const EMPTY = Buffer.alloc(0);

/**
 * A body already in memory (in-process requests, tests). A class, not an object of closures: one is made per
 * in-process request, and a reader that knows the body is here (bufferedBytes) takes it without a promise.
 */
class BufferedBody implements RequestBody {
  readonly length: number;

  constructor(readonly bytes: Buffer) {
    this.length = bytes.length;
  }

  read(limit: number): Promise<Buffer | undefined> {
    return Promise.resolve(this.bytes.length > limit ? undefined : this.bytes);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    if (this.bytes.length > 0) yield this.bytes;
  }
}

export function bufferBody(data: Buffer | Uint8Array | string = EMPTY): RequestBody {
  return new BufferedBody(typeof data === 'string' ? Buffer.from(data) : Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/** The whole body when it is already in memory (made by bufferBody), so it can be read without waiting. */
export function bufferedBytes(body: RequestBody): Buffer | undefined {
  return body instanceof BufferedBody ? body.bytes : undefined;
}

/** Reads a whole response body into memory (tests, in-process callers). */
export async function responseBytes(body: ResponseBody | undefined): Promise<Buffer> {
  if (body === undefined) return EMPTY;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
