import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import { labelVersion, unlabelVersion } from './labels.js';
import { deleteParameter, deleteParameters, getParameter, getParameterHistory, getParameters, putParameter } from './parameters.js';
import { describeParameters, getParametersByPath } from './queries.js';
import type { SsmContext } from './state.js';
import { addTags, listTags, removeTags } from './tags.js';

/** Parameter Store's operations of SSM's model, typed by it. */
export const HANDLERS: Handlers<Operations, SsmContext> = {
  PutParameter: (input, ctx) => putParameter(ctx, input),
  GetParameter: async (input, ctx) => ({ Parameter: await getParameter(ctx, input.Name, input.WithDecryption ?? false) }),
  GetParameters: (input, ctx) => getParameters(ctx, input.Names, input.WithDecryption ?? false),
  GetParametersByPath: (input, ctx) => getParametersByPath(ctx, input),
  DescribeParameters: (input, ctx) => describeParameters(ctx, input),
  GetParameterHistory: (input, ctx) => getParameterHistory(ctx, input),
  DeleteParameter: async (input, ctx) => deleteParameter(ctx, input.Name),
  DeleteParameters: (input, ctx) => deleteParameters(ctx, input.Names),
  LabelParameterVersion: (input, ctx) => labelVersion(ctx, input),
  UnlabelParameterVersion: (input, ctx) => unlabelVersion(ctx, input),
  AddTagsToResource: async (input, ctx) => addTags(ctx, input.ResourceType, input.ResourceId, input.Tags),
  RemoveTagsFromResource: async (input, ctx) => removeTags(ctx, input.ResourceType, input.ResourceId, input.TagKeys),
  ListTagsForResource: async (input, ctx) => ({ TagList: await listTags(ctx, input.ResourceType, input.ResourceId) }),
};
