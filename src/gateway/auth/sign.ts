import { canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri } from './canonical.js';
import { amzDate } from './errors.js';
import { ALGORITHM } from './parse.js';
import { sha256Hex, SigningKeys } from './signing.js';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestToSign {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array;
  region: string;
  service: string;
  now: number;
}

/**
 * Signs a request with SigV4 in the Authorization header: for Flint's own callers (the CLI's calls of the admin API,
 * benchmarks), the same canonical request the verifier rebuilds. Returns the headers to send.
 */
export function signRequest(request: RequestToSign, credentials: SigningCredentials, keys = new SigningKeys()): Record<string, string> {
  const date = amzDate(request.now);
  const headers: Record<string, string> = { ...request.headers, host: request.url.host, 'x-amz-date': date, 'x-amz-content-sha256': sha256Hex(request.body ?? '') };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const signed = Object.keys(headers).map((name) => name.toLowerCase()).sort();
  const raw = Object.entries(headers).flat();
  const canonical = canonicalRequest({
    method: request.method,
    uri: canonicalUri(request.url.pathname, request.service),
    query: canonicalQuery(request.url.searchParams),
    headers: canonicalHeaders(raw, signed),
    signedHeaders: signed.join(';'),
    payloadHash: headers['x-amz-content-sha256']!,
  });
  const scope = { date: date.slice(0, 8), region: request.region, service: request.service };
  const stringToSign = `${ALGORITHM}\n${date}\n${scope.date}/${scope.region}/${scope.service}/aws4_request\n${sha256Hex(canonical)}`;
  const signature = keys.sign(credentials.secretAccessKey, scope, stringToSign);
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope.date}/${scope.region}/${scope.service}/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return headers;
}
