/**
 * IAM's query/XML API (2010-05-08), so the AWS SDK v3 IAMClient, the AWS CLI, boto3 and the deploy tools that
 * create a function's execution role (SAM, CDK, Serverless, Terraform) work against Flint unchanged.
 *
 * Fidelity.
 * - Matches AWS: roles (Create/Get/List/Update/UpdateRoleDescription/UpdateAssumeRolePolicy/Delete, paths,
 *   MaxSessionDuration 3,600–43,200, tags, permissions boundaries), users (Create/Get/List/Update incl. rename/
 *   Delete, paths, tags, boundaries), access keys (Create/List/Update status/Delete, two per user,
 *   GetAccessKeyLastUsed), groups and membership, customer managed policies with versions (CreatePolicy, GetPolicy,
 *   ListPolicies with Scope/OnlyAttached/PathPrefix/PolicyUsageFilter, Create/Get/List/Delete/SetDefault
 *   PolicyVersion with at most five versions, DeletePolicy, tags, ListEntitiesForPolicy), inline policies
 *   (Put/Get/List/Delete Role/User/GroupPolicy), Attach/Detach/ListAttached Role/User/GroupPolicies, instance
 *   profiles, and the AWS managed policies templates attach (aws-managed.ts). Answers leave out what IAM leaves out
 *   per operation (render.ts); policy documents come back percent-encoded as IAM sends them; times are written to
 *   the second. Lists page with Marker/IsTruncated/MaxItems. Names are unique without regard to case. Without
 *   UserName, GetUser and the access key operations act on the calling IAM user (identity.ts); GetUser answers the
 *   root for the root, the others want a UserName from any caller that is not an IAM user. Errors are
 *   IAM's (`<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code>…`, codes and statuses from the
 *   model): NoSuchEntity, EntityAlreadyExists, DeleteConflict, LimitExceeded (IAM's default quotas: 2 keys per
 *   user, 10 managed policies per principal, 5 versions, inline and managed policy sizes), MalformedPolicyDocument,
 *   InvalidInput, and the model's constraints as ValidationError in AWS's validator's words. Messages recorded
 *   from AWS are cited where they are written (errors.ts); the others are IAM's as documented or widely quoted.
 * - Policies are stored and validated as JSON and by IAM's grammar (policy-document.ts), and evaluated by AWS's
 *   logic (evaluate/): identity-based policies of users (with their groups') and roles, permissions boundaries,
 *   resource-based policies, explicit deny, wildcards, policy variables and the condition operators. The node
 *   enforces them when started with authorization on (`flint up --enforce-iam`, always in server mode); the policy
 *   simulator (SimulatePrincipalPolicy, SimulateCustomPolicy) answers from the same evaluator. The messages of the less common grammar
 *   mistakes (an invalid Effect, a malformed Principal) are Flint's best knowledge of IAM's.
 * - Missing: login profiles and passwords, MFA devices, SSH keys, signing and server certificates, service-specific
 *   credentials, SAML and OpenID Connect providers, service-linked roles, account aliases and password policy,
 *   credential reports, access advisor, GetAccountAuthorizationDetails, service control policies, organizations features
 *   (unknown actions answer InvalidAction). AWS managed policies are a fixed set of about thirty, abridged where
 *   AWS's are long, with Flint's ids and dates; they have one version.
 * - Accounts: each account has its own users, roles, groups, policies and instance profiles (names unique per
 *   account, ARNs naming it), reached by a caller of that account (`forAccount`, platform/accounts.ts); AWS managed
 *   policies are every account's. Access keys and STS sessions are one directory for all accounts, so a key names
 *   its account wherever it is used. Nothing crosses accounts: a trust policy naming another account is stored, not
 *   evaluated.
 * - Differs by design: every account's IAM lives in the node's database (store.ts). The root's GetUser has the epoch as its
 *   creation date. Changes are visible at once (IAM is eventually consistent).
 */
import type { Clock, Logger, Service, ServiceRequest, ServiceResponse } from '../../core/index.js';
import { defineService, type AwsService, type Handlers } from '../../protocol/index.js';
import type { MetadataStore } from '../../storage/index.js';
import type { Operations } from './api.js';
import { awsManagedPolicies } from './aws-managed.js';
import type { IamCall, IamContext } from './context.js';
import { IAM_MODEL, IAM_WORDING } from './errors.js';
import { Identity, type Caller } from './identity.js';
import { callerPolicies } from './caller-policies.js';
import type { PolicySet } from './evaluate/index.js';
import { partitionOf } from './ids.js';
import { GROUP_HANDLERS } from './ops-groups.js';
import { INSTANCE_PROFILE_HANDLERS } from './ops-instance-profiles.js';
import { POLICY_HANDLERS } from './ops-policies.js';
import { PRINCIPAL_POLICY_HANDLERS } from './ops-principal-policies.js';
import { ROLE_HANDLERS } from './ops-roles.js';
import { SIMULATE_HANDLERS } from './ops-simulate.js';
import { USER_HANDLERS } from './ops-users.js';
import { IamStore } from './store.js';
import { deleteFunctionRole, putFunctionRole, type FunctionRoleInput } from './function-roles.js';

export interface IamServiceOptions {
  accountId: string;
  region: string;
  clock: Clock;
  logger: Logger;
}

/** What STS needs to know of a role it is asked to assume. */
export interface RoleInfo {
  name: string;
  id: string;
  arn: string;
  maxSessionDuration: number;
}

const HANDLERS: Handlers<Operations, IamCall> = {
  ...ROLE_HANDLERS,
  ...USER_HANDLERS,
  ...GROUP_HANDLERS,
  ...POLICY_HANDLERS,
  ...PRINCIPAL_POLICY_HANDLERS,
  ...INSTANCE_PROFILE_HANDLERS,
  ...SIMULATE_HANDLERS,
};

export class IamService implements Service {
  /** Who an access key is: read by STS (GetCallerIdentity) and by IAM (a caller's own user). */
  readonly identity: Identity;
  private readonly ctx: IamContext;
  private readonly api: AwsService<Operations, IamCall>;
  /** Other accounts' IAM: their entities, the same directory of keys and sessions (store.ts). */
  private readonly accounts = new Map<string, { ctx: IamContext; api: AwsService<Operations, IamCall> }>();

  constructor(metadata: MetadataStore, private readonly options: IamServiceOptions) {
    const store = new IamStore(metadata);
    const partition = partitionOf(options.region);
    this.identity = new Identity(store, { accountId: options.accountId, partition, clock: options.clock });
    this.ctx = { store, identity: this.identity, accountId: options.accountId, partition, clock: options.clock, managed: awsManagedPolicies(partition) };
    this.api = this.define(this.ctx);
  }

  /** The node's account's IAM. */
  handle(request: ServiceRequest): Promise<ServiceResponse> {
    return this.api.handle(request);
  }

  /** IAM as `accountId` sees it: its users, roles, groups, policies and instance profiles, its ARNs. */
  forAccount(accountId: string): Service {
    return accountId === this.options.accountId ? this.api : this.account(accountId).api;
  }

  /** The state of an account's IAM (its store holds that account's entities), for lookups such as a principal's policies. */
  contextOf(accountId: string): IamContext {
    return accountId === this.options.accountId ? this.ctx : this.account(accountId).ctx;
  }

  private account(accountId: string): { ctx: IamContext; api: AwsService<Operations, IamCall> } {
    let account = this.accounts.get(accountId);
    if (!account) {
      const ctx: IamContext = { ...this.ctx, store: this.ctx.store.forAccount(accountId), accountId };
      account = { ctx, api: this.define(ctx) };
      this.accounts.set(accountId, account);
    }
    return account;
  }

  private define(ctx: IamContext): AwsService<Operations, IamCall> {
    return defineService<Operations, IamCall>({
      name: 'iam',
      model: IAM_MODEL,
      handlers: HANDLERS,
      context: ({ request }) => ({ iam: ctx, request }),
      wording: IAM_WORDING,
      logger: this.options.logger.child('iam'),
    });
  }

  /** Forgets temporary credentials that expired long ago. */
  async start(): Promise<void> {
    await this.identity.purgeExpired();
  }

  /** The role an ARN names, in the account the ARN names; undefined for a role that is not there. */
  async role(arn: string): Promise<RoleInfo | undefined> {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    const role = await this.storeOfArn(arn)?.get('roles', name);
    if (!role || role.arn.toLowerCase() !== arn.toLowerCase()) return undefined;
    return { name: role.name, id: role.id, arn: role.arn, maxSessionDuration: role.maxSessionDuration };
  }

  /** The execution role deploy makes for a function with policies (function-roles.ts). */
  putFunctionRole(input: FunctionRoleInput): Promise<{ arn: string; warnings: string[] }> {
    return putFunctionRole(this.ctx, input);
  }

  deleteFunctionRole(name: string): Promise<void> {
    return deleteFunctionRole(this.ctx, name);
  }

  /**
   * The identity-based policies, permissions boundary and session policies that bear on a caller's requests, for
   * enforcement (evaluate/); undefined for callers that are always allowed (the account's root) or that IAM here
   * does not hold policies for (principals of other accounts).
   */
  policiesOf(caller: Caller): Promise<Omit<PolicySet, 'resource'> | undefined> {
    return callerPolicies(this.ctx, caller);
  }

  /** Records that a role was assumed (GetRole's RoleLastUsed). */
  async roleUsed(arn: string, region: string): Promise<void> {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    await this.storeOfArn(arn)?.update('roles', name, (role) => ({ ...role, lastUsed: { date: this.ctx.clock.now(), region } }));
  }

  /** The store of the account an IAM ARN names (arn:aws:iam::ACCT:…); undefined for an ARN that names none. */
  private storeOfArn(arn: string): IamStore | undefined {
    const account = arn.split(':')[4] ?? '';
    return account === this.options.accountId || /^\d{12}$/.test(account) ? this.contextOf(account).store : undefined;
  }
}
