import type { Clock, Logger, Timer } from '../core/index.js';
import type { StemCell, StemFamily } from '../runtime/index.js';

export interface StemCellSource {
  spawnStemCell(family: StemFamily): StemCell;
}

export interface StemCellOptions {
  /** Cells kept ready per family while the family is in use; 0 turns stem cells off. */
  size?: Partial<Record<StemFamily, number>>;
  /** A family with no activity for this long gives its cells up (scale to zero). */
  idleMs?: number;
}

const FAMILIES: readonly StemFamily[] = ['nodejs', 'python'];
/**
 * A taken cell is replaced a little later, not at once: spawning is synchronous work in this process (and a
 * new runtime then competes for the CPU), which on 2 cores added about 2 ms to the very cold start the
 * cell was taken for. The pause is real time, not the injected clock: it orders background work, it is
 * not part of any behaviour a function can observe.
 */
const REFILL_DELAY_MS = 30;

/**
 * Pre-started generic runtime processes, so a function without a warm instance still starts in
 * milliseconds. A family's pool fills once the family is used (a deploy or an invocation), refills in the
 * background after each cell is taken, and empties after `idleMs` without activity.
 */
export class StemCellPool {
  private readonly ready = new Map<StemFamily, StemCell[]>();
  private readonly lastActivity = new Map<StemFamily, number>();
  private readonly idleTimers = new Map<StemFamily, Timer>();
  private readonly size: Record<StemFamily, number>;
  private readonly idleMs: number;
  private closed = false;

  constructor(
    private readonly source: StemCellSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: StemCellOptions = {},
  ) {
    this.size = { nodejs: options.size?.nodejs ?? 1, python: options.size?.python ?? 1 };
    this.idleMs = options.idleMs ?? 10 * 60_000;
    for (const family of FAMILIES) this.ready.set(family, []);
  }

  /** A live cell of the family, if one is ready; the pool refills behind it. */
  take(family: StemFamily): StemCell | undefined {
    this.touch(family);
    const cells = this.ready.get(family)!;
    let cell = cells.shift();
    while (cell && !cell.alive()) cell = cells.shift();
    setTimeout(() => this.fill(family), REFILL_DELAY_MS).unref();
    return cell;
  }

  /** The family is in use: keep (or start) its cells ready for the idle window. */
  touch(family: StemFamily): void {
    if (this.closed || this.size[family] === 0) return;
    const now = this.clock.now();
    const wasIdle = !this.lastActivity.has(family);
    this.lastActivity.set(family, now);
    if (wasIdle) {
      this.scheduleIdleCheck(family, this.idleMs);
      setImmediate(() => this.fill(family));
    }
  }

  count(family?: StemFamily): number {
    if (family) return this.ready.get(family)!.filter((c) => c.alive()).length;
    return FAMILIES.reduce((sum, f) => sum + this.count(f), 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.idleTimers.values()) timer.cancel();
    await Promise.all(FAMILIES.map((family) => this.empty(family)));
  }

  private fill(family: StemFamily): void {
    if (this.closed || !this.lastActivity.has(family)) return;
    const cells = this.ready.get(family)!;
    for (let i = cells.length - 1; i >= 0; i--) if (!cells[i]!.alive()) cells.splice(i, 1);
    while (cells.length < this.size[family]) {
      try {
        const cell = this.source.spawnStemCell(family);
        cells.push(cell);
        cell.process.child.once('exit', () => {
          const index = cells.indexOf(cell);
          if (index >= 0) cells.splice(index, 1);
          if (this.lastActivity.has(family)) setImmediate(() => this.fill(family));
        });
      } catch (error) {
        this.logger.warn('could not start a stem cell', { family, error: String(error) });
        return;
      }
    }
  }

  private scheduleIdleCheck(family: StemFamily, afterMs: number): void {
    this.idleTimers.get(family)?.cancel();
    this.idleTimers.set(
      family,
      this.clock.setTimer(afterMs, () => {
        const quietFor = this.clock.now() - (this.lastActivity.get(family) ?? 0);
        if (quietFor >= this.idleMs) {
          this.lastActivity.delete(family);
          void this.empty(family);
        } else this.scheduleIdleCheck(family, this.idleMs - quietFor);
      }),
    );
  }

  private async empty(family: StemFamily): Promise<void> {
    const cells = this.ready.get(family)!.splice(0);
    await Promise.all(cells.map((cell) => cell.destroy()));
  }
}
