import { FlintError, isFlintError, type Clock, type Logger, type Timer } from '../core/index.js';
import type { Instance, InvokeRequest, RuntimeHost } from '../runtime/index.js';
import { ConcurrencyLimits, type Slot } from './concurrency.js';
import { Pool } from './pool.js';
import type { InvocationMode, InvocationResult, InvokerOptions, InvokeTarget } from './types.js';

const TEN_MINUTES = 10 * 60 * 1000;

interface Waiter {
  functionName: string;
  resume: () => void;
}

/**
 * Decides which instance serves each event: reuse a warm idle instance of the same function version, else
 * start one within the concurrency limits. Synchronous callers beyond the limits get Lambda's 429; async
 * work waits for a slot. Idle instances stop after their keep-alive, so an idle node runs nothing.
 */
export class Invoker {
  readonly limits: ConcurrencyLimits;
  private readonly pools = new Map<string, Pool>();
  private readonly keepAlive = new Map<Instance, Timer>();
  private readonly waiters: Waiter[] = [];
  /** Keys of code that was replaced: work still arriving for them runs, then its instances stop. */
  private readonly retiredKeys = new Set<string>();
  private readonly keepAliveMs: number;
  private closed = false;

  constructor(
    private readonly host: RuntimeHost,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: InvokerOptions = {},
  ) {
    this.keepAliveMs = options.keepAliveMs ?? TEN_MINUTES;
    this.limits = new ConcurrencyLimits(options.nodeConcurrency ?? 1000);
  }

  async invoke(target: InvokeTarget, request: InvokeRequest, mode: InvocationMode = 'sync'): Promise<InvocationResult> {
    if (this.closed) throw new FlintError('SHUTTING_DOWN', 'Flint is shutting down');
    const slot = await this.acquire(target.config.functionName, mode);
    try {
      return await this.run(target, request);
    } finally {
      slot.release();
      this.wakeWaiters();
    }
  }

  /** Stops idle instances of a function's pools now and busy ones when they finish (a redeploy or delete). */
  retire(functionName: string, exceptKey?: string): void {
    for (const pool of this.pools.values()) {
      if (pool.functionName !== functionName || pool.key === exceptKey) continue;
      pool.retired = true;
      this.retiredKeys.add(pool.key);
      for (const instance of pool.idle.splice(0)) void this.stopInstance(pool, instance, 'retired');
      this.dropIfEmpty(pool);
    }
  }

  /** Instances per state, for `flint ls`, tests and the idle-node budget. */
  stats(): { pools: number; idle: number; busy: number } {
    let idle = 0;
    let busy = 0;
    for (const pool of this.pools.values()) {
      idle += pool.idle.length;
      busy += pool.busy.size;
    }
    return { pools: this.pools.size, idle, busy };
  }

  /** Instances of one function, all versions. */
  functionStats(functionName: string): { idle: number; busy: number } {
    let idle = 0;
    let busy = 0;
    for (const pool of this.pools.values()) {
      if (pool.functionName !== functionName) continue;
      idle += pool.idle.length;
      busy += pool.busy.size;
    }
    return { idle, busy };
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopping: Promise<void>[] = [];
    for (const pool of this.pools.values()) {
      for (const instance of [...pool.idle, ...pool.busy]) stopping.push(this.stopInstance(pool, instance, 'shutdown'));
    }
    for (const waiter of this.waiters.splice(0)) waiter.resume();
    await Promise.all(stopping);
  }

  // ------------------------------------------------------------------ slots

  private async acquire(functionName: string, mode: InvocationMode): Promise<Slot> {
    for (;;) {
      try {
        return this.limits.acquire(functionName);
      } catch (error) {
        if (mode === 'sync' || !isFlintError(error, 'TOO_MANY_REQUESTS')) throw error;
      }
      await new Promise<void>((resume) => this.waiters.push({ functionName, resume }));
      if (this.closed) throw new FlintError('SHUTTING_DOWN', 'Flint is shutting down');
    }
  }

  /** Lets waiting async work retry, oldest first, as long as slots are free for it. */
  private wakeWaiters(): void {
    for (let i = 0; i < this.waiters.length; ) {
      const waiter = this.waiters[i]!;
      if (this.limits.refusal(waiter.functionName)) {
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      waiter.resume();
      return; // the woken waiter claims its slot before others are considered
    }
  }

  // ------------------------------------------------------------------ instances

  private async run(target: InvokeTarget, request: InvokeRequest): Promise<InvocationResult> {
    const pool = this.poolFor(target);
    const warm = pool.takeIdle();
    const instance = warm ?? this.startInstance(pool, target);
    this.keepAlive.get(instance)?.cancel();
    this.keepAlive.delete(instance);
    pool.busy.add(instance);
    const outcome = await instance.invoke(request);
    pool.busy.delete(instance);
    if (instance.state === 'idle' && !pool.retired && !this.closed) this.parkIdle(pool, instance);
    else if (instance.state !== 'dead' || pool.retired) void this.stopInstance(pool, instance, pool.retired ? 'retired' : 'closed');
    this.dropIfEmpty(pool);
    return { ...outcome, start: warm ? 'warm' : 'cold', instanceId: instance.id };
  }

  private poolFor(target: InvokeTarget): Pool {
    let pool = this.pools.get(target.key);
    if (!pool) {
      pool = new Pool(target.key, target.config.functionName);
      pool.retired = this.retiredKeys.has(target.key);
      this.pools.set(target.key, pool);
    }
    return pool;
  }

  private startInstance(pool: Pool, target: InvokeTarget): Instance {
    const instance = this.host.createInstance(target.config);
    instance.onExit(() => {
      pool.remove(instance);
      this.keepAlive.get(instance)?.cancel();
      this.keepAlive.delete(instance);
      this.dropIfEmpty(pool);
    });
    this.logger.debug('starting instance', { function: target.config.functionName, version: target.config.version, instance: instance.id });
    return instance;
  }

  private parkIdle(pool: Pool, instance: Instance): void {
    pool.putIdle(instance);
    this.keepAlive.set(
      instance,
      this.clock.setTimer(this.keepAliveMs, () => void this.stopInstance(pool, instance, 'idle')),
    );
  }

  private async stopInstance(pool: Pool, instance: Instance, reason: string): Promise<void> {
    pool.remove(instance);
    this.keepAlive.get(instance)?.cancel();
    this.keepAlive.delete(instance);
    this.logger.debug('stopping instance', { function: pool.functionName, instance: instance.id, reason });
    await instance.stop();
    this.dropIfEmpty(pool);
  }

  private dropIfEmpty(pool: Pool): void {
    if (pool.size === 0 && this.pools.get(pool.key) === pool && (pool.retired || this.closed)) this.pools.delete(pool.key);
  }
}
