import { parseFunctionRef } from './arn.js';
import { arnOf, requireFunction, type RegistryContext } from './context.js';
import { invalid } from './errors.js';

/**
 * A function's tags, kept on its record so they live and die with it. Lambda tags functions only, and allows 50
 * tags on one; its messages are from LocalStack's recordings of AWS (test_lambda_api.snapshot.json, TestLambdaTags).
 */

export const MAX_TAGS = 50;

export function checkTagCount(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw invalid('Number of tags exceeds resource tag limit.', 'value', { field: 'tags' });
}

export class Tags {
  constructor(private readonly ctx: RegistryContext) {}

  async list(functionName: string): Promise<Record<string, string>> {
    const { value } = await requireFunction(this.ctx, taggedName(functionName));
    return value.tags ?? {};
  }

  /** TagResource: the given tags are added, replacing the values of keys the function already has. */
  async tag(functionName: string, tags: Record<string, string>): Promise<void> {
    const name = taggedName(functionName);
    // Lambda's words for an empty map.
    if (Object.keys(tags).length === 0) throw invalid('An error occurred and the request cannot be processed.', 'value', { field: 'tags' });
    await this.update(name, (current) => ({ ...current, ...tags }));
  }

  /** UntagResource: keys the function does not have are ignored. */
  async untag(functionName: string, keys: readonly string[]): Promise<void> {
    const drop = new Set(keys);
    await this.update(taggedName(functionName), (current) => Object.fromEntries(Object.entries(current).filter(([key]) => !drop.has(key))));
  }

  private async update(name: string, change: (current: Record<string, string>) => Record<string, string>): Promise<void> {
    await this.ctx.lock.run(name, async () => {
      const { value, revision } = await requireFunction(this.ctx, name);
      const tags = change(value.tags ?? {});
      checkTagCount(tags);
      const { tags: _previous, ...rest } = value;
      await this.ctx.records.putFunction(Object.keys(tags).length > 0 ? { ...rest, tags } : rest, revision, arnOf(this.ctx, name));
    });
  }
}

/** Tags belong to the function: an ARN naming a version or an alias is refused, whether or not it exists. */
function taggedName(functionName: string): string {
  const ref = parseFunctionRef(functionName);
  if (ref.qualifier !== undefined) throw invalid('Tags on function aliases and versions are not supported. Please specify a function ARN.', 'value');
  return ref.name;
}
