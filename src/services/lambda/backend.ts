import type { EventInvokeConfigs, EventSourceMappings } from '../../events/index.js';
import type { FunctionRegistry } from '../../functions/index.js';
import type { InvocationResult } from '../../invoker/index.js';

export interface InvokeInput {
  requestId: string;
  payload: Buffer;
  /** The decoded client context JSON (X-Amz-Client-Context carries it base64-encoded). */
  clientContext?: string;
}

/** What the Lambda API needs from the node; the platform composes it from the registry, invoker and async queue. */
export interface LambdaBackend {
  readonly registry: FunctionRegistry;
  /** Synchronous invoke of name/ARN + qualifier. Throws FlintError TOO_MANY_REQUESTS (details.reason), FUNCTION_NOT_FOUND. */
  invokeSync(functionName: string, qualifier: string | undefined, input: InvokeInput): Promise<{ result: InvocationResult; executedVersion: string }>;
  /** Durably accepts an Event invocation (resolves once stored). Throws FUNCTION_NOT_FOUND. */
  invokeAsync(functionName: string, qualifier: string | undefined, input: InvokeInput): Promise<void>;
  /** Provisioned instances of this function and qualifier that are initialised and ready now. */
  provisionedReady(functionName: string, qualifier: string): number;
  /** The node's event source mappings; without them the mapping operations answer UnknownOperationException. */
  readonly eventSourceMappings?: EventSourceMappings;
  /** Asynchronous invocation configurations; without them those operations answer UnknownOperationException. */
  readonly eventInvokeConfigs?: EventInvokeConfigs;
}
