/**
 * How an API admits callers: its stage, its Lambda authorizers, and the auth a route asks for (`none`, `iam` for
 * SigV4-signed callers as AWS_IAM, or an authorizer's name). API Gateway's identity source spellings are accepted
 * (`method.request.header.X` for REST, `$request.header.X` for HTTP APIs) as well as the short `header.X`/`query.X`.
 */
import { z } from 'zod';
import { intIn, isRecord, namePattern, strictObject } from './fields.js';

export const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
export const AUTHORIZER_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const IDENTITY_SOURCE = /^(?:method\.request\.|\$request\.)?(header|querystring|query)\.([A-Za-z0-9_.-]+)$/;
const IDENTITY_EXPECTED = 'expected header.<Name> or query.<name> (or API Gateway\'s method.request.header.<Name> / $request.header.<Name>)';

const identitySource = z.string({ error: IDENTITY_EXPECTED }).regex(IDENTITY_SOURCE, { error: IDENTITY_EXPECTED });

export const authorizerSchema = strictObject({
  function: z.string({ error: 'expected the name of a function of this app' }).meta({ description: 'The function that decides.' }),
  type: z.enum(['token', 'request'], { error: 'expected token or request' }).optional()
    .meta({ description: 'REST APIs: token (default) or request; HTTP APIs: request.' }),
  identitySource: z.union([identitySource, z.array(identitySource)]).optional()
    .meta({ description: 'Where the identity is read; a request without it is refused 401. Default: header.Authorization.' }),
  ttl: intIn(0, 3600).optional().meta({ description: 'Seconds a decision is cached per identity (default 300 for REST, 0 for HTTP APIs).' }),
  simpleResponses: z.boolean({ error: 'expected true or false' }).optional()
    .meta({ description: 'HTTP APIs: the function answers { isAuthorized, context } instead of an IAM policy.' }),
  payload: z.literal(['1.0', '2.0'], { error: 'expected "1.0" or "2.0"' }).optional()
    .meta({ description: 'HTTP APIs: the authorizer event format (default 2.0).' }),
  validationExpression: z.string().optional().meta({ description: 'REST token authorizers: a token not matching this is refused 401.' }),
});

export const authorizersSchema = z.record(namePattern(AUTHORIZER_NAME, 'an authorizer name'), authorizerSchema, { error: 'expected a map of authorizer names to settings' });

export const routeAuth = z.string({ error: 'expected none, iam or the name of an authorizer of the API' }).min(1)
  .meta({ description: 'none, iam (SigV4-signed callers, as AWS_IAM) or the name of one of the API\'s authorizers.' });

export const stageName = namePattern(STAGE_NAME, 'a stage name').meta({ description: 'Requests may name it first in the path: /<stage>/users.' });

export type AuthorizerInput = z.output<typeof authorizerSchema>;

/** The parts of an identity source: where and which name. */
export function parseIdentitySource(source: string): { in: 'header' | 'query'; name: string } {
  const match = IDENTITY_SOURCE.exec(source);
  return { in: match?.[1] === 'header' ? 'header' : 'query', name: match?.[2] ?? source };
}

/** Authorizers name functions of the app; routes name authorizers of their API. Checked on the raw manifest. */
export function checkApiAuth(manifest: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const functions = isRecord(manifest.functions) ? manifest.functions : {};
  const apis = isRecord(manifest.apis) ? manifest.apis : {};
  for (const [apiName, api] of Object.entries(apis)) {
    if (!isRecord(api)) continue;
    const authorizers = isRecord(api.authorizers) ? api.authorizers : {};
    for (const [name, authorizer] of Object.entries(authorizers)) {
      if (isRecord(authorizer) && typeof authorizer.function === 'string' && !(authorizer.function in functions)) {
        ctx.addIssue({ code: 'custom', path: ['apis', apiName, 'authorizers', name, 'function'], message: `no function '${authorizer.function}' in this app` });
      }
    }
    if (typeof api.auth === 'string') checkAuthName(api.auth, authorizers, ['apis', apiName, 'auth'], ctx);
  }
  for (const [functionName, fn] of Object.entries(functions)) {
    if (!isRecord(fn) || !Array.isArray(fn.events)) continue;
    for (const [index, event] of fn.events.entries()) {
      const http = isRecord(event) && isRecord(event.http) ? event.http : undefined;
      if (typeof http?.auth !== 'string') continue;
      const apiName = typeof http.api === 'string' ? http.api : 'default';
      const api = isRecord(apis[apiName]) ? apis[apiName] : {};
      checkAuthName(http.auth, isRecord(api.authorizers) ? api.authorizers : {}, ['functions', functionName, 'events', index, 'http', 'auth'], ctx);
    }
  }
}

function checkAuthName(auth: string, authorizers: Record<string, unknown>, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (auth === 'none' || auth === 'iam' || auth in authorizers) return;
  const declared = Object.keys(authorizers);
  const choices = declared.length > 0 ? `none, iam or one of the API's authorizers (${declared.join(', ')})` : 'none or iam (the API declares no authorizers)';
  ctx.addIssue({ code: 'custom', path, message: `unknown auth '${auth}': expected ${choices}` });
}
