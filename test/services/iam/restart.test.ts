import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { allow, LAMBDA_TRUST } from './helpers.js';

/** IAM's entities and STS's sessions live in the node's storage, so a restarted node answers as before. */
const dir = mkdtempSync(join(tmpdir(), 'flint-iam-restart-'));
const dataDir = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clients = (node: TestNode, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = node.config.credentials): { iam: IAMClient; sts: STSClient } => ({
  iam: new IAMClient({ ...node.config, credentials, maxAttempts: 1 }),
  sts: new STSClient({ ...node.config, credentials, maxAttempts: 1 }),
});

describe('IAM and STS across a restart', () => {
  it('keep roles, policies, attachments, users, keys and sessions', async () => {
    const first = await startTestNode({ dataDir });
    const before = clients(first);
    const { Role } = await before.iam.send(new CreateRoleCommand({ RoleName: 'durable', AssumeRolePolicyDocument: LAMBDA_TRUST, MaxSessionDuration: 7200 }));
    const { Policy } = await before.iam.send(new CreatePolicyCommand({ PolicyName: 'durable-policy', PolicyDocument: allow('s3:GetObject') }));
    await before.iam.send(new AttachRolePolicyCommand({ RoleName: 'durable', PolicyArn: Policy!.Arn }));
    await before.iam.send(new CreateUserCommand({ UserName: 'durable-user' }));
    const { AccessKey } = await before.iam.send(new CreateAccessKeyCommand({ UserName: 'durable-user' }));
    const { Credentials } = await before.sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: 'kept' }));
    before.iam.destroy();
    before.sts.destroy();
    await first.close();

    const second = await startTestNode({ dataDir });
    const after = clients(second);
    try {
      expect((await after.iam.send(new GetRoleCommand({ RoleName: 'durable' }))).Role).toMatchObject({ RoleId: Role!.RoleId, MaxSessionDuration: 7200 });
      expect((await after.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'durable' }))).AttachedPolicies).toEqual([{ PolicyName: 'durable-policy', PolicyArn: Policy!.Arn }]);
      expect((await after.iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!.AttachmentCount).toBe(1);
      const asUser = clients(second, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      expect((await asUser.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::000000000000:user/durable-user');
      const asSession = clients(second, { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! });
      expect((await asSession.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::000000000000:assumed-role/durable/kept');
      for (const c of [asUser, asSession]) {
        c.iam.destroy();
        c.sts.destroy();
      }
    } finally {
      after.iam.destroy();
      after.sts.destroy();
      await second.close();
    }
  });
});
