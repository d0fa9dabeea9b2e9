import type { IncomingHttpHeaders } from 'node:http';
import type { RequestBody, ServiceRequest } from '../../core/index.js';
import { parseAddress, type Address } from './address.js';

/**
 * One request, as the operations see it beside their typed input: the address (bucket, key, and whether the Host
 * named the bucket), the ids S3 reports, and the headers that frame the body (aws-chunked, trailers, digests),
 * which are transport facts the model does not describe.
 */
export interface S3Call {
  readonly method: string;
  readonly address: Address;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: RequestBody;
  readonly requestId: string;
  /** S3's x-amz-id-2. */
  readonly hostId: string;
  readonly baseUrl: string;
  readonly sourceIp: string;
}

export function s3Call(request: ServiceRequest, address: Address = parseAddress(request.host, request.rawPath)): S3Call {
  return {
    method: request.method,
    address,
    query: request.query,
    headers: request.headers,
    body: request.body,
    requestId: request.requestId,
    hostId: hostIdOf(request.requestId),
    baseUrl: request.baseUrl,
    sourceIp: request.sourceIp,
  };
}

/** S3's x-amz-id-2 for a request: an opaque token, here derived from the request id. */
export function hostIdOf(requestId: string): string {
  return Buffer.from(requestId).toString('base64');
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
