import {
  AddPermissionCommand,
  CreateFunctionCommand,
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionConfigurationCommand,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../../src/functions/index.js';
import { ACCOUNT, refusal, startClientNode, type ClientNode } from './clients.js';
import { echoZip, ROLE } from './harness.js';

/**
 * Runtime identifiers, the caller's region in ARNs, ListFunctions paging and GetAccountSettings through real clients.
 * Expected messages are AWS's, as LocalStack's recordings of Lambda hold them (tests/aws/services/lambda_/
 * test_lambda_api.snapshot.json): test_create_lambda_exceptions (invalid_runtime_exc),
 * test_create_deprecated_function_runtime_with_validation_enabled, test_get_function_wrong_region,
 * test_ops_on_nonexisting_fn and test_permission_exceptions.
 */

/** Lambda's list of accepted runtimes, in the order of its message (test_create_lambda_exceptions: invalid_runtime_exc). */
const AWS_RUNTIMES =
  'nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8, python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, nodejs18.x, provided.al2, java8.al2';

function pythonZip(): Uint8Array {
  const source = 'import sys\n\ndef handler(event, context):\n    return {"python": "%d.%d" % sys.version_info[:2], "event": event}\n';
  return createZip([{ path: 'app.py', data: Buffer.from(source), mode: 0o644 }]);
}

describe('Lambda API: runtimes, regions, listing and account settings', () => {
  let node: ClientNode;
  let lambda: LambdaClient;

  // Runtime is the SDK's enum type; tests send identifiers it may not list (retired ones, unknown ones) on purpose.
  const create = (name: string, runtime: string, extra: { Handler?: string; Code?: Uint8Array } = {}) =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as Runtime, Role: ROLE, Handler: extra.Handler ?? 'index.handler', Code: { ZipFile: extra.Code ?? echoZip() } }));
  const invoke = async (client: LambdaClient, name: string, payload: unknown): Promise<{ error: string | undefined; body: Record<string, unknown> }> => {
    const answer = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
    return { error: answer.FunctionError, body: JSON.parse(Buffer.from(answer.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, unknown> };
  };

  beforeAll(async () => {
    node = await startClientNode();
    lambda = node.lambda;
  });
  afterAll(async () => {
    await node.close();
  });

  it('runs nodejs24.x on the Node.js launcher and python3.14 on the Python launcher', async () => {
    await create('node24', 'nodejs24.x');
    expect(await invoke(lambda, 'node24', { hello: 24 })).toMatchObject({ error: undefined, body: { event: { hello: 24 }, version: '$LATEST' } });
    await create('python314', 'python3.14', { Handler: 'app.handler', Code: pythonZip() });
    expect(await invoke(lambda, 'python314', { hello: 314 })).toMatchObject({ error: undefined, body: { event: { hello: 314 } } });
  });

  it('creates functions on every runtime Lambda accepts; one Flint cannot run fails when invoked, saying what to do', async () => {
    for (const runtime of ['java25', 'java21', 'java17', 'java11', 'java8.al2', 'dotnet10', 'dotnet8', 'ruby3.4', 'ruby3.3', 'ruby3.2', 'provided.al2', 'nodejs18.x', 'python3.9']) {
      const created = await create(`rt-${runtime.replace(/\./g, '-')}`, runtime, { Handler: 'example.Handler::handleRequest' });
      expect(created.Runtime).toBe(runtime);
    }
    const failed = await invoke(lambda, 'rt-java21', {});
    expect(failed.error).toBe('Unhandled');
    expect(failed.body).toEqual({ errorType: 'Runtime.Unsupported', errorMessage: expect.stringContaining('Flint cannot run the java21 runtime') });
    expect(failed.body.errorMessage).toContain('provided.al2023');

    const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rt-java21', Runtime: 'dotnet10' }));
    expect(updated.Runtime).toBe('dotnet10');
  });

  it("refuses deprecated runtimes and unknown ones in Lambda's words", async () => {
    const deprecated = (runtime: string) => ({
      name: 'InvalidParameterValueException',
      status: 400,
      message: `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    });
    for (const runtime of ['java8', 'go1.x', 'provided', 'ruby2.7', 'nodejs14.x', 'python3.7', 'dotnetcore3.1', 'nodejs12.x']) {
      expect(await refusal(create(`old-${runtime.replace(/\./g, '-')}`, runtime))).toEqual(deprecated(runtime));
    }
    await create('to-update', 'nodejs20.x');
    expect(await refusal(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'to-update', Runtime: 'nodejs14.x' as Runtime })))).toEqual(deprecated('nodejs14.x'));
    expect(await refusal(create('unknown-runtime', 'non-existent-runtime'))).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: expect.stringMatching(new RegExp(`^Value non-existent-runtime at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \\[${AWS_RUNTIMES.replace(/\./g, '\\.')}, ruby4\\.0\\] or be a valid ARN$`)),
    });
  });

  it("names ARNs in the region the caller signed for, and refuses an ARN from another region", async () => {
    const west = new LambdaClient({ ...node.test.config, region: 'eu-west-1' });
    try {
      const arn = (name: string, qualifier?: string): string => `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
      const created = await west.send(new CreateFunctionCommand({ FunctionName: 'regional', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: echoZip() } }));
      expect(created.FunctionArn).toBe(arn('regional'));
      // Inside the function, the context and AWS_REGION name the node's region: that is where it runs.
      expect((await invoke(west, 'regional', {})).body).toMatchObject({ invokedArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:regional` });

      const notFound = (message: string) => ({ name: 'ResourceNotFoundException', status: 404, message });
      expect(await refusal(west.send(new GetFunctionCommand({ FunctionName: 'nowhere' })))).toEqual(notFound(`Function not found: ${arn('nowhere')}`));
      expect(await refusal(west.send(new InvokeCommand({ FunctionName: 'nowhere' })))).toEqual(notFound(`Function not found: ${arn('nowhere', '$LATEST')}`));
      expect(await refusal(west.send(new GetAliasCommand({ FunctionName: 'regional', Name: 'missing' })))).toEqual(notFound(`Cannot find alias arn: ${arn('regional', 'missing')}`));
      const permission = await west.send(new AddPermissionCommand({ FunctionName: 'regional', StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' }));
      expect(JSON.parse(permission.Statement ?? '')).toMatchObject({ Resource: arn('regional') });

      const elsewhere = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:regional`;
      for (const call of [west.send(new GetFunctionCommand({ FunctionName: elsewhere })), west.send(new InvokeCommand({ FunctionName: elsewhere }))]) {
        expect(await refusal(call)).toEqual(notFound("Functions from 'us-east-1' are not reachable in this region ('eu-west-1')"));
      }
      // The node's own region still answers in its own terms.
      expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'regional' }))).Configuration?.FunctionArn).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:regional`);
    } finally {
      west.destroy();
    }
  });

  it('pages ListFunctions with MaxItems 1 to 10000 and ignores MasterRegion; boto3 walks the pages', async () => {
    const listed = await lambda.send(new ListFunctionsCommand({ MasterRegion: 'us-east-1', FunctionVersion: 'ALL', MaxItems: 2 }));
    expect(listed.Functions).toHaveLength(2);
    expect(listed.NextMarker).toBeTruthy();
    expect(await refusal(lambda.send(new ListFunctionsCommand({ MaxItems: 10_001 })))).toEqual({
      name: 'ValidationException', status: 400,
      message: "1 validation error detected: Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000",
    });
    const all = await lambda.send(new ListFunctionsCommand({ MaxItems: 10_000 }));
    const names = (all.Functions ?? []).map((f) => f.FunctionName).sort();
    expect(all.NextMarker).toBeUndefined();

    const script = `
import boto3, json, sys
client = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
pages = list(client.get_paginator('list_functions').paginate(PaginationConfig={'PageSize': 3}))
print(json.dumps({'pages': len(pages), 'names': sorted(f['FunctionName'] for p in pages for f in p['Functions'])}))
`;
    expect(JSON.parse(await node.boto(script))).toEqual({ pages: Math.ceil(names.length / 3), names });
  });

  it('GetAccountSettings counts the functions and code the node holds; the aws CLI reads it', async () => {
    const before = await lambda.send(new GetAccountSettingsCommand({}));
    const zip = echoZip('account');
    await create('account-counted', 'nodejs20.x', { Code: zip });
    const after = await lambda.send(new GetAccountSettingsCommand({}));
    expect(after.AccountUsage?.FunctionCount).toBe((before.AccountUsage?.FunctionCount ?? 0) + 1);
    expect(after.AccountUsage?.TotalCodeSize).toBe((before.AccountUsage?.TotalCodeSize ?? 0) + zip.length);
    expect(after.AccountLimit).toMatchObject({ ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000, CodeSizeZipped: 52_428_800, CodeSizeUnzipped: 262_144_000 });

    const stdout = await node.aws('get-account-settings');
    expect(JSON.parse(stdout)).toEqual({ AccountLimit: after.AccountLimit, AccountUsage: after.AccountUsage });
  });
});
