import { randomBytes } from 'node:crypto';
import type {
  CreateSecretRequest,
  CreateSecretResponse,
  DeleteSecretRequest,
  DeleteSecretResponse,
  DescribeSecretResponse,
  RestoreSecretResponse,
  Tag,
  UpdateSecretRequest,
  UpdateSecretResponse,
} from './api.js';
import { invalidName, invalidParameter, markedForDeletion, nameScheduledForDeletion, secretExists, secretsError } from './errors.js';
import { sortedStages } from './stages.js';
import { arnPrefix, existingSecret, findSecret, liveSecret, type SecretsContext } from './state.js';
import { hasValue, type SecretRecord } from './types.js';
import { addValue, sameValue, valueOf, type NewValue } from './values.js';

/** The characters a secret name may hold (recorded: test_invalid_secret_name). */
const NAME = /^[A-Za-z0-9/_+=.@!-]+$/;
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** AWS's documented quota of tags on a secret. */
const MAX_TAGS = 50;
const DAY_MS = 86_400_000;

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`, as AWS names secrets. */
function newArn(ctx: SecretsContext, name: string): string {
  const suffix = [...randomBytes(6)].map((byte) => SUFFIX_CHARS[byte % SUFFIX_CHARS.length]).join('');
  return `${arnPrefix(ctx)}${name}-${suffix}`;
}

export async function createSecret(ctx: SecretsContext, input: CreateSecretRequest): Promise<CreateSecretResponse> {
  if (!NAME.test(input.Name)) throw invalidName();
  const value = valueOf(input);
  const existing = await findSecret(ctx, input.Name);
  if (existing) return repeatedCreate(existing, input, value);
  const now = ctx.clock.now();
  let secret: SecretRecord = {
    name: input.Name,
    arn: newArn(ctx, input.Name),
    description: input.Description,
    kmsKeyId: input.KmsKeyId,
    tags: mergeTags([], input.Tags ?? []),
    createdAt: now,
    changedAt: now,
    versions: [],
  };
  if (value) secret = addValue(secret, value, input.ClientRequestToken, undefined, now).secret;
  if (!(await ctx.state.create(secret))) throw secretExists(input.Name);
  return { ARN: secret.arn, Name: secret.name, VersionId: secret.versions[0]?.id };
}

/** A retried CreateSecret (same token, same value) answers as the first did; anything else is refused. */
function repeatedCreate(existing: SecretRecord, input: CreateSecretRequest, value: NewValue | undefined): CreateSecretResponse {
  if (existing.deletedAt !== undefined) throw nameScheduledForDeletion();
  const version = existing.versions.find((v) => v.id === input.ClientRequestToken);
  if (version && value && sameValue(version, value)) return { ARN: existing.arn, Name: existing.name, VersionId: version.id };
  throw secretExists(existing.name);
}

export async function updateSecret(ctx: SecretsContext, input: UpdateSecretRequest): Promise<UpdateSecretResponse> {
  const { name } = await liveSecret(ctx, input.SecretId);
  const value = valueOf(input);
  const now = ctx.clock.now();
  let versionId: string | undefined;
  const updated = await ctx.state.update(name, (secret) => {
    if (secret.deletedAt !== undefined) throw markedForDeletion();
    let next: SecretRecord = { ...secret, description: input.Description ?? secret.description, kmsKeyId: input.KmsKeyId ?? secret.kmsKeyId, changedAt: now };
    if (value) {
      const added = addValue(next, value, input.ClientRequestToken, undefined, now);
      next = added.secret;
      versionId = added.version.id;
    }
    return next;
  });
  return { ARN: updated.arn, Name: updated.name, VersionId: versionId };
}

export async function describeSecret(ctx: SecretsContext, secretId: string): Promise<DescribeSecretResponse> {
  const secret = await existingSecret(ctx, secretId);
  const { SecretVersionsToStages, ...rest } = secretView(secret);
  return { ...rest, VersionIdsToStages: SecretVersionsToStages };
}

/** A secret as DescribeSecret and ListSecrets show it: members it does not have are left out (as recorded). */
export function secretView(secret: SecretRecord): Omit<DescribeSecretResponse, 'VersionIdsToStages'> & { SecretVersionsToStages?: Record<string, string[]> } {
  const staged = secret.versions.filter((v) => v.stages.length > 0);
  const rotation = secret.rotation;
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    RotationEnabled: rotation?.enabled,
    RotationLambdaARN: rotation?.lambdaArn,
    RotationRules: rotation?.rules,
    LastRotatedDate: rotation?.lastRotatedAt === undefined ? undefined : new Date(rotation.lastRotatedAt),
    LastChangedDate: new Date(secret.changedAt),
    LastAccessedDate: secret.accessedAt === undefined ? undefined : new Date(startOfDay(secret.accessedAt)),
    DeletedDate: secret.deletedAt === undefined ? undefined : new Date(secret.deletedAt),
    NextRotationDate: nextRotation(secret),
    Tags: secret.tags.length > 0 ? secret.tags : undefined,
    SecretVersionsToStages: staged.length > 0 ? Object.fromEntries(staged.map((v) => [v.id, sortedStages(v)])) : undefined,
    CreatedDate: new Date(secret.createdAt),
  };
}

/** AWS records the day a secret was last read, not the instant. */
function startOfDay(ms: number): number {
  return ms - (ms % DAY_MS);
}

/** For AutomaticallyAfterDays: that many days after the last rotation (or creation). Schedule expressions are not read. */
function nextRotation(secret: SecretRecord): Date | undefined {
  const days = secret.rotation?.enabled ? secret.rotation.rules?.AutomaticallyAfterDays : undefined;
  if (days === undefined) return undefined;
  return new Date((secret.rotation?.lastRotatedAt ?? secret.createdAt) + days * DAY_MS);
}

/**
 * Schedules the deletion after a recovery window (7 to 30 days, 30 by default), or deletes at once with
 * ForceDeleteWithoutRecovery (a secret already scheduled too, as recorded in test_force_delete_deleted_secret).
 */
export async function deleteSecret(ctx: SecretsContext, input: DeleteSecretRequest): Promise<DeleteSecretResponse> {
  if (input.ForceDeleteWithoutRecovery && input.RecoveryWindowInDays !== undefined) {
    // AWS's wording.
    throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  const days = input.RecoveryWindowInDays ?? 30;
  if (days < 7 || days > 30) throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  const secret = await existingSecret(ctx, input.SecretId);
  const now = ctx.clock.now();
  if (input.ForceDeleteWithoutRecovery) {
    await ctx.state.delete(secret.name);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(now) };
  }
  if (secret.deletedAt !== undefined) throw markedForDeletion();
  const deleted = await ctx.state.update(secret.name, (s) => ({ ...s, deletedAt: now, deletionDate: now + days * DAY_MS }));
  return { ARN: deleted.arn, Name: deleted.name, DeletionDate: new Date(deleted.deletionDate!) };
}

export async function restoreSecret(ctx: SecretsContext, secretId: string): Promise<RestoreSecretResponse> {
  const secret = await existingSecret(ctx, secretId);
  const restored = await ctx.state.update(secret.name, (s) => ({ ...s, deletedAt: undefined, deletionDate: undefined }));
  return { ARN: restored.arn, Name: restored.name };
}

export async function tagResource(ctx: SecretsContext, secretId: string, tags: Tag[]): Promise<void> {
  const { name } = await liveSecret(ctx, secretId);
  await ctx.state.update(name, (s) => ({ ...s, tags: mergeTags(s.tags, tags) }));
}

export async function untagResource(ctx: SecretsContext, secretId: string, keys: string[]): Promise<void> {
  const { name } = await liveSecret(ctx, secretId);
  await ctx.state.update(name, (s) => ({ ...s, tags: s.tags.filter((t) => !keys.includes(t.Key ?? '')) }));
}

function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(current.map((t) => [t.Key, t.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  // Flint's wording.
  if (merged.size > MAX_TAGS) throw secretsError('LimitExceededException', `A secret can have at most ${MAX_TAGS} tags.`);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** Whether a secret has a readable AWSCURRENT value (for flint.yaml's declared secrets). */
export function hasCurrentValue(secret: SecretRecord): boolean {
  return secret.versions.some((v) => v.stages.includes('AWSCURRENT') && hasValue(v));
}
