import type { ServiceRequest } from '../../../core/index.js';
import type { UrlAddress } from './address.js';

/** Who signed an AWS_IAM request, as requestContext.authorizer.iam names them. */
export interface IamCaller {
  accessKey: string;
  accountId: string;
  userArn: string;
  userId: string;
}

/**
 * The event a function URL sends: payload format 2.0 as Lambda documents it for function URLs
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads): routeKey and stage "$default",
 * rawPath and rawQueryString as received, cookies apart from headers, repeated headers and query parameters joined
 * with commas, requestContext with the URL id as apiId and domainPrefix, accountId "anonymous" for NONE and
 * authorizer.iam for AWS_IAM, and a body base64-encoded unless it is text. Headers carry what Lambda's front end adds
 * (x-forwarded-for, x-forwarded-proto, x-forwarded-port, x-amzn-trace-id), as LocalStack's recording of AWS shows
 * (test_lambda.snapshot.json, TestLambdaURL::test_lambda_url_echo_http_fixture_default).
 */
export function buildUrlEvent(request: ServiceRequest, address: UrlAddress, body: Buffer, caller: IamCaller | undefined, nowMs: number): Buffer {
  const headers = new Map<string, string[]>();
  const cookies: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    if (name === 'cookie') cookies.push(...value.split(/;\s*/).filter((c) => c !== ''));
    else headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  const base = new URL(request.baseUrl);
  for (const [name, value] of [
    ['x-forwarded-for', request.sourceIp],
    ['x-forwarded-proto', base.protocol.replace(':', '')],
    ['x-forwarded-port', base.port || (base.protocol === 'https:' ? '443' : '80')],
    ['x-amzn-trace-id', `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${request.requestId.replaceAll('-', '').slice(0, 24)}`],
  ] as const) {
    if (!headers.has(name)) headers.set(name, [value]);
  }
  const query = new Map<string, string[]>();
  for (const [name, value] of request.query) query.set(name, [...(query.get(name) ?? []), value]);
  // The gateway keeps the query parsed; its serialisation is what the HTTP APIs hand over as rawQueryString too.
  const rawQueryString = request.query.toString();
  const text = isText(headers.get('content-type')?.[0], body);
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: address.rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: joined(headers),
    ...(query.size > 0 ? { queryStringParameters: joined(query) } : {}),
    requestContext: {
      accountId: caller?.accountId ?? 'anonymous',
      apiId: address.urlId,
      ...(caller
        ? { authorizer: { iam: { accessKey: caller.accessKey, accountId: caller.accountId, callerId: caller.userId, cognitoIdentity: null, principalOrgId: null, userArn: caller.userArn, userId: caller.userId } } }
        : {}),
      domainName: address.domainName,
      domainPrefix: address.urlId,
      http: { method: request.method.toUpperCase(), path: address.rawPath, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: headers.get('user-agent')?.[0] ?? '' },
      requestId: request.requestId,
      routeKey: '$default',
      stage: '$default',
      time: requestTime(nowMs),
      timeEpoch: nowMs,
    },
    ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
  return Buffer.from(JSON.stringify(event));
}

function joined(values: Map<string, string[]>): Record<string, string> {
  return Object.fromEntries([...values].map(([name, list]) => [name, list.join(',')]));
}

/** Text bodies go as they are; the rest (images, forms, anything not UTF-8) base64-encoded, as function URLs do. */
function isText(contentType: string | undefined, body: Buffer): boolean {
  if (contentType === undefined) return body.length === 0 || Buffer.from(body.toString('utf8'), 'utf8').equals(body);
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || /^application\/([a-z0-9.+-]*\+)?(json|xml|javascript)$/.test(type);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "12/Mar/2020:19:03:58 +0000", as requestContext.time is written. */
function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
