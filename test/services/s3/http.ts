import { request as httpRequest } from 'node:http';

/** A SigV4 Authorization header naming the s3 service: how the gateway knows where to send a raw request. */
export const S3_AUTH = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** The body, written as the given pieces with a pause between them (to split frames across TCP reads). */
  body?: string | Buffer | (string | Buffer)[];
  /** Leave out the Authorization header (the request then needs query authentication to reach S3). */
  unsigned?: boolean;
}

/** Sends one request exactly as given (no SDK), so tests control every header and byte. */
export function raw(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const url = new URL(options.path, baseUrl);
  const pieces = options.body === undefined ? [] : Array.isArray(options.body) ? options.body : [options.body];
  const headers: Record<string, string> = { ...(options.unsigned ? {} : { authorization: S3_AUTH }), ...options.headers };
  if (pieces.length <= 1 && headers['transfer-encoding'] === undefined) headers['content-length'] = String(Buffer.byteLength(pieces[0] ?? ''));
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    void writePieces(req, pieces);
  });
}

async function writePieces(req: ReturnType<typeof httpRequest>, pieces: (string | Buffer)[]): Promise<void> {
  for (const [index, piece] of pieces.entries()) {
    req.write(piece);
    if (index < pieces.length - 1) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  req.end();
}

/** The text of one element of an XML document (first occurrence). */
export function xmlText(xml: string, element: string): string | undefined {
  return new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];
}
