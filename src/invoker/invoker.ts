import { FlintError, isFlintError, type Clock, type Logger, type Timer } from '../core/index.js';
import type { InvokeRequest } from '../runtime/index.js';
import { ConcurrencyLimits, type Slot } from './concurrency.js';
import { FixedKeepAlive, type KeepAlivePolicy } from './keep-alive.js';
import { Pool } from './pool.js';
import { StemCellPool } from './stem-cells.js';
import type { InstanceFactory, InstanceLike, InvocationMode, InvocationResult, InvokerOptions, InvokeTarget } from './types.js';

interface Waiter {
  functionName: string;
  resume: () => void;
}

/**
 * Decides which instance serves each event: a warm idle instance of the same function version (a
 * provisioned one first), else a stem cell specialised on the spot, else a new process; all within the
 * concurrency limits. Synchronous callers beyond the limits get Lambda's 429; async work waits for a slot.
 * A keep-alive policy decides when idle instances stop, so an idle node runs nothing.
 */
export class Invoker {
  readonly limits: ConcurrencyLimits;
  readonly stemCells: StemCellPool | undefined;
  readonly policy: KeepAlivePolicy;
  private readonly pools = new Map<string, Pool>();
  private readonly idleTimers = new Map<InstanceLike, Timer>();
  private readonly preWarms = new Map<string, Timer>();
  /** When each idle instance went idle, and when an instance of each function and level last went idle. */
  private readonly idleSince = new Map<InstanceLike, number>();
  private readonly lastIdle = new Map<string, number>();
  private readonly waiters: Waiter[] = [];
  /** Keys of code that was replaced: work still arriving for them runs, then its instances stop. */
  private readonly retiredKeys = new Set<string>();
  private closed = false;
  private invocations = 0;
  private readonly waitForWarm: boolean;

  constructor(
    private readonly factory: InstanceFactory,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: InvokerOptions = {},
  ) {
    this.policy = options.keepAlive ?? new FixedKeepAlive(options.keepAliveMs);
    this.waitForWarm = options.waitForWarm ?? true;
    this.limits = new ConcurrencyLimits(options.nodeConcurrency ?? 1000);
    const stem = options.stemCells;
    const anyCells = stem !== false && (stem?.size?.nodejs !== 0 || stem?.size?.python !== 0);
    this.stemCells = anyCells && factory.spawnStemCell ? new StemCellPool({ spawnStemCell: (f) => factory.spawnStemCell!(f) }, clock, logger.child('stem-cells'), stem || {}) : undefined;
  }

  async invoke(target: InvokeTarget, request: InvokeRequest, mode: InvocationMode = 'sync'): Promise<InvocationResult> {
    if (this.closed) throw new FlintError('SHUTTING_DOWN', 'Flint is shutting down');
    this.invocations++;
    const slot = await this.acquire(target.config.functionName, mode);
    try {
      return await this.run(target, request);
    } finally {
      slot.release();
      this.wakeWaiters();
    }
  }

  /** A function of this target is deployed or about to be used: warm the stem cells of its family. */
  prepare(target: InvokeTarget): void {
    const family = this.factory.canUseStemCell?.(target.config);
    if (family) this.stemCells?.touch(family);
  }

  /**
   * Keeps `count` provisioned instances of a function version initialised ahead and warm, replacing any
   * that die; 0 removes them. They serve requests before any on-demand instance.
   */
  async provision(target: InvokeTarget, count: number): Promise<void> {
    const pool = this.poolFor(target);
    pool.provisioned = count;
    pool.target = { ...target, config: { ...target.config, initType: 'provisioned-concurrency' } };
    const current = pool.provisionedInstances();
    for (const extra of current.slice(count)) void this.stopInstance(pool, extra, 'unprovisioned');
    const missing = Math.max(0, count - current.length);
    await Promise.all(Array.from({ length: missing }, () => this.startProvisioned(pool)));
  }

  /** Provisioned instances of a pool that are ready (initialised and alive). */
  provisionedReady(key: string): number {
    const pool = this.pools.get(key);
    return pool ? pool.provisionedInstances().filter((i) => i.state === 'idle' || i.state === 'busy').length : 0;
  }

  /**
   * Stops idle instances of a function's pools now and busy ones when they finish: a redeploy (of one
   * version: `version`, keeping the pool of the new code, `exceptKey`) or a deletion (every version).
   */
  retire(functionName: string, version?: string, exceptKey?: string): void {
    for (const pool of this.pools.values()) {
      if (pool.functionName !== functionName || pool.key === exceptKey) continue;
      if (version !== undefined && pool.version !== version) continue;
      pool.retired = true;
      pool.provisioned = 0;
      this.retiredKeys.add(pool.key);
      for (const [key, timer] of this.preWarms) if (key.startsWith(`${pool.key}#`)) timer.cancel();
      for (const instance of pool.idle.splice(0)) void this.stopInstance(pool, instance, 'retired');
      this.dropIfEmpty(pool);
    }
  }

  /** Instances per state (and invocations so far), for `flint ls`, tests and the idle-node budget. */
  stats(): { pools: number; idle: number; busy: number; stemCells: number; invocations: number } {
    let idle = 0;
    let busy = 0;
    for (const pool of this.pools.values()) {
      idle += pool.idle.length;
      busy += pool.busy.size;
    }
    return { pools: this.pools.size, idle, busy, stemCells: this.stemCells?.count() ?? 0, invocations: this.invocations };
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
    for (const timer of this.preWarms.values()) timer.cancel();
    for (const pool of this.pools.values()) {
      for (const instance of [...pool.idle, ...pool.busy, ...pool.starting]) stopping.push(this.stopInstance(pool, instance, 'shutdown'));
    }
    for (const waiter of this.waiters.splice(0)) waiter.resume();
    stopping.push(this.stemCells?.close() ?? Promise.resolve());
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
    const name = target.config.functionName;
    const now = this.clock.now();
    const warm = pool.takeIdle() ?? (this.worthWaiting(pool) ? await new Promise<InstanceLike | undefined>((resolve) => pool.handoff.push(resolve)) : undefined);
    const level = this.functionStats(name).busy + 1;
    const since = warm ? this.idleSince.get(warm) : this.lastIdle.get(`${name}#${level}`);
    this.policy.observe(name, level, since === undefined ? undefined : now - since);
    const instance = warm ?? this.newInstance(pool, target);
    this.idleTimers.get(instance)?.cancel();
    this.idleTimers.delete(instance);
    this.idleSince.delete(instance);
    pool.busy.add(instance);
    const outcome = await instance.invoke(request);
    pool.busy.delete(instance);
    pool.observe(outcome.durationMs, outcome.start === 'cold' || outcome.start === 'stem-cell' ? (outcome.initDurationMs ?? 0) + outcome.durationMs : undefined);
    const idleLevel = this.functionStats(name).busy + 1;
    this.idleSince.set(instance, this.clock.now());
    this.lastIdle.set(`${name}#${idleLevel}`, this.clock.now());
    const next = instance.state === 'idle' && !pool.retired && !this.closed ? pool.handoff.shift() : undefined;
    if (next) next(instance);
    else if (instance.state === 'idle' && !pool.retired && !this.closed) this.afterInvocation(pool, instance, idleLevel);
    else if (instance.state !== 'dead' || pool.retired) void this.stopInstance(pool, instance, pool.retired ? 'retired' : 'closed');
    this.dropIfEmpty(pool);
    return { ...outcome, instanceId: instance.id };
  }

  /**
   * With every instance of the version busy, a request can wait for one to finish instead of starting
   * another: worth it when the expected wait (average duration, shared across the busy instances) is
   * shorter than an average start. Short handlers under load then run on a few warm instances instead of
   * one process per connection; slow handlers scale out as on Lambda. Concurrency slots are held while
   * waiting, so limits are unchanged.
   */
  private worthWaiting(pool: Pool): boolean {
    if (!this.waitForWarm || pool.busy.size === 0 || pool.avgDurationMs === undefined || pool.avgStartMs === undefined) return false;
    if (pool.handoff.length >= pool.busy.size * 8) return false;
    return (pool.avgDurationMs * (pool.handoff.length + 1)) / pool.busy.size < pool.avgStartMs;
  }

  private newInstance(pool: Pool, target: InvokeTarget): InstanceLike {
    const family = this.factory.canUseStemCell?.(target.config);
    const cell = family ? this.stemCells?.take(family) : undefined;
    return this.track(pool, this.factory.createInstance(target.config, cell));
  }

  private track(pool: Pool, instance: InstanceLike): InstanceLike {
    instance.onExit(() => {
      pool.remove(instance);
      // Whoever waited for this instance starts one of its own.
      if (pool.busy.size === 0) for (const waiter of pool.handoff.splice(0)) waiter(undefined);
      this.idleSince.delete(instance);
      this.idleTimers.get(instance)?.cancel();
      this.idleTimers.delete(instance);
      // A provisioned instance that dies is replaced, whatever killed it.
      if (pool.target?.config.initType === 'provisioned-concurrency' && instance.config.initType === 'provisioned-concurrency' && pool.provisionedInstances().length < pool.provisioned && !this.closed && !pool.retired) {
        void this.startProvisioned(pool);
      }
      this.dropIfEmpty(pool);
    });
    return instance;
  }

  private async startProvisioned(pool: Pool): Promise<void> {
    const target = pool.target;
    if (!target) return;
    const instance = this.track(pool, this.factory.createInstance(target.config));
    pool.starting.add(instance);
    try {
      await instance.start();
      pool.starting.delete(instance);
      if (instance.state === 'idle' && !pool.retired && !this.closed) pool.putIdle(instance);
    } catch {
      pool.starting.delete(instance);
      this.logger.warn('a provisioned instance failed to initialise', { function: pool.functionName });
    }
  }

  /** The instance is idle again: keep it (provisioned ones always), or unload it and pre-warm later. */
  private afterInvocation(pool: Pool, instance: InstanceLike, level: number): void {
    if (instance.config.initType === 'provisioned-concurrency') {
      pool.putIdle(instance);
      return;
    }
    const decision = this.policy.decide(pool.functionName, level);
    if (decision.preWarmAfterMs === undefined) return this.parkIdle(pool, instance, decision.keepAliveMs);
    void this.stopInstance(pool, instance, 'unloaded until the next expected invocation');
    this.schedulePreWarm(pool, instance, level, decision.preWarmAfterMs, decision.keepAliveMs);
  }

  private parkIdle(pool: Pool, instance: InstanceLike, keepAliveMs: number): void {
    pool.putIdle(instance);
    this.idleTimers.set(
      instance,
      this.clock.setTimer(keepAliveMs, () => void this.stopInstance(pool, instance, 'idle')),
    );
  }

  /** Starts an instance for concurrency `level` shortly before the function is expected to need it again. */
  private schedulePreWarm(pool: Pool, template: InstanceLike, level: number, afterMs: number, keepAliveMs: number): void {
    const key = `${pool.key}#${level}`;
    this.preWarms.get(key)?.cancel();
    this.preWarms.set(
      key,
      this.clock.setTimer(afterMs, () => {
        this.preWarms.delete(key);
        if (pool.retired || this.closed || pool.size >= level) return;
        const instance = this.track(pool, this.factory.createInstance(template.config));
        pool.starting.add(instance);
        instance.start().then(
          () => {
            pool.starting.delete(instance);
            if (instance.state === 'idle' && !pool.retired && !this.closed) {
              this.idleSince.set(instance, this.clock.now());
              this.parkIdle(pool, instance, keepAliveMs);
            }
          },
          () => pool.starting.delete(instance),
        );
      }),
    );
  }

  private poolFor(target: InvokeTarget): Pool {
    let pool = this.pools.get(target.key);
    if (!pool) {
      pool = new Pool(target.key, target.config.functionName, target.config.version);
      pool.retired = this.retiredKeys.has(target.key);
      this.pools.set(target.key, pool);
    }
    return pool;
  }

  private async stopInstance(pool: Pool, instance: InstanceLike, reason: string): Promise<void> {
    pool.remove(instance);
    this.idleSince.delete(instance);
    this.idleTimers.get(instance)?.cancel();
    this.idleTimers.delete(instance);
    this.logger.debug('stopping instance', { function: pool.functionName, instance: instance.id, reason });
    await instance.stop();
    this.dropIfEmpty(pool);
  }

  private dropIfEmpty(pool: Pool): void {
    if (pool.size === 0 && pool.provisioned === 0 && this.pools.get(pool.key) === pool && (pool.retired || this.closed)) this.pools.delete(pool.key);
  }
}
