/**
 * SAM's API `Auth` → flint.yaml's API authorizers and route auth. Api (REST): Lambda TOKEN and REQUEST authorizers
 * (`FunctionArn`, `FunctionPayloadType`, `Identity: { Header, Headers, QueryStrings, ValidationExpression,
 * ReauthorizeEvery }`), `DefaultAuthorizer` (an authorizer's name or AWS_IAM); HttpApi: Lambda authorizers
 * (`AuthorizerPayloadFormatVersion`, `EnableSimpleResponses`, `Identity: { Headers, QueryStrings, ReauthorizeEvery }`)
 * and `EnableIamAuthorizer`. A route's `Auth: { Authorizer: NONE | AWS_IAM | <name> }` picks its own.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-httpapiauth.html
 * Cognito user pools and JWT authorizers are reported as not honoured.
 */
import { FUNCTION_TYPES, isMap, type Translation } from './context.js';

/** The API settings `Auth` adds: `authorizers` and the default `auth`. */
export function apiAuth(t: Translation, apiId: string, auth: unknown, payload: '1.0' | '2.0'): Record<string, unknown> {
  if (!isMap(auth)) return {};
  const out: Record<string, unknown> = {};
  const authorizers: Record<string, unknown> = {};
  for (const [name, config] of Object.entries(isMap(auth.Authorizers) ? auth.Authorizers : {})) {
    const authorizer = lambdaAuthorizer(t, apiId, name, config, payload);
    if (authorizer !== undefined) authorizers[name] = authorizer;
  }
  if (Object.keys(authorizers).length > 0) out.authorizers = authorizers;
  const fallback = auth.DefaultAuthorizer;
  if (typeof fallback === 'string') {
    const mapped = routeAuthName(fallback, authorizers);
    if (mapped !== undefined) out.auth = mapped;
    else t.notHonoured(apiId, 'Auth.DefaultAuthorizer', `${fallback} is not a Lambda authorizer of this API: its routes are open`);
  }
  for (const key of Object.keys(auth)) {
    if (!['Authorizers', 'DefaultAuthorizer', 'EnableIamAuthorizer', 'AddDefaultAuthorizerToCorsPreflight'].includes(key)) t.notHonoured(apiId, `Auth.${key}`, 'not applied: Flint runs Lambda authorizers and IAM auth only');
  }
  return out;
}

/** A route's `Auth.Authorizer`: none, iam or an authorizer's name; undefined when the route takes the API's default. */
export function routeAuth(auth: unknown, apiAuthorizers: unknown): string | undefined {
  if (!isMap(auth) || typeof auth.Authorizer !== 'string') return undefined;
  return routeAuthName(auth.Authorizer, isMap(apiAuthorizers) ? apiAuthorizers : {}) ?? auth.Authorizer;
}

function routeAuthName(name: string, authorizers: Record<string, unknown>): string | undefined {
  if (name === 'NONE') return 'none';
  if (name === 'AWS_IAM') return 'iam';
  return name in authorizers ? name : undefined;
}

function lambdaAuthorizer(t: Translation, apiId: string, name: string, config: unknown, payload: '1.0' | '2.0'): Record<string, unknown> | undefined {
  const where = `Auth.Authorizers.${name}`;
  if (!isMap(config) || config.FunctionArn === undefined) {
    t.notHonoured(apiId, where, 'only Lambda authorizers are run (not Cognito user pools or JWT): routes using it are refused 500');
    return undefined;
  }
  const fn = t.refersTo(config.FunctionArn, FUNCTION_TYPES);
  if (fn === undefined) {
    t.notHonoured(apiId, `${where}.FunctionArn`, 'names a function outside the template: routes using it are refused 500');
    return undefined;
  }
  const out: Record<string, unknown> = { function: fn.name };
  const identity = isMap(config.Identity) ? config.Identity : {};
  if (payload === '1.0') out.type = config.FunctionPayloadType === 'REQUEST' ? 'request' : 'token';
  else {
    if (config.AuthorizerPayloadFormatVersion !== undefined) out.payload = String(config.AuthorizerPayloadFormatVersion) === '1.0' ? '1.0' : '2.0';
    if (config.EnableSimpleResponses === true || config.EnableSimpleResponses === 'true') out.simpleResponses = true;
  }
  const sources = [
    ...(typeof identity.Header === 'string' ? [`header.${identity.Header}`] : []),
    ...(Array.isArray(identity.Headers) ? identity.Headers.map((h) => `header.${String(h)}`) : []),
    ...(Array.isArray(identity.QueryStrings) ? identity.QueryStrings.map((q) => `query.${String(q)}`) : []),
  ];
  if (sources.length > 0) out.identitySource = sources;
  if (typeof identity.ValidationExpression === 'string') out.validationExpression = identity.ValidationExpression;
  if (identity.ReauthorizeEvery !== undefined) out.ttl = Number(identity.ReauthorizeEvery);
  return out;
}
