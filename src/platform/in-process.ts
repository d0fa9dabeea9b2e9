import { bufferBody, requestId, responseBytes, type ServiceRequest, type ServiceResponse } from '../core/index.js';

/** A request as a test or an embedding program writes it: a path with its query, headers, a body. */
export interface InProcessRequest {
  method?: string;
  /** Path and query, percent-encoded as a client would send them: "/2015-03-31/functions?MaxItems=5". */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | Uint8Array | string;
  /** The Host header (virtual-hosted S3 addressing reads the bucket from it); the node's own by default. */
  host?: string;
}

export interface InProcessResponse {
  status: number;
  /** Lowercased names; a repeated header's values joined with ", " (Set-Cookie: see `raw`). */
  headers: Record<string, string>;
  body: Buffer;
  raw: ServiceResponse;
  text(): string;
  json<T = unknown>(): T;
}

export function inProcessRequest(init: InProcessRequest, url: string): ServiceRequest {
  const q = init.path.indexOf('?');
  const host = init.host ?? new URL(url).host;
  const headers: Record<string, string> = { host };
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  const body = bufferBody(init.body);
  if (body.length && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  return {
    method: init.method ?? 'GET',
    rawPath: q < 0 ? init.path : init.path.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : init.path.slice(q)),
    headers,
    rawHeaders: Object.entries(headers).flat(),
    body,
    requestId: requestId(),
    host,
    baseUrl: `http://${host}`,
    sourceIp: '127.0.0.1',
  };
}

export async function toInProcessResponse(response: ServiceResponse): Promise<InProcessResponse> {
  const body = await responseBytes(response.body);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  return {
    status: response.status,
    headers,
    body,
    raw: response,
    text: () => body.toString('utf8'),
    json: <T>() => JSON.parse(body.toString('utf8')) as T,
  };
}
