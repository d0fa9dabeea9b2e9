import type { Clock } from '../core/index.js';
import type { InstanceCredentials } from '../runtime/index.js';
import { stableId, type IamService, type SessionRecord } from '../services/iam/index.js';

/**
 * How long a function's role session lasts, and how much of it must be left for a new instance to be handed it:
 * every instance starts with at least RENEW_BEFORE of validity, and a session is renewed once less is left.
 */
const SESSION_SECONDS = 12 * 3600;
const RENEW_BEFORE_MS = 6 * 3600 * 1000;

/**
 * Temporary credentials of functions' execution roles, as Lambda gives each execution environment
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html): an STS session of the role named
 * after the function (arn:aws:sts::ACCT:assumed-role/<role>/<function>), issued by Flint at an instance's start and
 * cached per role and function, so instances started later share it and a warm invoke never waits for one. The
 * session is the function's account's even when the template names a role of another account (Lambda's roles are the
 * function's account's). A role IAM does not have (the placeholder a function without policies gets) still gets a
 * session: with enforcement on, it is allowed nothing, as a role without policies is on AWS.
 */
export class FunctionCredentials {
  private readonly sessions = new Map<string, { pending: Promise<SessionRecord>; expiration?: number }>();

  constructor(
    private readonly iam: IamService,
    private readonly clock: Clock,
  ) {}

  /** A session of the role for the function, in the function's account (the node's unless named). */
  async for(roleArn: string, functionName: string, accountId = this.iam.identity.accountId): Promise<InstanceCredentials> {
    const key = `${accountId}\n${roleArn}\n${functionName}`;
    const cached = this.sessions.get(key);
    if (cached && (cached.expiration === undefined || cached.expiration - this.clock.now() > RENEW_BEFORE_MS)) return credentialsOf(await cached.pending);
    const entry: { pending: Promise<SessionRecord>; expiration?: number } = { pending: this.issue(roleArn, functionName, accountId) };
    this.sessions.set(key, entry);
    entry.pending.then(
      (session) => (entry.expiration = session.expiration),
      () => this.sessions.delete(key),
    );
    return credentialsOf(await entry.pending);
  }

  private async issue(roleArn: string, functionName: string, accountId: string): Promise<SessionRecord> {
    const { identity } = this.iam;
    const role = await this.iam.role(roleArn);
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    const roleId = role?.id ?? stableId('AROA', roleArn);
    return identity.issue({
      kind: 'assumed-role',
      accountId,
      arn: `arn:${identity.partition}:sts::${accountId}:assumed-role/${roleName}/${functionName}`,
      userId: `${roleId}:${functionName}`,
      roleArn: role?.arn ?? roleArn,
      transitiveTags: [],
      durationSeconds: SESSION_SECONDS,
    });
  }
}

function credentialsOf(session: SessionRecord): InstanceCredentials {
  return { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
}
