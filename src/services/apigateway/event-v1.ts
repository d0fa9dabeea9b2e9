import { createHash } from 'node:crypto';
import { routePath } from './routes.js';
import { domainOf, encodeBody, formatRequestTime, groupHeaders, multiRecordOf, parseQuery, recordOf } from './request-parts.js';
import type { Admission, ApiConfig, HttpRequest, RouteMatch } from './types.js';

const last = (values: string[]): string => values[values.length - 1] ?? '';

/** Payload format 1.0, as REST APIs send it: absent maps are null, header names keep the case they were sent in. */
export function buildEventV1(api: ApiConfig, match: RouteMatch, req: HttpRequest, admission: Admission = {}): Record<string, unknown> {
  const headers = groupHeaders(req.headers, false);
  const query = parseQuery(req.rawQuery);
  const method = req.method.toUpperCase();
  // $default has no resource of its own; the request path stands in for it.
  const resource = routePath(match.route.routeKey) ?? req.rawPath;
  const body = encodeBody(req);
  return {
    version: '1.0',
    resource,
    path: req.rawPath,
    httpMethod: method,
    headers: recordOf(headers, last),
    multiValueHeaders: multiRecordOf(headers),
    queryStringParameters: query.size > 0 ? recordOf(query, last) : null,
    multiValueQueryStringParameters: query.size > 0 ? multiRecordOf(query) : null,
    requestContext: {
      accountId: api.accountId,
      apiId: api.id,
      ...domainOf(api, req),
      ...(admission.authorizer ? { authorizer: admission.authorizer } : {}),
      extendedRequestId: extendedRequestId(req.requestId),
      httpMethod: method,
      identity: identityOf(req, admission),
      // REST APIs are invoked under /<stage>; requestContext.path shows it as sent, the top-level path does not.
      path: req.stagedPath ?? (api.stage === '$default' ? req.rawPath : `/${api.stage}${req.rawPath}`),
      protocol: req.protocol,
      requestId: req.requestId,
      requestTime: formatRequestTime(req.timeEpochMs),
      requestTimeEpoch: req.timeEpochMs,
      resourceId: resourceId(api, resource),
      resourcePath: resource,
      stage: api.stage,
    },
    pathParameters: Object.keys(match.pathParameters).length > 0 ? match.pathParameters : null,
    stageVariables: null,
    body: body?.body ?? null,
    isBase64Encoded: body?.isBase64Encoded ?? false,
  };
}

/** IAM-authorized requests name their caller, as API Gateway fills $context.identity for AWS_IAM routes. */
function identityOf(req: HttpRequest, admission: Admission): Record<string, string | null> {
  const caller = admission.identity;
  return {
    accessKey: caller?.accessKeyId ?? null,
    accountId: caller?.accountId ?? null,
    caller: caller?.userId ?? null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: req.sourceIp,
    user: caller?.userId ?? null,
    userAgent: req.userAgent ?? null,
    userArn: caller?.arn ?? null,
  };
}

/** REST's x-amz-apigw-id: 15 URL-safe characters and '='; derived from the request id so both stay linked. */
export function extendedRequestId(requestId: string): string {
  return `${createHash('sha256').update(requestId).digest('base64url').slice(0, 15)}=`;
}

/** REST resource ids are 6 lowercase alphanumerics, stable for a resource within an API. */
function resourceId(api: ApiConfig, resource: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(`${api.id} ${resource}`).digest('hex').slice(0, 12)}`);
  return digits.toString(36).padStart(6, '0').slice(-6);
}
