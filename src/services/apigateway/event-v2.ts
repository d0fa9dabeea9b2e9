import { decodePathPart } from './routes.js';
import { domainOf, encodeBody, formatRequestTime, groupHeaders, parseQuery, recordOf } from './request-parts.js';
import type { Admission, ApiConfig, HttpRequest, RouteMatch } from './types.js';

/** Payload format 2.0, as HTTP APIs send it: optional fields are left out rather than set to null. */
export function buildEventV2(api: ApiConfig, match: RouteMatch, req: HttpRequest, admission: Admission = {}): Record<string, unknown> {
  const { cookieHeaders, others } = splitCookies(req.headers);
  const query = parseQuery(req.rawQuery);
  // HTTP APIs hand the function the decoded path in rawPath and http.path (the query string stays encoded).
  const path = decodePathPart(req.rawPath);
  const method = req.method.toUpperCase();
  const body = encodeBody(req);
  const cookies = cookieHeaders.flatMap((h) => h.split(/;\s*/)).filter((c) => c !== '');
  return {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: path,
    rawQueryString: req.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: recordOf(groupHeaders(others, true), (values) => values.join(',')),
    ...(query.size > 0 ? { queryStringParameters: recordOf(query, (values) => values.join(',')) } : {}),
    requestContext: {
      accountId: api.accountId,
      apiId: api.id,
      ...(admission.authorizer ? { authorizer: admission.authorizer } : {}),
      ...domainOf(api, req),
      http: { method, path, protocol: req.protocol, sourceIp: req.sourceIp, userAgent: req.userAgent ?? '' },
      requestId: req.requestId,
      routeKey: match.route.routeKey,
      stage: api.stage,
      time: formatRequestTime(req.timeEpochMs),
      timeEpoch: req.timeEpochMs,
    },
    ...(body ? { body: body.body } : {}),
    ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
    isBase64Encoded: body?.isBase64Encoded ?? false,
  };
}

function splitCookies(headers: [string, string][]): { cookieHeaders: string[]; others: [string, string][] } {
  const cookieHeaders: string[] = [];
  const others: [string, string][] = [];
  for (const pair of headers) {
    if (pair[0].toLowerCase() === 'cookie') cookieHeaders.push(pair[1]);
    else others.push(pair);
  }
  return { cookieHeaders, others };
}
