import { z } from 'zod';
import { errorResponse, requestIdHeaders } from './responses.js';
import type { ApiConfig, HttpResponse } from './types.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** The proxy response both payload versions accept; unknown keys are ignored, as API Gateway ignores them. */
const ProxyResponse = z.looseObject({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), scalar).nullish(),
  multiValueHeaders: z.record(z.string(), z.array(scalar)).nullish(),
  cookies: z.array(z.string()).nullish(),
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().nullish(),
});
type ProxyResponse = z.infer<typeof ProxyResponse>;

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
/** Framing is the gateway's business; a function's own values could desynchronise the connection. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

/** Turns a function's result into the HTTP response API Gateway would send; anything malformed becomes a 502. */
export function mapResult(api: ApiConfig, payload: Buffer, requestId?: string): HttpResponse {
  const value = parseJson(payload);
  const mapped = api.payloadVersion === '2.0' ? mapV2(value, payload) : mapV1(value);
  if (!mapped) return errorResponse('malformed', api, requestId);
  return { ...mapped, headers: [...mapped.headers, ...requestIdHeaders(api, requestId)] };
}

function parseJson(payload: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Payload 2.0: an object carrying `statusCode` is a full response. Any other JSON value is the body of a 200
 * application/json response: a string as its text, anything else (objects, arrays, numbers, null) as the JSON sent.
 */
function mapV2(parsed: ReturnType<typeof parseJson>, payload: Buffer): HttpResponse | undefined {
  if (!parsed.ok) return undefined;
  const { value } = parsed;
  if (isObject(value) && 'statusCode' in value) return fullResponse(value, V2_FORMAT);
  const body = typeof value === 'string' ? Buffer.from(value) : payload;
  return { statusCode: 200, headers: [['content-type', 'application/json']], body };
}

/** The keys a REST proxy response may have; any other key makes it malformed. */
const V1_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded', 'cookies']);

/**
 * Payload 1.0 (REST) accepts only a response object with no other keys, and not an empty one; its statusCode may be a
 * number or a numeric string and defaults to 200. LocalStack's recording of AWS: test_apigateway_lambda.snapshot.json,
 * test_aws_proxy_response_payload_format_validation ("201" → 201, "test" → 502, {} → 502, an unknown key → 502,
 * headers alone → 200).
 */
function mapV1(parsed: ReturnType<typeof parseJson>): HttpResponse | undefined {
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  const value = parsed.value;
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.some((key) => !V1_KEYS.has(key))) return undefined;
  const status = value.statusCode ?? 200;
  const statusCode = typeof status === 'string' && /^\d+$/.test(status) ? Number(status) : status;
  return fullResponse({ ...value, statusCode }, V1_FORMAT);
}

interface Format {
  /** What API Gateway sends when the function names no content type. */
  defaultContentType: string;
  /** Only payload 2.0 has a `cookies` field; REST ignores the key. */
  cookies: boolean;
}
const V2_FORMAT: Format = { defaultContentType: 'text/plain; charset=utf-8', cookies: true };
const V1_FORMAT: Format = { defaultContentType: 'application/json', cookies: false };

function fullResponse(value: Record<string, unknown>, format: Format): HttpResponse | undefined {
  const result = ProxyResponse.safeParse(value);
  if (!result.success) return undefined;
  const body = decodeBody(result.data);
  if (!body) return undefined;
  const headers = responseHeaders(result.data, format.cookies);
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.unshift(['content-type', format.defaultContentType]);
  return { statusCode: result.data.statusCode, headers, body };
}

function decodeBody(response: ProxyResponse): Buffer | undefined {
  const text = response.body ?? '';
  if (!response.isBase64Encoded) return Buffer.from(text);
  const compact = text.replace(/\s+/g, '');
  return BASE64.test(compact) ? Buffer.from(compact, 'base64') : undefined;
}

/** Multi-value headers come first, then single-value ones (REST keeps both when a name is in each), then cookies. */
function responseHeaders(response: ProxyResponse, withCookies: boolean): [string, string][] {
  const headers: [string, string][] = [];
  for (const [name, values] of Object.entries(response.multiValueHeaders ?? {})) {
    for (const value of values) headers.push([name, String(value)]);
  }
  for (const [name, value] of Object.entries(response.headers ?? {})) headers.push([name, String(value)]);
  if (withCookies) for (const cookie of response.cookies ?? []) headers.push(['set-cookie', cookie]);
  return headers.filter(([name]) => !FRAMING.has(name.toLowerCase()));
}
