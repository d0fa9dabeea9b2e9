import type { Clock, Logger, Timer } from '../core/index.js';
import type { LogPruning, LogStore } from '../storage/index.js';

export interface LogRetentionOptions {
  /** Records older than this go (default 7 days). */
  maxAgeMs?: number;
  /** All but about the newest this many go (default 1,000,000: a few hundred MB). */
  maxRecords?: number;
  /** How often to prune (default every minute). */
  everyMs?: number;
  /** Records deleted per step; the event loop runs between steps (default 5000). */
  step?: number;
  /** Retention policies set through the Logs API, which replace the defaults above for their functions and groups. */
  policies?: () => Promise<RetentionPolicies>;
}

/** How long records are kept where a log group's retention policy says so (epoch-ms ages). */
export interface RetentionPolicies {
  /** Function name → age past which its records go (instead of maxAgeMs; maxRecords does not count them). */
  functions: ReadonlyMap<string, number>;
  /** Log group name → age past which the events clients put into it go (they are kept forever otherwise). */
  groups: ReadonlyMap<string, number>;
}

/**
 * Keeps function logs bounded in age and in number. Every request writes log records (START, END and REPORT
 * at least), so a node under steady load would otherwise fill its disk: at 10k requests a second, about
 * 9 GB an hour. A backlog goes in small steps so that no single delete holds up requests.
 */
export class LogRetention {
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly maxAgeMs: number;
  private readonly maxRecords: number;
  private readonly everyMs: number;
  private readonly step: number;
  private readonly policies: (() => Promise<RetentionPolicies>) | undefined;

  constructor(
    private readonly store: LogStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: LogRetentionOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 7 * 24 * 3600_000;
    this.maxRecords = options.maxRecords ?? 1_000_000;
    this.everyMs = options.everyMs ?? 60_000;
    this.step = options.step ?? 5000;
    this.policies = options.policies;
  }

  start(): void {
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }

  /** One pass: prunes in steps until nothing is left to prune. Resolves with how many records went. */
  async prune(): Promise<number> {
    const policies = (await this.policies?.()) ?? { functions: new Map<string, number>(), groups: new Map<string, number>() };
    const except = [...policies.functions.keys()];
    let removed = await this.inSteps(() => ({ before: this.clock.now() - this.maxAgeMs, keepNewest: this.maxRecords, max: this.step, except }));
    for (const [functionName, age] of policies.functions) {
      removed += await this.inSteps(() => ({ functionName, before: this.clock.now() - age, max: this.step }));
    }
    for (const [group, age] of policies.groups) removed += await this.store.pruneEvents(group, this.clock.now() - age);
    return removed;
  }

  private async inSteps(pruning: () => LogPruning): Promise<number> {
    let removed = 0;
    for (;;) {
      const count = await this.store.prune(pruning());
      removed += count;
      if (count < this.step || this.closed) return removed;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.clock.setTimer(this.everyMs, () => {
      this.running = this.prune()
        .then(
          (removed) => {
            if (removed > 0) this.logger.debug('pruned function logs', { records: removed });
          },
          (error: unknown) => this.logger.error('could not prune function logs', { error: String(error) }),
        )
        .finally(() => this.schedule());
    });
  }
}
