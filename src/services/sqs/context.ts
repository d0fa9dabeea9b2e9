import type { SqsEngine } from './engine.js';

/** What an operation sees: the engine, and the scheme, host and port the client used (for queue URLs). */
export interface OperationContext {
  engine: SqsEngine;
  baseUrl: string;
}

/** An operation's result in the JSON protocol's shape; undefined for operations that answer nothing. */
export type Output = Record<string, unknown> | undefined;
