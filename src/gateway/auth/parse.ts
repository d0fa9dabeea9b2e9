import type { IncomingHttpHeaders } from 'node:http';

/** What a SigV4 signature states, from the Authorization header or a presigned URL's X-Amz-* parameters. */
export interface SigV4Claim {
  presigned: boolean;
  accessKeyId: string;
  /** The scope's parts: YYYYMMDD, region, service ("date/region/service/aws4_request"). */
  scope: { date: string; region: string; service: string };
  scopeText: string;
  /** The request's time, ISO 8601 basic (20260101T000000Z). */
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  /** Seconds a presigned URL lasts. */
  expires?: number;
  sessionToken?: string;
}

/** A signature the request states badly: AWS's IncompleteSignature (or S3's malformed header) with this message. */
export interface Malformed {
  malformed: string;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export function isSigV4Header(headers: IncomingHttpHeaders): boolean {
  return headers.authorization?.startsWith(ALGORITHM) ?? false;
}

export function isSigV4Query(query: URLSearchParams): boolean {
  return query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential');
}

/** Reads the Authorization header: `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export function parseHeaderClaim(headers: IncomingHttpHeaders): SigV4Claim | Malformed {
  const auth = headers.authorization ?? '';
  const fields = new Map<string, string>();
  for (const part of auth.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.get(name));
  if (missing.length > 0) return { malformed: missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ') + ` Authorization=${auth}` };
  const amzDate = first(headers['x-amz-date']) ?? fromHttpDate(first(headers.date));
  if (!amzDate) return { malformed: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." + ` Authorization=${auth}` };
  return claim(false, fields.get('Credential')!, fields.get('SignedHeaders')!, fields.get('Signature')!, amzDate, first(headers['x-amz-security-token']));
}

/** Reads a presigned URL's X-Amz-Credential, -Date, -Expires, -SignedHeaders, -Signature (and -Security-Token). */
export function parseQueryClaim(query: URLSearchParams): SigV4Claim | Malformed {
  const get = (name: string): string | undefined => query.get(name) ?? undefined;
  if (get('X-Amz-Algorithm') !== ALGORITHM) return { malformed: "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"" };
  const missing = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].filter((name) => !get(name));
  if (missing.length > 0) {
    return { malformed: `Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.` };
  }
  const parsed = claim(true, get('X-Amz-Credential')!, get('X-Amz-SignedHeaders')!, get('X-Amz-Signature')!, get('X-Amz-Date')!, get('X-Amz-Security-Token'));
  if ('malformed' in parsed) return parsed;
  const expires = get('X-Amz-Expires');
  if (expires !== undefined) {
    if (!/^\d+$/.test(expires)) return { malformed: 'X-Amz-Expires should be a number' };
    // S3 caps presigned URLs at seven days (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
    if (Number(expires) > 604800) return { malformed: 'X-Amz-Expires must be less than a week (in seconds) that is 604800' };
    parsed.expires = Number(expires);
  }
  return parsed;
}

function claim(presigned: boolean, credential: string, signedHeaders: string, signature: string, amzDate: string, sessionToken: string | undefined): SigV4Claim | Malformed {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    return { malformed: `Credential should be scoped to a valid region, not '${region ?? ''}'. ` };
  }
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) return { malformed: `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601` };
  return {
    presigned,
    accessKeyId,
    scope: { date, region, service },
    scopeText: `${date}/${region}/${service}/aws4_request`,
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
  };
}

/** 20260101T000000Z as milliseconds since the epoch. */
export function amzDateMs(amzDate: string): number {
  const iso = `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`;
  return Date.parse(iso);
}

/** An RFC 1123 Date header as SigV4's basic ISO 8601 (what the string to sign then states). */
function fromHttpDate(date: string | undefined): string | undefined {
  if (!date) return undefined;
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
