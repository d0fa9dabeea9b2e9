/**
 * AWS Secrets Manager's json 1.1 API (2017-10-17, X-Amz-Target `secretsmanager.*`, SigV4 scope "secretsmanager"), so
 * the AWS SDK v3 SecretsManagerClient, the AWS CLI (`aws secretsmanager ...`) and boto3 work against Flint unchanged,
 * with rotation functions called as Secrets Manager calls them.
 *
 * Fidelity.
 * - Matches AWS (LocalStack's recordings of AWS in tests/aws/services/secretsmanager/test_secretsmanager.snapshot.json
 *   where they show it): CreateSecret (SecretString or SecretBinary, ClientRequestToken idempotency, Tags,
 *   Description, KmsKeyId; a name in use, or scheduled for deletion, refused as recorded), GetSecretValue (VersionId,
 *   VersionStage: AWSCURRENT by default, AWSPREVIOUS, AWSPENDING, custom stages), BatchGetSecretValue, PutSecretValue
 *   and UpdateSecret (a new version takes AWSCURRENT; the old one becomes AWSPREVIOUS and loses AWSPENDING; a stage is
 *   on one version at a time; a token reused with another value is refused), UpdateSecretVersionStage (RemoveFromVersionId
 *   required when the stage is elsewhere), DescribeSecret (members a secret lacks are left out, as recorded),
 *   ListSecrets (filters by name, description, tag-key, tag-value, all, as prefixes, "!" negating; IncludePlannedDeletion;
 *   paging), ListSecretVersionIds (IncludeDeprecated), DeleteSecret (RecoveryWindowInDays 7 to 30, 30 by default,
 *   ForceDeleteWithoutRecovery; a scheduled secret refuses other operations until RestoreSecret, and is gone after its
 *   window on the node's clock), TagResource/UntagResource, GetRandomPassword (AWS's character types and options),
 *   RotateSecret/CancelRotateSecret. Secrets are named by name, full ARN
 *   (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`) or partial ARN (without the
 *   suffix). Rotation: RotateSecret creates the new version (VersionId = ClientRequestToken) with AWSPENDING and answers;
 *   then the rotation function is invoked (RequestResponse, through the node's FunctionCalls) with
 *   `{ Step, SecretId: <ARN>, ClientRequestToken, RotationToken }` for createSecret, setSecret, testSecret and
 *   finishSecret; after a rotation whose finishSecret moved AWSCURRENT, AWSPENDING comes off the new version and
 *   LastRotatedDate is set, as recorded. A missing rotation function is AccessDeniedException, as recorded.
 *   Raw requests without a ClientRequestToken are refused as recorded (the SDKs and CLIs fill one in).
 * - Differs by design: values are stored in plain in the node's metadata store (no KMS: KmsKeyId is recorded, not
 *   used; ListSecretVersionIds shows KmsKeyIds ["DefaultEncryptionKey"] as AWS does for the default key); one region and
 *   account (the node's); rotation functions are not checked for a resource policy granting secretsmanager.amazonaws.com.
 *   Secrets persist across restarts; a rotation in flight when the node stops is not resumed (the version stays
 *   AWSPENDING, as after a failed rotation on AWS).
 * - Missing: scheduled rotation (RotationRules are stored and NextRotationDate shown for AutomaticallyAfterDays; no
 *   rotation runs on a schedule), resource policies (Get/Put/Delete/ValidateResourcePolicy), replication to other
 *   regions, managed external secrets, primary-region and owning-service filters (they match nothing).
 * - Guessed (no recording at hand; Flint's or AWS's documented wording): RecoveryWindowInDays out of range, both
 *   values given, a rotation already running, stage moves that name the wrong version, removing AWSCURRENT, too many
 *   tags, GetRandomPassword with every type excluded, invalid NextToken; ListSecrets' default order (newest first).
 */
import type { Clock, Logger, Service, ServiceRequest, ServiceResponse } from '../../core/index.js';
import { defineService, type AwsService } from '../../protocol/index.js';
import type { MetadataStore } from '../../storage/index.js';
import type { Operations } from './api.js';
import { SECRETS_MODEL, wording } from './errors.js';
import { HANDLERS } from './operations.js';
import { randomPassword } from './passwords.js';
import { RotationRunner, type RotationFunctions } from './rotation.js';
import { createSecret, describeSecret, hasCurrentValue, updateSecret } from './secrets.js';
import { findSecret, SecretState, type SecretsContext } from './state.js';
import { newToken } from './values.js';

export interface SecretsManagerOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  functions: RotationFunctions;
}

/** A secret an app declares (flint.yaml `resources.secrets`): a value, or a generated password. */
export interface DeclaredSecret {
  name: string;
  value?: string;
  generate?: boolean;
  description?: string;
}

export class SecretsManagerService implements Service {
  private readonly ctx: SecretsContext;
  private readonly rotations: RotationRunner;
  private readonly api: AwsService<Operations, SecretsContext>;

  constructor(metadata: MetadataStore, options: SecretsManagerOptions) {
    const logger = options.logger.child('secretsmanager');
    const state = new SecretState(metadata);
    this.rotations = new RotationRunner(state, options.functions, () => options.clock.now(), logger);
    this.ctx = { region: options.region, accountId: options.accountId, clock: options.clock, logger, state, rotations: this.rotations };
    this.api = defineService<Operations, SecretsContext>({
      name: 'secretsmanager',
      model: SECRETS_MODEL,
      handlers: HANDLERS,
      context: () => this.ctx,
      wording: wording(),
      logger,
    });
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    return this.api.handle(request);
  }

  /**
   * A secret's AWSCURRENT value for Parameter Store's `/aws/reference/secretsmanager/` names, with DescribeSecret's
   * answer as JSON (dates in epoch seconds, as the JSON protocol writes them); undefined when there is none to read.
   */
  async current(secretId: string): Promise<{ arn: string; value: string; description: string; createdAt: number } | undefined> {
    const secret = await findSecret(this.ctx, secretId);
    const version = secret?.versions.find((v) => v.stages.includes('AWSCURRENT'));
    if (!secret || secret.deletedAt !== undefined || !version) return undefined;
    const value = version.string ?? version.binary;
    if (value === undefined) return undefined;
    const described = JSON.stringify(await describeSecret(this.ctx, secret.name), (_key, v: unknown) => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) / 1000 : v));
    return { arn: secret.arn, value, description: described, createdAt: version.createdAt };
  }

  /** Waits for rotations in flight. */
  close(): Promise<void> {
    return this.rotations.close();
  }

  /**
   * Creates a declared secret with its value (or a generated 32-character password). An existing secret gets a new
   * AWSCURRENT version only when its declaration in flint.yaml (value, description) changed since the deploy that
   * last wrote it, so values the app, a rotation or a person wrote since stay; a generated secret is never
   * regenerated, and a secret scheduled for deletion is left alone. Returns what was done.
   */
  async ensure(declared: DeclaredSecret): Promise<'created' | 'updated' | undefined> {
    const declaration = JSON.stringify([declared.value ?? null, declared.generate ?? false, declared.description ?? null]);
    const existing = await findSecret(this.ctx, declared.name);
    if (!existing) {
      const value = declared.value ?? (declared.generate ? randomPassword({}).RandomPassword : undefined);
      await createSecret(this.ctx, { Name: declared.name, Description: declared.description, SecretString: value, ClientRequestToken: newToken() });
      await this.ctx.state.recordDeclared(declared.name, declaration);
      return 'created';
    }
    if (existing.deletedAt !== undefined || (await this.ctx.state.declared(declared.name)) === declaration) return undefined;
    await this.ctx.state.recordDeclared(declared.name, declaration);
    const current = existing.versions.find((v) => v.stages.includes('AWSCURRENT'));
    const sameValue = declared.value === undefined || (hasCurrentValue(existing) && current?.string === declared.value);
    if (sameValue && (declared.description ?? existing.description) === existing.description) return undefined;
    await updateSecret(this.ctx, { SecretId: existing.name, SecretString: sameValue ? undefined : declared.value, Description: declared.description, ClientRequestToken: newToken() });
    return 'updated';
  }
}
