import type { InstanceLike, InvokeTarget } from './types.js';

/**
 * The instances of one function version (one pool key). Idle instances are reused provisioned-first, then
 * most-recently-used first, so the least recently used ones reach their keep-alive and go: the pool
 * shrinks when load drops.
 */
export class Pool {
  readonly idle: InstanceLike[] = [];
  readonly busy = new Set<InstanceLike>();
  /** Instances initialising ahead of need (provisioned or pre-warmed). */
  readonly starting = new Set<InstanceLike>();
  retired = false;
  /** Provisioned concurrency wanted for this version. */
  provisioned = 0;
  /** What provisioned and pre-warmed instances are created from. */
  target: InvokeTarget | undefined;
  /** Requests waiting for a busy instance to finish (undefined: start one instead). */
  readonly handoff: Array<(instance: InstanceLike | undefined) => void> = [];
  /** Moving averages of invocation time and of instance start time, in ms. */
  avgDurationMs: number | undefined;
  avgStartMs: number | undefined;

  constructor(
    readonly key: string,
    readonly functionName: string,
    /** '$LATEST' or a version number. */
    readonly version: string,
  ) {}

  takeIdle(): InstanceLike | undefined {
    const provisioned = this.idle.findIndex((i) => i.config.initType === 'provisioned-concurrency');
    if (provisioned >= 0) return this.idle.splice(provisioned, 1)[0];
    return this.idle.pop();
  }

  putIdle(instance: InstanceLike): void {
    this.idle.push(instance);
  }

  remove(instance: InstanceLike): void {
    const index = this.idle.indexOf(instance);
    if (index >= 0) this.idle.splice(index, 1);
    this.busy.delete(instance);
    this.starting.delete(instance);
  }

  observe(durationMs: number, startMs: number | undefined): void {
    this.avgDurationMs = ewma(this.avgDurationMs, durationMs);
    if (startMs !== undefined) this.avgStartMs = ewma(this.avgStartMs, startMs);
  }

  provisionedInstances(): InstanceLike[] {
    return [...this.idle, ...this.busy, ...this.starting].filter((i) => i.config.initType === 'provisioned-concurrency');
  }

  get size(): number {
    return this.idle.length + this.busy.size + this.starting.size;
  }
}

function ewma(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous * 0.8 + sample * 0.2;
}
