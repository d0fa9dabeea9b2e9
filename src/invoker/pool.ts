import type { Instance } from '../runtime/index.js';

/**
 * The instances of one function version (one pool key). Idle instances are reused most-recently-used
 * first, so the least recently used ones reach their keep-alive and go: the pool shrinks when load drops.
 */
export class Pool {
  readonly idle: Instance[] = [];
  readonly busy = new Set<Instance>();
  retired = false;

  constructor(
    readonly key: string,
    readonly functionName: string,
  ) {}

  takeIdle(): Instance | undefined {
    return this.idle.pop();
  }

  putIdle(instance: Instance): void {
    this.idle.push(instance);
  }

  remove(instance: Instance): void {
    const index = this.idle.indexOf(instance);
    if (index >= 0) this.idle.splice(index, 1);
    this.busy.delete(instance);
  }

  get size(): number {
    return this.idle.length + this.busy.size;
  }
}
