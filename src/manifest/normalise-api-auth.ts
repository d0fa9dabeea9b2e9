/** API auth settings as written → the normalised authorizers and route auth, with API Gateway's defaults filled in. */
import { parseIdentitySource, type AuthorizerInput } from './schema-api-auth.js';
import type { AuthorizerSpec, RouteAuthSpec } from './types.js';

/** REST authorizers cache a decision for 300 s unless told otherwise; HTTP API authorizers cache nothing by default. */
const DEFAULT_TTL = { '1.0': 300, '2.0': 0 } as const;

export function toAuthorizers(payloadVersion: '1.0' | '2.0', authorizers: Record<string, AuthorizerInput> | undefined): AuthorizerSpec[] {
  return Object.entries(authorizers ?? {}).map(([name, input]): AuthorizerSpec => {
    const type = payloadVersion === '2.0' ? 'request' : (input.type ?? 'token');
    const written = input.identitySource === undefined ? [] : Array.isArray(input.identitySource) ? input.identitySource : [input.identitySource];
    // A token authorizer reads one header, Authorization unless named; HTTP APIs default to the same header.
    const sources = written.length > 0 ? written : type === 'token' || payloadVersion === '2.0' ? ['header.Authorization'] : [];
    const spec: AuthorizerSpec = {
      name,
      functionName: input.function,
      type,
      identitySources: sources.map(parseIdentitySource),
      ttlSeconds: input.ttl ?? DEFAULT_TTL[payloadVersion],
      payloadVersion: input.payload ?? '2.0',
      simpleResponses: input.simpleResponses ?? false,
    };
    if (input.validationExpression !== undefined) spec.validationExpression = input.validationExpression;
    return spec;
  });
}

/** A route's own auth, else its API's default; undefined when anyone may call it. */
export function routeAuthOf(routeAuth: string | undefined, apiAuth: string | undefined): RouteAuthSpec | undefined {
  const auth = routeAuth ?? apiAuth;
  if (auth === undefined || auth === 'none') return undefined;
  return auth === 'iam' ? { kind: 'iam' } : { kind: 'lambda', authorizer: auth };
}
