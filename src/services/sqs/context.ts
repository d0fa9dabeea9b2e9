import type { ProtocolName } from '../../protocol/index.js';
import type { Operations } from './api.js';
import type { SqsEngine } from './engine.js';

/** What an operation sees: the engine, and the scheme, host and port the client used (for queue URLs). */
export interface SqsContext {
  engine: SqsEngine;
  baseUrl: string;
  protocol: ProtocolName;
  /** The request's path: older query clients post to the queue's URL instead of sending QueueUrl. */
  rawPath: string;
}

export type OperationName = keyof Operations;
export type Input<N extends OperationName> = Operations[N]['input'];
export type Output<N extends OperationName> = Operations[N]['output'];

/** An operation of SQS as Flint implements it; operations without output answer nothing. */
export type Operation<N extends OperationName> = (input: Input<N>, ctx: SqsContext) => Promise<Output<N> | void>;
