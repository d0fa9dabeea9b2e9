/**
 * Keep-alive policies decide how long an idle instance stays warm, and whether to unload it at once and
 * pre-warm one just before the function is expected again.
 *
 * - fixed: every idle instance is kept for the same time (Lambda-like; default 10 minutes).
 * - adaptive: in the spirit of the hybrid histogram policy of "Serverless in the Wild" (Shahrad et al.,
 *   ATC 2020): per function, a histogram of idle times (1-minute bins over 4 hours). The paper models one
 *   instance per application; Flint scales out, and the instance that serves concurrency level L is idle
 *   until the function needs L instances again, so Flint keeps one histogram per function and level (the
 *   function-wide histogram stands in for a level with too little history). From a histogram, the
 *   default 'cost' strategy picks the keep-alive window that minimises expected idle memory-time plus a
 *   break-even time per cold start; the paper's 'percentile' strategy (pre-warm at the 5th percentile less
 *   10%, keep to the 99th plus 10%) is kept for comparison. When the histogram is not representative yet
 *   (too few idle times, or a flat distribution), or too many idle times fall beyond its range, the policy
 *   falls back to fixed (the paper falls back to ARIMA for the latter; Flint does not model time series).
 *   `flint replay` measures both against fixed windows on real traces; bench/RESULTS.md has the figures.
 */

export interface KeepAliveDecision {
  /** How long the instance stays warm, counted from `preWarmAfterMs` when pre-warming. */
  keepAliveMs: number;
  /** Unload now and start a fresh instance this long after the invocation ended. */
  preWarmAfterMs?: number;
}

export interface KeepAlivePolicy {
  readonly name: string;
  /**
   * An invocation arrives and raises the function's concurrency to `level`. `idleGapMs` is how long the
   * instance serving that level had been idle (a warm start), or on a cold start how long ago an instance
   * at that level last went idle; undefined when none ever did.
   */
  observe(functionName: string, level: number, idleGapMs: number | undefined): void;
  /** An instance went idle, leaving the function's concurrency at `level - 1`. */
  decide(functionName: string, level: number): KeepAliveDecision;
}

export class FixedKeepAlive implements KeepAlivePolicy {
  readonly name = 'fixed';

  constructor(private readonly keepAliveMs = 10 * 60_000) {}

  observe(_functionName: string, _level: number, _idleGapMs: number | undefined): void {}

  decide(_functionName?: string, _level?: number): KeepAliveDecision {
    return { keepAliveMs: this.keepAliveMs };
  }
}

const MINUTE = 60_000;

export interface HybridHistogramOptions {
  /** Histogram range; idle times beyond it are out of bounds. Paper: 4 hours. */
  rangeMs?: number;
  binMs?: number;
  /** Idle times needed before the histogram is trusted. */
  minSamples?: number;
  /** Coefficient of variation of bin counts above which the histogram is representative. Paper: 2. */
  minCv?: number;
  /** Share of out-of-bounds idle times beyond which the histogram is not used. */
  maxOutOfBounds?: number;
  headPercentile?: number;
  tailPercentile?: number;
  margin?: number;
  /** Fallback when the histogram cannot be trusted. */
  fallback?: KeepAlivePolicy;
  /** Never keep an idle instance longer than this in one stretch (the memory the policy may spend). */
  maxKeepAliveMs?: number;
  /**
   * 'cost' (default) picks, from the histogram, the keep-alive window that minimises expected idle time
   * plus `breakEvenMs` per cold start (keeping an instance idle for `breakEvenMs` costs as much as one
   * cold start; default 20 minutes). 'percentile' is the paper's rule, with pre-warming.
   */
  strategy?: 'percentile' | 'cost';
  breakEvenMs?: number;
}

interface History {
  /** Sparse: bin index → count (most functions touch a handful of bins; levels can be many). */
  bins: Map<number, number>;
  samples: number;
  outOfBounds: number;
  plan?: { samples: number; keepAliveMs: number };
}

export class HybridHistogramKeepAlive implements KeepAlivePolicy {
  readonly name = 'adaptive';
  private readonly histories = new Map<string, History>();
  private readonly rangeMs: number;
  private readonly binMs: number;
  private readonly fallback: KeepAlivePolicy;

  constructor(private readonly options: HybridHistogramOptions = {}) {
    this.rangeMs = options.rangeMs ?? 4 * 60 * MINUTE;
    this.binMs = options.binMs ?? MINUTE;
    this.fallback = options.fallback ?? new FixedKeepAlive();
  }

  observe(functionName: string, level: number, idleGapMs: number | undefined): void {
    if (idleGapMs === undefined) return;
    this.record(this.history(functionName), idleGapMs);
    this.record(this.history(`${functionName}#${level}`), idleGapMs);
  }

  decide(functionName: string, level: number): KeepAliveDecision {
    const own = this.histories.get(`${functionName}#${level}`);
    const history = own && this.representative(own) ? own : this.histories.get(functionName);
    if (!history || !this.representative(history)) return this.fallback.decide(functionName, level);
    if ((this.options.strategy ?? 'cost') === 'cost') return { keepAliveMs: this.cheapestWindow(history) };
    const margin = this.options.margin ?? 0.1;
    const head = this.percentile(history, this.options.headPercentile ?? 5);
    const tail = this.percentile(history, this.options.tailPercentile ?? 99);
    const preWarm = Math.floor(head * (1 - margin));
    const cap = this.options.maxKeepAliveMs ?? Number.POSITIVE_INFINITY;
    const keepAlive = Math.min(cap, Math.max(this.binMs, Math.ceil(tail * (1 + margin)) - preWarm));
    return preWarm >= this.binMs ? { preWarmAfterMs: preWarm, keepAliveMs: keepAlive } : { keepAliveMs: Math.min(cap, keepAlive + preWarm) };
  }

  /** For reports and tests: what the policy currently believes about a function. */
  describe(functionName: string, level = 1): { samples: number; representative: boolean; decision: KeepAliveDecision } {
    const history = this.histories.get(functionName);
    return { samples: history?.samples ?? 0, representative: history ? this.representative(history) : false, decision: this.decide(functionName, level) };
  }

  private history(key: string): History {
    let history = this.histories.get(key);
    if (!history) {
      history = { bins: new Map(), samples: 0, outOfBounds: 0 };
      this.histories.set(key, history);
    }
    return history;
  }

  private get binCount(): number {
    return Math.ceil(this.rangeMs / this.binMs);
  }

  private record(history: History, idleMs: number): void {
    history.samples++;
    const bin = Math.floor(Math.max(0, idleMs) / this.binMs);
    if (bin >= this.binCount) history.outOfBounds++;
    else history.bins.set(bin, (history.bins.get(bin) ?? 0) + 1);
  }

  private representative(history: History): boolean {
    if (history.samples < (this.options.minSamples ?? 10)) return false;
    if (history.outOfBounds / history.samples > (this.options.maxOutOfBounds ?? 0.5)) return false;
    return coefficientOfVariation(history.bins, this.binCount) >= (this.options.minCv ?? 2);
  }

  /**
   * The keep-alive window W minimising expected idle time plus `breakEvenMs` per cold start: the choice of
   * ski rental with a known distribution. Candidates are the upper edges of non-empty bins; out-of-range gaps
   * count as longer than any window. (Unloading and pre-warming, tried the same way, did worse on the Azure
   * trace: a pre-warm scheduled from a wide histogram often arrives after the invocation it was for.)
   * Cached per history until it gains samples.
   */
  private cheapestWindow(history: History): number {
    if (history.plan && history.plan.samples === history.samples) return history.plan.keepAliveMs;
    const breakEven = this.options.breakEvenMs ?? 20 * MINUTE;
    let best = 0;
    let bestCost = breakEven; // W = 0: every next use is a cold start
    let below = 0; // total length of the gaps that end inside the window
    let seen = 0;
    for (const bin of [...history.bins.keys()].sort((a, b) => a - b)) {
      const count = history.bins.get(bin)!;
      below += count * (bin + 0.5) * this.binMs;
      seen += count;
      const window = (bin + 1) * this.binMs;
      const cost = (below + (history.samples - seen) * (window + breakEven)) / history.samples;
      if (cost < bestCost) {
        bestCost = cost;
        best = window;
      }
    }
    const keepAliveMs = Math.max(this.binMs, best);
    history.plan = { samples: history.samples, keepAliveMs };
    return keepAliveMs;
  }

  /** The idle time below which `p` percent of in-range idle times fall (lower bin edge for the head, upper for the tail). */
  private percentile(history: History, p: number): number {
    const inRange = history.samples - history.outOfBounds;
    const wanted = Math.max(1, Math.ceil((p / 100) * inRange));
    let seen = 0;
    for (const bin of [...history.bins.keys()].sort((a, b) => a - b)) {
      seen += history.bins.get(bin)!;
      if (seen >= wanted) return (p <= 50 ? bin : bin + 1) * this.binMs;
    }
    return this.rangeMs;
  }
}

/** Of the bin counts over the whole range (empty bins included), as the paper computes it. */
function coefficientOfVariation(bins: Map<number, number>, binCount: number): number {
  let sum = 0;
  for (const count of bins.values()) sum += count;
  const mean = sum / binCount;
  if (mean === 0) return 0;
  let squares = (binCount - bins.size) * mean ** 2;
  for (const count of bins.values()) squares += (count - mean) ** 2;
  return Math.sqrt(squares / binCount) / mean;
}
