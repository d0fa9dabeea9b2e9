/**
 * Who may call a route: AWS_IAM routes admit SigV4-signed callers, Lambda authorizer routes ask a function. An
 * authorizer's decision is cached per identity for its TTL on the node's clock, and a cached policy is evaluated again
 * for each request's method ARN, as API Gateway does
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
 */
import type { Clock } from '../../core/index.js';
import { buildEventV1 } from './event-v1.js';
import { buildEventV2 } from './event-v2.js';
import { evaluatePolicy, type PolicyDocument } from './policy.js';
import { headerValue, parseQuery } from './request-parts.js';
import type { Admission, ApiConfig, AuthorizerConfig, CallerIdentity, ErrorKind, HttpRequest, IdentifyCaller, RouteMatch } from './types.js';

export type AuthOutcome = { ok: true; admission: Admission } | { ok: false; kind: ErrorKind };

/** Runs an authorizer function with its event; resolves with the function's status and payload. */
export type RunAuthorizer = (functionName: string, event: Buffer, requestId: string) => Promise<{ status: string; payload: Buffer }>;

interface Decision {
  principalId?: string;
  policy?: PolicyDocument;
  /** Simple responses (HTTP APIs): the answer itself. */
  authorized?: boolean;
  context?: Record<string, unknown>;
}

export class Authorizers {
  private readonly cache = new Map<string, { expires: number; decision: Decision }>();

  constructor(private readonly deps: { run: RunAuthorizer; clock: Clock; identify?: IdentifyCaller }) {}

  /** Forgets cached decisions (a redeploy may change an authorizer). */
  clear(): void {
    this.cache.clear();
  }

  async admit(api: ApiConfig, match: RouteMatch, req: HttpRequest): Promise<AuthOutcome> {
    const auth = match.route.auth;
    if (!auth || auth.kind === 'none') return { ok: true, admission: {} };
    if (auth.kind === 'iam') return this.admitSigned(api, req);
    const authorizer = api.authorizers?.[auth.authorizer];
    if (!authorizer) return { ok: false, kind: 'authorizer-error' };
    return this.admitByFunction(api, authorizer, match, req);
  }

  /** AWS_IAM: an unsigned request is refused; a signed one carries its caller (signatures are checked by the node's auth mode). */
  private async admitSigned(api: ApiConfig, req: HttpRequest): Promise<AuthOutcome> {
    if (!req.signedBy) return { ok: false, kind: 'missing-token' };
    const known = await this.deps.identify?.(req.signedBy.accessKeyId);
    const identity = known ?? { accessKeyId: req.signedBy.accessKeyId, accountId: api.accountId, arn: `arn:aws:iam::${api.accountId}:root`, userId: api.accountId };
    return { ok: true, admission: api.payloadVersion === '2.0' ? { identity, authorizer: { iam: iamContext(identity) } } : { identity } };
  }

  private async admitByFunction(api: ApiConfig, authorizer: AuthorizerConfig, match: RouteMatch, req: HttpRequest): Promise<AuthOutcome> {
    const identity = identityValues(authorizer, req);
    if (identity === undefined) return { ok: false, kind: 'unauthorized' };
    if (authorizer.type === 'token' && authorizer.identityValidationExpression !== undefined) {
      if (!new RegExp(`^(?:${authorizer.identityValidationExpression})$`).test(identity[0] ?? '')) return { ok: false, kind: 'unauthorized' };
    }
    const arn = methodArn(api, req);
    const cacheKey = identity.length > 0 && authorizer.resultTtlSeconds > 0 ? `${api.id}\n${authorizer.name}\n${identity.join('\n')}` : undefined;
    let decision = cacheKey ? this.cached(cacheKey) : undefined;
    if (!decision) {
      const answer = await this.ask(api, authorizer, match, req, arn, identity);
      if (!answer.ok) return answer;
      decision = answer.decision;
      if (cacheKey) this.cache.set(cacheKey, { expires: this.deps.clock.now() + authorizer.resultTtlSeconds * 1000, decision });
    }
    return judge(api, authorizer, decision, arn);
  }

  private cached(key: string): Decision | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expires > this.deps.clock.now()) return entry.decision;
    this.cache.delete(key);
    return undefined;
  }

  private async ask(api: ApiConfig, authorizer: AuthorizerConfig, match: RouteMatch, req: HttpRequest, arn: string, identity: string[]): Promise<{ ok: true; decision: Decision } | { ok: false; kind: ErrorKind }> {
    const event = authorizerEvent(api, authorizer, match, req, arn, identity);
    let result;
    try {
      result = await this.deps.run(authorizer.functionName, Buffer.from(JSON.stringify(event)), req.requestId);
    } catch {
      return { ok: false, kind: 'authorizer-error' };
    }
    if (result.status !== 'success') {
      // A REST authorizer refuses with the error "Unauthorized": API Gateway answers 401, anything else is a 500.
      return { ok: false, kind: api.payloadVersion === '1.0' && errorMessage(result.payload) === 'Unauthorized' ? 'unauthorized' : 'authorizer-error' };
    }
    const decision = parseDecision(authorizer, result.payload);
    return decision ? { ok: true, decision } : { ok: false, kind: 'authorizer-error' };
  }
}

/** The identity source values, in order; undefined when one is missing or empty (API Gateway answers 401 then). */
function identityValues(authorizer: AuthorizerConfig, req: HttpRequest): string[] | undefined {
  const query = parseQuery(req.rawQuery);
  const values: string[] = [];
  for (const source of authorizer.identitySources) {
    const value = source.in === 'header' ? headerValue(req.headers, source.name) : query.get(source.name)?.at(-1);
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}

/** `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>`: what a policy's Resource names. */
export function methodArn(api: ApiConfig, req: HttpRequest): string {
  return `arn:aws:execute-api:${api.region ?? 'us-east-1'}:${api.accountId}:${api.id}/${api.stage}/${req.method.toUpperCase()}${req.rawPath}`;
}

function authorizerEvent(api: ApiConfig, authorizer: AuthorizerConfig, match: RouteMatch, req: HttpRequest, arn: string, identity: string[]): Record<string, unknown> {
  if (api.payloadVersion === '1.0' && authorizer.type === 'token') return { type: 'TOKEN', methodArn: arn, authorizationToken: identity[0] ?? '' };
  if (authorizer.payloadVersion === '2.0' && api.payloadVersion === '2.0') {
    const { body: _body, isBase64Encoded: _encoded, ...rest } = buildEventV2(api, match, req, {});
    return { version: '2.0', type: 'REQUEST', routeArn: arn, identitySource: identity, ...rest };
  }
  const { body: _body, isBase64Encoded: _encoded, version: _version, ...rest } = buildEventV1(api, match, req, {});
  return { ...(api.payloadVersion === '2.0' ? { version: '1.0', identitySource: identity.join(',') } : {}), type: 'REQUEST', methodArn: arn, ...rest };
}

function parseDecision(authorizer: AuthorizerConfig, payload: Buffer): Decision | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const context = value.context === undefined || value.context === null ? undefined : isRecord(value.context) ? value.context : null;
  if (context === null) return undefined;
  if (authorizer.simpleResponses) return typeof value.isAuthorized === 'boolean' ? { authorized: value.isAuthorized, context } : undefined;
  if (!isRecord(value.policyDocument) || !Array.isArray(value.policyDocument.Statement)) return undefined;
  return { principalId: typeof value.principalId === 'string' ? value.principalId : undefined, policy: value.policyDocument as unknown as PolicyDocument, context };
}

function judge(api: ApiConfig, authorizer: AuthorizerConfig, decision: Decision, arn: string): AuthOutcome {
  if (decision.authorized !== undefined) {
    return decision.authorized ? { ok: true, admission: { authorizer: { lambda: decision.context ?? null } } } : { ok: false, kind: 'forbidden' };
  }
  const effect = evaluatePolicy(decision.policy as PolicyDocument, 'execute-api:Invoke', arn);
  if (effect === 'deny') return { ok: false, kind: 'denied' };
  if (effect !== 'allow') return { ok: false, kind: 'forbidden' };
  if (api.payloadVersion === '2.0') return { ok: true, admission: { authorizer: { lambda: decision.context ?? null } } };
  // REST hands context values to the integration as strings; an object or array there is a configuration error.
  const context: Record<string, string> = {};
  for (const [key, value] of Object.entries(decision.context ?? {})) {
    if (value !== null && typeof value === 'object') return { ok: false, kind: 'authorizer-error' };
    context[key] = String(value);
  }
  return { ok: true, admission: { authorizer: { ...context, principalId: decision.principalId ?? '', integrationLatency: 0 } } };
}

function iamContext(identity: CallerIdentity): Record<string, unknown> {
  return { accessKey: identity.accessKeyId, accountId: identity.accountId, callerId: identity.userId, cognitoIdentity: null, principalOrgId: null, userArn: identity.arn, userId: identity.userId };
}

function errorMessage(payload: Buffer): string | undefined {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return isRecord(value) && typeof value.errorMessage === 'string' ? value.errorMessage : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
