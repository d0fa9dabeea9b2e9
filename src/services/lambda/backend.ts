import type { EventInvokeConfigs, EventSourceMappings, FunctionCalls } from '../../events/index.js';
import type { FunctionRegistry } from '../../functions/index.js';

/** What the Lambda API needs from the node; the platform composes it from the registry, invoker and async queue. */
export interface LambdaBackend {
  readonly registry: FunctionRegistry;
  /** How functions are called on the node: RequestResponse runs now, Event is stored for the async queue. */
  readonly calls: FunctionCalls;
  /** Provisioned instances of this function and qualifier that are initialised and ready now. */
  provisionedReady(functionName: string, qualifier: string): number;
  /** The node's event source mappings; without them the mapping operations answer UnknownOperationException. */
  readonly eventSourceMappings?: EventSourceMappings;
  /** Asynchronous invocation configurations; without them those operations answer UnknownOperationException. */
  readonly eventInvokeConfigs?: EventInvokeConfigs;
}
