import type { IamContext } from './context.js';
import { parsePolicy, type PolicySet, type SourcedPolicy } from './evaluate/index.js';
import type { Caller } from './identity.js';
import { findPolicy, isAwsManaged, type ManagedPolicy } from './policies.js';
import type { PrincipalRecord } from './records.js';

/**
 * The identity-based policies of a principal, as IAM's evaluation gathers them: an IAM user's inline and attached
 * policies and those of its groups, with its permissions boundary; a role's inline and attached policies and its
 * boundary for a session of the role. A role or user that no longer exists has none (every request is an implicit
 * deny). The root and callers of other accounts are not evaluated here: undefined.
 */
export async function callerPolicies(ctx: IamContext, caller: Caller): Promise<Omit<PolicySet, 'resource'> | undefined> {
  if (caller.kind === 'root' || caller.accountId !== ctx.accountId) return undefined;
  if (caller.kind === 'assumed-role') {
    const roleArn = caller.session?.roleArn ?? '';
    const set = await principalSet(ctx, 'role', roleArn.slice(roleArn.lastIndexOf('/') + 1));
    const session = await sessionPolicies(ctx, caller.session?.sessionPolicies);
    return session ? { ...set, session } : set;
  }
  if (caller.kind === 'user' && caller.userName !== undefined) return principalSet(ctx, 'user', caller.userName);
  return { identity: [] };
}

/** The policies of a role or user by name (a user's groups' too). */
export async function principalSet(ctx: IamContext, kind: 'role' | 'user' | 'group', name: string): Promise<Omit<PolicySet, 'resource'>> {
  const record = kind === 'role' ? await ctx.store.get('roles', name) : kind === 'user' ? await ctx.store.get('users', name) : await ctx.store.get('groups', name);
  if (!record) return { identity: [] };
  const identity = await policiesOf(ctx, record, kind);
  if (kind === 'user') {
    for (const group of await ctx.store.list('groups')) {
      if (group.members.some((member) => member.toLowerCase() === name.toLowerCase())) identity.push(...(await policiesOf(ctx, group, 'group')));
    }
  }
  const boundaryArn = 'permissionsBoundary' in record ? record.permissionsBoundary : undefined;
  const boundary = boundaryArn === undefined ? undefined : await managed(ctx, boundaryArn, 'boundary');
  return boundary ? { identity, boundary } : { identity };
}

async function policiesOf(ctx: IamContext, record: PrincipalRecord, type: 'role' | 'user' | 'group'): Promise<SourcedPolicy[]> {
  const inline = Object.entries(record.inline).map(([name, document]): SourcedPolicy => ({ source: { kind: 'identity', id: name, type }, policy: parsePolicy(document) }));
  const attached: SourcedPolicy[] = [];
  for (const arn of record.attached) {
    const policy = await managed(ctx, arn, 'identity');
    if (policy) attached.push(policy);
  }
  return [...inline, ...attached];
}

async function managed(ctx: IamContext, arn: string, kind: 'identity' | 'boundary'): Promise<SourcedPolicy | undefined> {
  const policy = await findPolicy(ctx, arn).catch(() => undefined);
  if (!policy) return undefined;
  return { source: { kind, id: policy.name, type: isAwsManaged(policy) ? 'aws-managed' : 'user-managed' }, policy: parsePolicy(documentOf(policy)) };
}

/** The document of a managed policy's default version. */
export function documentOf(policy: ManagedPolicy): string {
  if (isAwsManaged(policy)) return policy.document;
  return policy.versions.find((version) => version.id === policy.defaultVersion)?.document ?? '{}';
}

/** A session's policies (AssumeRole's Policy and PolicyArns), or undefined when it was given none. */
async function sessionPolicies(ctx: IamContext, given: { document?: string; arns?: string[] } | undefined): Promise<SourcedPolicy[] | undefined> {
  if (!given) return undefined;
  const policies: SourcedPolicy[] = given.document === undefined ? [] : [{ source: { kind: 'session', id: 'session policy' }, policy: parsePolicy(given.document) }];
  for (const arn of given.arns ?? []) {
    const policy = await findPolicy(ctx, arn).catch(() => undefined);
    if (policy) policies.push({ source: { kind: 'session', id: policy.name }, policy: parsePolicy(documentOf(policy)) });
  }
  return policies;
}
