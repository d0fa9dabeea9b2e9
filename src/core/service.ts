import type { IncomingHttpHeaders } from 'node:http';

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
