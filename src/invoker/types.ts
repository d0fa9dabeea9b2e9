import type { InstanceConfig, InstanceState, InvokeOutcome, InvokeRequest, StemCell, StemKind } from '../runtime/index.js';
import type { KeepAlivePolicy } from './keep-alive.js';
import type { StemCellOptions } from './stem-cells.js';

/** One function version's code and configuration, as the registry resolved it. */
export interface InvokeTarget {
  /** Changes whenever the code or configuration served changes; instances are pooled by it. */
  key: string;
  config: InstanceConfig;
}

export type InvocationMode = 'sync' | 'async';

export interface InvocationResult extends InvokeOutcome {
  instanceId: string;
}

/** What the invoker needs of an instance: the runtime's Instance, or a simulated one for trace replay. */
export interface InstanceLike {
  readonly id: string;
  readonly state: InstanceState;
  readonly config: InstanceConfig;
  start(): Promise<void>;
  invoke(request: InvokeRequest): Promise<InvokeOutcome>;
  stop(): Promise<void>;
  onExit(listener: (instance: InstanceLike) => void): () => void;
}

/** Makes instances: the RuntimeHost, or a simulation. Stem cells are optional. */
export interface InstanceFactory {
  createInstance(config: InstanceConfig, stemCell?: StemCell): InstanceLike;
  canUseStemCell?(config: InstanceConfig): StemKind | undefined;
  spawnStemCell?(kind: StemKind): StemCell;
}

export interface InvokerOptions {
  /** Fixed keep-alive used when no policy is given (Lambda-like default: 10 minutes). */
  keepAliveMs?: number;
  keepAlive?: KeepAlivePolicy;
  /** Node-wide concurrency, shared by functions without reserved concurrency (Lambda's account limit). */
  nodeConcurrency?: number;
  /** Pre-started generic processes per runtime family; false for none. */
  stemCells?: StemCellOptions | false;
  /**
   * Let a request wait for a busy warm instance when that is expected to be quicker than starting one
   * (default true); false scales out on every concurrent request, strictly as Lambda does.
   */
  waitForWarm?: boolean;
}
