import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
  type Role,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allow, decoded, LAMBDA_TRUST, startIamNode, type IamNode } from './helpers.js';

/**
 * IAM roles through the node, with the AWS SDK for JavaScript v3. Shapes recorded from AWS are LocalStack's
 * (tests/aws/services/iam/test_iam.snapshot.json), by test: test_create_describe_role and test_role_with_tags
 * (what CreateRole, GetRole and ListRoles each include), test_create_role_with_malformed_assume_role_policy_document
 * ("This policy contains invalid Json"), test_role_with_path_lifecycle (paths in ARNs).
 */
let h: IamNode;
beforeAll(async () => {
  h = await startIamNode();
});
afterAll(async () => {
  await h?.close();
});

const create = (name: string, extra: Partial<{ Path: string; Description: string; MaxSessionDuration: number; Tags: { Key: string; Value: string }[] }> = {}): Promise<Role> =>
  h.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: LAMBDA_TRUST, ...extra })).then((r) => r.Role!);

describe('roles', () => {
  it('creates a role and answers CreateRole, GetRole and ListRoles with the members IAM gives each', async () => {
    const created = await create('lambda-exec', { Path: '/service/', Tags: [{ Key: 'team', Value: 'payments' }] });
    expect(created).toMatchObject({ Path: '/service/', RoleName: 'lambda-exec', Arn: 'arn:aws:iam::000000000000:role/service/lambda-exec', Tags: [{ Key: 'team', Value: 'payments' }] });
    expect(created.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(created.CreateDate).toBeInstanceOf(Date);
    expect(created.MaxSessionDuration).toBeUndefined();
    expect(created.RoleLastUsed).toBeUndefined();
    // The document comes back percent-encoded, as IAM sends it, and exactly as it was sent.
    expect(created.AssumeRolePolicyDocument).toBe(encodeURIComponent(LAMBDA_TRUST));

    const { Role } = await h.iam.send(new GetRoleCommand({ RoleName: 'lambda-exec' }));
    expect(Role).toMatchObject({ RoleId: created.RoleId, MaxSessionDuration: 3600, RoleLastUsed: {}, Tags: [{ Key: 'team', Value: 'payments' }] });
    expect(decoded(Role!.AssumeRolePolicyDocument)).toEqual(JSON.parse(LAMBDA_TRUST));

    const listed = (await h.iam.send(new ListRolesCommand({ PathPrefix: '/service/' }))).Roles!;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ RoleName: 'lambda-exec', MaxSessionDuration: 3600 });
    expect(listed[0]!.Tags).toBeUndefined();
    expect(listed[0]!.RoleLastUsed).toBeUndefined();
  });

  it('refuses a second role of the same name in any case, and answers NoSuchEntity for a role that is not there', async () => {
    await create('Unique-Role');
    await expect(create('unique-role')).rejects.toMatchObject({ name: 'EntityAlreadyExistsException', message: 'Role with name unique-role already exists.', $metadata: { httpStatusCode: 409 } });
    await expect(h.iam.send(new GetRoleCommand({ RoleName: 'absent' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name absent cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("answers errors in IAM's XML", async () => {
    const response = await fetch(`${h.node.config.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' },
      body: 'Action=GetRole&Version=2010-05-08&RoleName=missing',
    });
    expect(response.status).toBe(404);
    const requestId = response.headers.get('x-amzn-requestid');
    expect(await response.text()).toBe(
      `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name missing cannot be found.</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  });

  it('validates the trust policy as IAM does', async () => {
    const refused = async (document: string) => h.iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: document })).catch((e: Error) => [e.name, e.message]);
    expect(await refused('{"Version": "2012-10-17", "Statement": [')).toEqual(['MalformedPolicyDocumentException', 'This policy contains invalid Json']);
    expect(await refused('{"Version": "2012-10-17"}')).toEqual(['MalformedPolicyDocumentException', 'Syntax errors in policy.']);
    expect(await refused('{"Version": "2013-01-01", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}')).toEqual([
      'MalformedPolicyDocumentException',
      'The policy failed legacy parsing',
    ]);
    expect(await refused('{"Version": "2012-10-17", "Statement": [{"Principal": "*", "Action": "sts:AssumeRole"}]}')).toEqual(['MalformedPolicyDocumentException', 'Missing required field Effect']);
    expect(await refused('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}')).toEqual(['MalformedPolicyDocumentException', 'Missing required field Principal']);
    expect(await refused(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }] }))).toEqual([
      'MalformedPolicyDocumentException',
      'Has prohibited field Resource',
    ]);
  });

  it('keeps MaxSessionDuration between one and twelve hours, as the model says', async () => {
    await expect(create('too-short', { MaxSessionDuration: 3599 })).rejects.toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    });
    await create('adjustable');
    await h.iam.send(new UpdateRoleCommand({ RoleName: 'adjustable', MaxSessionDuration: 43200, Description: 'twelve hours' }));
    expect((await h.iam.send(new GetRoleCommand({ RoleName: 'adjustable' }))).Role).toMatchObject({ MaxSessionDuration: 43200, Description: 'twelve hours' });
    await expect(h.iam.send(new UpdateRoleCommand({ RoleName: 'adjustable', MaxSessionDuration: 43201 }))).rejects.toMatchObject({
      message: "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
    });
    const { Role } = await h.iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'adjustable', Description: 'updated' }));
    expect(Role!.Description).toBe('updated');
  });

  it('replaces the trust policy and tags', async () => {
    await create('changing');
    const ec2Trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] });
    await h.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'changing', PolicyDocument: ec2Trust }));
    expect(decoded((await h.iam.send(new GetRoleCommand({ RoleName: 'changing' }))).Role!.AssumeRolePolicyDocument)).toEqual(JSON.parse(ec2Trust));
    await h.iam.send(new TagRoleCommand({ RoleName: 'changing', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await h.iam.send(new TagRoleCommand({ RoleName: 'changing', Tags: [{ Key: 'A', Value: '3' }] }));
    await h.iam.send(new UntagRoleCommand({ RoleName: 'changing', TagKeys: ['b'] }));
    expect((await h.iam.send(new ListRoleTagsCommand({ RoleName: 'changing' }))).Tags).toEqual([{ Key: 'A', Value: '3' }]);
  });

  it('refuses to delete a role that still has policies (DeleteConflict), and deletes it once they are gone', async () => {
    await create('with-policies');
    const arn = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    await h.iam.send(new AttachRolePolicyCommand({ RoleName: 'with-policies', PolicyArn: arn }));
    await h.iam.send(new PutRolePolicyCommand({ RoleName: 'with-policies', PolicyName: 'inline', PolicyDocument: allow('s3:GetObject') }));
    await expect(h.iam.send(new DeleteRoleCommand({ RoleName: 'with-policies' }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must detach all policies first.',
      $metadata: { httpStatusCode: 409 },
    });
    await h.iam.send(new DetachRolePolicyCommand({ RoleName: 'with-policies', PolicyArn: arn }));
    await expect(h.iam.send(new DeleteRoleCommand({ RoleName: 'with-policies' }))).rejects.toMatchObject({ message: 'Cannot delete entity, must delete policies first.' });
    await h.iam.send(new DeleteRolePolicyCommand({ RoleName: 'with-policies', PolicyName: 'inline' }));
    await h.iam.send(new DeleteRoleCommand({ RoleName: 'with-policies' }));
    await expect(h.iam.send(new GetRoleCommand({ RoleName: 'with-policies' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('sets a permissions boundary that must be an existing managed policy, and counts its use', async () => {
    await create('bounded');
    const arn = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
    await h.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded', PermissionsBoundary: arn }));
    expect((await h.iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role!.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn });
    const boundaries = await h.iam.send(new ListPoliciesCommand({ OnlyAttached: true, PolicyUsageFilter: 'PermissionsBoundary' }));
    expect(boundaries.Policies!.map((p) => [p.PolicyName, p.PermissionsBoundaryUsageCount])).toEqual([['AmazonS3ReadOnlyAccess', 1]]);
    const missing = 'arn:aws:iam::000000000000:policy/not-there';
    await expect(h.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded', PermissionsBoundary: missing }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Scope ARN: ${missing} does not exist or is not attachable.`,
    });
    await h.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded' }));
    expect((await h.iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role!.PermissionsBoundary).toBeUndefined();
  });

  it('pages ListRoles with MaxItems, IsTruncated and Marker', async () => {
    for (let i = 0; i < 5; i++) await create(`paged-${i}`, { Path: '/paged/' });
    const first = await h.iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
    expect(first.Roles!.map((r) => r.RoleName)).toEqual(['paged-0', 'paged-1']);
    expect(first.IsTruncated).toBe(true);
    const second = await h.iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: first.Marker }));
    expect(second.Roles!.map((r) => r.RoleName)).toEqual(['paged-2', 'paged-3']);
    const last = await h.iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: second.Marker }));
    expect(last.Roles!.map((r) => r.RoleName)).toEqual(['paged-4']);
    expect(last.IsTruncated).toBe(false);
    expect(last.Marker).toBeUndefined();
    await expect(h.iam.send(new ListRolesCommand({ MaxItems: 1001 }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
