import { isFlintError } from '../../core/index.js';
import type { LambdaContext, LambdaHandler } from './context.js';

/**
 * TagResource, UntagResource and ListTags. Functions keep their tags in the registry (CreateFunction's Tags too);
 * Flint has no code signing configurations or capacity providers, and does not keep event source mappings' tags.
 * Messages are Lambda's (LocalStack's recordings of AWS, test_lambda_api.snapshot.json, TestLambdaTag and
 * TestLambdaTags); the model's pattern has already refused ARNs of anything else.
 */

const FUNCTION = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:/;
const MAPPING = /^arn:[^:]+:lambda:[^:]+:\d{12}:event-source-mapping:([0-9a-fA-F-]{36})$/;
const CAPACITY_PROVIDER = /:capacity-provider:/;

export const tagResource: LambdaHandler<'TagResource'> = async (input, ctx) => {
  if (FUNCTION.test(input.Resource)) return ctx.registry.tagFunction(input.Resource, input.Tags);
  await requireOther(input.Resource, ctx);
  throw ctx.errors.notSupported('Tags on event source mappings', 'tag the function instead');
};

export const untagResource: LambdaHandler<'UntagResource'> = async (input, ctx) => {
  if (FUNCTION.test(input.Resource)) return ctx.registry.untagFunction(input.Resource, input.TagKeys);
  await requireOther(input.Resource, ctx);
  throw ctx.errors.notSupported('Tags on event source mappings', 'tag the function instead');
};

export const listTags: LambdaHandler<'ListTags'> = async (input, ctx) => {
  if (!FUNCTION.test(input.Resource)) {
    await requireOther(input.Resource, ctx);
    return { Tags: {} };
  }
  return { Tags: sortedTags(await ctx.registry.listTags(input.Resource)) };
};

/** Lambda lists tags by key. */
export function sortedTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** An event source mapping that exists passes; anything else is not found, in Lambda's words for its kind. */
async function requireOther(resource: string, ctx: LambdaContext): Promise<void> {
  const uuid = MAPPING.exec(resource)?.[1];
  const mappings = ctx.backend.eventSourceMappings;
  if (uuid !== undefined && mappings !== undefined) {
    try {
      await mappings.get(uuid);
      return;
    } catch (error) {
      if (!isFlintError(error, 'NOT_FOUND')) throw error;
    }
  }
  if (uuid !== undefined) throw ctx.errors.user('ResourceNotFoundException', `Event source mapping not found: ${resource}`);
  if (CAPACITY_PROVIDER.test(resource)) throw ctx.errors.user('ResourceNotFoundException', `Capacity provider not found: ${resource}`);
  throw ctx.errors.user('ResourceNotFoundException', `The Lambda code signing configuration ${resource} can not be found.`);
}
