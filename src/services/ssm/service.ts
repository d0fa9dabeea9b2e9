/**
 * SSM Parameter Store: the Parameter Store operations of SSM's json 1.1 API (2014-11-06, X-Amz-Target `AmazonSSM.*`,
 * SigV4 scope "ssm"), so the AWS SDK v3 SSMClient, the AWS CLI (`aws ssm ...`) and boto3 work against Flint unchanged,
 * and Lambda functions read their configuration from it as on AWS.
 *
 * Fidelity.
 * - Matches AWS: PutParameter (String, StringList, SecureString with KeyId alias/aws/ssm by default; Overwrite makes a
 *   new version and keeps the description, pattern, type and key not given again; Standard, Advanced and
 *   Intelligent-Tiering tiers with their 4 KB and 8 KB value limits and no downgrade; AllowedPattern; DataType text,
 *   aws:ec2:image (the AMI id's format only) and aws:ssm:integration; Tags, refused with Overwrite; 100 versions, the
 *   oldest dropped, ParameterMaxVersionLimitExceeded when it carries a label), GetParameter and GetParameters (names,
 *   ARNs, `name:version` and `name:label` selectors; InvalidParameters), GetParametersByPath (Recursive,
 *   ParameterFilters, 10 a page), DescribeParameters (Filters or ParameterFilters: Name, Type, KeyId, Path, Tier,
 *   Label, DataType, tag:<key>; paging), GetParameterHistory, DeleteParameter(s), LabelParameterVersion (labels move
 *   between versions, 10 per version, invalid labels reported) and UnlabelParameterVersion, tags on parameters. ARNs
 *   are `arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>` (LocalStack's recordings of AWS in
 *   tests/aws/services/ssm/test_ssm.snapshot.json). Names with and without a leading "/" are different parameters, as
 *   on AWS. Without WithDecryption a SecureString's value comes back as a base64 ciphertext-looking blob, as AWS's
 *   does; with it, the value. Requests are checked against the model's constraints in AWS's validator wording.
 * - Wording: name errors as LocalStack's recordings show ("... sub-paths divided by slash symbol ..."); ParameterNotFound
 *   without a message, ParameterAlreadyExists, tags with Overwrite, tier limits and the version-limit message as AWS
 *   words them. Flint's own wording (no recording at hand): unsupported data types, an aws:ec2:image value that is not
 *   an AMI id, invalid filter keys, options and values, too many tags, the hierarchy-depth message, the 8 KB
 *   advanced-tier message, InvalidResourceType; DescribeParameters' page size when MaxResults is absent (10).
 * - Differs by design: values are stored in plain in the node's metadata store (SecureString is not encrypted; there is
 *   no KMS, and KeyId is recorded, not checked); one region and account (the node's); LastModifiedUser is the
 *   account's root. Parameters persist across restarts.
 * - Missing: the rest of SSM (documents, Run Command, sessions, maintenance windows: UnknownOperationException);
 *   parameter policies (Expiration, notifications; Policies is accepted by the model and ignored), shared parameters,
 *   public parameters under /aws/service/, version or label selectors on secret references, change notifications
 *   to EventBridge, throughput limits (ThrottlingException is never sent).
 * - Secrets Manager references: GetParameter(s) of `/aws/reference/secretsmanager/<secret>` with WithDecryption
 *   answer the secret's AWSCURRENT value as a SecureString with its ARN and DescribeSecret's answer in SourceResult
 *   (LocalStack's recordings: test_get_secret_parameter, test_get_inexistent_secret); without WithDecryption,
 *   AWS's ValidationException.
 */
import type { Clock, Logger, Service, ServiceRequest, ServiceResponse } from '../../core/index.js';
import { defineService, type AwsService } from '../../protocol/index.js';
import type { MetadataStore } from '../../storage/index.js';
import type { Operations } from './api.js';
import { SSM_MODEL, wording } from './errors.js';
import { HANDLERS } from './operations.js';
import { putParameter } from './parameters.js';
import { ParameterState, type SsmContext } from './state.js';
import { latest, type ParameterType, type SecretReferences } from './types.js';

export interface SsmServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  /** Secrets Manager, for `/aws/reference/secretsmanager/<secret>` names. */
  secrets?: SecretReferences;
}

/** A parameter an app declares (flint.yaml `resources.parameters`). */
export interface DeclaredParameter {
  name: string;
  type: ParameterType;
  value: string;
  description?: string;
}

export class SsmService implements Service {
  private readonly ctx: SsmContext;
  private readonly api: AwsService<Operations, SsmContext>;

  constructor(metadata: MetadataStore, options: SsmServiceOptions) {
    this.ctx = { region: options.region, accountId: options.accountId, clock: options.clock, state: new ParameterState(metadata), secrets: options.secrets };
    this.api = defineService<Operations, SsmContext>({
      name: 'ssm',
      model: SSM_MODEL,
      handlers: HANDLERS,
      context: () => this.ctx,
      wording: wording(),
      logger: options.logger.child('ssm'),
    });
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    return this.api.handle(request);
  }

  /**
   * Creates a declared parameter, or writes a new version when its declaration in flint.yaml (type, value,
   * description) changed since the deploy that last wrote it; an unchanged declaration writes nothing, so versions the
   * app or a person wrote since stay. Returns what was done.
   */
  async ensure(declared: DeclaredParameter): Promise<'created' | 'updated' | undefined> {
    const declaration = JSON.stringify([declared.type, declared.value, declared.description ?? null]);
    const current = await this.ctx.state.get(declared.name);
    if (current && (await this.ctx.state.declared(declared.name)) === declaration) return undefined;
    const unchanged = current && latest(current).type === declared.type && latest(current).value === declared.value && (declared.description ?? latest(current).description) === latest(current).description;
    if (!unchanged) await putParameter(this.ctx, { Name: declared.name, Type: declared.type, Value: declared.value, Description: declared.description, Overwrite: current !== undefined });
    await this.ctx.state.recordDeclared(declared.name, declaration);
    if (unchanged) return undefined;
    return current ? 'updated' : 'created';
  }
}
