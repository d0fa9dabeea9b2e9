import { createHmac } from 'node:crypto';
import type { ServiceRequest } from '../../core/index.js';
import { parseAddress } from '../../services/s3/index.js';
import { first } from './parse.js';

/**
 * S3's Signature Version 2 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html), which
 * S3 still accepts and Debian's boto3 1.26 presigns with: `Authorization: AWS key:signature`, or a URL's
 * AWSAccessKeyId, Signature and Expires. The signature is a base64 HMAC-SHA1 of the verb, Content-MD5,
 * Content-Type, the date (Expires for a URL), the x-amz-* headers and the resource.
 */
export interface SigV2Claim {
  accessKeyId: string;
  signature: string;
  /** A presigned URL's Expires, in seconds since the epoch. */
  expires?: number;
  /** The header form's Date (or x-amz-date), in milliseconds. */
  dateMs?: number;
  sessionToken?: string;
}

export function isSigV2(request: ServiceRequest): boolean {
  return request.headers.authorization?.startsWith('AWS ') === true || (request.query.has('AWSAccessKeyId') && request.query.has('Signature'));
}

export function parseSigV2(request: ServiceRequest): SigV2Claim | undefined {
  const { headers, query } = request;
  const auth = headers.authorization;
  if (auth?.startsWith('AWS ')) {
    const colon = auth.lastIndexOf(':');
    if (colon < 4) return undefined;
    const date = Date.parse(first(headers['x-amz-date']) ?? first(headers.date) ?? '');
    return { accessKeyId: auth.slice(4, colon).trim(), signature: auth.slice(colon + 1).trim(), dateMs: Number.isNaN(date) ? undefined : date, sessionToken: first(headers['x-amz-security-token']) };
  }
  const expires = query.get('Expires') ?? '';
  if (!/^\d+$/.test(expires)) return undefined;
  return { accessKeyId: query.get('AWSAccessKeyId') ?? '', signature: query.get('Signature') ?? '', expires: Number(expires), sessionToken: query.get('x-amz-security-token') ?? undefined };
}

/** The sub-resources the resource names (botocore's HmacV1Auth.QSAOfInterest, S3's list of them). */
const SUBRESOURCES: ReadonlySet<string> = new Set([
  'accelerate', 'acl', 'analytics', 'cors', 'defaultObjectAcl', 'delete', 'inventory', 'lifecycle', 'location', 'logging', 'metrics',
  'notification', 'object-lock', 'partNumber', 'policy', 'replication', 'requestPayment', 'response-cache-control', 'response-content-disposition',
  'response-content-encoding', 'response-content-language', 'response-content-type', 'response-expires', 'restore', 'select', 'select-type',
  'storageClass', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
]);

export function sigV2StringToSign(request: ServiceRequest, claim: SigV2Claim): string {
  const { headers, query } = request;
  const presigned = claim.expires !== undefined;
  const pick = (name: string): string => (presigned ? (query.get(name) ?? first(headers[name])) : first(headers[name]))?.trim() ?? '';
  const date = presigned ? String(claim.expires) : headers['x-amz-date'] !== undefined ? '' : pick('date');
  return `${request.method}\n${pick('content-md5')}\n${pick('content-type')}\n${date}\n${amzHeaders(request, presigned)}${resource(request)}`;
}

export function sigV2Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

function amzHeaders(request: ServiceRequest, presigned: boolean): string {
  const values = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const key = name.toLowerCase();
    if (key.startsWith('x-amz-')) values.set(key, [...(values.get(key) ?? []), value.trim()]);
  };
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) add(raw[i]!, raw[i + 1]!);
  if (presigned) for (const [name, value] of request.query) add(name, value);
  return [...values.keys()].sort().map((name) => `${name}:${values.get(name)!.join(',')}\n`).join('');
}

/** The path with the bucket in it (virtual-hosted requests too) and the sub-resources, sorted (an empty one bare, as clients send it). */
function resource(request: ServiceRequest): string {
  let path = request.rawPath || '/';
  try {
    const address = parseAddress(request.host, request.rawPath);
    if (address.virtualHost && address.bucket !== undefined) path = `/${address.bucket}${path}`;
  } catch {
    // An address S3 cannot parse is refused by S3 itself; sign the path as sent.
  }
  const subresources = [...request.query].filter(([name]) => SUBRESOURCES.has(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (subresources.length === 0) return path;
  return `${path}?${subresources.map(([name, value]) => (value === '' ? name : `${name}=${value}`)).join('&')}`;
}
