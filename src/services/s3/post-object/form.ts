/** One part of a multipart/form-data body. */
export interface FormPart {
  /** The field name as sent. */
  name: string;
  filename?: string;
  contentType?: string;
  value: Buffer;
}

/** The multipart/form-data boundary of a Content-Type header, if it is one. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2]?.trim();
}

/** The parts of a multipart/form-data body (RFC 7578), in order; undefined if the body is not well framed. */
export function parseForm(body: Buffer, boundary: string): FormPart[] | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) return undefined;
  for (;;) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    start += 2; // CRLF after the delimiter
    const next = body.indexOf(delimiter, start);
    if (next < 0) return undefined;
    const part = parsePart(body.subarray(start, next - 2)); // the CRLF before the next delimiter
    if (!part) return undefined;
    parts.push(part);
    start = next;
  }
}

function parsePart(raw: Buffer): FormPart | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const headers = raw.subarray(0, end).toString('utf8').split('\r\n');
  const disposition = headers.find((line) => line.toLowerCase().startsWith('content-disposition:'));
  const name = disposition === undefined ? undefined : /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) return undefined;
  const filename = disposition === undefined ? undefined : /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  const contentType = headers.find((line) => line.toLowerCase().startsWith('content-type:'))?.slice('content-type:'.length).trim();
  return { name, filename, contentType, value: raw.subarray(end + 4) };
}
