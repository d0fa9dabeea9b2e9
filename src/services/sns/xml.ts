import type { BufferedResponse } from '../../core/index.js';

/** SNS query-protocol responses: `<ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata>…`. */
export const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' };
const NEEDS_ESCAPE = /[&<>"'\r]/g;

export function escapeXml(text: string): string {
  return text.replace(NEEDS_ESCAPE, (char) => ESCAPES[char] ?? char);
}

export function element(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(value)}</${name}>`;
}

/** A query-protocol map: `<entry><key>…</key><value>…</value></entry>` for each pair. */
export function entries(map: Record<string, string>): string {
  let xml = '';
  for (const [key, value] of Object.entries(map)) xml += `<entry>${element('key', key)}${element('value', value)}</entry>`;
  return xml;
}

export function members(items: string[]): string {
  let xml = '';
  for (const item of items) xml += `<member>${item}</member>`;
  return xml;
}

/** `result` undefined means the operation has no output shape (DeleteTopic, Unsubscribe, ...). */
export function xmlResponse(action: string, result: string | undefined, requestId: string): BufferedResponse {
  const body =
    `<${action}Response xmlns="${XMLNS}">` +
    (result === undefined ? '' : `<${action}Result>${result}</${action}Result>`) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId }, body };
}
