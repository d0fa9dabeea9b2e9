import { FlintError, type Clock } from '../../core/index.js';
import type { InstanceConfig, InstanceState, InvokeOutcome, InvokeRequest } from '../../runtime/index.js';
import type { InstanceFactory, InstanceLike } from '../types.js';

/** What a simulated run measures, across all its instances. */
export interface SimulationMeters {
  instanceStarts: number;
  /** Memory-time of instances that were warm but not running anything, in MB·ms. */
  idleMbMs: number;
  /** The same, per function. */
  idleMbMsByFunction: Map<string, number>;
}

export interface SimulatedFunction {
  durationMs: number;
  memoryMb: number;
}

/**
 * Instances that take time on a clock instead of running code: init and invocations are timers. They let
 * the real invoker (pools, limits, keep-alive policies, pre-warming) run a day of production traffic in
 * seconds, and meter the idle memory-time each policy costs.
 */
export class SimulatedFactory implements InstanceFactory {
  readonly meters: SimulationMeters = { instanceStarts: 0, idleMbMs: 0, idleMbMsByFunction: new Map() };
  private readonly live = new Set<SimulatedInstance>();
  private created = 0;

  constructor(
    private readonly clock: Clock,
    private readonly functions: Map<string, SimulatedFunction>,
    private readonly initMs = 250,
  ) {}

  createInstance(config: InstanceConfig): InstanceLike {
    const fn = this.functions.get(config.functionName);
    if (!fn) throw new FlintError('FUNCTION_NOT_FOUND', `no simulated function ${config.functionName}`);
    this.meters.instanceStarts++;
    const instance = new SimulatedInstance(`sim-${++this.created}`, config, fn, this.clock, this.initMs, this.meters, (i) => this.live.delete(i));
    this.live.add(instance);
    return instance;
  }

  /** Counts idle time of instances still warm at the end of the run, up to now. */
  settle(): void {
    for (const instance of this.live) instance.meterIdle();
  }
}

class SimulatedInstance implements InstanceLike {
  state: InstanceState = 'new';
  private idleSince: number | undefined;
  private starting: Promise<void> | undefined;
  private served = 0;
  private readonly exitListeners = new Set<(instance: InstanceLike) => void>();

  constructor(
    readonly id: string,
    readonly config: InstanceConfig,
    private readonly fn: SimulatedFunction,
    private readonly clock: Clock,
    private readonly initMs: number,
    private readonly meters: SimulationMeters,
    private readonly gone: (instance: SimulatedInstance) => void,
  ) {}

  start(): Promise<void> {
    this.starting ??= new Promise<void>((resolve) => {
      this.state = 'initializing';
      this.clock.setTimer(this.initMs, () => {
        if (this.state === 'dead') return resolve();
        this.state = 'idle';
        this.idleSince = this.clock.now();
        resolve();
      });
    });
    return this.starting;
  }

  async invoke(_request: InvokeRequest): Promise<InvokeOutcome> {
    const cold = this.state === 'new' || this.state === 'initializing';
    if (cold) await this.start();
    this.meterIdle();
    this.idleSince = undefined;
    this.state = 'busy';
    const first = this.served++ === 0;
    await this.clock.sleep(this.fn.durationMs);
    if (this.state === 'busy') {
      this.state = 'idle';
      this.idleSince = this.clock.now();
    }
    const start = this.config.initType === 'provisioned-concurrency' ? 'provisioned' : first && cold ? 'cold' : 'warm';
    return { status: 'success', start, payload: Buffer.alloc(0), durationMs: this.fn.durationMs, billedDurationMs: Math.ceil(this.fn.durationMs), initDurationMs: cold ? this.initMs : undefined, maxMemoryUsedMb: this.fn.memoryMb, logTail: '' };
  }

  async stop(): Promise<void> {
    if (this.state === 'dead') return;
    this.meterIdle();
    this.state = 'dead';
    this.gone(this);
    for (const listener of this.exitListeners) listener(this);
  }

  onExit(listener: (instance: InstanceLike) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  meterIdle(): void {
    if (this.idleSince === undefined) return;
    const now = this.clock.now();
    const cost = (now - this.idleSince) * this.fn.memoryMb;
    this.meters.idleMbMs += cost;
    const name = this.config.functionName;
    this.meters.idleMbMsByFunction.set(name, (this.meters.idleMbMsByFunction.get(name) ?? 0) + cost);
    this.idleSince = now;
  }
}
