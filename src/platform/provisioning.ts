import type { Logger } from '../core/index.js';
import type { FunctionRegistry } from '../functions/index.js';
import type { Invoker } from '../invoker/index.js';
import type { FunctionTargets, Target } from '../events/index.js';

/**
 * Keeps the invoker's provisioned instances in line with the registry's provisioned-concurrency configs.
 * Configs name versions or aliases; instances belong to versions, so the wanted count per version is the
 * sum of the configs that resolve to it (an alias moved to another version moves its instances).
 */
export class Provisioning {
  /** Per function: pool key → what was last applied. */
  private readonly applied = new Map<string, Map<string, { target: Target; count: number }>>();
  /** `${function}\0${qualifier}` → the pool key it resolved to. */
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly targets: FunctionTargets,
    private readonly invoker: () => Invoker,
    private readonly logger: Logger,
  ) {}

  async loadAll(): Promise<void> {
    const names = new Set((await this.registry.listProvisionedConcurrency()).map((c) => c.functionName));
    await Promise.all([...names].map((name) => this.sync(name)));
  }

  async sync(functionName: string): Promise<void> {
    const wanted = new Map<string, { target: Target; count: number }>();
    for (const config of await this.registry.listProvisionedConcurrency(functionName).catch(() => [])) {
      try {
        const target = await this.targets.resolve(functionName, config.qualifier);
        this.keys.set(`${functionName}\u0000${config.qualifier}`, target.key);
        const entry = wanted.get(target.key) ?? { target, count: 0 };
        entry.count += config.requested;
        wanted.set(target.key, entry);
      } catch (error) {
        this.logger.warn('cannot provision', { function: functionName, qualifier: config.qualifier, error: String(error) });
      }
    }
    const before = this.applied.get(functionName) ?? new Map();
    this.applied.set(functionName, wanted);
    const invoker = this.invoker();
    for (const [key, old] of before) if (!wanted.has(key)) await invoker.provision(old.target, 0);
    await Promise.all([...wanted.values()].map(({ target, count }) => invoker.provision(target, count)));
  }

  ready(functionName: string, qualifier: string): number {
    const key = this.keys.get(`${functionName}\u0000${qualifier}`);
    return key ? this.invoker().provisionedReady(key) : 0;
  }
}
