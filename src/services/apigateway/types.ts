/** A request as the gateway received it, before any API Gateway interpretation. */
export interface HttpRequest {
  method: string;
  /** Percent-encoded, exactly as received. */
  rawPath: string;
  /** Without the leading '?'. */
  rawQuery: string;
  /** Raw pairs in order, names spelled as sent. */
  headers: [string, string][];
  body: Buffer;
  sourceIp: string;
  /** e.g. "HTTP/1.1" */
  protocol: string;
  userAgent?: string;
  timeEpochMs: number;
  requestId: string;
  host: string;
  /** The path as the client sent it when a `/<stage>` prefix was taken off `rawPath` (REST's requestContext.path shows it). */
  stagedPath?: string;
  /** Who signed the request (SigV4 credential scope), for routes with IAM authorization. */
  signedBy?: { accessKeyId: string; region: string };
}

export interface CorsConfig {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge?: number;
  allowCredentials: boolean;
}

export interface ApiConfig {
  /** 10 lowercase alphanumeric characters, like AWS api ids. */
  id: string;
  name: string;
  payloadVersion: '1.0' | '2.0';
  cors?: CorsConfig;
  /** "$default" for HTTP APIs without a named stage; requests may then carry `/<stage>` before the route's path. */
  stage: string;
  accountId: string;
  region?: string;
  /** Lambda authorizers routes may name, by name. */
  authorizers?: Record<string, AuthorizerConfig>;
}

/** A Lambda authorizer, as API Gateway configures one (REST: TOKEN or REQUEST; HTTP APIs: REQUEST). */
export interface AuthorizerConfig {
  name: string;
  functionName: string;
  type: 'token' | 'request';
  /** Where the identity is read: the header or query parameter that must be present (and keys the cache). */
  identitySources: IdentitySource[];
  /** Seconds a decision is cached per identity; 0 turns caching off. */
  resultTtlSeconds: number;
  /** HTTP APIs: the authorizer event's payload version, and whether it answers `{ isAuthorized, context }`. */
  payloadVersion: '1.0' | '2.0';
  simpleResponses: boolean;
  /** TOKEN authorizers: a token not matching this regular expression is refused without calling the function. */
  identityValidationExpression?: string;
}

export interface IdentitySource {
  in: 'header' | 'query';
  name: string;
}

/** How a route admits callers: anyone, SigV4-signed callers (AWS_IAM), or a Lambda authorizer's decision. */
export type RouteAuth = { kind: 'none' } | { kind: 'iam' } | { kind: 'lambda'; authorizer: string };

export interface Route {
  /** "GET /users/{id}", "ANY /{proxy+}" or "$default". */
  routeKey: string;
  functionName: string;
  auth?: RouteAuth;
}

export interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
}

export interface RouteTable {
  match(method: string, path: string): RouteMatch | undefined;
}

export type HttpResponse = { statusCode: number; headers: [string, string][]; body: Buffer };

export type ErrorKind =
  | 'not-found'
  | 'malformed'
  | 'function-error'
  | 'timeout'
  | 'throttled'
  | 'too-large'
  | 'unavailable'
  | 'unauthorized'
  | 'forbidden'
  | 'denied'
  | 'authorizer-error'
  | 'missing-token';

/** The account and principal an access key belongs to (IAM's identity component answers this). */
export interface CallerIdentity {
  accessKeyId: string;
  accountId: string;
  arn: string;
  userId: string;
}

export type IdentifyCaller = (accessKeyId: string) => Promise<CallerIdentity | undefined>;

/** What the route's function is told about the caller: requestContext.authorizer, and REST's identity fields. */
export interface Admission {
  authorizer?: Record<string, unknown>;
  identity?: CallerIdentity;
}
