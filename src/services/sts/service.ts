/**
 * STS's query/XML API (2011-06-15): who the caller is and temporary credentials, so `aws sts get-caller-identity`
 * (the first call of most scripts, Terraform, CDK and SAM) and role assumption work against Flint unchanged.
 *
 * Fidelity.
 * - Matches AWS: GetCallerIdentity (account, ARN and user id of the key: the root for any key Flint did not issue,
 *   the IAM user for a key from CreateAccessKey, the assumed role, federated user or user session for temporary
 *   keys), GetAccessKeyInfo, AssumeRole (RoleArn checks as STS words them, DurationSeconds up to the role's
 *   MaxSessionDuration and one hour for role chaining, session tags with STS's checks on duplicate, transitive and
 *   inherited keys, SourceIdentity), AssumeRoleWithWebIdentity (sent unsigned; the token must be a JWT that has not
 *   expired; sub, aud and iss are answered back), GetSessionToken and GetFederationToken (12 hours by default, one
 *   hour for the root, refused with session credentials). Temporary credentials have ASIA… key ids that carry the
 *   account, a secret and a session token, and expire as AWS states; used for the next call they answer as their
 *   session, and after expiry as ExpiredToken. Errors as STS sends them (`<ErrorResponse><Error><Type>Sender</Type>
 *   <Code>ValidationError</Code>…`), messages from LocalStack's AWS recordings where there is one (errors.ts,
 *   sessions.ts).
 * - Session policies (Policy, PolicyArns) are kept with the session and limit it when the node enforces IAM
 *   policies (platform/authz/). Not evaluated: trust policies and the caller's sts:AssumeRole permission: any
 *   caller may assume any role of the account that exists; a role that does not exist is AccessDenied. Session
 *   policies are checked as JSON only (not by IAM's grammar). Web identity tokens are not verified against a provider's keys. The root
 *   may assume roles (AWS refuses its credentials), since in local mode every unknown key is the root.
 *   PackedPolicySize approximates STS's packing. In local mode only STS answers ExpiredToken (the other services accept
 *   any credentials); in server mode the gateway refuses expired sessions for every API.
 * - Missing: AssumeRoleWithSAML, AssumeRoot, DecodeAuthorizationMessage, GetDelegatedAccessToken,
 *   GetWebIdentityToken, MFA (SerialNumber/TokenCode are accepted and ignored); they answer InvalidAction.
 * - Differs by design: a role of another account is found in that account's IAM when its callers made it there
 *   (platform/accounts.ts); one that was never made there is taken as it is named (its credentials answer in that
 *   account), so a test can pick an account by assuming any role in it. Regional and global endpoints are the node's one.
 */
import type { Clock, Logger, Service, ServiceRequest, ServiceResponse } from '../../core/index.js';
import { defineService, type AwsService } from '../../protocol/index.js';
import type { Identity } from '../iam/index.js';
import type { Operations } from './api.js';
import type { RoleDirectory, StsCall, StsContext } from './context.js';
import { STS_MODEL } from './errors.js';
import { HANDLERS } from './operations.js';

export interface StsServiceOptions {
  region: string;
  clock: Clock;
  logger: Logger;
}

export class StsService implements Service {
  private readonly api: AwsService<Operations, StsCall>;

  constructor(identity: Identity, roles: RoleDirectory, options: StsServiceOptions) {
    const ctx: StsContext = { identity, roles, clock: options.clock, region: options.region };
    this.api = defineService<Operations, StsCall>({
      name: 'sts',
      model: STS_MODEL,
      handlers: HANDLERS,
      context: ({ request }) => ({ sts: ctx, request }),
      logger: options.logger.child('sts'),
    });
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    return this.api.handle(request);
  }
}
