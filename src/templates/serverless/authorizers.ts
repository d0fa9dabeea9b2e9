/**
 * The Framework's authorizers → SAM Auth: `http` events take `aws_iam`, a function of the service (a TOKEN
 * authorizer on the Authorization header, cached 300 s, as the Framework defaults) or `{ name, type,
 * identitySource, resultTtlInSeconds, identityValidationExpression }`; `httpApi` events take `{ type: aws_iam }`
 * or `{ name }` of a `request` authorizer under provider.httpApi.authorizers
 * (https://www.serverless.com/framework/docs/providers/aws/events/apigateway#http-endpoints-with-custom-authorizers,
 * .../events/http-api#lambda-request-authorizers). Cognito and JWT authorizers are reported.
 */
import { logicalIds } from './names.js';
import { defined, isRecord, listOf, numberOf, recordOf, stringOf } from './shapes.js';

export interface AuthorizerScope {
  functionKeys: Set<string>;
  unsupported: string[];
  /** provider.httpApi.authorizers, as written. */
  httpApiAuthorizers: Record<string, unknown>;
}

/** What the API resources gather from the routes: authorizer definitions and whether IAM auth is used. */
export interface ApiAuth {
  authorizers: Record<string, Record<string, unknown>>;
  iam: boolean;
}

export function emptyApiAuth(): ApiAuth {
  return { authorizers: {}, iam: false };
}

/** A REST route's authorizer → the event's `Auth`, adding the authorizer to `api`. */
export function restRouteAuth(authorizer: unknown, at: string, scope: AuthorizerScope, api: ApiAuth): Record<string, unknown> | undefined {
  if (authorizer === undefined) return undefined;
  const settings = typeof authorizer === 'string' ? { name: authorizer } : recordOf(authorizer);
  const type = (stringOf(settings.type) ?? '').toLowerCase();
  const name = stringOf(settings.name) ?? '';
  if (type === 'aws_iam' || name.toLowerCase() === 'aws_iam') return { Authorizer: 'AWS_IAM' };
  if (type === 'cognito_user_pools' || String(settings.arn ?? '').includes(':cognito-idp:')) {
    scope.unsupported.push(`${at}.authorizer: Cognito user pool authorizers are not supported by Flint; the route is served without it`);
    return undefined;
  }
  const functionKey = scope.functionKeys.has(name) ? name : functionOfArn(settings.arn, scope);
  if (functionKey === undefined) {
    scope.unsupported.push(`${at}.authorizer: '${name || String(settings.arn)}' is not a function of this service; the route is served without it`);
    return undefined;
  }
  const authorizerName = name || functionKey;
  const request = type === 'request';
  const sources = String(settings.identitySource ?? 'method.request.header.Authorization').split(',').map((s) => s.trim());
  api.authorizers[authorizerName] = {
    FunctionArn: { 'Fn::GetAtt': [logicalIds.function(functionKey), 'Arn'] },
    FunctionPayloadType: request ? 'REQUEST' : 'TOKEN',
    Identity: defined({
      ...(request ? identityLists(sources, 'method.request.header.', 'method.request.querystring.') : { Header: sources[0]?.replace(/^method\.request\.header\./, '') }),
      ValidationExpression: request ? undefined : settings.identityValidationExpression,
      ReauthorizeEvery: numberOf(settings.resultTtlInSeconds) ?? 300,
    }),
  };
  return { Authorizer: authorizerName };
}

/** An HTTP API route's authorizer → the event's `Auth`, adding the authorizer to `api`. */
export function httpRouteAuth(authorizer: unknown, at: string, scope: AuthorizerScope, api: ApiAuth): Record<string, unknown> | undefined {
  if (authorizer === undefined) return undefined;
  const settings = typeof authorizer === 'string' ? { name: authorizer } : recordOf(authorizer);
  if (String(settings.type ?? '').toLowerCase() === 'aws_iam') {
    api.iam = true;
    return { Authorizer: 'AWS_IAM' };
  }
  const name = stringOf(settings.name) ?? '';
  const definition = recordOf(scope.httpApiAuthorizers[name]);
  const functionKey = stringOf(definition.functionName);
  if (definition.type !== 'request' || functionKey === undefined || !scope.functionKeys.has(functionKey)) {
    const what = definition.type === 'jwt' || definition.issuerUrl !== undefined ? 'JWT authorizers are' : `the authorizer '${name}' is`;
    scope.unsupported.push(`${at}.httpApi.authorizer: ${what} not supported by Flint (Lambda request authorizers of this service are); the route is served without it`);
    return undefined;
  }
  const sources = listOf(definition.identitySource ?? '$request.header.Authorization').map(String);
  api.authorizers[name] = defined({
    FunctionArn: { 'Fn::GetAtt': [logicalIds.function(functionKey), 'Arn'] },
    AuthorizerPayloadFormatVersion: stringOf(definition.payloadVersion) ?? '2.0',
    EnableSimpleResponses: definition.enableSimpleResponses === true ? true : undefined,
    Identity: defined({ ...identityLists(sources, '$request.header.', '$request.querystring.'), ReauthorizeEvery: numberOf(definition.resultTtlInSeconds) ?? 300 }),
  });
  return { Authorizer: name };
}

function identityLists(sources: string[], headerPrefix: string, queryPrefix: string): Record<string, unknown> {
  const headers = sources.filter((s) => s.startsWith(headerPrefix)).map((s) => s.slice(headerPrefix.length));
  const queries = sources.filter((s) => s.startsWith(queryPrefix)).map((s) => s.slice(queryPrefix.length));
  return defined({ Headers: headers.length > 0 ? headers : undefined, QueryStrings: queries.length > 0 ? queries : undefined });
}

/** `!GetAtt AuthLambdaFunction.Arn` names a function of the service by its logical id. */
function functionOfArn(arn: unknown, scope: AuthorizerScope): string | undefined {
  const getAtt = isRecord(arn) ? arn['Fn::GetAtt'] : undefined;
  const id = Array.isArray(getAtt) ? String(getAtt[0]) : undefined;
  return [...scope.functionKeys].find((key) => logicalIds.function(key) === id);
}
