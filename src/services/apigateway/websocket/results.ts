/**
 * What a function's answer means to a WebSocket API (Lambda proxy integration): on $connect a statusCode decides
 * whether the handshake completes, on a two-way route the body goes back to the client.
 */
import type { WebSocketInvocation } from './types.js';

export type ConnectOutcome = { accept: true; protocol?: string } | { accept: false; status: number; body: string };

/** API Gateway's answer when the integration fails (a function error, a timeout, a throttle). */
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';
const INTERNAL_ERROR_BODY = JSON.stringify({ message: INTERNAL_ERROR_MESSAGE });

/**
 * A 2xx statusCode completes the handshake, with the Sec-WebSocket-Protocol the function chose
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-connect-route-subprotocol.html); any other
 * status refuses it with that status; a failed invocation refuses it with 502, as a failed Lambda proxy integration
 * answers. A result without a statusCode (the handler returned nothing) lets the client in.
 */
export function connectOutcome(invocation: WebSocketInvocation): ConnectOutcome {
  if (invocation.status !== 'success') return { accept: false, status: 502, body: INTERNAL_ERROR_BODY };
  const result = parse(invocation.payload);
  if (!isRecord(result) || typeof result.statusCode !== 'number') return { accept: true };
  const status = result.statusCode;
  if (status >= 200 && status < 300) {
    const protocol = headerValue(result.headers, 'sec-websocket-protocol');
    return protocol === undefined ? { accept: true } : { accept: true, protocol };
  }
  const body = typeof result.body === 'string' ? result.body : '';
  return { accept: false, status: status >= 300 && status <= 599 ? status : 502, body };
}

/** The message a two-way route sends back: the result's body (base64-decoded when isBase64Encoded), if it has one. */
export function routeReply(payload: Buffer): { data: Buffer; binary: boolean } | undefined {
  const result = parse(payload);
  if (!isRecord(result) || result.body === undefined || result.body === null) return undefined;
  const body = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  if (result.isBase64Encoded === true) return { data: Buffer.from(body, 'base64'), binary: true };
  return { data: Buffer.from(body), binary: false };
}

function parse(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && typeof value === 'string') return value;
  return undefined;
}
