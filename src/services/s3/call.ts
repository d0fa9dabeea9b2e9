import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Address } from './address.js';

/** One request, as the operations see it. */
export interface S3Call {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly address: Address;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
  /** S3's x-amz-id-2. */
  readonly hostId: string;
  readonly baseUrl: string;
  readonly sourceIp: string;
}

export function header(call: S3Call, name: string): string | undefined {
  const value = call.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bucketOf(call: S3Call): string {
  return call.address.bucket ?? '';
}

export function keyOf(call: S3Call): string {
  return call.address.key ?? '';
}

const CREDENTIAL = /Credential=([^/,\s]+)/;

/** The access key id the request was signed with (header or presigned URL), for notification records. */
export function principalOf(call: S3Call): string {
  const auth = header(call, 'authorization');
  const fromHeader = auth === undefined ? undefined : CREDENTIAL.exec(auth)?.[1];
  const fromQuery = (call.query.get('X-Amz-Credential') ?? call.query.get('AWSAccessKeyId') ?? '').split('/')[0];
  return fromHeader ?? (fromQuery || 'anonymous');
}

/**
 * The request body's chunks. Leaving the loop early (a bad frame, a failed write) does not destroy the request:
 * that would drop the socket before the error response could be sent.
 */
export function bodyChunks(call: S3Call): AsyncIterable<Buffer> {
  return call.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
}
