import type { BatchGetSecretValueRequest, BatchGetSecretValueResponse, SecretValueEntry } from './api.js';
import { invalidParameter } from './errors.js';
import { listSecrets } from './list.js';
import type { SecretsContext } from './state.js';
import { getSecretValue } from './values.js';

/** Values of the named secrets, or of those the filters select; a secret that cannot be read is an entry in Errors. */
export async function batchGetSecretValue(ctx: SecretsContext, input: BatchGetSecretValueRequest): Promise<BatchGetSecretValueResponse> {
  // AWS's wording.
  if (input.SecretIdList?.length && input.Filters?.length) throw invalidParameter('Either list of secret IDs or filters must be provided, but not both.');
  if (!input.SecretIdList?.length) {
    const listed = await listSecrets(ctx, { Filters: input.Filters, MaxResults: input.MaxResults, NextToken: input.NextToken });
    const found = await batch(ctx, (listed.SecretList ?? []).map((s) => s.ARN!));
    return { ...found, NextToken: listed.NextToken };
  }
  return batch(ctx, input.SecretIdList);
}

async function batch(ctx: SecretsContext, ids: string[]): Promise<BatchGetSecretValueResponse> {
  const values: SecretValueEntry[] = [];
  const errors: { SecretId: string; ErrorCode: string; Message: string }[] = [];
  for (const id of ids) {
    try {
      values.push(await getSecretValue(ctx, { SecretId: id }));
    } catch (error) {
      const { type, message } = error as { type?: string; message: string };
      if (!type) throw error;
      errors.push({ SecretId: id, ErrorCode: type, Message: message });
    }
  }
  return { SecretValues: values, Errors: errors };
}
