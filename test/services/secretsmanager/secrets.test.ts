import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { failure } from '../ssm/support.js';

let test: TestNode;
let sm: SecretsManagerClient;

beforeAll(async () => {
  test = await startTestNode();
  sm = new SecretsManagerClient(test.config);
});

afterAll(async () => {
  sm.destroy();
  await test.close();
});

async function stagesOf(SecretId: string, IncludeDeprecated = false): Promise<[string, string[] | undefined][]> {
  const { Versions } = await sm.send(new ListSecretVersionIdsCommand({ SecretId, IncludeDeprecated }));
  return (Versions ?? []).map((v) => [v.VersionId!, v.VersionStages]);
}

describe('secrets and their values', () => {
  it('creates a secret with an ARN carrying a six-character suffix, and finds it by name, ARN and partial ARN', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"user":"u","password":"p"}', Description: 'database', Tags: [{ Key: 'env', Value: 'dev' }] }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/db-[A-Za-z0-9]{6}$/);
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    for (const SecretId of ['app/db', created.ARN!, created.ARN!.slice(0, -7)]) {
      const value = await sm.send(new GetSecretValueCommand({ SecretId }));
      expect(value).toMatchObject({ ARN: created.ARN, Name: 'app/db', SecretString: '{"user":"u","password":"p"}', VersionId: created.VersionId, VersionStages: ['AWSCURRENT'] });
    }
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    expect(described).toMatchObject({ Name: 'app/db', Description: 'database', Tags: [{ Key: 'env', Value: 'dev' }], VersionIdsToStages: { [created.VersionId!]: ['AWSCURRENT'] } });
    expect(described.LastAccessedDate).toBeInstanceOf(Date);
    expect(described.RotationEnabled).toBeUndefined();
  });

  it('answers errors as Secrets Manager words them', async () => {
    // Recorded from AWS: LocalStack's test_secretsmanager.snapshot.json (test_secret_not_found, test_invalid_secret_name,
    // test_secret_exists_snapshots, test_secret_version_not_found, test_get_secret_value_errors).
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'nope' })))).toEqual({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
    expect(await failure(sm.send(new CreateSecretCommand({ Name: 'Inv Name', SecretString: 'x' })))).toEqual({
      name: 'ValidationException',
      message: 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    });
    expect(await failure(sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'x' })))).toEqual({ name: 'ResourceExistsException', message: 'The operation failed because the secret app/db already exists.' });
    await sm.send(new CreateSecretCommand({ Name: 'empty' }));
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'empty' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    });
    expect((await failure(sm.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionStage: 'AWSPREVIOUS' })))).message).toBe(
      "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    );
    const current = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionId: current.VersionId, VersionStage: 'AWSPENDING' })))).toEqual({
      name: 'InvalidRequestException',
      message: 'You provided a VersionStage that is not associated to the provided VersionId.',
    });
  });

  it('keeps binary secrets as bytes', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    await sm.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
    const value = await sm.send(new GetSecretValueCommand({ SecretId: 'binary' }));
    expect(value.SecretString).toBeUndefined();
    expect([...value.SecretBinary!]).toEqual([0, 1, 2, 255]);
  });

  it('moves AWSCURRENT to each new value and AWSPREVIOUS to the one before', async () => {
    const first = await sm.send(new CreateSecretCommand({ Name: 'stages', SecretString: 'v1' }));
    const second = await sm.send(new PutSecretValueCommand({ SecretId: 'stages', SecretString: 'v2' }));
    expect(second.VersionStages).toEqual(['AWSCURRENT']);
    const third = await sm.send(new UpdateSecretCommand({ SecretId: 'stages', SecretString: 'v3', Description: 'now described' }));
    // As recorded (test_deprecated_secret_version_stage): the first version has no stage left and is listed only as deprecated.
    expect(await stagesOf('stages')).toEqual([
      [second.VersionId, ['AWSPREVIOUS']],
      [third.VersionId, ['AWSCURRENT']],
    ]);
    expect(await stagesOf('stages', true)).toEqual([
      [first.VersionId, undefined],
      [second.VersionId, ['AWSPREVIOUS']],
      [third.VersionId, ['AWSCURRENT']],
    ]);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'stages', VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('v2');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'stages', VersionId: first.VersionId }))).SecretString).toBe('v1');
  });

  it('keeps a pending version beside the current one and promotes it with UpdateSecretVersionStage', async () => {
    const first = await sm.send(new CreateSecretCommand({ Name: 'pending', SecretString: 'S1' }));
    const pending = await sm.send(new PutSecretValueCommand({ SecretId: 'pending', SecretString: 'S2', VersionStages: ['AWSPENDING'] }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'pending' }))).SecretString).toBe('S1');
    const refused = await failure(sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'pending', VersionStage: 'AWSCURRENT', MoveToVersionId: pending.VersionId })));
    expect(refused.name).toBe('InvalidParameterException');
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'pending', VersionStage: 'AWSCURRENT', MoveToVersionId: pending.VersionId, RemoveFromVersionId: first.VersionId }));
    // As recorded (test_update_secret_version_stages_current_pending).
    expect(await stagesOf('pending')).toEqual([
      [first.VersionId, ['AWSPREVIOUS']],
      [pending.VersionId, ['AWSCURRENT', 'AWSPENDING']],
    ]);
    const third = await sm.send(new PutSecretValueCommand({ SecretId: 'pending', SecretString: 'SS3' }));
    expect(await stagesOf('pending')).toEqual([
      [pending.VersionId, ['AWSPREVIOUS']],
      [third.VersionId, ['AWSCURRENT']],
    ]);
  });

  it('answers a repeated token with the same value as before, and refuses another value under it', async () => {
    const token = 'a1b2c3d4-0000-4000-8000-000000000001';
    const first = await sm.send(new PutSecretValueCommand({ SecretId: 'stages', SecretString: 'v4', ClientRequestToken: token }));
    const again = await sm.send(new PutSecretValueCommand({ SecretId: 'stages', SecretString: 'v4', ClientRequestToken: token }));
    expect(again.VersionId).toBe(first.VersionId);
    expect((await failure(sm.send(new PutSecretValueCommand({ SecretId: 'stages', SecretString: 'other', ClientRequestToken: token })))).name).toBe('ResourceExistsException');
  });
});

describe('listing, tags and deletion', () => {
  it('lists secrets with filters and pages', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'list/one', SecretString: 'x', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await sm.send(new CreateSecretCommand({ Name: 'list/two', SecretString: 'x', Description: 'second one' }));
    const byName = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }], SortOrder: 'asc' }));
    expect(byName.SecretList?.map((s) => s.Name)).toEqual(['list/one', 'list/two']);
    expect(byName.SecretList?.[0]?.SecretVersionsToStages).toBeDefined();
    const byTag = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-value', Values: ['blue'] }] }));
    expect(byTag.SecretList?.map((s) => s.Name)).toEqual(['list/one']);
    const negated = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/', '!list/one'] }] }));
    expect(negated.SecretList?.map((s) => s.Name)).toEqual(['list/two']);
    const page = await sm.send(new ListSecretsCommand({ MaxResults: 2 }));
    expect(page.SecretList).toHaveLength(2);
    const rest = await sm.send(new ListSecretsCommand({ MaxResults: 100, NextToken: page.NextToken }));
    expect(rest.SecretList?.map((s) => s.Name)).not.toContain(page.SecretList?.[0]?.Name);
  });

  it('tags and untags a secret', async () => {
    await sm.send(new TagResourceCommand({ SecretId: 'list/one', Tags: [{ Key: 'owner', Value: 'me' }] }));
    await sm.send(new UntagResourceCommand({ SecretId: 'list/one', TagKeys: ['team'] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'list/one' }))).Tags).toEqual([{ Key: 'owner', Value: 'me' }]);
  });

  it('schedules a deletion, refuses reads meanwhile, restores, and force-deletes', async () => {
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 'list/two', RecoveryWindowInDays: 7 }));
    expect(deleted.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    // Recorded: test_tag_untag_resource_on_deleted_secret, test_exp_raised_on_creation_of_secret_scheduled_for_deletion.
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'list/two' })))).toEqual({
      name: 'InvalidRequestException',
      message: "You can't perform this operation on the secret because it was marked for deletion.",
    });
    expect((await failure(sm.send(new CreateSecretCommand({ Name: 'list/two', SecretString: 'y' })))).message).toBe(
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'list/two' }))).DeletedDate).toBeInstanceOf(Date);
    expect((await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/two'] }] }))).SecretList).toEqual([]);
    expect((await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true, Filters: [{ Key: 'name', Values: ['list/two'] }] }))).SecretList).toHaveLength(1);
    await sm.send(new RestoreSecretCommand({ SecretId: 'list/two' }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'list/two' }))).SecretString).toBe('x');
    expect((await failure(sm.send(new DeleteSecretCommand({ SecretId: 'list/two', RecoveryWindowInDays: 3 })))).name).toBe('InvalidParameterException');
    await sm.send(new DeleteSecretCommand({ SecretId: 'list/two', ForceDeleteWithoutRecovery: true }));
    expect((await failure(sm.send(new DescribeSecretCommand({ SecretId: 'list/two' })))).name).toBe('ResourceNotFoundException');
    await sm.send(new CreateSecretCommand({ Name: 'list/two', SecretString: 'again' }));
  });

  it('reads several secrets at once, reporting the ones it cannot read', async () => {
    const batch = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['list/one', 'missing'] }));
    expect(batch.SecretValues?.map((v) => v.Name)).toEqual(['list/one']);
    expect(batch.Errors).toEqual([{ SecretId: 'missing', ErrorCode: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." }]);
  });
});

describe('GetRandomPassword', () => {
  it('makes 32 characters of every type by default, and honours exclusions', async () => {
    const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({}));
    expect(RandomPassword).toHaveLength(32);
    for (const type of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(RandomPassword).toMatch(type);
    const plain = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 20, ExcludePunctuation: true, ExcludeCharacters: 'abc' }));
    expect(plain.RandomPassword).toMatch(/^[d-zA-Z0-9]{20}$/);
  });
});
