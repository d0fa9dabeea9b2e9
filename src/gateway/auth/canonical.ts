/**
 * The canonical request of SigV4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
 * method, canonical URI, canonical query, canonical headers, signed header names and the payload hash, one per line.
 */
export interface CanonicalParts {
  method: string;
  uri: string;
  query: string;
  headers: string;
  signedHeaders: string;
  payloadHash: string;
}

export function canonicalRequest(parts: CanonicalParts): string {
  return `${parts.method}\n${parts.uri}\n${parts.query}\n${parts.headers}\n\n${parts.signedHeaders}\n${parts.payloadHash}`;
}

/** SigV4's URI encoding: every byte but the unreserved characters is %XX (uppercase); "/" too unless `keepSlash`. */
export function uriEncode(text: string, keepSlash = false): string {
  // encodeURIComponent leaves !'()* as they are; SigV4 encodes them.
  const encoded = encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

/**
 * The canonical URI. S3 signs the path as the client sent it (encoded once); every other service signs the encoded
 * path encoded again, as the SDKs do (botocore's S3SigV4Auth keeps the path, SigV4Auth quotes it; SDK v3's
 * `uriEscapePath` is false only for S3).
 */
export function canonicalUri(rawPath: string, service: string): string {
  if (rawPath === '') return '/';
  if (service === 's3') return rawPath;
  return uriEncode(rawPath, true);
}

/** The canonical query: each name and value decoded then SigV4-encoded, sorted by name then value; `skip` left out. */
export function canonicalQuery(query: URLSearchParams, skip?: string): string {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of query) if (name !== skip) pairs.push([uriEncode(name), uriEncode(value)]);
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * The canonical headers: each signed header's values (as received, repeated headers joined by commas), trimmed with
 * inner runs of spaces made one, as `name:value` lines. A signed header that was not sent counts as empty.
 */
export function canonicalHeaders(rawHeaders: readonly string[], signed: readonly string[]): string {
  const wanted = new Set(signed);
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!wanted.has(name)) continue;
    const list = values.get(name) ?? [];
    list.push(rawHeaders[i + 1]!.trim().replace(/ +/g, ' '));
    values.set(name, list);
  }
  return signed.map((name) => `${name}:${(values.get(name) ?? []).join(',')}`).join('\n');
}
