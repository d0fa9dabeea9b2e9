/**
 * Time is a dependency: every timeout, lease, idle reaper and schedule asks a Clock, so tests drive time with
 * FakeClock instead of sleeping.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds with sub-millisecond precision, for durations. */
  monotonic(): number;
  /** Runs `fn` once after `ms`. The timer does not keep the process alive. */
  setTimer(ms: number, fn: () => void): Timer;
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
}

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  monotonic(): number {
    return performance.now();
  }

  setTimer(ms: number, fn: () => void): Timer {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. `advance` fires due timers in time order (ties in the order they were
 * set) and lets promise chains settle between instants. Timers live in a binary heap, so replaying a day of
 * production traffic (millions of timers) stays fast.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly heap: PendingTimer[] = [];
  private live = 0;

  /** `settleTurns`: macrotask turns let run after each instant; 1 is enough when nothing does real I/O. */
  constructor(
    start = Date.UTC(2026, 0, 1),
    private readonly settleTurns = 5,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const timer: PendingTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(timer);
    this.live++;
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        this.live--;
      },
    };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  /** Number of timers still waiting to fire. */
  pending(): number {
    return this.live;
  }

  /** When the next timer fires, if any. */
  nextAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, each at its own instant. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await this.settle();
    for (;;) {
      this.dropCancelled();
      const next = this.heap[0];
      if (!next || next.at > target) break;
      this.current = Math.max(this.current, next.at);
      // Fire everything due at this instant, then let the consequences settle once.
      while (this.heap[0] && this.heap[0].at <= this.current) {
        const timer = this.pop()!;
        if (timer.cancelled) continue;
        timer.cancelled = true;
        this.live--;
        timer.fn();
      }
      await this.settle();
    }
    this.current = target;
    await this.settle();
  }

  /** Lets already-resolved promise chains run to completion (each macrotask turn drains all microtasks). */
  private async settle(): Promise<void> {
    for (let i = 0; i < this.settleTurns; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) this.pop();
  }

  private before(a: PendingTimer, b: PendingTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(timer: PendingTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): PendingTimer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && this.before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
