import {
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  type InvokeMode,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { createNodeFunction, sourceZip } from './stream-harness.js';

/**
 * The function URL configuration API through the SDK v3. Expected shapes and messages are LocalStack's recordings of
 * AWS: tests/aws/services/lambda_/test_lambda_api.snapshot.json, TestLambdaUrl (test_url_config_lifecycle,
 * test_url_config_list_paging, test_url_config_exceptions, test_url_config_deletion_without_qualifier) and
 * test_lambda.snapshot.json TestLambdaURL::test_lambda_url_invalid_invoke_mode.
 */
describe('Lambda API: function URL configurations', () => {
  let t: TestNode;
  let lambda: LambdaClient;
  const URL_SHAPE = /^https:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws\/$/;
  const arn = (name: string, qualifier?: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}${qualifier ? `:${qualifier}` : ''}`;

  beforeAll(async () => {
    t = await startTestNode();
    lambda = new LambdaClient(t.config);
    await createNodeFunction(lambda, 'web', sourceZip('exports.handler = async () => "hi";'));
    const version = await lambda.send(new PublishVersionCommand({ FunctionName: 'web' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'web', Name: 'live', FunctionVersion: version.Version }));
  });
  afterAll(async () => {
    lambda.destroy();
    await t.close();
  });

  it('creates, reads, updates, lists and deletes a URL with the fields Lambda answers', async () => {
    const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.FunctionUrl).toMatch(URL_SHAPE);
    expect(created.FunctionArn).toBe(arn('web'));
    expect(created.AuthType).toBe('NONE');
    // InvokeMode is echoed on create only when it was given.
    expect(created.InvokeMode).toBeUndefined();
    expect(created.CreationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    const got = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }));
    expect(got).toMatchObject({ FunctionUrl: created.FunctionUrl, AuthType: 'NONE', InvokeMode: 'BUFFERED', CreationTime: created.CreationTime });
    expect(got.LastModifiedTime).toBeDefined();

    const cors = { AllowOrigins: ['https://example.com'], AllowMethods: ['GET', 'POST'], MaxAge: 60 };
    const updated = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'AWS_IAM', Cors: cors }));
    expect(updated).toMatchObject({ FunctionUrl: created.FunctionUrl, AuthType: 'AWS_IAM', Cors: cors });
    expect(updated.InvokeMode).toBeUndefined();

    const alias = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live', AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' }));
    expect(alias.FunctionArn).toBe(arn('web', 'live'));
    expect(alias.InvokeMode).toBe('RESPONSE_STREAM');
    expect(alias.FunctionUrl).not.toBe(created.FunctionUrl);

    const listed = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web' }));
    expect(listed.FunctionUrlConfigs!.map((c) => [c.FunctionArn, c.InvokeMode])).toEqual([
      [arn('web'), 'BUFFERED'],
      [arn('web', 'live'), 'RESPONSE_STREAM'],
    ]);
    const firstPage = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web', MaxItems: 1 }));
    expect(firstPage.FunctionUrlConfigs).toHaveLength(1);
    const secondPage = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web', MaxItems: 1, Marker: firstPage.NextMarker }));
    expect(secondPage.FunctionUrlConfigs![0]!.FunctionArn).toBe(arn('web', 'live'));
    expect(secondPage.NextMarker).toBeUndefined();

    // Deleting the function's URL leaves the alias's (test_url_config_deletion_without_qualifier).
    const deleted = await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'web' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expect(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The resource you requested does not exist.',
    });
    expect((await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web', Qualifier: 'live' }))).AuthType).toBe('NONE');
  });

  it('refuses a second URL for the same function with ResourceConflictException', async () => {
    await createNodeFunction(lambda, 'twice', sourceZip('exports.handler = async () => 1;'));
    await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'twice', AuthType: 'NONE' }));
    await expect(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'twice', AuthType: 'NONE' }))).rejects.toMatchObject({
      name: 'ResourceConflictException',
      $metadata: { httpStatusCode: 409 },
      message: `Failed to create function url config for [functionArn = ${arn('twice')}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    });
  });

  it('words missing functions, aliases, versions and $LATEST as Lambda does', async () => {
    const refusal = (error: unknown): { name: string; message: string; status: number | undefined } => {
      const e = error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
      return { name: e.name, message: e.message, status: e.$metadata.httpStatusCode };
    };
    const create = (input: { FunctionName: string; Qualifier?: string }) => lambda.send(new CreateFunctionUrlConfigCommand({ ...input, AuthType: 'NONE' })).catch(refusal);
    const get = (input: { FunctionName: string; Qualifier?: string }) => lambda.send(new GetFunctionUrlConfigCommand(input)).catch(refusal);
    expect(await create({ FunctionName: 'missing' })).toEqual({ name: 'ResourceNotFoundException', message: 'Function does not exist', status: 404 });
    expect(await get({ FunctionName: 'missing' })).toEqual({ name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.', status: 404 });
    expect(await create({ FunctionName: 'web', Qualifier: 'nope' })).toEqual({ name: 'ResourceNotFoundException', message: 'Function does not exist', status: 404 });
    const pattern = 'Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)';
    expect(await create({ FunctionName: 'web', Qualifier: '1' })).toEqual({
      name: 'ValidationException',
      message: `1 validation error detected: Value '1' at 'qualifier' failed to satisfy constraint: ${pattern}`,
      status: 400,
    });
    expect(await get({ FunctionName: 'web', Qualifier: '$LATEST' })).toMatchObject({ name: 'ValidationException', message: expect.stringContaining("Value '$LATEST' at 'qualifier'") });
    expect(await get({ FunctionName: 'web:live-x', Qualifier: 'live' })).toEqual({
      name: 'InvalidParameterValueException',
      message: 'The derived qualifier from the function name does not match the specified qualifier.',
      status: 400,
    });
    await expect(lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'missing' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Function does not exist' });
    await expect(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE', InvokeMode: 'UNKNOWN' as InvokeMode }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'UNKNOWN' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]",
    });
  });

  it('deletes a function URL with its function', async () => {
    await createNodeFunction(lambda, 'gone', sourceZip('exports.handler = async () => 1;'));
    await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'gone', AuthType: 'NONE' }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'gone' }));
    await createNodeFunction(lambda, 'gone', sourceZip('exports.handler = async () => 1;'));
    await expect(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'gone' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
