import type { Tag } from './api.js';
import { parameterNotFound, ssmError } from './errors.js';
import { findParameter } from './parameters.js';
import { checkTags } from './tag-list.js';
import type { SsmContext } from './state.js';

/** Tags are on parameters here: Parameter Store's only resource type Flint serves. */
async function parameterNamed(ctx: SsmContext, type: string, id: string): Promise<string> {
  // Flint's wording for the other resource types SSM has (documents, maintenance windows, ...).
  if (type !== 'Parameter') throw ssmError('InvalidResourceType', `The resource type ${type} is not supported by Flint's SSM, which serves Parameter Store only.`);
  const parameter = await findParameter(ctx, id);
  // AWS's wording for a parameter that is not there.
  if (!parameter) throw ssmError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.');
  return parameter.name;
}

export async function addTags(ctx: SsmContext, type: string, id: string, tags: Tag[]): Promise<void> {
  const name = await parameterNamed(ctx, type, id);
  await ctx.state.update(name, (current) => {
    if (!current) throw parameterNotFound();
    return { ...current, tags: checkTags(current.tags, tags) };
  });
}

export async function removeTags(ctx: SsmContext, type: string, id: string, keys: string[]): Promise<void> {
  const name = await parameterNamed(ctx, type, id);
  await ctx.state.update(name, (current) => {
    if (!current) throw parameterNotFound();
    return { ...current, tags: current.tags.filter((t) => !keys.includes(t.Key)) };
  });
}

export async function listTags(ctx: SsmContext, type: string, id: string): Promise<Tag[]> {
  const name = await parameterNamed(ctx, type, id);
  return (await ctx.state.get(name))?.tags ?? [];
}
