import type { ServiceResponse } from '../../../core/index.js';

/**
 * A function's answer as a function URL sends it (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 * #urls-response-payload): an object with statusCode is a full response (headers, cookies as Set-Cookie, body,
 * isBase64Encoded); any other JSON value is the body of a 200 application/json response, a string as its text.
 * LocalStack's recordings of AWS (test_lambda.snapshot.json, TestLambdaURL::test_lambda_url_invocation) show a full
 * response without headers answered as application/json too. What cannot be read is a 502 "Internal Server Error".
 */

export interface HttpPrelude {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
}

/** Framing is the node's business; a function's own values could desynchronise the connection. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

export function bufferedResponse(payload: Buffer, extra: Record<string, string>): ServiceResponse {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return internalError(extra);
  }
  if (!isObject(value) || !('statusCode' in value)) {
    const body = typeof value === 'string' ? Buffer.from(value) : payload;
    return { status: 200, headers: { 'content-type': 'application/json', ...extra }, body };
  }
  const prelude = preludeOf(value);
  const text = value.body;
  if (!prelude || (text !== undefined && text !== null && typeof text !== 'string')) return internalError(extra);
  const body = typeof text === 'string' ? Buffer.from(text, value.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { status: prelude.statusCode, headers: httpHeaders(prelude, extra), body };
}

/** The status, headers and cookies of a full response or of a streamed response's prelude; undefined if malformed. */
export function preludeOf(value: unknown): HttpPrelude | undefined {
  if (!isObject(value)) return undefined;
  const status = value.statusCode ?? 200;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: Record<string, string> = {};
  if (value.headers !== undefined && value.headers !== null) {
    if (!isObject(value.headers)) return undefined;
    for (const [name, v] of Object.entries(value.headers)) headers[name.toLowerCase()] = String(v);
  }
  const cookies = Array.isArray(value.cookies) ? value.cookies.map(String) : [];
  return { statusCode: status, headers, cookies };
}

export function httpHeaders(prelude: HttpPrelude, extra: Record<string, string>): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(prelude.headers)) if (!FRAMING.has(name)) headers[name] = value;
  if (prelude.cookies.length > 0) headers['set-cookie'] = prelude.cookies;
  return { ...headers, ...extra };
}

/** What a function URL answers when the function fails (an error, a crash, a timeout) or its answer is malformed. */
export function internalError(extra: Record<string, string>): ServiceResponse {
  return { status: 502, headers: { 'content-type': 'text/plain; charset=utf-8', ...extra }, body: 'Internal Server Error' };
}

/** Access refused, as Lambda's front end words it; `message` null for a URL that does not exist. */
export function forbidden(message: string | null, extra: Record<string, string>): ServiceResponse {
  return { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException', ...extra }, body: JSON.stringify({ Message: message }) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DELIMITER_LENGTH = 8;

/**
 * Splits a streamed HTTP response (awslambda.HttpResponseStream.from) into its prelude and body: the prelude is JSON
 * up to the first run of 8 NUL bytes. Reads only as far as the delimiter, so the body keeps streaming.
 */
export async function splitPrelude(chunks: AsyncIterable<Buffer>): Promise<{ prelude: HttpPrelude | undefined; rest: AsyncIterable<Buffer> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  for (;;) {
    const at = head.indexOf(Buffer.alloc(DELIMITER_LENGTH));
    if (at >= 0) {
      const prelude = parsePrelude(head.subarray(0, at));
      return { prelude, rest: remaining(head.subarray(at + DELIMITER_LENGTH), iterator) };
    }
    const next = await iterator.next();
    if (next.done) return { prelude: parsePrelude(head), rest: remaining(Buffer.alloc(0), iterator) };
    head = Buffer.concat([head, next.value]);
  }
}

function parsePrelude(bytes: Buffer): HttpPrelude | undefined {
  try {
    return preludeOf(JSON.parse(bytes.toString('utf8')));
  } catch {
    return undefined;
  }
}

async function* remaining(first: Buffer, iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (first.length > 0) yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  } finally {
    await iterator.return?.();
  }
}
