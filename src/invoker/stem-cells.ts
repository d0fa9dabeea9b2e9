import type { Clock, Logger, Timer } from '../core/index.js';
import { stemFamilyOf, type StemCell, type StemFamily, type StemKind } from '../runtime/index.js';

export interface StemCellSource {
  spawnStemCell(kind: StemKind): StemCell;
}

export interface StemCellOptions {
  /** Cells kept ready per kind while it is in use, by family; 0 turns stem cells off for the family. */
  size?: Partial<Record<StemFamily, number>>;
  /** A kind with no activity for this long gives its cells up (scale to zero). */
  idleMs?: number;
}

/**
 * A taken cell is replaced a little later, not at once: spawning is synchronous work in this process (and a
 * new runtime then competes for the CPU), which on 2 cores added about 2 ms to the very cold start the
 * cell was taken for. The pause is real time, not the injected clock: it orders background work, it is
 * not part of any behaviour a function can observe.
 */
const REFILL_DELAY_MS = 30;

/**
 * Pre-started generic runtime processes, so a function without a warm instance still starts in
 * milliseconds. Cells are kept per kind, one per runtime binary (Python; Node.js 20 and Node.js 22 apart), since
 * a process cannot change the interpreter it runs on. A kind's pool fills once the kind is used (a deploy or
 * an invocation), refills in the background after each cell is taken, and empties after `idleMs` without activity.
 */
export class StemCellPool {
  private readonly ready = new Map<StemKind, StemCell[]>();
  private readonly lastActivity = new Map<StemKind, number>();
  private readonly idleTimers = new Map<StemKind, Timer>();
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
  }

  /** A live cell of the kind, if one is ready; the pool refills behind it. */
  take(kind: StemKind): StemCell | undefined {
    this.touch(kind);
    const cells = this.cellsOf(kind);
    let cell = cells.shift();
    while (cell && !cell.alive()) cell = cells.shift();
    setTimeout(() => this.fill(kind), REFILL_DELAY_MS).unref();
    return cell;
  }

  /** The kind is in use: keep (or start) its cells ready for the idle window. */
  touch(kind: StemKind): void {
    if (this.closed || this.sizeOf(kind) === 0) return;
    const now = this.clock.now();
    const wasIdle = !this.lastActivity.has(kind);
    this.lastActivity.set(kind, now);
    if (wasIdle) {
      this.scheduleIdleCheck(kind, this.idleMs);
      setImmediate(() => this.fill(kind));
    }
  }

  /** Live cells of one kind, of one family ('nodejs' counts every Node.js binary), or of all. */
  count(kindOrFamily?: StemKind): number {
    let total = 0;
    for (const [kind, cells] of this.ready) {
      if (kindOrFamily === undefined || kind === kindOrFamily || stemFamilyOf(kind) === kindOrFamily) total += cells.filter((c) => c.alive()).length;
    }
    return total;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.idleTimers.values()) timer.cancel();
    await Promise.all([...this.ready.keys()].map((kind) => this.empty(kind)));
  }

  private sizeOf(kind: StemKind): number {
    return this.size[stemFamilyOf(kind)];
  }

  private cellsOf(kind: StemKind): StemCell[] {
    let cells = this.ready.get(kind);
    if (!cells) this.ready.set(kind, (cells = []));
    return cells;
  }

  private fill(kind: StemKind): void {
    if (this.closed || !this.lastActivity.has(kind)) return;
    const cells = this.cellsOf(kind);
    for (let i = cells.length - 1; i >= 0; i--) if (!cells[i]!.alive()) cells.splice(i, 1);
    while (cells.length < this.sizeOf(kind)) {
      try {
        const cell = this.source.spawnStemCell(kind);
        cells.push(cell);
        cell.process.child.once('exit', () => {
          const index = cells.indexOf(cell);
          if (index >= 0) cells.splice(index, 1);
          if (this.lastActivity.has(kind)) setImmediate(() => this.fill(kind));
        });
      } catch (error) {
        this.logger.warn('could not start a stem cell', { kind, error: String(error) });
        return;
      }
    }
  }

  private scheduleIdleCheck(kind: StemKind, afterMs: number): void {
    this.idleTimers.get(kind)?.cancel();
    this.idleTimers.set(
      kind,
      this.clock.setTimer(afterMs, () => {
        const quietFor = this.clock.now() - (this.lastActivity.get(kind) ?? 0);
        if (quietFor >= this.idleMs) {
          this.lastActivity.delete(kind);
          void this.empty(kind);
        } else this.scheduleIdleCheck(kind, this.idleMs - quietFor);
      }),
    );
  }

  private async empty(kind: StemKind): Promise<void> {
    const cells = this.cellsOf(kind).splice(0);
    await Promise.all(cells.map((cell) => cell.destroy()));
  }
}
