import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allow, decoded, LAMBDA_TRUST, startIamNode, type IamNode } from './helpers.js';

/**
 * Managed and inline policies through the node, with the AWS SDK for JavaScript v3. Recorded from AWS
 * (LocalStack's tests/aws/services/iam/test_iam.snapshot.json): test_role_attach_policy and test_user_attach_policy
 * (CreatePolicy's answer; "Invalid ARN:  Could not be parsed!"; "Policy … does not exist or is not attachable."),
 * test_delete_non_existent_policy_returns_no_such_entity ("Policy … was not found."), test_put_role_policy_encoding
 * (documents come back as they were sent).
 */
let h: IamNode;
beforeAll(async () => {
  h = await startIamNode();
  await h.iam.send(new CreateRoleCommand({ RoleName: 'fn-role', AssumeRolePolicyDocument: LAMBDA_TRUST }));
});
afterAll(async () => {
  await h?.close();
});

const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

describe('AWS managed policies', () => {
  it('serves the policies templates attach, with their documents', async () => {
    const { Policy } = await h.iam.send(new GetPolicyCommand({ PolicyArn: BASIC }));
    expect(Policy).toMatchObject({ PolicyName: 'AWSLambdaBasicExecutionRole', Path: '/service-role/', DefaultVersionId: 'v1', IsAttachable: true, Description: 'Provides write permissions to CloudWatch Logs.' });
    const { PolicyVersion } = await h.iam.send(new GetPolicyVersionCommand({ PolicyArn: BASIC, VersionId: 'v1' }));
    expect(decoded(PolicyVersion!.Document)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
    });
    for (const arn of [
      'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaRole',
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      'arn:aws:iam::aws:policy/AmazonS3FullAccess',
      'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
      'arn:aws:iam::aws:policy/AmazonSQSFullAccess',
      'arn:aws:iam::aws:policy/AmazonSNSFullAccess',
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::aws:policy/AWSLambda_FullAccess',
      'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess',
    ]) {
      expect((await h.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.Arn).toBe(arn);
    }
    const admin = await h.iam.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', VersionId: 'v1' }));
    expect(decoded(admin.PolicyVersion!.Document)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  });

  it('attaches them to a role, counts the attachment, and lists only attached policies when asked', async () => {
    await h.iam.send(new AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: BASIC }));
    await h.iam.send(new AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: BASIC })); // attached already: no change
    expect((await h.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'fn-role' }))).AttachedPolicies).toEqual([{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: BASIC }]);
    expect((await h.iam.send(new GetPolicyCommand({ PolicyArn: BASIC }))).Policy!.AttachmentCount).toBe(1);
    const attached = await h.iam.send(new ListPoliciesCommand({ OnlyAttached: true, Scope: 'AWS' }));
    expect(attached.Policies!.map((p) => p.PolicyName)).toEqual(['AWSLambdaBasicExecutionRole']);
    const servicePath = await h.iam.send(new ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/service-role/' }));
    expect(servicePath.Policies!.every((p) => p.Path === '/service-role/')).toBe(true);
    expect(servicePath.Policies!.length).toBeGreaterThanOrEqual(5);
    await h.iam.send(new DetachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: BASIC }));
    await expect(h.iam.send(new DetachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: BASIC }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${BASIC} was not found.`,
    });
  });
});

describe('customer managed policies', () => {
  it('creates a policy and answers as IAM does', async () => {
    const { Policy } = await h.iam.send(new CreatePolicyCommand({ PolicyName: 'read-bucket', PolicyDocument: allow('s3:GetObject', 'arn:aws:s3:::bucket/*'), Description: 'reads' }));
    expect(Policy).toMatchObject({
      PolicyName: 'read-bucket',
      Arn: 'arn:aws:iam::000000000000:policy/read-bucket',
      Path: '/',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
    });
    expect(Policy!.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    await expect(h.iam.send(new CreatePolicyCommand({ PolicyName: 'READ-bucket', PolicyDocument: allow('s3:GetObject') }))).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      message: 'A policy called READ-bucket already exists. Duplicate names are not allowed.',
    });
    const listed = await h.iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(listed.Policies!.map((p) => p.PolicyName)).toContain('read-bucket');
    expect(listed.Policies!.find((p) => p.PolicyName === 'read-bucket')!.Description).toBeUndefined();
  });

  it('validates identity policies as IAM does', async () => {
    const refused = (document: string) => h.iam.send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument: document })).catch((e: Error) => [e.name, e.message]);
    expect(await refused('not json')).toEqual(['MalformedPolicyDocumentException', 'This policy contains invalid Json']);
    expect(await refused('{"Version": "2012-10-17", "Statement": []}')).toEqual(['MalformedPolicyDocumentException', 'Syntax errors in policy.']);
    expect(await refused('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}')).toEqual(['MalformedPolicyDocumentException', 'Policy statement must contain actions.']);
    expect(await refused('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}')).toEqual(['MalformedPolicyDocumentException', 'Policy statement must contain resources.']);
    expect(await refused('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}')).toEqual([
      'MalformedPolicyDocumentException',
      'Policy document should not specify a principal.',
    ]);
    expect(await refused('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}')).toEqual([
      'MalformedPolicyDocumentException',
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ]);
    expect(await refused('{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}')).toEqual(['MalformedPolicyDocumentException', 'Syntax errors in policy.']);
  });

  it('keeps up to five versions, switches the default, and refuses to delete the default version', async () => {
    const { Policy } = await h.iam.send(new CreatePolicyCommand({ PolicyName: 'versioned', PolicyDocument: allow('sqs:SendMessage') }));
    const arn = Policy!.Arn!;
    for (let v = 2; v <= 5; v++) {
      const { PolicyVersion } = await h.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow(`sqs:Action${v}`), SetAsDefault: v === 3 }));
      expect(PolicyVersion).toMatchObject({ VersionId: `v${v}`, IsDefaultVersion: v === 3 });
      expect(PolicyVersion!.Document).toBeUndefined();
    }
    await expect(h.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('sqs:Action6') }))).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      $metadata: { httpStatusCode: 409 },
    });
    expect((await h.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId).toBe('v3');
    const { PolicyVersion } = await h.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    expect(PolicyVersion!.Document).toBe(encodeURIComponent(allow('sqs:Action3')));
    expect(PolicyVersion!.IsDefaultVersion).toBe(true);

    await expect(h.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete the default version of a policy.',
    });
    await h.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
    await h.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    const versions = (await h.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
    expect(versions.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v5', true],
      ['v4', false],
      ['v3', false],
      ['v2', false],
    ]);
    // A new version after a deletion takes the next number; numbers are not reused.
    expect((await h.iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('sqs:Again') }))).PolicyVersion!.VersionId).toBe('v6');
    await expect(h.iam.send(new DeletePolicyCommand({ PolicyArn: arn }))).rejects.toMatchObject({ name: 'DeleteConflictException' });
  });

  it('refuses attaching what does not parse or exist, and deleting a policy still attached', async () => {
    const { Policy } = await h.iam.send(new CreatePolicyCommand({ PolicyName: 'attachable', PolicyDocument: allow('dynamodb:GetItem') }));
    await expect(h.iam.send(new AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: 'attachable-policy-name' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Invalid ARN:  Could not be parsed!',
    });
    const missing = `${Policy!.Arn}123`;
    await expect(h.iam.send(new AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: missing }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${missing} does not exist or is not attachable.`,
    });
    await h.iam.send(new CreateUserCommand({ UserName: 'policy-user' }));
    await h.iam.send(new AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: Policy!.Arn }));
    await h.iam.send(new AttachUserPolicyCommand({ UserName: 'policy-user', PolicyArn: Policy!.Arn }));
    const entities = await h.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: Policy!.Arn }));
    expect(entities.PolicyRoles).toEqual([{ RoleName: 'fn-role', RoleId: expect.stringMatching(/^AROA/) }]);
    expect(entities.PolicyUsers).toEqual([{ UserName: 'policy-user', UserId: expect.stringMatching(/^AIDA/) }]);
    expect((await h.iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!.AttachmentCount).toBe(2);
    await expect(h.iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete a policy attached to entities.',
    });
    await expect(h.iam.send(new DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/non-existent-policy' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'Policy arn:aws:iam::000000000000:policy/non-existent-policy was not found.',
    });
  });
});

describe('inline policies', () => {
  it('stores a role policy as sent and answers it percent-encoded', async () => {
    // The recording's document: an ARN already percent-encoded inside it survives the round trip.
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['apigateway:PUT'], Resource: ['arn:aws:apigateway:us-east-1::/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Faaeeieije'] }] }, null, 2);
    await h.iam.send(new PutRolePolicyCommand({ RoleName: 'fn-role', PolicyName: 'tagging', PolicyDocument: document }));
    const got = await h.iam.send(new GetRolePolicyCommand({ RoleName: 'fn-role', PolicyName: 'tagging' }));
    expect(got).toMatchObject({ RoleName: 'fn-role', PolicyName: 'tagging' });
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(document);
    expect((await h.iam.send(new ListRolePoliciesCommand({ RoleName: 'fn-role' }))).PolicyNames).toEqual(['tagging']);
    await expect(h.iam.send(new GetRolePolicyCommand({ RoleName: 'fn-role', PolicyName: 'absent' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role policy with name absent cannot be found.',
    });
  });

  it("holds a user's inline policies to IAM's 2,048 characters", async () => {
    await h.iam.send(new CreateUserCommand({ UserName: 'small-user' }));
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: 150 }, (_, i) => `s3:Action${i}`), Resource: '*' }] });
    await expect(h.iam.send(new PutUserPolicyCommand({ UserName: 'small-user', PolicyName: 'big', PolicyDocument: big }))).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: 'Maximum policy size of 2048 bytes exceeded for user small-user',
    });
  });
});
