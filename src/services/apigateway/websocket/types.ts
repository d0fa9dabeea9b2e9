/** A deployed WebSocket API: what the WebSocket subsystem needs to accept connections and route their messages. */
export interface WebSocketApiConfig {
  /** 10 lowercase alphanumeric characters, like AWS api ids. */
  id: string;
  name: string;
  /** The stage in the API's URL and in every event's requestContext.stage. */
  stage: string;
  /** `$request.body.action` by default; any `$request.body.<path>`. */
  routeSelection: string;
  accountId: string;
}

export interface WebSocketRoute {
  /** `$connect`, `$disconnect`, `$default` or a key the selection expression yields. */
  routeKey: string;
  functionName: string;
  /**
   * A two-way route: the function's response body is sent back to the client, as API Gateway does for a Lambda proxy
   * route with a route response ($default selection). Without one AWS discards the response, and so does Flint.
   */
  routeResponse: boolean;
}

export interface DeployedWebSocketApi {
  config: WebSocketApiConfig;
  routes: WebSocketRoute[];
}

/** What the WebSocket API needs from one synchronous invocation. */
export interface WebSocketInvocation {
  status: 'success' | 'error' | 'timeout' | 'crash' | 'oom' | 'init-error';
  payload: Buffer;
}

/** Invokes a function synchronously (RequestResponse); throws FlintError TOO_MANY_REQUESTS or FUNCTION_NOT_FOUND. */
export type InvokeWebSocketFunction = (functionName: string, event: Buffer, requestId: string) => Promise<WebSocketInvocation>;

/** AWS's quotas for WebSocket APIs (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
export const WEBSOCKET_LIMITS = {
  /** Message payload size: 128 KB. */
  messageBytes: 128 * 1024,
  /** WebSocket frame size: 32 KB (Flint fragments what it sends into frames of this size). */
  frameBytes: 32 * 1024,
  /** Idle connection timeout: 10 minutes. */
  idleMs: 10 * 60 * 1000,
  /** Connection duration for WebSocket API: 2 hours. */
  maxDurationMs: 2 * 60 * 60 * 1000,
} as const;
