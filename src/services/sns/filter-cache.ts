import { compileFilterPolicy, type CompiledPolicy, type FilterPolicyScope } from './filter/index.js';

/** Policies are validated when set, so compiling one again at publish time cannot fail; this keeps the results. */
const CACHE_LIMIT = 1000;

export class FilterCache {
  private readonly compiled = new Map<string, CompiledPolicy>();

  get(policy: string, scope: FilterPolicyScope): CompiledPolicy {
    const key = `${scope}\u0000${policy}`;
    let hit = this.compiled.get(key);
    if (!hit) {
      if (this.compiled.size >= CACHE_LIMIT) this.compiled.clear();
      hit = compileFilterPolicy(policy, { scope, errorPrefix: 'Invalid parameter: ' });
      this.compiled.set(key, hit);
    }
    return hit;
  }
}
