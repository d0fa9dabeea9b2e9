import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteUserCommand,
  GetAccessKeyLastUsedCommand,
  GetGroupCommand,
  GetInstanceProfileCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListGroupsForUserCommand,
  ListInstanceProfilesForRoleCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  RemoveRoleFromInstanceProfileCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_TRUST, startIamNode, type IamNode } from './helpers.js';

/** IAM users, access keys, groups and instance profiles through the node, with the AWS SDK for JavaScript v3. */
let h: IamNode;
beforeAll(async () => {
  h = await startIamNode();
});
afterAll(async () => {
  await h?.close();
});

describe('users', () => {
  it('creates, reads, renames, lists and deletes users, with paths and tags', async () => {
    const { User } = await h.iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/staff/', Tags: [{ Key: 'dept', Value: 'eng' }] }));
    expect(User).toMatchObject({ UserName: 'alice', Path: '/staff/', Arn: 'arn:aws:iam::000000000000:user/staff/alice', Tags: [{ Key: 'dept', Value: 'eng' }] });
    expect((await h.iam.send(new GetUserCommand({ UserName: 'ALICE' }))).User!.UserId).toBe(User!.UserId);
    await expect(h.iam.send(new CreateUserCommand({ UserName: 'Alice' }))).rejects.toMatchObject({ name: 'EntityAlreadyExistsException', message: 'User with name Alice already exists.' });

    await h.iam.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'alice2', NewPath: '/ops/' }));
    const renamed = (await h.iam.send(new GetUserCommand({ UserName: 'alice2' }))).User!;
    expect(renamed).toMatchObject({ UserId: User!.UserId, Arn: 'arn:aws:iam::000000000000:user/ops/alice2' });
    expect((await h.iam.send(new ListUserTagsCommand({ UserName: 'alice2' }))).Tags).toEqual([{ Key: 'dept', Value: 'eng' }]);
    await expect(h.iam.send(new GetUserCommand({ UserName: 'alice' }))).rejects.toMatchObject({ name: 'NoSuchEntityException', message: 'The user with name alice cannot be found.' });
    const listed = (await h.iam.send(new ListUsersCommand({ PathPrefix: '/ops/' }))).Users!;
    expect(listed.map((u) => u.UserName)).toEqual(['alice2']);
    expect(listed[0]!.Tags).toBeUndefined();
    await h.iam.send(new DeleteUserCommand({ UserName: 'alice2' }));
  });

  it("answers GetUser without a name as the caller: the account's root", async () => {
    expect((await h.iam.send(new GetUserCommand({}))).User).toMatchObject({ UserId: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  });
});

describe('access keys', () => {
  it('makes at most two keys per user, changes their status, and refuses deleting a user who has keys', async () => {
    await h.iam.send(new CreateUserCommand({ UserName: 'keyholder' }));
    const first = (await h.iam.send(new CreateAccessKeyCommand({ UserName: 'keyholder' }))).AccessKey!;
    expect(first).toMatchObject({ UserName: 'keyholder', Status: 'Active' });
    await h.iam.send(new CreateAccessKeyCommand({ UserName: 'keyholder' }));
    await expect(h.iam.send(new CreateAccessKeyCommand({ UserName: 'keyholder' }))).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
    });
    await h.iam.send(new UpdateAccessKeyCommand({ UserName: 'keyholder', AccessKeyId: first.AccessKeyId, Status: 'Inactive' }));
    const keys = (await h.iam.send(new ListAccessKeysCommand({ UserName: 'keyholder' }))).AccessKeyMetadata!;
    expect(keys.map((k) => k.Status)).toEqual(['Inactive', 'Active']);
    expect(keys[0]!.AccessKeyId).toBe(first.AccessKeyId);
    expect((keys[0] as { SecretAccessKey?: string }).SecretAccessKey).toBeUndefined();
    expect(await h.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: first.AccessKeyId }))).toMatchObject({ UserName: 'keyholder', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });

    await expect(h.iam.send(new DeleteUserCommand({ UserName: 'keyholder' }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete access keys first.',
    });
    for (const key of keys) await h.iam.send(new DeleteAccessKeyCommand({ UserName: 'keyholder', AccessKeyId: key.AccessKeyId }));
    await expect(h.iam.send(new DeleteAccessKeyCommand({ UserName: 'keyholder', AccessKeyId: first.AccessKeyId }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `The Access Key with id ${first.AccessKeyId} cannot be found.`,
    });
    await h.iam.send(new DeleteUserCommand({ UserName: 'keyholder' }));
  });
});

describe('groups', () => {
  it('adds and removes members, and refuses deleting a group that has members', async () => {
    await h.iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const { Group } = await h.iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
    expect(Group).toMatchObject({ GroupName: 'admins', Path: '/', Arn: 'arn:aws:iam::000000000000:group/admins' });
    expect(Group!.GroupId).toMatch(/^AGPA/);
    await h.iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'bob' }));
    expect((await h.iam.send(new GetGroupCommand({ GroupName: 'admins' }))).Users!.map((u) => u.UserName)).toEqual(['bob']);
    expect((await h.iam.send(new ListGroupsForUserCommand({ UserName: 'bob' }))).Groups!.map((g) => g.GroupName)).toEqual(['admins']);
    await expect(h.iam.send(new DeleteGroupCommand({ GroupName: 'admins' }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must remove users from group first.',
    });
    await expect(h.iam.send(new DeleteUserCommand({ UserName: 'bob' }))).rejects.toMatchObject({ name: 'DeleteConflictException' });
    await h.iam.send(new RemoveUserFromGroupCommand({ GroupName: 'admins', UserName: 'bob' }));
    await h.iam.send(new DeleteGroupCommand({ GroupName: 'admins' }));
    await expect(h.iam.send(new GetGroupCommand({ GroupName: 'admins' }))).rejects.toMatchObject({ message: 'The group with name admins cannot be found.' });
  });
});

describe('instance profiles', () => {
  it('holds one role, lists profiles of a role, and refuses deleting either while they are joined', async () => {
    await h.iam.send(new CreateRoleCommand({ RoleName: 'ec2-role', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await h.iam.send(new CreateRoleCommand({ RoleName: 'other-role', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    const { InstanceProfile } = await h.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web', Path: '/apps/' }));
    expect(InstanceProfile).toMatchObject({ InstanceProfileName: 'web', Arn: 'arn:aws:iam::000000000000:instance-profile/apps/web', Roles: [] });
    expect(InstanceProfile!.InstanceProfileId).toMatch(/^AIPA/);
    await h.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'ec2-role' }));
    await expect(h.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'other-role' }))).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
    });
    expect((await h.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' }))).InstanceProfile!.Roles!.map((r) => r.RoleName)).toEqual(['ec2-role']);
    expect((await h.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'ec2-role' }))).InstanceProfiles!.map((p) => p.InstanceProfileName)).toEqual(['web']);
    await expect(h.iam.send(new DeleteRoleCommand({ RoleName: 'ec2-role' }))).rejects.toMatchObject({ message: 'Cannot delete entity, must remove roles from instance profile first.' });
    await expect(h.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web' }))).rejects.toMatchObject({ name: 'DeleteConflictException' });
    await h.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'ec2-role' }));
    await h.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web' }));
    await expect(h.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' }))).rejects.toMatchObject({ name: 'NoSuchEntityException', message: 'Instance Profile web cannot be found.' });
    await h.iam.send(new DeleteRoleCommand({ RoleName: 'ec2-role' }));
  });
});
