import type { Clock, Service, ServiceRequest } from '../../core/index.js';
import type { Caller, ContextValues, IamService, RequestPrincipal } from '../../services/iam/index.js';
import { denialMessage, evaluate, parsePolicy } from '../../services/iam/index.js';
import { accessDenied, actionText, resourceText } from './denials.js';
import type { ResourcePolicies } from './resource-policies.js';
import { targetsOf, type Scope, type Target } from './targets.js';

/**
 * Whether the node evaluates IAM policies on every AWS API request: 'off' (the default in local mode, as emulators
 * do: any credentials may do anything) or 'enforce' (`flint up --enforce-iam`, and always in server mode).
 */
export type AuthorizationMode = 'off' | 'enforce';

/** Services whose requests are not authorized here: STS answers who a caller is and checks role assumption itself. */
const EXEMPT: ReadonlySet<string> = new Set(['sts']);

export interface AuthorizationParts {
  iam: IamService;
  scope: Scope;
  resources: ResourcePolicies;
  clock: Clock;
}

/**
 * IAM policy enforcement at the seam between the gateway and the services: each service's requests get an
 * `authorize` hook that the protocol layer calls once it knows the operation and its input. The hook maps the
 * operation to its IAM action and resource ARN (targets.ts), finds who signed the request (IAM's identity), gathers
 * the caller's identity-based policies, permissions boundary and the resource's policy, and evaluates them with IAM's
 * evaluator; a denial is the service's AccessDenied error, worded as AWS words it.
 *
 * Always allowed: the account's root (any key Flint did not issue, the node's default local credentials, a
 * 12-digit key of the node's account), unsigned requests (S3 decides those itself: bucket policies, ACLs), and
 * principals of other accounts, whose identity policies Flint does not hold: they reach their own account's
 * resources, and S3 grants them only what bucket policies and ACLs allow.
 */
export class Authorization {
  constructor(private readonly parts: AuthorizationParts) {}

  /** The services, each behind the check; STS as it is. */
  wrapAll(services: Record<string, Service>): Record<string, Service> {
    return Object.fromEntries(Object.entries(services).map(([name, service]) => [name, EXEMPT.has(name) ? service : this.wrap(name, service)]));
  }

  private wrap(name: string, service: Service): Service {
    return {
      handle: (request: ServiceRequest) => {
        if (request.credential) request.authorize = (operation, input) => this.check(name, operation, input, request);
        return service.handle(request);
      },
    };
  }

  private async check(service: string, operation: string, input: Readonly<Record<string, unknown>>, request: ServiceRequest): Promise<void> {
    const { iam, scope } = this.parts;
    const key = request.credential?.accessKeyId;
    const answer = await iam.identity.whoIs(key, sessionTokenOf(request));
    // Credentials STS no longer honours are the services' own business (h-auth's verification refuses them first).
    if ('refused' in answer) return;
    const caller = answer.caller;
    const policies = await iam.policiesOf(caller);
    if (!policies) return;
    const principal = principalOf(caller);
    const context = contextOf(request, caller, principal, service, this.parts.clock.now());
    for (const target of targetsOf(service, operation, input, scope)) {
      const document = target.resource === '*' ? undefined : await this.parts.resources.policyOf(service, target.resource);
      const resource = document === undefined ? undefined : { source: { kind: 'resource' as const, id: target.resource, type: 'resource' }, policy: parsePolicy(document) };
      const evaluation = evaluate({ principal, action: target.action, resource: target.resource, resourceAccount: scope.accountId, context }, { ...policies, ...(resource ? { resource } : {}) });
      if (evaluation.decision !== 'allowed') throw denial(service, caller, target, evaluation);
    }
  }
}

function denial(service: string, caller: Caller, target: Target, evaluation: ReturnType<typeof evaluate>): Error {
  const action = actionText(service, target.action);
  return accessDenied(service, denialMessage(caller.arn, { action, resource: target.resource === '*' ? '*' : resourceText(service, target.resource) }, evaluation));
}

function sessionTokenOf(request: ServiceRequest): string | undefined {
  const header = request.headers['x-amz-security-token'];
  if (typeof header === 'string') return header;
  return request.query.get('X-Amz-Security-Token') ?? undefined;
}

function principalOf(caller: Caller): RequestPrincipal {
  const roleArn = caller.session?.roleArn;
  return { arn: caller.arn, accountId: caller.accountId, userId: caller.userId, ...(roleArn ? { roleArn } : {}) };
}

/**
 * The global condition keys of a request (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
 * and S3's listing keys. aws:PrincipalArn is a session's role, not the session. Flint's listener is plain HTTP unless
 * a proxy in front says otherwise, so aws:SecureTransport is "false" unless the client's URL was https.
 */
function contextOf(request: ServiceRequest, caller: Caller, principal: RequestPrincipal, service: string, now: number): ContextValues {
  const keys = new Map<string, string>();
  keys.set('aws:sourceip', request.sourceIp);
  keys.set('aws:securetransport', String(request.baseUrl.startsWith('https:')));
  keys.set('aws:currenttime', new Date(now).toISOString());
  keys.set('aws:epochtime', String(Math.floor(now / 1000)));
  keys.set('aws:principalarn', principal.roleArn ?? caller.arn);
  keys.set('aws:principalaccount', caller.accountId);
  keys.set('aws:principaltype', caller.kind === 'assumed-role' ? 'AssumedRole' : caller.kind === 'user' ? 'User' : caller.kind === 'federated-user' ? 'FederatedUser' : 'Account');
  keys.set('aws:userid', caller.userId);
  if (caller.kind === 'user' && caller.userName) keys.set('aws:username', caller.userName);
  if (request.credential?.region) keys.set('aws:requestedregion', request.credential.region);
  const agent = request.headers['user-agent'];
  if (typeof agent === 'string') keys.set('aws:useragent', agent);
  if (service === 's3') {
    for (const name of ['prefix', 'delimiter', 'max-keys']) {
      const value = request.query.get(name);
      if (value !== null) keys.set(`s3:${name}`, value);
    }
  }
  return keys;
}
