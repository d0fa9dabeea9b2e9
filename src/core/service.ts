import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/**
 * The contract between the gateway and every emulated AWS service: the gateway owns sockets, framing, size
 * limits and routing; a service sees one buffered request and answers one response.
 */
export interface ServiceRequest {
  method: string;
  /** Percent-encoded path as received, without the query. */
  rawPath: string;
  query: URLSearchParams;
  /** Lowercased names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body exceeded the service's limit and was discarded; the service answers with its own error. */
  bodyTooLarge?: boolean;
  requestId: string;
  /** Scheme, host and port the client used, e.g. "http://127.0.0.1:4566", for URLs in responses. */
  baseUrl: string;
  sourceIp: string;
}

export interface ServiceResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface Service {
  handle(request: ServiceRequest): Promise<ServiceResponse>;
}

export interface StreamContext {
  requestId: string;
  /** Percent-encoded path as received, without the query. */
  rawPath: string;
  query: URLSearchParams;
  /** The Host header (virtual-hosted S3 addressing reads the bucket from it). */
  host: string;
  baseUrl: string;
  sourceIp: string;
}

/**
 * A service that works on the raw request and response streams instead of a buffered body: object storage,
 * where a body may be far larger than memory. The gateway hands over the socket and steps aside.
 */
export interface StreamingService {
  handleStream(req: IncomingMessage, res: ServerResponse, context: StreamContext): Promise<void>;
}
