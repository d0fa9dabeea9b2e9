import type { Clock, Logger } from '../core/index.js';
import type { LogSink } from '../observe/index.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { RuntimeToolchain } from './toolchain/index.js';

/** What an instance runs: one function version's code and configuration. */
export interface InstanceConfig {
  functionName: string;
  /** '$LATEST' or a published version number. */
  version: string;
  runtime: string;
  handler: string;
  memorySize: number;
  /** Seconds. */
  timeout: number;
  ephemeralStorage: number;
  environment: Record<string, string>;
  /** Absolute path of the extracted code package. */
  codeDir: string;
  /** Absolute path of the function's layers, merged in order: what the instance sees at /opt. */
  optDir?: string;
  initType?: 'on-demand' | 'provisioned-concurrency';
  /** The function's execution role (ARN): its instances get temporary credentials of it, when the host issues them. */
  role?: string;
}

/** What an instance finds in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. */
export interface InstanceCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Node-wide settings every instance shares. */
export interface RuntimeHostOptions {
  clock: Clock;
  logger: Logger;
  logSink: LogSink;
  sandbox: Sandbox;
  /** Folder for per-instance scratch space (the /tmp of unsandboxed instances). */
  workDir: string;
  region: string;
  accountId: string;
  /** Where the AWS SDK inside a function should send its calls: Flint's own gateway. */
  endpointUrl: string;
  /** The credentials every instance gets, unless `roleCredentials` issues its role's. */
  credentials: InstanceCredentials;
  /**
   * Temporary credentials of a function's execution role (an STS session Flint issues), asked once per instance
   * start, before its process is spawned; the source caches them per role, so a cold start rarely waits for it.
   */
  roleCredentials?: (roleArn: string, functionName: string) => Promise<InstanceCredentials>;
  /** Interval between memory samples of a busy instance. */
  memoryPollMs?: number;
  /** The longest an on-demand init may take, as Lambda's 10 s. */
  initTimeoutMs?: number;
  /** The Node.js binaries and AWS SDK packages fetched into the shared cache (default: one over cacheRoot()). */
  toolchain?: RuntimeToolchain;
}

export interface InvokeRequest {
  requestId: string;
  payload: Buffer;
  /** The ARN the caller used (qualified when a qualifier was given). */
  invokedArn: string;
  /** Decoded client context JSON, as the SDK's ClientContext carries it. */
  clientContext?: string;
  cognitoIdentity?: string;
  traceId?: string;
  /**
   * Where a streamed response goes as the function writes it (InvokeWithResponseStream, a RESPONSE_STREAM function
   * URL). Without one, a streamed response is gathered into the outcome's payload, as Lambda buffers it for Invoke.
   */
  responseStream?: ResponseStreamSink;
}

/**
 * Receives a streamed response while the function runs: `begin` once, with the content type the function set,
 * then each chunk in order. How it ended (success, an error mid-stream, a timeout) is the invocation's outcome.
 */
export interface ResponseStreamSink {
  begin(contentType: string): void;
  write(chunk: Buffer): void;
}

export type InvokeStatus = 'success' | 'error' | 'timeout' | 'crash' | 'oom' | 'init-error';

/** How the instance that served an invocation came to be warm. */
export type StartKind = 'cold' | 'stem-cell' | 'warm' | 'provisioned';

export interface InvokeOutcome {
  status: InvokeStatus;
  start: StartKind;
  /** The result JSON on success; Lambda's error document otherwise. */
  payload: Buffer;
  /** For every status but success: the error type Lambda reports (X-Amz-Function-Error is set for these). */
  errorType?: string;
  durationMs: number;
  billedDurationMs: number;
  /** Present on the invocation that paid for the instance's init. */
  initDurationMs?: number;
  maxMemoryUsedMb: number;
  /** The last 4 KB of this invocation's log, START to REPORT, for X-Amz-Log-Result. */
  logTail: string;
  /**
   * Present when the function streamed its response: its content type and size. The body went to the request's
   * sink, or, without one, is the payload (on success).
   */
  streamed?: { contentType: string; bytes: number };
}

/** Raised by start() when the function's init fails; carries Lambda's error document. */
export interface InitFailure {
  status: 'init-error' | 'timeout' | 'crash' | 'oom';
  errorType: string;
  payload: Buffer;
  initDurationMs: number;
}
