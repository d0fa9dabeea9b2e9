import type { FunctionRegistry, ResolvedTarget } from '../functions/index.js';
import type { InvokeTarget } from '../invoker/index.js';

/** A resolved function version: what the invoker runs, with the ARN it answers to and the version that runs. */
export interface Target extends InvokeTarget {
  arn: string;
  version: string;
}

/**
 * Turns a function name (or partial or full ARN) and qualifier into what the invoker runs, with the code extracted
 * on disk. Unweighted lookups are cached until the registry reports a change to that function, so the warm path
 * does no storage reads; aliases are resolved every time because a weighted alias picks per call.
 */
export class FunctionTargets {
  private readonly cache = new Map<string, Promise<Target>>();

  constructor(private readonly registry: FunctionRegistry) {}

  resolve(functionName: string, qualifier: string | undefined): Promise<Target> {
    const cacheable = qualifier === undefined || qualifier === '$LATEST' || /^\d+$/.test(qualifier);
    if (!cacheable) return this.load(functionName, qualifier);
    const key = `${functionName}\u0000${qualifier ?? '$LATEST'}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.load(functionName, qualifier);
      this.cache.set(key, hit);
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  /** Drops cached lookups of a function; called on every registry change to it. */
  forget(functionName: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${functionName}\u0000`) || key.includes(`:function:${functionName}`)) this.cache.delete(key);
  }

  private async load(functionName: string, qualifier: string | undefined): Promise<Target> {
    const resolved = await this.registry.resolve(functionName, qualifier);
    const layers = resolved.config.layers ?? [];
    const optDir = layers.length > 0 ? await this.registry.layers.mountDir(layers) : undefined;
    return toTarget(resolved, await this.registry.codeDir(resolved.config.codeSha256), optDir);
  }
}

/** What the invoker runs for a resolved function version whose code is extracted at `codeDir`. */
export function toTarget(resolved: ResolvedTarget, codeDir: string, optDir?: string): Target {
  const { config } = resolved;
  return {
    key: resolved.key,
    arn: resolved.arn,
    version: resolved.version,
    config: {
      functionName: resolved.functionName,
      version: resolved.version,
      runtime: config.runtime,
      handler: config.handler,
      memorySize: config.memorySize,
      timeout: config.timeout,
      ephemeralStorage: config.ephemeralStorage,
      environment: config.environment,
      role: config.role,
      codeDir,
      ...(optDir !== undefined ? { optDir } : {}),
    },
  };
}
