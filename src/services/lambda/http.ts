import type { BufferedRequest, BufferedResponse } from '../../core/index.js';
import type { ArnScope, FunctionRegistry } from '../../functions/index.js';
import type { LambdaBackend } from './backend.js';
import { validationFailed } from './errors.js';

/** What every operation handler gets: the request, the path parameters and the node's parts. */
export interface OperationContext {
  req: BufferedRequest;
  params: Readonly<Record<string, string>>;
  backend: LambdaBackend;
  registry: FunctionRegistry;
  /** Region and account that ARNs name. */
  scope: ArnScope;
}

export type Operation = (ctx: OperationContext) => Promise<BufferedResponse>;

export function json(req: BufferedRequest, status: number, value: unknown): BufferedResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-RequestId': req.requestId }, body: JSON.stringify(value) };
}

/** 202 and 204 answers: no body, only the request id. */
export function empty(req: BufferedRequest, status: number): BufferedResponse {
  return { status, headers: { 'x-amzn-RequestId': req.requestId } };
}

export function pathParam(ctx: OperationContext, name: string): string {
  const value = ctx.params[name];
  // The router only calls an operation with the parameters its path declares.
  if (value === undefined) throw new Error(`route without path parameter ${name}`);
  return value;
}

/** A query parameter; Lambda treats an empty value as absent. */
export function queryParam(req: BufferedRequest, name: string): string | undefined {
  const value = req.query.get(name);
  return value === null || value === '' ? undefined : value;
}

export function queryInteger(req: BufferedRequest, name: string, field: string): number | undefined {
  const value = queryParam(req, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw validationFailed([`Value '${value}' at '${field}' failed to satisfy constraint: Member must be an integer`]);
  return Number(value);
}

export function header(req: BufferedRequest, name: string): string | undefined {
  const value = req.headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single === '' ? undefined : single;
}
