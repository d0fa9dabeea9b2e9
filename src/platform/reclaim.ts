import v8 from 'node:v8';
import vm from 'node:vm';
import type { Clock, Timer } from '../core/index.js';
import type { Invoker } from '../invoker/index.js';

/**
 * Gives memory back when the node goes idle. V8 keeps the heap it grew under load (deploys, bursts) and
 * collects lazily; once no instance or stem cell is left, one full collection lets it return free pages,
 * so an idle node's footprint is its code and state, not its history.
 */
export class IdleReclaimer {
  private timer: Timer | undefined;
  private collectedAt = -1;
  private readonly gc: (() => void) | undefined;

  constructor(
    private readonly invoker: Invoker,
    private readonly clock: Clock,
    private readonly everyMs = 30_000,
  ) {
    this.gc = exposeGc();
  }

  start(): void {
    const tick = (): void => {
      this.check();
      this.timer = this.clock.setTimer(this.everyMs, tick);
    };
    this.timer = this.clock.setTimer(this.everyMs, tick);
  }

  close(): void {
    this.timer?.cancel();
  }

  private check(): void {
    const { idle, busy, stemCells, invocations } = this.invoker.stats();
    if (idle + busy + stemCells > 0) return;
    if (this.collectedAt === invocations) return; // nothing ran since the last collection
    this.collectedAt = invocations;
    this.gc?.();
  }
}

function exposeGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
