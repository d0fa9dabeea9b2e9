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
  /** "$default" for HTTP APIs. */
  stage: string;
  accountId: string;
}

export interface Route {
  /** "GET /users/{id}", "ANY /{proxy+}" or "$default". */
  routeKey: string;
  functionName: string;
}

export interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
}

export interface RouteTable {
  match(method: string, path: string): RouteMatch | undefined;
}

export type HttpResponse = { statusCode: number; headers: [string, string][]; body: Buffer };

export type ErrorKind = 'not-found' | 'malformed' | 'function-error' | 'timeout' | 'throttled' | 'too-large' | 'unavailable';
