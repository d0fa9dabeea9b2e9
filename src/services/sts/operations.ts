import type { Handlers } from '../../protocol/index.js';
import type { Caller } from '../iam/index.js';
import type { Operations } from './api.js';
import { callerOf, type StsCall } from './context.js';
import { accessDenied } from './errors.js';
import { assumeRole, checkSessionPolicy, credentials, packedPolicySize, transitiveSessionTags } from './sessions.js';
import { readWebIdentityToken } from './web-identity.js';

/**
 * Durations, as the STS API reference gives them: GetSessionToken and GetFederationToken default to 12 hours
 * (43,200 s) and sessions of the account's root last at most one hour, longer requests falling back to it; neither
 * can be called with temporary credentials.
 */
const HOUR = 3600;
const LONG_SESSION = 12 * HOUR;

export const HANDLERS: Handlers<Operations, StsCall> = {
  async GetCallerIdentity(_input, call) {
    const caller = await callerOf(call);
    return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
  },

  async GetAccessKeyInfo(input, call) {
    await callerOf(call);
    return { Account: await call.sts.identity.accountOf(input.AccessKeyId) };
  },

  async AssumeRole(input, call) {
    const caller = await callerOf(call);
    checkSessionPolicy(input.Policy);
    const tags = transitiveSessionTags(input.Tags, input.TransitiveTagKeys, caller);
    const { session, user } = await assumeRole(call, input, 'AssumeRole', caller, tags, sessionPoliciesOf(input.Policy, input.PolicyArns));
    return { Credentials: credentials(session), AssumedRoleUser: user, PackedPolicySize: packedPolicySize(input.Policy, input.PolicyArns, input.Tags), SourceIdentity: input.SourceIdentity };
  },

  async AssumeRoleWithWebIdentity(input, call) {
    const claims = readWebIdentityToken(input.WebIdentityToken, call.sts.clock.now());
    checkSessionPolicy(input.Policy);
    const { session, user } = await assumeRole(call, input, 'AssumeRoleWithWebIdentity', undefined, [], sessionPoliciesOf(input.Policy, input.PolicyArns));
    return {
      Credentials: credentials(session),
      SubjectFromWebIdentityToken: claims.subject,
      AssumedRoleUser: user,
      PackedPolicySize: packedPolicySize(input.Policy, input.PolicyArns, undefined),
      Provider: input.ProviderId ?? claims.issuer,
      Audience: claims.audience,
    };
  },

  async GetSessionToken(input, call) {
    const caller = await callerOf(call);
    if (caller.session) throw accessDenied('Cannot call GetSessionToken with session credentials');
    const duration = sessionDuration(caller, input.DurationSeconds);
    const session = await call.sts.identity.issue({
      kind: caller.kind === 'root' ? 'root-session' : 'user-session',
      accountId: caller.accountId,
      arn: caller.arn,
      userId: caller.userId,
      durationSeconds: duration,
    });
    return { Credentials: credentials(session) };
  },

  async GetFederationToken(input, call) {
    const caller = await callerOf(call);
    if (caller.session) throw accessDenied('Cannot call GetFederationToken with session credentials');
    checkSessionPolicy(input.Policy);
    const { identity } = call.sts;
    const arn = `arn:${identity.partition}:sts::${caller.accountId}:federated-user/${input.Name}`;
    const userId = `${caller.accountId}:${input.Name}`;
    const session = await identity.issue({ kind: 'federated-user', accountId: caller.accountId, arn, userId, durationSeconds: sessionDuration(caller, input.DurationSeconds) });
    return { Credentials: credentials(session), FederatedUser: { FederatedUserId: userId, Arn: arn }, PackedPolicySize: packedPolicySize(input.Policy, input.PolicyArns, input.Tags) ?? 0 };
  },
};

/** DurationSeconds of a session token or federation token (the model checks 900–129,600). */
function sessionDuration(caller: Caller, requested: number | undefined): number {
  const duration = requested ?? LONG_SESSION;
  return caller.kind === 'root' ? Math.min(duration, HOUR) : duration;
}

/** The session policies a caller passed, as the session keeps them (undefined when none). */
function sessionPoliciesOf(policy: string | undefined, arns: readonly { arn?: string }[] | undefined): { document?: string; arns?: string[] } | undefined {
  const named = (arns ?? []).flatMap((a) => (a.arn ? [a.arn] : []));
  if (policy === undefined && named.length === 0) return undefined;
  return { ...(policy !== undefined ? { document: policy } : {}), ...(named.length > 0 ? { arns: named } : {}) };
}
