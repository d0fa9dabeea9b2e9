export { Invoker } from './invoker.js';
export { ConcurrencyLimits } from './concurrency.js';
export type { InvocationMode, InvocationResult, InvokerOptions, InvokeTarget, StartKind } from './types.js';
