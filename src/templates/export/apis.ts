/**
 * An app's APIs → SAM: an API with a stage and payload 1.0 is a REST API (AWS::Serverless::Api, `Api` events);
 * every other is an HTTP API (AWS::Serverless::HttpApi, `HttpApi` events). Lambda authorizers and IAM auth go into
 * the API's Auth and each route's Auth, as SAM writes them
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-httpapiauth.html,
 * .../sam-property-api-apiauth.html).
 */
import type { ApiSpec, AuthorizerSpec, RouteSpec } from '../../manifest/index.js';
import type { LogicalIds } from './logical-ids.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type SamEvent = { Type: string; Properties: Record<string, unknown> };

export function isRestApi(api: ApiSpec): boolean {
  return api.stage !== undefined && api.payloadVersion === '1.0';
}

export function apiResource(api: ApiSpec, ids: LogicalIds): Resource {
  const rest = isRestApi(api);
  const properties: Record<string, unknown> = { Name: api.name };
  if (api.stage !== undefined) properties.StageName = api.stage;
  if (api.cors) properties[rest ? 'Cors' : 'CorsConfiguration'] = rest ? restCors(api) : httpCors(api);
  const auth = apiAuth(api, rest, ids);
  if (auth) properties.Auth = auth;
  return { Type: rest ? 'AWS::Serverless::Api' : 'AWS::Serverless::HttpApi', Properties: properties };
}

export function routeEvent(api: ApiSpec, route: RouteSpec, ids: LogicalIds): SamEvent {
  const auth: Record<string, unknown> | undefined =
    route.auth === undefined ? undefined : { Authorizer: route.auth.kind === 'none' ? 'NONE' : route.auth.kind === 'iam' ? 'AWS_IAM' : route.auth.authorizer };
  if (isRestApi(api)) {
    // SAM's default for a REST route's AWS_IAM is CALLER_CREDENTIALS: API Gateway would invoke the function as the
    // caller, who would then need lambda:InvokeFunction. NONE is what Flint does: a signed caller, API Gateway invoking.
    // (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-apifunctionauth.html)
    if (auth?.Authorizer === 'AWS_IAM') auth.InvokeRole = 'NONE';
    // REST APIs have no $default route: a greedy path at the root catches what no other route takes.
    const [method, path] = route.routeKey === '$default' ? ['any', '/{proxy+}'] : [route.method.toLowerCase(), route.path];
    return { Type: 'Api', Properties: { RestApiId: { Ref: ids.api(api.name) }, Path: path, Method: method, ...(auth ? { Auth: auth } : {}) } };
  }
  const properties: Record<string, unknown> = { ApiId: { Ref: ids.api(api.name) }, PayloadFormatVersion: api.payloadVersion };
  // SAM: an HttpApi event without Path and Method is the API's $default route.
  if (route.routeKey !== '$default') Object.assign(properties, { Method: route.method, Path: route.path });
  if (auth) properties.Auth = auth;
  return { Type: 'HttpApi', Properties: properties };
}

function httpCors(api: ApiSpec): Record<string, unknown> {
  const cors = api.cors!;
  const out: Record<string, unknown> = { AllowOrigins: cors.allowOrigins, AllowMethods: cors.allowMethods, AllowHeaders: cors.allowHeaders };
  if (cors.exposeHeaders.length > 0) out.ExposeHeaders = cors.exposeHeaders;
  if (cors.maxAge !== undefined) out.MaxAge = cors.maxAge;
  if (cors.allowCredentials) out.AllowCredentials = true;
  return out;
}

/** REST API CORS values are quoted strings in SAM. */
function restCors(api: ApiSpec): Record<string, unknown> {
  const cors = api.cors!;
  const quoted = (values: string[]): string => `'${values.join(',')}'`;
  const out: Record<string, unknown> = { AllowOrigin: quoted(cors.allowOrigins), AllowMethods: quoted(cors.allowMethods), AllowHeaders: quoted(cors.allowHeaders) };
  if (cors.maxAge !== undefined) out.MaxAge = quoted([String(cors.maxAge)]);
  if (cors.allowCredentials) out.AllowCredentials = true;
  return out;
}

function apiAuth(api: ApiSpec, rest: boolean, ids: LogicalIds): Record<string, unknown> | undefined {
  const auth: Record<string, unknown> = {};
  const authorizers = api.authorizers ?? [];
  if (authorizers.length > 0) {
    auth.Authorizers = Object.fromEntries(authorizers.map((a) => [a.name, rest ? restAuthorizer(a, ids) : httpAuthorizer(a, ids)]));
  }
  if (!rest && api.routes.some((r) => r.auth?.kind === 'iam')) auth.EnableIamAuthorizer = true;
  return Object.keys(auth).length > 0 ? auth : undefined;
}

function httpAuthorizer(a: AuthorizerSpec, ids: LogicalIds): Record<string, unknown> {
  const identity: Record<string, unknown> = { ReauthorizeEvery: a.ttlSeconds };
  const headers = a.identitySources.filter((s) => s.in === 'header').map((s) => s.name);
  const queries = a.identitySources.filter((s) => s.in === 'query').map((s) => s.name);
  if (headers.length > 0) identity.Headers = headers;
  if (queries.length > 0) identity.QueryStrings = queries;
  return {
    FunctionArn: { 'Fn::GetAtt': [ids.fn(a.functionName), 'Arn'] },
    AuthorizerPayloadFormatVersion: a.payloadVersion,
    EnableSimpleResponses: a.simpleResponses,
    // Without it SAM grants the HTTP API no permission to invoke the authorizer, and every request fails
    // (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-lambdaauthorizer.html).
    EnableFunctionDefaultPermissions: true,
    Identity: identity,
  };
}

function restAuthorizer(a: AuthorizerSpec, ids: LogicalIds): Record<string, unknown> {
  const identity: Record<string, unknown> = { ReauthorizeEvery: a.ttlSeconds };
  if (a.type === 'token') {
    identity.Header = a.identitySources[0]?.name ?? 'Authorization';
    if (a.validationExpression !== undefined) identity.ValidationExpression = a.validationExpression;
  } else {
    const headers = a.identitySources.filter((s) => s.in === 'header').map((s) => s.name);
    const queries = a.identitySources.filter((s) => s.in === 'query').map((s) => s.name);
    if (headers.length > 0) identity.Headers = headers;
    if (queries.length > 0) identity.QueryStrings = queries;
  }
  return { FunctionArn: { 'Fn::GetAtt': [ids.fn(a.functionName), 'Arn'] }, FunctionPayloadType: a.type === 'token' ? 'TOKEN' : 'REQUEST', Identity: identity };
}
