import type { AwsManagedPolicy } from './aws-managed.js';
import type { IamContext } from './context.js';
import { invalidArn } from './errors.js';
import type { PolicyRecord, PrincipalRecord } from './records.js';
import type { PolicyUsage } from './render.js';

/** A managed policy: one of the account's, or one of AWS's. */
export type ManagedPolicy = PolicyRecord | AwsManagedPolicy;

export function isAwsManaged(policy: ManagedPolicy): policy is AwsManagedPolicy {
  return !('versions' in policy);
}

/**
 * The managed policy an ARN names, or undefined. An ARN that does not parse is IAM's ValidationError
 * ("Invalid ARN:  Could not be parsed!"); the account's policies are found by name (names are unique in an
 * account) and must have the path the ARN gives.
 */
export async function findPolicy(ctx: IamContext, arn: string): Promise<ManagedPolicy | undefined> {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1] || !parts[2] || !parts.slice(5).join(':')) throw invalidArn();
  const [, , service, , account] = parts;
  const resource = parts.slice(5).join(':');
  if (service !== 'iam' || !resource.startsWith('policy/')) return undefined;
  if (account === 'aws') return ctx.managed.get(arn);
  if (account !== ctx.accountId) return undefined;
  const record = await ctx.store.get('policies', resource.slice(resource.lastIndexOf('/') + 1));
  return record && record.arn.toLowerCase() === arn.toLowerCase() ? record : undefined;
}

/** Attachments and boundary uses of every managed policy in the account, by ARN. */
export async function policyUsage(ctx: IamContext): Promise<Map<string, PolicyUsage>> {
  const usage = new Map<string, PolicyUsage>();
  const of = (arn: string): PolicyUsage => {
    let entry = usage.get(arn);
    if (!entry) usage.set(arn, (entry = { attachments: 0, boundaries: 0 }));
    return entry;
  };
  const principals: (PrincipalRecord & { permissionsBoundary?: string })[] = [...(await ctx.store.list('roles')), ...(await ctx.store.list('users')), ...(await ctx.store.list('groups'))];
  for (const principal of principals) {
    for (const arn of principal.attached) of(arn).attachments++;
    if (principal.permissionsBoundary) of(principal.permissionsBoundary).boundaries++;
  }
  return usage;
}

export const NO_USAGE: PolicyUsage = { attachments: 0, boundaries: 0 };
