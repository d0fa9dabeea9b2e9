import type { Clock, Timer } from '../../core/index.js';
import type { MessageStore } from '../../storage/index.js';

/** One pending wait: registered before the receive it follows, so a send in between is not missed. */
export interface Waiter {
  /** Resolves when the queue may have messages, at `until` (epoch ms) at the latest, or when polling closes. */
  wait(until: number): Promise<void>;
  cancel(): void;
}

interface Entry {
  woken: boolean;
  resolve?: () => void;
  timer?: Timer;
}

/**
 * Wakes long polls: on the store's in-process notifications for their queue, and on Clock timers for the moment
 * a delayed or in-flight message becomes visible or the wait ends. Never on real sleeps, so FakeClock drives it.
 */
export class LongPoll {
  private readonly waiting = new Map<string, Set<Entry>>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    store: MessageStore,
    private readonly clock: Clock,
  ) {
    this.unsubscribe = store.onAvailable((queue) => this.wake(queue));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  listen(queue: string): Waiter {
    const entry: Entry = { woken: this.closed };
    let set = this.waiting.get(queue);
    if (!set) {
      set = new Set();
      this.waiting.set(queue, set);
    }
    set.add(entry);
    const remove = () => {
      entry.timer?.cancel();
      entry.timer = undefined;
      set.delete(entry);
      if (set.size === 0 && this.waiting.get(queue) === set) this.waiting.delete(queue);
    };
    return {
      wait: (until) =>
        new Promise<void>((resolve) => {
          if (entry.woken) return resolve();
          entry.resolve = resolve;
          entry.timer = this.clock.setTimer(until - this.clock.now(), () => {
            entry.timer = undefined;
            fire(entry);
          });
        }),
      cancel: remove,
    };
  }

  /** Ends every wait now; later waits end at once. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const set of this.waiting.values()) for (const entry of set) fire(entry);
    this.waiting.clear();
  }

  private wake(queue: string): void {
    const set = this.waiting.get(queue);
    if (!set) return;
    for (const entry of set) fire(entry);
  }
}

function fire(entry: Entry): void {
  entry.woken = true;
  entry.timer?.cancel();
  entry.timer = undefined;
  entry.resolve?.();
}
