import type { S3Call } from './call.js';
import { toWireError } from './errors.js';
import { el, XML_DECLARATION } from './xml.js';

/** Bodies up to this size that arrive unread with an error are drained to keep the connection; larger ones close it. */
const DRAIN_LIMIT = 8 * 1024 * 1024;

export function baseHeaders(call: S3Call): Record<string, string> {
  return { 'x-amz-request-id': call.requestId, 'x-amz-id-2': call.hostId, server: 'AmazonS3' };
}

export function sendXml(call: S3Call, status: number, xml: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(xml, 'utf8');
  call.res.writeHead(status, { ...baseHeaders(call), ...headers, 'content-type': 'application/xml', 'content-length': String(body.length) });
  call.res.end(body);
}

export function sendEmpty(call: S3Call, status: number, headers: Record<string, string> = {}): void {
  call.res.writeHead(status, { ...baseHeaders(call), ...headers, 'content-length': '0' });
  call.res.end();
}

/** Renders an error as S3 does: XML with Code, Message, the code's extra elements, RequestId and HostId. */
export function sendError(call: S3Call, error: unknown): void {
  const wire = toWireError(error);
  const fields = Object.entries(wire.fields)
    .map(([name, value]) => el(name, value))
    .join('');
  const xml = `${XML_DECLARATION}<Error>${el('Code', wire.code)}${el('Message', wire.message)}${fields}${el('RequestId', call.requestId)}${el('HostId', call.hostId)}</Error>`;
  const headers: Record<string, string> = {};
  if (!call.req.complete && !drainable(call)) headers.connection = 'close';
  if (call.method === 'HEAD') {
    // HEAD responses carry no body; clients read the status (and x-amz-* headers) only.
    call.res.writeHead(wire.status, { ...baseHeaders(call), ...headers, 'content-type': 'application/xml' });
    call.res.end();
    return;
  }
  sendXml(call, wire.status, xml, headers);
}

/** HTTP dates (Last-Modified): S3 keeps second precision. */
export function httpDate(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toUTCString();
}

/** XML timestamps: "2026-01-01T00:00:00.000Z", at S3's second precision. */
export function isoDate(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString();
}

export function quoted(etag: string): string {
  return `"${etag}"`;
}

/** An ETag as clients send it back: quoted or not, possibly weak. */
export function unquoted(etag: string): string {
  const trimmed = etag.trim().replace(/^W\//, '');
  return trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2 ? trimmed.slice(1, -1) : trimmed;
}

function drainable(call: S3Call): boolean {
  if (call.headers['content-length'] === undefined && call.headers['transfer-encoding'] === undefined) return true;
  const length = Number(call.headers['content-length'] ?? NaN);
  return Number.isFinite(length) && length <= DRAIN_LIMIT;
}

/**
 * S3's URL encoding of keys (event records, encoding-type=url listings): form encoding, spaces as "+", with "/"
 * left as is.
 */
export function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}
