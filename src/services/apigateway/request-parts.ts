import { isUtf8 } from 'node:buffer';
import type { ApiConfig, HttpRequest } from './types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Header values grouped by name in arrival order; `lowercase` folds names, otherwise the first spelling seen is kept. */
export function groupHeaders(headers: [string, string][], lowercase: boolean): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  const spelling = new Map<string, string>();
  for (const [name, value] of headers) {
    const folded = name.toLowerCase();
    const key = lowercase ? folded : (spelling.get(folded) ?? name);
    spelling.set(folded, key);
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  return grouped;
}

export function headerValue(headers: [string, string][], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === wanted)?.[1];
}

/** Query parameters decoded as browsers encode them ('+' is a space), values grouped by name in order. */
export function parseQuery(rawQuery: string): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  if (rawQuery === '') return grouped;
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  return grouped;
}

const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/javascript', 'application/x-www-form-urlencoded']);

function isTextMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type.startsWith('text/') || TEXT_TYPES.has(type) || type.endsWith('+json') || type.endsWith('+xml');
}

/** The event's body: text when the media type is textual and the bytes are clean UTF-8, base64 otherwise. */
export function encodeBody(req: HttpRequest): { body: string; isBase64Encoded: boolean } | undefined {
  if (req.body.length === 0) return undefined;
  const textual = isTextMediaType(headerValue(req.headers, 'content-type')) && isUtf8(req.body) && !req.body.includes(0);
  return textual ? { body: req.body.toString('utf8'), isBase64Encoded: false } : { body: req.body.toString('base64'), isBase64Encoded: true };
}

/** "12/Mar/2020:19:03:58 +0000", the format of requestContext.time and requestTime. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}`;
  return `${date}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** The fields both payload versions take from where the request arrived. */
export function domainOf(api: ApiConfig, req: HttpRequest): { domainName: string; domainPrefix: string } {
  const domainName = req.host === '' ? `${api.id}.execute-api.localhost` : req.host;
  const hostname = domainName.startsWith('[') ? domainName : (domainName.split(':')[0] ?? domainName);
  return { domainName, domainPrefix: hostname.split('.')[0] ?? hostname };
}

// Object.fromEntries defines own properties, so a parameter named "__proto__" cannot reach the prototype.
export function recordOf(grouped: Map<string, string[]>, pick: (values: string[]) => string): Record<string, string> {
  return Object.fromEntries([...grouped].map(([name, values]) => [name, pick(values)]));
}

export function multiRecordOf(grouped: Map<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(grouped);
}
