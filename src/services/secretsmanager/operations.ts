import type { Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import { batchGetSecretValue } from './batch.js';
import { listSecrets } from './list.js';
import { randomPassword } from './passwords.js';
import { cancelRotation, rotateSecret } from './rotation.js';
import { createSecret, deleteSecret, describeSecret, restoreSecret, tagResource, untagResource, updateSecret } from './secrets.js';
import type { SecretsContext } from './state.js';
import { getSecretValue, listVersionIds, putSecretValue, updateVersionStage } from './values.js';

/** The Secrets Manager operations Flint serves, typed by the model. */
export const HANDLERS: Handlers<Operations, SecretsContext> = {
  CreateSecret: (input, ctx) => createSecret(ctx, input),
  GetSecretValue: (input, ctx) => getSecretValue(ctx, input),
  BatchGetSecretValue: (input, ctx) => batchGetSecretValue(ctx, input),
  PutSecretValue: (input, ctx) => putSecretValue(ctx, input),
  UpdateSecret: (input, ctx) => updateSecret(ctx, input),
  DescribeSecret: (input, ctx) => describeSecret(ctx, input.SecretId),
  ListSecrets: (input, ctx) => listSecrets(ctx, input),
  ListSecretVersionIds: (input, ctx) => listVersionIds(ctx, input),
  DeleteSecret: (input, ctx) => deleteSecret(ctx, input),
  RestoreSecret: (input, ctx) => restoreSecret(ctx, input.SecretId),
  UpdateSecretVersionStage: (input, ctx) => updateVersionStage(ctx, input),
  TagResource: async (input, ctx) => tagResource(ctx, input.SecretId, input.Tags),
  UntagResource: async (input, ctx) => untagResource(ctx, input.SecretId, input.TagKeys),
  GetRandomPassword: async (input) => randomPassword(input),
  RotateSecret: (input, ctx) => rotateSecret(ctx, input),
  CancelRotateSecret: (input, ctx) => cancelRotation(ctx, input.SecretId),
};
