/**
 * The CLI's view of a running node: its admin API (/_flint/) and its Lambda API, over plain HTTP. Errors
 * come back as FlintErrors with the node's codes; an unreachable node is NODE_UNREACHABLE, so commands can
 * tell the user to run `flint up`.
 */
import { resolve } from 'node:path';
import { FlintError, type ErrorCode } from '../core/index.js';
import { RootKey, signRequest, type SigningCredentials } from '../gateway/index.js';
import { encodePreparedApp, type AppSummary, type DeployReport, type FunctionSummary, type NodeStatus, type PreparedApp } from '../services/admin/index.js';
import type { AppSpec } from '../manifest/index.js';
import type { LogRecord } from '../storage/index.js';

export interface InvokeResponse {
  status: number;
  payload: Buffer;
  functionError?: string;
  logResult?: string;
  executedVersion?: string;
  requestId?: string;
}

/**
 * The key the CLI signs with, for nodes in server mode: FLINT_ACCESS_KEY_ID and FLINT_SECRET_ACCESS_KEY, or the
 * root key in the node's data folder on this machine (FLINT_DATA, default ./.flint, where `flint up` keeps it).
 * Without one, requests go unsigned, which a node in local mode takes.
 */
export function cliCredentials(env: NodeJS.ProcessEnv = process.env): SigningCredentials | undefined {
  if (env.FLINT_ACCESS_KEY_ID && env.FLINT_SECRET_ACCESS_KEY) return { accessKeyId: env.FLINT_ACCESS_KEY_ID, secretAccessKey: env.FLINT_SECRET_ACCESS_KEY };
  return RootKey.read(resolve(env.FLINT_DATA ?? '.flint'));
}

export class FlintClient {
  constructor(
    readonly endpoint: string,
    private readonly credentials: SigningCredentials | undefined = cliCredentials(),
  ) {}

  status(): Promise<NodeStatus> {
    return this.json('GET', '/_flint/health');
  }

  deploy(app: PreparedApp): Promise<DeployReport> {
    return this.json('PUT', `/_flint/apps/${encodeURIComponent(app.spec.name)}`, encodePreparedApp(app));
  }

  async apps(): Promise<AppSummary[]> {
    return (await this.json<{ apps: AppSummary[] }>('GET', '/_flint/apps')).apps;
  }

  async functions(): Promise<FunctionSummary[]> {
    return (await this.json<{ functions: FunctionSummary[] }>('GET', '/_flint/functions')).functions;
  }

  async appSpec(name: string): Promise<AppSpec> {
    return (await this.json<{ spec: AppSpec }>('GET', `/_flint/apps/${encodeURIComponent(name)}`)).spec;
  }

  removeApp(name: string): Promise<{ removed: string }> {
    return this.json('DELETE', `/_flint/apps/${encodeURIComponent(name)}`);
  }

  async logs(functionName: string, query: { since?: number; afterId?: number; limit?: number }): Promise<LogRecord[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    return (await this.json<{ records: LogRecord[] }>('GET', `/_flint/logs/${encodeURIComponent(functionName)}?${params}`)).records;
  }

  async deleteFunction(name: string): Promise<void> {
    const res = await this.fetch('DELETE', `/2015-03-31/functions/${encodeURIComponent(name)}`);
    if (res.status !== 204) throw await lambdaError(res);
  }

  async invoke(name: string, payload: Buffer, options: { async?: boolean; qualifier?: string; tail?: boolean }): Promise<InvokeResponse> {
    const query = options.qualifier ? `?Qualifier=${encodeURIComponent(options.qualifier)}` : '';
    const headers: Record<string, string> = { 'X-Amz-Invocation-Type': options.async ? 'Event' : 'RequestResponse' };
    if (options.tail) headers['X-Amz-Log-Type'] = 'Tail';
    const res = await this.fetch('POST', `/2015-03-31/functions/${encodeURIComponent(name)}/invocations${query}`, payload, headers);
    if (res.status >= 300) throw await lambdaError(res);
    return {
      status: res.status,
      payload: Buffer.from(await res.arrayBuffer()),
      functionError: res.headers.get('x-amz-function-error') ?? undefined,
      logResult: res.headers.get('x-amz-log-result') ?? undefined,
      executedVersion: res.headers.get('x-amz-executed-version') ?? undefined,
      requestId: res.headers.get('x-amzn-requestid') ?? undefined,
    };
  }

  private async json<T>(method: string, path: string, body?: string): Promise<T> {
    const res = await this.fetch(method, path, body === undefined ? undefined : Buffer.from(body), { 'content-type': 'application/json' });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (res.status >= 300) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
      throw new FlintError((error?.code as ErrorCode | undefined) ?? 'INTERNAL', error?.message ?? `HTTP ${res.status}`, error?.details ?? {});
    }
    return parsed as T;
  }

  private async fetch(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(this.endpoint + path);
    // Lambda's API is signed for "lambda"; the admin API takes any scope.
    const service = path.startsWith('/_flint/') ? 'flint' : 'lambda';
    const sent = this.credentials ? signRequest({ method, url, headers, body, region: 'us-east-1', service, now: Date.now() }, this.credentials) : headers;
    // fetch sets Host itself (from the URL, as signed).
    delete sent.host;
    try {
      return await fetch(url, { method, body, headers: sent });
    } catch (error) {
      throw new FlintError('NODE_UNREACHABLE', `no Flint node answers at ${this.endpoint}`, {}, { cause: error });
    }
  }
}

async function lambdaError(res: Response): Promise<FlintError> {
  const type = res.headers.get('x-amzn-errortype') ?? `HTTP ${res.status}`;
  const body = (await res.json().catch(() => ({}))) as { message?: string; Message?: string };
  const code: ErrorCode = res.status === 404 ? 'FUNCTION_NOT_FOUND' : res.status === 429 ? 'TOO_MANY_REQUESTS' : res.status === 413 ? 'REQUEST_TOO_LARGE' : 'INVALID_REQUEST';
  return new FlintError(code, `${type}: ${body.message ?? body.Message ?? ''}`.trim());
}
