import { deflateRawSync } from 'node:zlib';
import { stableId, type Caller, type RoleInfo, type SessionRecord, type TagRecord } from '../iam/index.js';
import type { AssumedRoleUser, Credentials, PolicyDescriptorType, Tag } from './api.js';
import type { StsCall } from './context.js';
import { accessDenied, invalidParameterValue, stsError, validationError } from './errors.js';

/**
 * Assuming a role: the RoleArn is checked as STS checks it (test_sts_invalid_parameters), the role must exist in
 * the node's account (a role another account made through IAM is found in that account's IAM; other roles of
 * other accounts are taken as they are named), and the session
 * lasts DurationSeconds (default 3,600) up to the role's MaxSessionDuration, or one hour when a role session
 * assumes another role (role chaining). The credentials answer as
 * arn:aws:sts::ACCT:assumed-role/RoleName/SessionName with user id RoleId:SessionName (test_assume_role).
 */
export interface AssumeInput {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
}

export interface Assumed {
  session: SessionRecord;
  user: AssumedRoleUser;
}

const HOUR = 3600;

export async function assumeRole(call: StsCall, input: AssumeInput, action: string, caller: Caller | undefined, transitiveTags: TagRecord[] = [], sessionPolicies?: SessionRecord['sessionPolicies']): Promise<Assumed> {
  const { identity, roles, region } = call.sts;
  const target = roleArnParts(input.RoleArn);
  const denied = (): Error =>
    accessDenied(caller ? `User: ${caller.arn} is not authorized to perform: sts:${action} on resource: ${input.RoleArn}` : `Not authorized to perform sts:${action}`);
  if (!target) throw denied();
  const found = await roles.role(input.RoleArn);
  // Another account may never have made its roles here: its role is taken as it is named.
  const role: RoleInfo | undefined = found ?? (target.account === identity.accountId ? undefined : { name: target.name, id: stableId('AROA', input.RoleArn), arn: input.RoleArn, maxSessionDuration: 12 * HOUR });
  if (!role) throw denied();
  const duration = input.DurationSeconds ?? HOUR;
  if (caller?.kind === 'assumed-role' && duration > HOUR) throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  if (duration > role.maxSessionDuration) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const arn = `arn:${identity.partition}:sts::${target.account}:assumed-role/${role.name}/${input.RoleSessionName}`;
  const userId = `${role.id}:${input.RoleSessionName}`;
  const session = await identity.issue({ kind: 'assumed-role', accountId: target.account, arn, userId, roleArn: role.arn, transitiveTags, durationSeconds: duration, ...(sessionPolicies ? { sessionPolicies } : {}) });
  if (found) await roles.roleUsed(found.arn, region);
  return { session, user: { AssumedRoleId: userId, Arn: arn } };
}

/**
 * A role ARN's account and name. One that does not parse is "<arn> is invalid"; a well-formed ARN that names no
 * role is undefined (access denied).
 */
function roleArnParts(arn: string): { account: string; name: string } | undefined {
  const parts = arn.split(':');
  const resource = parts.slice(5).join(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1] || !parts[2] || !resource) throw validationError(`${arn} is invalid`);
  if (parts[2] !== 'iam' || !/^\d{12}$/.test(parts[4] ?? '') || !resource.startsWith('role/')) return undefined;
  return { account: parts[4]!, name: resource.slice(resource.lastIndexOf('/') + 1) };
}

/**
 * The session tags a new session passes on: its transitive tags and those it inherited. STS refuses keys named
 * twice (in any case), transitive keys that are not tags, and tags that would override an inherited transitive
 * tag (test_assume_role_tag_validation, test_iam_role_chaining_override_transitive_tags).
 */
export function transitiveSessionTags(tags: readonly Tag[] = [], transitiveKeys: readonly string[] = [], caller?: Caller): TagRecord[] {
  const keys = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key.toLowerCase();
    if (keys.has(key)) throw invalidParameterValue('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    keys.add(key);
  }
  const wanted = new Set(transitiveKeys.map((key) => key.toLowerCase()));
  for (const key of wanted) if (!keys.has(key)) throw invalidParameterValue('The specified transitive tag key must be included in the requested tags.');
  const inherited = caller?.session?.transitiveTags ?? [];
  if (inherited.some((tag) => keys.has(tag.Key.toLowerCase()))) {
    throw invalidParameterValue("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
  }
  return [...inherited, ...tags.filter((tag) => wanted.has(tag.Key.toLowerCase())).map((tag) => ({ Key: tag.Key, Value: tag.Value }))];
}

/** A session policy must at least be JSON (IAM-grammar checks of session policies are not made). */
export function checkSessionPolicy(policy: string | undefined): void {
  if (policy === undefined) return;
  try {
    JSON.parse(policy);
  } catch {
    throw stsError('MalformedPolicyDocumentException', 'The policy is not in the valid JSON format.');
  }
}

/**
 * How much of the packed space session policies and tags take, in percent, when any are given. STS compresses
 * them into the session token; Flint approximates its packing with deflate against a 2,048-byte budget.
 */
export function packedPolicySize(policy: string | undefined, arns: readonly PolicyDescriptorType[] | undefined, tags: readonly Tag[] | undefined): number | undefined {
  if (policy === undefined && !arns?.length && !tags?.length) return undefined;
  const packed = [policy ?? '', ...(arns ?? []).map((a) => a.arn ?? ''), ...(tags ?? []).flatMap((t) => [t.Key, t.Value])].join('\n');
  return Math.ceil((deflateRawSync(packed).length * 100) / 2048);
}

export function credentials(session: SessionRecord): Credentials {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    // STS writes the expiration to the second; the kit sends a string timestamp as given.
    Expiration: new Date(session.expiration).toISOString().replace(/\.\d{3}Z$/, 'Z') as unknown as Date,
  };
}
