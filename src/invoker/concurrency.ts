import { FlintError } from '../core/index.js';

/**
 * Lambda's concurrency model, exact under bursts because every check and claim happens synchronously:
 * a function with reserved concurrency R may run R instances at once and no more; functions without a
 * reservation share what the node limit leaves after all reservations.
 */
export interface Slot {
  release(): void;
}

export class ConcurrencyLimits {
  private readonly reserved = new Map<string, number>();
  private readonly running = new Map<string, number>();
  private unreservedRunning = 0;

  constructor(private readonly nodeLimit: number) {}

  setReserved(functionName: string, value: number | undefined): void {
    if (value === undefined) this.reserved.delete(functionName);
    else this.reserved.set(functionName, value);
  }

  reservedFor(functionName: string): number | undefined {
    return this.reserved.get(functionName);
  }

  /** Why a new execution would be refused now, or undefined if it may run. */
  refusal(functionName: string): 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded' | undefined {
    const reserved = this.reserved.get(functionName);
    const running = this.running.get(functionName) ?? 0;
    if (reserved !== undefined) return running >= reserved ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : undefined;
    return this.unreservedRunning >= this.unreservedCapacity() ? 'ConcurrentInvocationLimitExceeded' : undefined;
  }

  /** Claims one execution slot or throws TOO_MANY_REQUESTS with Lambda's reason. */
  acquire(functionName: string): Slot {
    const reason = this.refusal(functionName);
    if (reason) throw new FlintError('TOO_MANY_REQUESTS', 'Rate Exceeded.', { reason });
    this.running.set(functionName, (this.running.get(functionName) ?? 0) + 1);
    const unreserved = !this.reserved.has(functionName);
    if (unreserved) this.unreservedRunning++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const running = (this.running.get(functionName) ?? 0) - 1;
        if (running <= 0) this.running.delete(functionName);
        else this.running.set(functionName, running);
        // The bucket it was taken from, even if the reservation changed meanwhile.
        if (unreserved) this.unreservedRunning--;
      },
    };
  }

  runningFor(functionName: string): number {
    return this.running.get(functionName) ?? 0;
  }

  private unreservedCapacity(): number {
    let sum = 0;
    for (const value of this.reserved.values()) sum += value;
    return Math.max(0, this.nodeLimit - sum);
  }
}
