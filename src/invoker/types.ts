import type { InstanceConfig, InvokeOutcome } from '../runtime/index.js';

/** One function version's code and configuration, as the registry resolved it. */
export interface InvokeTarget {
  /** Changes whenever the code or configuration served changes; instances are pooled by it. */
  key: string;
  config: InstanceConfig;
}

export type InvocationMode = 'sync' | 'async';

export type StartKind = 'cold' | 'warm';

export interface InvocationResult extends InvokeOutcome {
  start: StartKind;
  instanceId: string;
}

export interface InvokerOptions {
  /** How long an idle instance is kept before it is stopped (Lambda-like default: 10 minutes). */
  keepAliveMs?: number;
  /** Node-wide concurrency, shared by functions without reserved concurrency (Lambda's account limit). */
  nodeConcurrency?: number;
}
