import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * STS through the node the product assembles, with the AWS SDK for JavaScript v3. Shapes and messages recorded
 * from AWS are LocalStack's (tests/aws/services/sts/test_sts.snapshot.json), by test: test_assume_role (the
 * assumed-role ARN and AssumedRoleId), test_sts_invalid_parameters (RoleArn and RoleSessionName refusals),
 * test_assume_role_tag_validation and test_iam_role_chaining_override_transitive_tags (session tag refusals),
 * test_get_federation_token (FederatedUser).
 */
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] });
const HOUR = 3600_000;

let testNode: TestNode;
let clock: FakeClock;
let sts: STSClient;
let iam: IAMClient;

beforeAll(async () => {
  clock = new FakeClock(Date.UTC(2026, 2, 1, 9, 30, 15, 250));
  testNode = await startTestNode({ clock });
  sts = new STSClient({ ...testNode.config, maxAttempts: 1 });
  iam = new IAMClient({ ...testNode.config, maxAttempts: 1 });
});
afterAll(async () => {
  sts?.destroy();
  iam?.destroy();
  await testNode?.close();
});

const as = (credentials: Credentials | { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }): STSClient =>
  new STSClient({ ...testNode.config, maxAttempts: 1, credentials: { accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey!, sessionToken: credentials.SessionToken } });

async function createRole(name: string, extra: { MaxSessionDuration?: number } = {}): Promise<{ arn: string; id: string }> {
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST, ...extra }));
  return { arn: Role!.Arn!, id: Role!.RoleId! };
}

describe('GetCallerIdentity', () => {
  it("answers any credentials as the root of the node's account", async () => {
    expect(await sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000' });
    const other = new STSClient({ ...testNode.config, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' } });
    expect((await other.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::000000000000:root');
    other.destroy();
  });

  it("uses the node's configured account", async () => {
    const node = await startTestNode({ accountId: '123456789012' });
    const client = new STSClient(node.config);
    try {
      expect(await client.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:root' });
    } finally {
      client.destroy();
      await node.close();
    }
  });

  it('answers an IAM user for the keys CreateAccessKey made, and refuses them once deactivated', async () => {
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'deployer', Path: '/ci/' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }));
    expect(AccessKey!.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(AccessKey!.SecretAccessKey).toHaveLength(40);
    const client = as(AccessKey!);
    expect(await client.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/ci/deployer', UserId: User!.UserId });
    expect(User!.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'deployer', AccessKeyId: AccessKey!.AccessKeyId, Status: 'Inactive' }));
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
  });
});

describe('AssumeRole', () => {
  it('issues temporary credentials that answer as the assumed role on the next call', async () => {
    const role = await createRole('app-role');
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'deploy-session' }));
    expect(assumed.AssumedRoleUser).toEqual({ Arn: 'arn:aws:sts::000000000000:assumed-role/app-role/deploy-session', AssumedRoleId: `${role.id}:deploy-session` });
    const credentials = assumed.Credentials!;
    expect(credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.SecretAccessKey).toHaveLength(40);
    expect(credentials.SessionToken!.length).toBeGreaterThan(100);
    // One hour by default, stated to the second.
    expect(credentials.Expiration!.getTime()).toBe(Date.UTC(2026, 2, 1, 10, 30, 15));
    expect(assumed.PackedPolicySize).toBeUndefined();

    const session = as(credentials);
    expect(await session.send(new GetCallerIdentityCommand({}))).toEqual(
      expect.objectContaining({ Account: '000000000000', Arn: 'arn:aws:sts::000000000000:assumed-role/app-role/deploy-session', UserId: `${role.id}:deploy-session` }),
    );
    expect((await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: credentials.AccessKeyId! }))).Account).toBe('000000000000');
    // GetRole shows the role was used.
    expect((await iam.send(new GetRoleCommand({ RoleName: 'app-role' }))).Role!.RoleLastUsed).toEqual({ LastUsedDate: new Date(Date.UTC(2026, 2, 1, 9, 30, 15)), Region: 'us-east-1' });
    session.destroy();
  });

  it("holds DurationSeconds to the role's MaxSessionDuration, and to an hour when a role session assumes a role", async () => {
    const long = await createRole('long-role', { MaxSessionDuration: 7200 });
    const granted = await sts.send(new AssumeRoleCommand({ RoleArn: long.arn, RoleSessionName: 'sess', DurationSeconds: 7200 }));
    expect(granted.Credentials!.Expiration!.getTime() - Math.floor(clock.now() / 1000) * 1000).toBe(2 * HOUR);
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: long.arn, RoleSessionName: 'sess', DurationSeconds: 7201 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: long.arn, RoleSessionName: 'sess', DurationSeconds: 899 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
    const chained = as(granted.Credentials!);
    await expect(chained.send(new AssumeRoleCommand({ RoleArn: long.arn, RoleSessionName: 'again', DurationSeconds: 3601 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    expect((await chained.send(new AssumeRoleCommand({ RoleArn: long.arn, RoleSessionName: 'again' }))).AssumedRoleUser!.Arn).toBe('arn:aws:sts::000000000000:assumed-role/long-role/again');
    chained.destroy();
  });

  it('refuses RoleArns that do not parse and session names outside the pattern, in STS words; a missing role is AccessDenied', async () => {
    for (const arn of ['nothing-valid-in-here', 'arn::b:::something/test-role', 'arn:a::::something/test-role', 'arn:a:::something/test-role', 'arn:a:a::aaaaaaaaaa:']) {
      await expect(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1' }))).rejects.toMatchObject({ name: 'ValidationError', message: `${arn} is invalid` });
    }
    const role = await createRole('named-role');
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'Session1:2' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    });
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/absent', RoleSessionName: 's1' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/absent',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("answers a role of another account in that account's name", async () => {
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/cross', RoleSessionName: 'xs' }));
    expect(assumed.AssumedRoleUser!.Arn).toBe('arn:aws:sts::111111111111:assumed-role/cross/xs');
    expect((await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: assumed.Credentials!.AccessKeyId! }))).Account).toBe('111111111111');
    const session = as(assumed.Credentials!);
    expect((await session.send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
    session.destroy();
  });

  it('checks session tags as STS does, and passes transitive tags on to a chained session', async () => {
    const role = await createRole('tagged-role');
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'sess', Tags: [{ Key: 'a', Value: '1' }], TransitiveTagKeys: ['b'] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'The specified transitive tag key must be included in the requested tags.',
    });
    const duplicated = [
      { Key: 'Team', Value: '1' },
      { Key: 'team', Value: '2' },
    ];
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'sess', Tags: duplicated }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    });
    const first = await sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'sess', Tags: [{ Key: 'SessionTag1', Value: 'v1' }], TransitiveTagKeys: ['SessionTag1'] }));
    expect(first.PackedPolicySize).toBeGreaterThan(0);
    const chained = as(first.Credentials!);
    await expect(chained.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 's2', Tags: [{ Key: 'sessiontag1', Value: 'v2' }] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
    });
    chained.destroy();
  });

  it('answers ExpiredToken once the credentials expire', async () => {
    const role = await createRole('short-role');
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'brief', DurationSeconds: 900 }));
    const session = as(Credentials!);
    await session.send(new GetCallerIdentityCommand({}));
    await clock.advance(900_000);
    await expect(session.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
      $metadata: { httpStatusCode: 403 },
    });
    const wrongToken = as({ ...Credentials!, SessionToken: 'not-the-token' });
    await expect(wrongToken.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    session.destroy();
    wrongToken.destroy();
  });
});

describe('AssumeRoleWithWebIdentity', () => {
  const jwt = (claims: Record<string, unknown>): string =>
    [{ alg: 'RS256', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2lnbmF0dXJl';

  it('is called unsigned and answers the token subject, audience and provider', async () => {
    const role = await createRole('web-role');
    const anonymous = new STSClient({ endpoint: testNode.config.endpoint, region: 'us-east-1', maxAttempts: 1 });
    const token = jwt({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:flint/app:ref:refs/heads/main', aud: 'sts.amazonaws.com', exp: clock.now() / 1000 + 600 });
    const answer = await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: role.arn, RoleSessionName: 'gha', WebIdentityToken: token }));
    expect(answer).toMatchObject({
      SubjectFromWebIdentityToken: 'repo:flint/app:ref:refs/heads/main',
      Audience: 'sts.amazonaws.com',
      Provider: 'https://token.actions.githubusercontent.com',
      AssumedRoleUser: { Arn: 'arn:aws:sts::000000000000:assumed-role/web-role/gha', AssumedRoleId: `${role.id}:gha` },
    });
    const session = as(answer.Credentials!);
    expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::000000000000:assumed-role/web-role/gha');

    await expect(anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: role.arn, RoleSessionName: 'gha', WebIdentityToken: 'not-a-jwt-at-all' }))).rejects.toMatchObject({
      name: 'InvalidIdentityTokenException',
      message: 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    });
    anonymous.destroy();
    session.destroy();
  });

  it('is answered for an unsigned GET with the parameters in the query string (curl)', async () => {
    const role = await createRole('curl-role');
    const token = jwt({ iss: 'https://issuer.example', sub: 'someone', aud: 'client' });
    const query = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: role.arn, RoleSessionName: 'curl', WebIdentityToken: token });
    const response = await fetch(`${testNode.config.endpoint}/?${query}`);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toMatch(/^<AssumeRoleWithWebIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><AssumeRoleWithWebIdentityResult>/);
    expect(body).toContain('<Arn>arn:aws:sts::000000000000:assumed-role/curl-role/curl</Arn>');
  });
});

describe('GetSessionToken and GetFederationToken', () => {
  it("limits the root's session to an hour, and refuses to be called with session credentials", async () => {
    const { Credentials } = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
    expect(Credentials!.Expiration!.getTime() - Math.floor(clock.now() / 1000) * 1000).toBe(HOUR);
    const session = as(Credentials!);
    expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::000000000000:root');
    await expect(session.send(new GetSessionTokenCommand({}))).rejects.toMatchObject({ name: 'AccessDenied', message: 'Cannot call GetSessionToken with session credentials' });
    session.destroy();
  });

  it("gives a user's session the user's identity for 12 hours by default", async () => {
    await iam.send(new CreateUserCommand({ UserName: 'operator' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'operator' }));
    const user = as(AccessKey!);
    const { Credentials } = await user.send(new GetSessionTokenCommand({}));
    expect(Credentials!.Expiration!.getTime() - Math.floor(clock.now() / 1000) * 1000).toBe(12 * HOUR);
    const session = as(Credentials!);
    expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::000000000000:user/operator');
    user.destroy();
    session.destroy();
  });

  it('answers a federated user', async () => {
    const answer = await sts.send(new GetFederationTokenCommand({ Name: 'bob' }));
    expect(answer.FederatedUser).toEqual({ Arn: 'arn:aws:sts::000000000000:federated-user/bob', FederatedUserId: '000000000000:bob' });
    expect(answer.PackedPolicySize).toBe(0);
    const session = as(answer.Credentials!);
    expect(await session.send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: 'arn:aws:sts::000000000000:federated-user/bob', UserId: '000000000000:bob' });
    session.destroy();
  });
});
