import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  GetRuntimeManagementConfigCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../src/functions/index.js';
import type { FlintNode } from '../../src/platform/index.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { AWS_CLI, DEBIAN_PYTHON } from '../helpers/clients.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const execFileAsync = promisify(execFile);

function handlerZip(label: string): Uint8Array {
  const source = `
exports.handler = async (event, context) => {
  console.log('got', JSON.stringify(event));
  if (event && event.fail) throw new Error('failing on purpose');
  return { label: ${JSON.stringify(label)}, event, version: context.functionVersion, clientContext: context.clientContext || null };
};
`;
  return createZip([{ path: 'index.js', data: Buffer.from(source), mode: 0o644 }]);
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('Lambda API with real AWS clients', () => {
  let test: TestNode;
  let node: FlintNode;
  let lambda: LambdaClient;

  beforeAll(async () => {
    test = await startTestNode();
    node = test.node;
    lambda = new LambdaClient({ ...test.config, maxAttempts: 1 });
  });
  afterAll(async () => {
    lambda?.destroy();
    await test?.close();
  });

  describe('AWS SDK for JavaScript v3', () => {
    it('creates, invokes, inspects, updates and deletes a function', async () => {
      const created = await lambda.send(
        new CreateFunctionCommand({ FunctionName: 'sdk-fn', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: handlerZip('v1') } }),
      );
      expect(created.$metadata.httpStatusCode).toBe(201);
      expect(created).toMatchObject({ FunctionName: 'sdk-fn', State: 'Active', Version: '$LATEST', PackageType: 'Zip' });

      const sync = await lambda.send(
        new InvokeCommand({
          FunctionName: 'sdk-fn',
          Payload: Buffer.from(JSON.stringify({ hello: 'sdk' })),
          LogType: 'Tail',
          ClientContext: Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64'),
        }),
      );
      expect(sync.StatusCode).toBe(200);
      expect(sync.ExecutedVersion).toBe('$LATEST');
      expect(sync.FunctionError).toBeUndefined();
      expect(JSON.parse(text(sync.Payload))).toMatchObject({ label: 'v1', event: { hello: 'sdk' }, clientContext: { custom: { a: 1 } } });
      const tail = Buffer.from(sync.LogResult ?? '', 'base64').toString('utf8');
      expect(tail).toMatch(/^START RequestId: \S+ Version: \$LATEST/);
      expect(tail).toContain('got {"hello":"sdk"}');
      expect(tail).toMatch(/REPORT RequestId: /);

      const failed = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-fn', Payload: Buffer.from('{"fail":true}') }));
      expect(failed.StatusCode).toBe(200);
      expect(failed.FunctionError).toBe('Unhandled');
      expect(JSON.parse(text(failed.Payload))).toMatchObject({ errorType: 'Error', errorMessage: 'failing on purpose' });

      const event = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-fn', InvocationType: 'Event', Payload: Buffer.from('{"async":1}') }));
      expect(event.StatusCode).toBe(202);
      const dry = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-fn', InvocationType: 'DryRun' }));
      expect(dry.StatusCode).toBe(204);

      const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-fn' }));
      expect(got.Configuration?.CodeSha256).toBe(created.CodeSha256);
      expect(got.Code?.RepositoryType).toBe('S3');
      const download = await fetch(got.Code?.Location ?? '');
      expect(Buffer.from(await download.arrayBuffer())).toEqual(Buffer.from(handlerZip('v1')));

      const listed = await lambda.send(new ListFunctionsCommand({}));
      expect(listed.Functions?.map((f) => f.FunctionName)).toContain('sdk-fn');

      const configured = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-fn', Timeout: 20, Environment: { Variables: { GREETING: 'hi' } } }));
      expect(configured).toMatchObject({ Timeout: 20, Environment: { Variables: { GREETING: 'hi' } } });
      const recoded = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'sdk-fn', ZipFile: handlerZip('v2') }));
      expect(recoded.CodeSha256).not.toBe(created.CodeSha256);
      const after = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-fn', Payload: Buffer.from('{}') }));
      expect(JSON.parse(text(after.Payload)).label).toBe('v2');

      await expect(
        lambda.send(new CreateFunctionCommand({ FunctionName: 'sdk-fn', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: handlerZip('v1') } })),
      ).rejects.toBeInstanceOf(ResourceConflictException);

      const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'sdk-fn' }));
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      const missing = await lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-fn' })).catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
      expect((missing as ResourceNotFoundException).message).toBe('Function not found: arn:aws:lambda:us-east-1:000000000000:function:sdk-fn');
      expect((missing as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    });

    it('publishes versions and routes aliases', async () => {
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'sdk-versions', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: handlerZip('one') } }));
      const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'sdk-versions', Description: 'first' }));
      expect(v1).toMatchObject({ Version: '1', FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:sdk-versions:1' });
      await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'sdk-versions', ZipFile: handlerZip('two'), Publish: true }));

      const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'sdk-versions' }));
      expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);

      const alias = await lambda.send(new CreateAliasCommand({ FunctionName: 'sdk-versions', Name: 'live', FunctionVersion: '1' }));
      expect(alias.AliasArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:sdk-versions:live');
      const viaAlias = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-versions', Qualifier: 'live', Payload: Buffer.from('{}') }));
      expect(viaAlias.ExecutedVersion).toBe('1');
      expect(JSON.parse(text(viaAlias.Payload)).label).toBe('one');

      await lambda.send(new UpdateAliasCommand({ FunctionName: 'sdk-versions', Name: 'live', FunctionVersion: '2', RevisionId: alias.RevisionId }));
      expect((await lambda.send(new GetAliasCommand({ FunctionName: 'sdk-versions', Name: 'live' }))).FunctionVersion).toBe('2');
      const moved = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-versions:live', Payload: Buffer.from('{}') }));
      expect(moved.ExecutedVersion).toBe('2');
      expect((await lambda.send(new ListAliasesCommand({ FunctionName: 'sdk-versions' }))).Aliases?.map((a) => a.Name)).toEqual(['live']);
    });

    it('manages reserved concurrency and throttles at zero', async () => {
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'sdk-throttled', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: handlerZip('t') } }));
      const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'sdk-throttled', ReservedConcurrentExecutions: 0 }));
      expect(put.ReservedConcurrentExecutions).toBe(0);
      expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'sdk-throttled' }))).ReservedConcurrentExecutions).toBe(0);
      // The node applies reservations to its invoker when the registry reports the change.
      await expect
        .poll(async () => (await lambda.send(new InvokeCommand({ FunctionName: 'sdk-throttled', Payload: Buffer.from('{}') })).catch((error: unknown) => error)) instanceof TooManyRequestsException)
        .toBe(true);
      const throttled = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-throttled', Payload: Buffer.from('{}') })).catch((error: unknown) => error);
      expect(throttled).toMatchObject({ name: 'TooManyRequestsException', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', message: 'Rate Exceeded.' });

      const settings = await lambda.send(new GetAccountSettingsCommand({}));
      expect(settings.AccountLimit?.ConcurrentExecutions).toBeGreaterThan(0);
      expect(settings.AccountUsage?.FunctionCount).toBeGreaterThan(0);

      await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'sdk-throttled' }));
      expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'sdk-throttled' }))).ReservedConcurrentExecutions).toBeUndefined();
      await expect.poll(async () => (await lambda.send(new InvokeCommand({ FunctionName: 'sdk-throttled', Payload: Buffer.from('{}') }))).StatusCode).toBe(200);
    });

    it('reports an operation Flint lacks as an error the SDK understands', async () => {
      const error = await lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: 'sdk-throttled' })).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 404 } });
    });
  });

  describe("Debian's AWS CLI v2", () => {
    let home: string;
    const aws = async (...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
      try {
        const { stdout, stderr } = await execFileAsync(AWS_CLI, ['lambda', ...args, '--endpoint-url', node.url], { env, cwd: home });
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const failed = error as { stdout: string; stderr: string; code: number };
        return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
      }
    };
    beforeAll(() => {
      home = mkdtempSync(join(tmpdir(), 'flint-e2e-aws-home-'));
    });
    afterAll(() => {
      rmSync(home, { recursive: true, force: true });
    });

    it('create-function, invoke (sync, Tail, Event), get-function, list-functions, delete-function', async () => {
      const zipPath = join(home, 'fn.zip');
      writeFileSync(zipPath, handlerZip('cli'));
      const created = await aws('create-function', '--function-name', 'cli-fn', '--runtime', 'nodejs20.x', '--role', ROLE, '--handler', 'index.handler', '--zip-file', `fileb://${zipPath}`);
      expect(created.stderr).toBe('');
      expect(JSON.parse(created.stdout)).toMatchObject({ FunctionName: 'cli-fn', State: 'Active' });

      const out = join(home, 'out.json');
      const invoked = await aws('invoke', '--function-name', 'cli-fn', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"from":"cli"}', '--log-type', 'Tail', out);
      expect(invoked.code).toBe(0);
      const meta = JSON.parse(invoked.stdout) as { StatusCode: number; ExecutedVersion: string; LogResult: string };
      expect(meta).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
      expect(Buffer.from(meta.LogResult, 'base64').toString('utf8')).toContain('got {"from":"cli"}');
      expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ label: 'cli', event: { from: 'cli' } });

      const event = await aws('invoke', '--function-name', 'cli-fn', '--invocation-type', 'Event', join(home, 'event.json'));
      expect(JSON.parse(event.stdout)).toEqual({ StatusCode: 202 });

      const got = JSON.parse((await aws('get-function', '--function-name', 'cli-fn')).stdout) as { Configuration: { FunctionName: string }; Code: { RepositoryType: string } };
      expect(got.Configuration.FunctionName).toBe('cli-fn');
      expect(got.Code.RepositoryType).toBe('S3');

      const listed = JSON.parse((await aws('list-functions')).stdout) as { Functions: { FunctionName: string }[] };
      expect(listed.Functions.map((f) => f.FunctionName)).toContain('cli-fn');

      const deleted = await aws('delete-function', '--function-name', 'cli-fn');
      expect(deleted.code).toBe(0);
      const missing = await aws('get-function', '--function-name', 'cli-fn');
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain(
        'An error occurred (ResourceNotFoundException) when calling the GetFunction operation: Function not found: arn:aws:lambda:us-east-1:000000000000:function:cli-fn',
      );
    });
  });
  describe("Debian's boto3", () => {
    const script = `
import base64, json, sys
import boto3
from botocore.exceptions import ClientError
client = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
zip_bytes = open(sys.argv[2], 'rb').read()
created = client.create_function(FunctionName='boto-fn', Runtime='nodejs20.x', Role='${ROLE}', Handler='index.handler', Code={'ZipFile': zip_bytes})
invoked = client.invoke(FunctionName='boto-fn', Payload=b'{"from":"boto3"}', LogType='Tail', ClientContext=base64.b64encode(b'{"custom":{"b":2}}').decode())
failed = client.invoke(FunctionName='boto-fn', Payload=b'{"fail":true}')
event = client.invoke(FunctionName='boto-fn', InvocationType='Event', Payload=b'{}')
client.delete_function(FunctionName='boto-fn')
try:
    client.get_function(FunctionName='boto-fn')
    missing = None
except ClientError as error:
    missing = error.response['Error']
print(json.dumps({
    'state': created['State'],
    'status': invoked['StatusCode'],
    'version': invoked['ExecutedVersion'],
    'payload': json.loads(invoked['Payload'].read()),
    'log': base64.b64decode(invoked['LogResult']).decode(),
    'functionError': failed.get('FunctionError'),
    'eventStatus': event['StatusCode'],
    'missing': missing,
}))
`;

    it('creates, invokes (sync with Tail and client context, failing, Event) and deletes', async () => {
      const home = mkdtempSync(join(tmpdir(), 'flint-e2e-boto3-'));
      try {
        const zipPath = join(home, 'fn.zip');
        writeFileSync(zipPath, handlerZip('boto'));
        const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, node.url, zipPath], { env: { PATH: '/usr/bin:/bin', HOME: home } });
        const result = JSON.parse(stdout) as Record<string, unknown>;
        expect(result).toMatchObject({
          state: 'Active',
          status: 200,
          version: '$LATEST',
          payload: { label: 'boto', event: { from: 'boto3' }, clientContext: { custom: { b: 2 } } },
          functionError: 'Unhandled',
          eventStatus: 202,
          missing: { Code: 'ResourceNotFoundException', Message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:boto-fn' },
        });
        expect(String(result.log)).toContain('got {"from":"boto3"}');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  });
});
