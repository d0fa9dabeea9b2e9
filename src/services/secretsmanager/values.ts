import { randomUUID } from 'node:crypto';
import type {
  GetSecretValueRequest,
  GetSecretValueResponse,
  ListSecretVersionIdsRequest,
  ListSecretVersionIdsResponse,
  PutSecretValueRequest,
  PutSecretValueResponse,
  SecretValueEntry,
  UpdateSecretVersionStageRequest,
  UpdateSecretVersionStageResponse,
} from './api.js';
import { invalidParameter, invalidRequest, markedForDeletion, noValueForStage, noValueForVersion, secretsError, tokenRequired } from './errors.js';
import { pageAt } from './paging.js';
import { moveStage, sortedStages, versionWithStage, withVersion } from './stages.js';
import { existingSecret, liveSecret, type SecretsContext } from './state.js';
import { CURRENT, hasValue, type SecretRecord, type VersionRecord } from './types.js';

/** A secret value from a request: a string or bytes (stored as base64). */
export interface NewValue {
  string?: string;
  binary?: string;
}

export function valueOf(input: { SecretString?: string; SecretBinary?: Uint8Array }): NewValue | undefined {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    // AWS's wording.
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (input.SecretString !== undefined) return { string: input.SecretString };
  if (input.SecretBinary !== undefined) return { binary: Buffer.from(input.SecretBinary).toString('base64') };
  return undefined;
}

export function sameValue(version: VersionRecord, value: NewValue): boolean {
  return version.string === value.string && version.binary === value.binary;
}

/**
 * Adds a value under the request's token (stages AWSCURRENT by default). The SDKs and CLIs fill the token in; a raw
 * request without one is refused as recorded. A token already used with the same value answers as before; with
 * another value it is refused; the placeholder version a rotation created gets its value.
 */
export function addValue(secret: SecretRecord, value: NewValue, token: string | undefined, stages: string[] | undefined, now: number): { secret: SecretRecord; version: VersionRecord } {
  if (token === undefined) throw tokenRequired();
  const existing = secret.versions.find((v) => v.id === token);
  if (existing && hasValue(existing)) {
    if (sameValue(existing, value)) return { secret, version: existing };
    // AWS's wording.
    throw secretsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
  }
  const wanted = stages ?? [CURRENT];
  const version: VersionRecord = { id: token, ...value, stages: [...new Set([...(existing?.stages ?? []), ...wanted])], createdAt: existing?.createdAt ?? now };
  return { secret: { ...secret, versions: withVersion(secret.versions, version), changedAt: now }, version };
}

export async function putSecretValue(ctx: SecretsContext, input: PutSecretValueRequest): Promise<PutSecretValueResponse> {
  const { name } = await liveSecret(ctx, input.SecretId);
  // A PutSecretValue without a value: AWS's wording.
  const value = valueOf(input) ?? invalidRequestFor('You must provide either SecretString or SecretBinary.');
  let version: VersionRecord | undefined;
  const updated = await ctx.state.update(name, (secret) => {
    if (secret.deletedAt !== undefined) throw markedForDeletion();
    const added = addValue(secret, value, input.ClientRequestToken, input.VersionStages, ctx.clock.now());
    version = added.version;
    return added.secret;
  });
  const written = updated.versions.find((v) => v.id === version!.id)!;
  return { ARN: updated.arn, Name: updated.name, VersionId: written.id, VersionStages: sortedStages(written) };
}

function invalidRequestFor(message: string): never {
  throw invalidRequest(message);
}

/** The version a VersionId and/or VersionStage (AWSCURRENT by default) names. */
export function pickVersion(secret: SecretRecord, versionId: string | undefined, stage: string | undefined): VersionRecord {
  if (versionId !== undefined) {
    const version = secret.versions.find((v) => v.id === versionId);
    if (!version || !hasValue(version)) throw noValueForVersion(versionId);
    // Recorded (test_get_secret_value_errors, mismatch_version_id_and_stage).
    if (stage !== undefined && !version.stages.includes(stage)) throw invalidRequest('You provided a VersionStage that is not associated to the provided VersionId.');
    return version;
  }
  const wanted = stage ?? CURRENT;
  const version = versionWithStage(secret.versions, wanted);
  if (!version || !hasValue(version)) throw noValueForStage(wanted);
  return version;
}

export async function getSecretValue(ctx: SecretsContext, input: GetSecretValueRequest): Promise<GetSecretValueResponse> {
  const secret = await liveSecret(ctx, input.SecretId);
  const version = pickVersion(secret, input.VersionId, input.VersionStage);
  await markRead(ctx, secret, version);
  return entryOf(secret, version);
}

export function entryOf(secret: SecretRecord, version: VersionRecord): SecretValueEntry {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.id,
    SecretString: version.string,
    SecretBinary: version.binary === undefined ? undefined : Buffer.from(version.binary, 'base64'),
    VersionStages: sortedStages(version),
    CreatedDate: new Date(version.createdAt),
  };
}

/** Records the day of the read (LastAccessedDate), once a day, so reads stay cheap. */
async function markRead(ctx: SecretsContext, secret: SecretRecord, version: VersionRecord): Promise<void> {
  const now = ctx.clock.now();
  const day = now - (now % 86_400_000);
  if ((secret.accessedAt ?? -1) >= day && (version.accessedAt ?? -1) >= day) return;
  await ctx.state.update(secret.name, (s) => ({ ...s, accessedAt: now, versions: s.versions.map((v) => (v.id === version.id ? { ...v, accessedAt: now } : v)) }));
}

/** The versions with stages (every version with IncludeDeprecated), oldest first, as recorded. */
export async function listVersionIds(ctx: SecretsContext, input: ListSecretVersionIdsRequest): Promise<ListSecretVersionIdsResponse> {
  const secret = await existingSecret(ctx, input.SecretId);
  const listed = secret.versions.filter((v) => input.IncludeDeprecated || v.stages.length > 0);
  const { items, nextToken } = pageAt(listed, input.NextToken, input.MaxResults ?? 100);
  return {
    ARN: secret.arn,
    Name: secret.name,
    NextToken: nextToken,
    Versions: items.map((v) => ({
      VersionId: v.id,
      VersionStages: v.stages.length > 0 ? sortedStages(v) : undefined,
      CreatedDate: new Date(v.createdAt),
      LastAccessedDate: v.accessedAt === undefined ? undefined : new Date(v.accessedAt - (v.accessedAt % 86_400_000)),
      // As recorded for secrets under the account's default key.
      KmsKeyIds: [secret.kmsKeyId ?? 'DefaultEncryptionKey'],
    })),
  };
}

export async function updateVersionStage(ctx: SecretsContext, input: UpdateSecretVersionStageRequest): Promise<UpdateSecretVersionStageResponse> {
  const { name } = await liveSecret(ctx, input.SecretId);
  const updated = await ctx.state.update(name, (secret) => ({
    ...secret,
    versions: moveStage(secret.versions, input.VersionStage, input.RemoveFromVersionId, input.MoveToVersionId),
    changedAt: ctx.clock.now(),
  }));
  return { ARN: updated.arn, Name: updated.name };
}

/** A token for writes that Flint makes itself (flint.yaml's secrets), as the SDKs make one. */
export function newToken(): string {
  return randomUUID();
}
