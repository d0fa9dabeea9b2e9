import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  PublishVersionCommand,
  type LambdaClient,
  RemovePermissionCommand,
  UpdateFunctionConfigurationCommand,
  type AddPermissionCommandInput,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, fnArn, refusal, REGION, startClientNode, type ClientNode, type Refusal } from './clients.js';
import { echoZip, ROLE } from './harness.js';

/**
 * Resource-based policies through real clients. Expected documents and messages are AWS's, as LocalStack's
 * recordings of Lambda hold them (tests/aws/services/lambda_/test_lambda_api.snapshot.json):
 * TestLambdaPermissions::test_permission_exceptions, test_add_lambda_permission_aws, test_add_lambda_permission_fields,
 * test_lambda_permission_fn_versioning, test_remove_multi_permissions, and TestLambdaRevisions::
 * test_function_revisions_permissions.
 */

const BUCKET_ARN = 'arn:aws:s3:::test-bucket';

/** An S3 statement as Lambda renders it. */
function s3Statement(sid: string, resource: string): Record<string, unknown> {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: resource,
    Condition: { ArnLike: { 'AWS:SourceArn': BUCKET_ARN } },
  };
}

describe('Lambda API: resource-based policies', () => {
  let node: ClientNode;
  let lambda: LambdaClient;

  const create = (name: string): Promise<unknown> =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: echoZip() } }));
  const s3Permission = (name: string, sid: string, extra: Partial<AddPermissionCommandInput> = {}): Promise<{ Statement?: string }> =>
    lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: BUCKET_ARN, ...extra }));
  const policyOf = async (name: string, qualifier?: string): Promise<{ document: Record<string, unknown>; revisionId: string | undefined }> => {
    const got = await lambda.send(new GetPolicyCommand({ FunctionName: name, Qualifier: qualifier }));
    return { document: JSON.parse(got.Policy ?? '{}') as Record<string, unknown>, revisionId: got.RevisionId };
  };

  beforeAll(async () => {
    node = await startClientNode();
    lambda = node.lambda;
  });
  afterAll(async () => {
    await node.close();
  });

  it('AddPermission answers 201 with the statement, and GetPolicy the policy document, as Lambda renders them', async () => {
    await create('policy-basic');
    const added = await s3Permission('policy-basic', 's3');
    expect(JSON.parse(added.Statement ?? '')).toEqual(s3Statement('s3', fnArn('policy-basic')));
    // Key order is part of what clients see in the JSON string: Lambda's is Sid, Effect, Principal, Action, Resource, Condition.
    expect(added.Statement).toBe(JSON.stringify(s3Statement('s3', fnArn('policy-basic'))));

    await lambda.send(new AddPermissionCommand({ FunctionName: 'policy-basic', StatementId: 'sqs', Action: 'lambda:InvokeFunction', Principal: 'sqs.amazonaws.com' }));
    const policy = await policyOf('policy-basic');
    expect(policy.document).toEqual({
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        s3Statement('s3', fnArn('policy-basic')),
        { Sid: 'sqs', Effect: 'Allow', Principal: { Service: 'sqs.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: fnArn('policy-basic') },
      ],
    });
    expect(policy.revisionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('renders each kind of principal and every condition Lambda writes', async () => {
    await create('policy-fields');
    const statementOf = async (input: Partial<AddPermissionCommandInput>): Promise<unknown> => {
      const added = await lambda.send(new AddPermissionCommand({ FunctionName: 'policy-fields', Action: 'lambda:InvokeFunction', StatementId: 'x', Principal: '*', ...input }));
      return JSON.parse(added.Statement ?? '');
    };
    const base = { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fnArn('policy-fields') };
    expect(await statementOf({ StatementId: 'wildcard', Principal: '*', SourceAccount: ACCOUNT })).toEqual({
      Sid: 'wildcard', ...base, Principal: '*', Condition: { StringEquals: { 'AWS:SourceAccount': ACCOUNT } },
    });
    expect(await statementOf({ StatementId: 'account', Principal: '111122223333' })).toEqual({
      Sid: 'account', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'lambda:InvokeFunction', Resource: fnArn('policy-fields'),
    });
    const user = `arn:aws:iam::${ACCOUNT}:user/alice`;
    expect(await statementOf({ StatementId: 'user', Principal: user })).toMatchObject({ Principal: { AWS: user } });
    expect(await statementOf({
      StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', SourceArn: BUCKET_ARN, SourceAccount: ACCOUNT, PrincipalOrgID: 'o-1234567890', FunctionUrlAuthType: 'NONE',
    })).toEqual({
      Sid: 'url', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: fnArn('policy-fields'),
      Condition: {
        StringEquals: { 'AWS:SourceAccount': ACCOUNT, 'lambda:FunctionUrlAuthType': 'NONE', 'aws:PrincipalOrgID': 'o-1234567890' },
        ArnLike: { 'AWS:SourceArn': BUCKET_ARN },
      },
    });
    const token = 'amzn1.ask.skill.xxxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';
    expect(await statementOf({ StatementId: 'alexa', EventSourceToken: token })).toMatchObject({ Condition: { StringEquals: { 'lambda:EventSourceToken': token } } });

    expect(await refusal(statementOf({ StatementId: 'bad', Principal: 'invalid.nonaws.com', SourceAccount: ACCOUNT }))).toEqual({
      name: 'InvalidParameterValueException', status: 400, message: 'The provided principal was invalid. Please check the principal and try again.',
    });
  });

  it('refuses what Lambda refuses, in its words', async () => {
    await create('policy-errors');
    expect(await refusal(s3Permission('policy-errors', 'example.com'))).toEqual({
      name: 'ValidationException', status: 400,
      message: "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)",
    });
    expect(await refusal(s3Permission('policy-errors:alias-not-42', 's3', { Qualifier: '42' }))).toEqual({
      name: 'InvalidParameterValueException', status: 400, message: 'The derived qualifier from the function name does not match the specified qualifier.',
    });
    expect(await refusal(s3Permission('policy-errors:$LATEST', 's3', { Qualifier: '$LATEST' }))).toEqual({
      name: 'InvalidParameterValueException', status: 400, message: 'We currently do not support adding policies for $LATEST.',
    });
    const notFound = (message: string): Refusal => ({ name: 'ResourceNotFoundException', status: 404, message });
    expect(await refusal(lambda.send(new GetPolicyCommand({ FunctionName: 'doesnotexist' })))).toEqual(notFound('The resource you requested does not exist.'));
    expect(await refusal(lambda.send(new GetPolicyCommand({ FunctionName: 'policy-errors', Qualifier: '77' })))).toEqual(notFound('The resource you requested does not exist.'));
    expect(await refusal(lambda.send(new GetPolicyCommand({ FunctionName: 'policy-errors' })))).toEqual(notFound('The resource you requested does not exist.'));
    expect(await refusal(s3Permission('doesnotexist', 's3'))).toEqual(notFound(`Function not found: ${fnArn('doesnotexist')}`));
    expect(await refusal(lambda.send(new RemovePermissionCommand({ FunctionName: 'policy-errors', StatementId: 's3' })))).toEqual(
      notFound('No policy is associated with the given resource.'),
    );
    expect(await refusal(s3Permission('policy-errors:alias-doesnotexist', 's3'))).toEqual(notFound(`Cannot find alias arn: ${fnArn('policy-errors', 'alias-doesnotexist')}`));
    expect(await refusal(s3Permission('policy-errors', 's3', { Qualifier: '42' }))).toEqual(notFound(`Function not found: ${fnArn('policy-errors', '42')}`));
    expect(await refusal(s3Permission('policy-errors', 's3', { Qualifier: 'valid-with-$-but-doesnotexist' }))).toEqual(
      notFound(`Function not found: ${fnArn('policy-errors', 'valid-with-$-but-doesnotexist')}`),
    );

    await s3Permission('policy-errors', 's3');
    expect(await refusal(s3Permission('policy-errors', 's3'))).toEqual({
      name: 'ResourceConflictException', status: 409,
      message: 'The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.',
    });
    expect(await refusal(lambda.send(new RemovePermissionCommand({ FunctionName: 'doesnotexist', StatementId: 's3' })))).toEqual(
      notFound(`No policy found for: ${fnArn('doesnotexist')}`),
    );
    expect(await refusal(lambda.send(new RemovePermissionCommand({ FunctionName: 'policy-errors', StatementId: 's3', Qualifier: 'alias-doesnotexist' })))).toEqual(
      notFound(`Cannot find alias arn: ${fnArn('policy-errors', 'alias-doesnotexist')}`),
    );
    expect(await refusal(lambda.send(new RemovePermissionCommand({ FunctionName: 'policy-errors', StatementId: 'non-existent' })))).toEqual(
      notFound('Statement non-existent is not found in resource policy.'),
    );
  });

  it('keeps one policy per function, version and alias, with RevisionId preconditions', async () => {
    await create('policy-versions');
    await s3Permission('policy-versions', 's3');
    const version = (await lambda.send(new PublishVersionCommand({ FunctionName: 'policy-versions' }))).Version ?? '';
    // Permissions apply to what they were added to: the new version starts without a policy.
    expect(await refusal(policyOf('policy-versions', version))).toMatchObject({ name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.' });

    await s3Permission(`policy-versions:${version}`, 's3', { Qualifier: version });
    expect((await policyOf('policy-versions', version)).document.Statement).toEqual([s3Statement('s3', fnArn('policy-versions', version))]);

    const alias = await lambda.send(new CreateAliasCommand({ FunctionName: 'policy-versions', Name: 'permission-alias', FunctionVersion: version }));
    expect(await refusal(s3Permission('policy-versions', 's3', { Qualifier: 'permission-alias', RevisionId: 'wrong' }))).toEqual({
      name: 'PreconditionFailedException', status: 412,
      message: 'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id',
    });
    await s3Permission('policy-versions:permission-alias', 's3', { Qualifier: 'permission-alias', RevisionId: alias.RevisionId });
    expect((await policyOf('policy-versions', 'permission-alias')).document.Statement).toEqual([s3Statement('s3', fnArn('policy-versions', 'permission-alias'))]);

    const before = await policyOf('policy-versions');
    expect(before.document.Statement).toEqual([s3Statement('s3', fnArn('policy-versions'))]);
    await s3Permission('policy-versions', 's3_2', { RevisionId: before.revisionId });
    const after = await policyOf('policy-versions');
    expect(after.revisionId).not.toBe(before.revisionId);
    expect((after.document.Statement as unknown[]).length).toBe(2);
    expect(await refusal(lambda.send(new RemovePermissionCommand({ FunctionName: 'policy-versions', StatementId: 's3', RevisionId: before.revisionId })))).toMatchObject({
      name: 'PreconditionFailedException',
    });

    // An alias made again under the same name starts without the old one's policy.
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'policy-versions', Name: 'permission-alias' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'policy-versions', Name: 'permission-alias', FunctionVersion: version }));
    expect(await refusal(policyOf('policy-versions', 'permission-alias'))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it("accepts the function's RevisionId before the first statement, and removing the last statement removes the policy", async () => {
    await create('policy-revisions');
    const revision = (await lambda.send(new GetFunctionCommand({ FunctionName: 'policy-revisions' }))).Configuration?.RevisionId;
    expect(await refusal(s3Permission('policy-revisions', 's3', { RevisionId: 'wrong' }))).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    await s3Permission('policy-revisions', 's3', { RevisionId: revision });
    const policy = await policyOf('policy-revisions');
    expect(await refusal(lambda.send(new RemovePermissionCommand({ FunctionName: 'policy-revisions', StatementId: 's3', RevisionId: 'wrong' })))).toMatchObject({
      name: 'PreconditionFailedException',
    });
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'policy-revisions', StatementId: 's3', RevisionId: policy.revisionId }));
    expect(await refusal(policyOf('policy-revisions'))).toEqual({ name: 'ResourceNotFoundException', status: 404, message: 'The resource you requested does not exist.' });
  });

  it('keeps the policy across configuration updates, and drops it with the function', async () => {
    await create('policy-lifecycle');
    await s3Permission('policy-lifecycle', 's3');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'policy-lifecycle', Description: 'changed' }));
    expect((await policyOf('policy-lifecycle')).document.Statement).toEqual([s3Statement('s3', fnArn('policy-lifecycle'))]);

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'policy-lifecycle' }));
    await create('policy-lifecycle');
    expect(await refusal(policyOf('policy-lifecycle'))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses a policy over 20 KB with PolicyLengthExceededException', async () => {
    await create('policy-size');
    const long = `arn:aws:s3:::${'b'.repeat(900)}`;
    let refused: Refusal | undefined;
    for (let i = 0; i < 40 && refused === undefined; i++) {
      refused = await s3Permission('policy-size', `s${i}`, { SourceArn: long }).then(
        () => undefined,
        (error: { name?: string; message: string; $metadata?: { httpStatusCode?: number } }) => ({ name: error.name, status: error.$metadata?.httpStatusCode, message: error.message }),
      );
    }
    expect(refused).toEqual({ name: 'PolicyLengthExceededException', status: 400, message: expect.stringMatching(/^The final policy size \(\d+\) is bigger than the limit \(20480\)\.$/) });
  });

  it("drives add-permission, get-policy and remove-permission with Debian's aws CLI", async () => {
    await create('policy-cli');
    const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
      const stdout = await node.aws(...args);
      return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
    };
    const added = await aws('add-permission', '--function-name', 'policy-cli', '--statement-id', 's3', '--action', 'lambda:InvokeFunction', '--principal', 's3.amazonaws.com', '--source-arn', BUCKET_ARN, '--source-account', ACCOUNT);
    expect(JSON.parse(added.Statement as string)).toEqual({
      ...s3Statement('s3', fnArn('policy-cli')),
      Condition: { StringEquals: { 'AWS:SourceAccount': ACCOUNT }, ArnLike: { 'AWS:SourceArn': BUCKET_ARN } },
    });
    const policy = await aws('get-policy', '--function-name', 'policy-cli');
    expect(JSON.parse(policy.Policy as string)).toMatchObject({ Version: '2012-10-17', Id: 'default', Statement: [{ Sid: 's3' }] });
    await aws('remove-permission', '--function-name', 'policy-cli', '--statement-id', 's3');
    const missing = await node.aws('get-policy', '--function-name', 'policy-cli').then(
      () => '',
      (error: { stderr: string }) => error.stderr.trim(),
    );
    expect(missing).toBe('An error occurred (ResourceNotFoundException) when calling the GetPolicy operation: The resource you requested does not exist.');
  });

  it("drives add_permission and get_policy with Debian's boto3", async () => {
    await create('policy-boto');
    const script = `
import boto3, json, sys
client = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='${REGION}', aws_access_key_id='test', aws_secret_access_key='test')
added = client.add_permission(FunctionName='policy-boto', StatementId='events', Action='lambda:InvokeFunction', Principal='events.amazonaws.com', SourceArn='arn:aws:events:${REGION}:${ACCOUNT}:rule/r')
policy = client.get_policy(FunctionName='policy-boto')
try:
    client.add_permission(FunctionName='policy-boto', StatementId='events', Action='lambda:InvokeFunction', Principal='events.amazonaws.com')
    conflict = None
except client.exceptions.ResourceConflictException as e:
    conflict = e.response['Error']['Message']
print(json.dumps({'status': added['ResponseMetadata']['HTTPStatusCode'], 'statement': json.loads(added['Statement']), 'policy': json.loads(policy['Policy']), 'conflict': conflict}))
`;
    const stdout = await node.boto(script);
    const statement = {
      Sid: 'events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: fnArn('policy-boto'),
      Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:events:${REGION}:${ACCOUNT}:rule/r` } },
    };
    expect(JSON.parse(stdout)).toEqual({
      status: 201,
      statement,
      policy: { Version: '2012-10-17', Id: 'default', Statement: [statement] },
      conflict: 'The statement id (events) provided already exists. Please provide a new statement id, or remove the existing statement.',
    });
  });
});
