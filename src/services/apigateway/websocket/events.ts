/**
 * The Lambda proxy events of WebSocket APIs, shaped as API Gateway sends them
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-requests.html
 * and the event samples of https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html): requestContext
 * with routeKey, eventType, connectionId, domainName, stage, apiId, requestId, connectedAt, requestTimeEpoch and
 * identity; headers and query string on $connect; body and isBase64Encoded on messages; the close code and reason
 * on $disconnect.
 */

/** What every event of one connection repeats. */
export interface ConnectionFacts {
  connectionId: string;
  apiId: string;
  stage: string;
  /** The host (and port) the client connected to: `http://<domainName>/<stage>` reaches the @connections API. */
  domainName: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string;
}

export interface HandshakeRequest {
  /** Raw pairs, names spelled as sent. */
  headers: [string, string][];
  /** Without '?'. */
  rawQuery: string;
}

type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

export function connectEvent(facts: ConnectionFacts, handshake: HandshakeRequest, requestId: string, now: number): Record<string, unknown> {
  const event: Record<string, unknown> = {
    headers: singleValued(handshake.headers),
    multiValueHeaders: multiValued(handshake.headers),
  };
  const query = queryPairs(handshake.rawQuery);
  if (query.length > 0) {
    event.queryStringParameters = singleValued(query);
    event.multiValueQueryStringParameters = multiValued(query);
  }
  event.requestContext = requestContext(facts, '$connect', 'CONNECT', requestId, now);
  event.isBase64Encoded = false;
  return event;
}

export function messageEvent(facts: ConnectionFacts, routeKey: string, message: { body: Buffer; binary: boolean }, ids: { requestId: string; messageId: string }, now: number): Record<string, unknown> {
  return {
    requestContext: { ...requestContext(facts, routeKey, 'MESSAGE', ids.requestId, now), messageId: ids.messageId },
    body: message.binary ? message.body.toString('base64') : message.body.toString('utf8'),
    isBase64Encoded: message.binary,
  };
}

export function disconnectEvent(facts: ConnectionFacts, close: { code: number; reason: string }, requestId: string, now: number): Record<string, unknown> {
  // AWS's sample $disconnect event carries these four headers, not the handshake's.
  const headers: [string, string][] = [['Host', facts.domainName], ['x-api-key', ''], ['X-Forwarded-For', ''], ['x-restapi', '']];
  return {
    headers: singleValued(headers),
    multiValueHeaders: multiValued(headers),
    requestContext: { ...requestContext(facts, '$disconnect', 'DISCONNECT', requestId, now), disconnectStatusCode: close.code, disconnectReason: close.reason },
    isBase64Encoded: false,
  };
}

function requestContext(facts: ConnectionFacts, routeKey: string, eventType: EventType, requestId: string, now: number): Record<string, unknown> {
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: clfTime(now),
    messageDirection: 'IN',
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: now,
    identity: { userAgent: facts.userAgent, sourceIp: facts.sourceIp },
    requestId,
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "09/Feb/2019:17:36:55 +0000", the requestTime format of API Gateway events. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

function queryPairs(rawQuery: string): [string, string][] {
  return rawQuery === '' ? [] : [...new URLSearchParams(rawQuery)];
}

/** The last value of each name, as payload 1.0 events give them. */
function singleValued(pairs: readonly [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) out[name] = value;
  return out;
}

function multiValued(pairs: readonly [string, string][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of pairs) (out[name] ??= []).push(value);
  return out;
}
