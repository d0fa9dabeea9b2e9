import { isFlintError, type Clock, type Logger } from '../../core/index.js';
import { updateDocument, type MetadataStore } from '../../storage/index.js';
import { markedForDeletion, secretNotFound } from './errors.js';
import type { SecretRecord } from './types.js';

/** Secrets as documents of the metadata store, keyed by name. */
const SECRETS = 'secretsmanager-secrets';
/** What flint.yaml last declared of a secret, so a deploy writes a version only when the declaration changed. */
const DECLARED = 'secretsmanager-declared';

export class SecretState {
  constructor(private readonly metadata: MetadataStore) {}

  async get(name: string): Promise<SecretRecord | undefined> {
    return (await this.metadata.get<SecretRecord>(SECRETS, name))?.value;
  }

  async list(): Promise<SecretRecord[]> {
    return (await this.metadata.list<SecretRecord>(SECRETS)).map((doc) => doc.value);
  }

  /** Stores a new secret; false when one of that name exists. */
  async create(secret: SecretRecord): Promise<boolean> {
    try {
      await this.metadata.put(SECRETS, secret.name, secret, { ifRevision: 0 });
      return true;
    } catch (error) {
      if (isFlintError(error, 'PRECONDITION_FAILED')) return false;
      throw error;
    }
  }

  /** Reads, changes and writes one existing secret with compare-and-set; `change` may throw to refuse. */
  update(name: string, change: (secret: SecretRecord) => SecretRecord): Promise<SecretRecord> {
    return updateDocument<SecretRecord>(this.metadata, SECRETS, name, (current) => {
      if (!current) throw secretNotFound();
      return change(current);
    });
  }

  async declared(name: string): Promise<string | undefined> {
    return (await this.metadata.get<string>(DECLARED, name))?.value;
  }

  async recordDeclared(name: string, declaration: string): Promise<void> {
    await this.metadata.put(DECLARED, name, declaration);
  }

  delete(name: string): Promise<boolean> {
    return this.metadata.delete(SECRETS, name);
  }
}

/** Runs a secret's rotation function for the four steps; the service's rotation runner. */
export interface Rotations {
  /** Whether the function exists and can be invoked. */
  canInvoke(functionArn: string): Promise<boolean>;
  /** Starts the four steps in the background (answered before they run, as AWS does). */
  start(secretName: string, token: string): void;
  /** Whether a rotation of the secret is running. */
  running(secretName: string): boolean;
}

/** What every Secrets Manager operation works with. */
export interface SecretsContext {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  state: SecretState;
  rotations: Rotations;
}

function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function arnPrefix(ctx: Pick<SecretsContext, 'region' | 'accountId'>): string {
  return `arn:${partition(ctx.region)}:secretsmanager:${ctx.region}:${ctx.accountId}:secret:`;
}

/**
 * The secret a SecretId names: its name, its full ARN (name, "-" and six random characters) or a partial ARN
 * (without the suffix). A secret whose recovery window has passed is gone (removed on the way).
 */
export async function findSecret(ctx: SecretsContext, secretId: string): Promise<SecretRecord | undefined> {
  const prefix = arnPrefix(ctx);
  const candidates = secretId.startsWith(prefix) ? [secretId.slice(prefix.length, -7), secretId.slice(prefix.length)] : secretId.startsWith('arn:') ? [] : [secretId];
  for (const name of candidates) {
    const secret = name ? await ctx.state.get(name) : undefined;
    if (!secret) continue;
    if (secretId.startsWith('arn:') && secretId !== secret.arn && secretId !== `${prefix}${secret.name}`) continue;
    if (secret.deletionDate !== undefined && secret.deletionDate <= ctx.clock.now()) {
      await ctx.state.delete(secret.name);
      return undefined;
    }
    return secret;
  }
  return undefined;
}

export async function existingSecret(ctx: SecretsContext, secretId: string): Promise<SecretRecord> {
  const secret = await findSecret(ctx, secretId);
  if (!secret) throw secretNotFound();
  return secret;
}

/** A secret that is not scheduled for deletion (most operations refuse one that is). */
export async function liveSecret(ctx: SecretsContext, secretId: string): Promise<SecretRecord> {
  const secret = await existingSecret(ctx, secretId);
  if (secret.deletedAt !== undefined) throw markedForDeletion();
  return secret;
}
