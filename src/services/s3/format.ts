/** How S3 writes a few values: times at second precision, quoted ETags, form-encoded keys. */

/** S3 keeps times at second precision (LastModified, CreationDate, Initiated). */
export function seconds(epochMs: number): Date {
  return new Date(Math.floor(epochMs / 1000) * 1000);
}

export function quoted(etag: string): string {
  return `"${etag}"`;
}

/** An ETag as clients send it back: quoted or not, possibly weak. */
export function unquoted(etag: string): string {
  const trimmed = etag.trim().replace(/^W\//, '');
  return trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2 ? trimmed.slice(1, -1) : trimmed;
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

/** The namespace of S3's response documents. */
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A member of an opaque shape (see OPAQUE in service.ts): the text received, if any. */
export function text(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value);
}
