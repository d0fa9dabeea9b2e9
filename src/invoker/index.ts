export { Invoker } from './invoker.js';
export { ConcurrencyLimits } from './concurrency.js';
export { FixedKeepAlive, HybridHistogramKeepAlive, type HybridHistogramOptions, type KeepAliveDecision, type KeepAlivePolicy } from './keep-alive.js';
export { StemCellPool, type StemCellOptions } from './stem-cells.js';
export type { InstanceFactory, InstanceLike, InvocationMode, InvocationResult, InvokerOptions, InvokeTarget } from './types.js';
export { loadAzureTrace, type Trace, type TraceFunction } from './replay/trace.js';
export { replayTrace, type ReplayReport } from './replay/replay.js';
