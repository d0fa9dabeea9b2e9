import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { echoZip, ROLE } from './harness.js';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';

/**
 * Lambda's rest-json on the kit, driven by real clients against the node the product assembles: each client's
 * requests are parsed (URI labels, query and header members, a JSON body with a blob, a raw blob payload), refused
 * with the model's constraints in AWS's wording and order, and answered in a form the client reads back (201 and
 * 202 statuses, headers bound to output members, epoch-second timestamps).
 *
 * Expected messages are AWS's, as LocalStack's recordings of Lambda hold them
 * (tests/aws/services/lambda_/test_lambda_api.snapshot.json):
 * - test_create_lambda_exceptions, invalid_role_arn_exc and uppercase_architecture (one violation each; AWS reports
 *   several in member order, as in test_layer_exceptions' "2 validation errors detected" for PublishLayerVersion);
 * - test_list_functions, list_functions_invalid_functionversion;
 * - test_notfound_and_invalid_routingconfigs, routing_config_exc_toohigh and routing_config_exc_version_latest (a
 *   map's values and keys, reported for the map as a whole).
 */

const execFileAsync = promisify(execFile);

const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
const TWO_VIOLATIONS =
  `2 validation errors detected: Value 'r1' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ROLE_PATTERN}; ` +
  "Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]";
const BAD_FUNCTION_VERSION = "1 validation error detected: Value 'invalid' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]";
const WEIGHT_TOO_HIGH =
  "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]";
const WEIGHT_KEY_LATEST =
  "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]";
const BAD_LOG_TYPE = "1 validation error detected: Value 'All' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]";

describe('Lambda rest-json with real clients on a node', () => {
  let test: TestNode;
  let home: string;
  let zipPath: string;

  beforeAll(async () => {
    test = await startTestNode();
    home = mkdtempSync(join(tmpdir(), 'flint-lambda-protocol-'));
    zipPath = join(home, 'fn.zip');
    writeFileSync(zipPath, echoZip('proto'));
  });
  afterAll(async () => {
    await test?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('AWS SDK for JavaScript v3', async () => {
    const lambda = new LambdaClient({ ...test.config, maxAttempts: 1 });
    try {
      // A JSON body with a blob (ZipFile, base64 on the wire), a map and a list; 201 with FunctionConfiguration.
      const created = await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'sdk-proto',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: echoZip('proto') },
          Environment: { Variables: { MARKER: 'sdk' } },
          Architectures: [process.arch === 'arm64' ? 'arm64' : 'x86_64'],
        }),
      );
      expect(created.$metadata.httpStatusCode).toBe(201);
      expect(created).toMatchObject({ FunctionName: 'sdk-proto', Version: '$LATEST', Environment: { Variables: { MARKER: 'sdk' } }, State: 'Active' });

      const refused = await lambda
        .send(new CreateFunctionCommand({ FunctionName: 'sdk-bad', Runtime: 'nodejs20.x', Role: 'r1', Handler: 'index.handler', Code: { ZipFile: echoZip() }, Architectures: ['X86_64' as 'x86_64'] }))
        .catch((error: unknown) => error);
      expect(refused).toMatchObject({ name: 'ValidationException', message: TWO_VIOLATIONS, $metadata: { httpStatusCode: 400 } });

      // The name (an ARN) in the URI, Qualifier in the query, LogType and ClientContext in headers, the payload raw;
      // the answer's StatusCode, ExecutedVersion, FunctionError and LogResult from the status and headers.
      const invoked = await lambda.send(
        new InvokeCommand({
          FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:sdk-proto',
          Qualifier: '$LATEST',
          LogType: 'Tail',
          ClientContext: Buffer.from(JSON.stringify({ custom: { from: 'sdk' } })).toString('base64'),
          Payload: Buffer.from('{"fail":true}'),
        }),
      );
      expect(invoked).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST', FunctionError: 'Unhandled' });
      expect(JSON.parse(Buffer.from(invoked.Payload ?? []).toString())).toMatchObject({ errorType: 'TypeError', errorMessage: 'asked to fail' });
      expect(Buffer.from(invoked.LogResult ?? '', 'base64').toString()).toContain('handling {"fail":true}');
      const event = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-proto', InvocationType: 'Event', Payload: Buffer.from('{}') }));
      expect(event.StatusCode).toBe(202);
      const badLog = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-proto', LogType: 'All' as 'Tail' })).catch((error: unknown) => error);
      expect(badLog).toMatchObject({ name: 'ValidationException', message: BAD_LOG_TYPE });

      // Query members in, NextMarker out; an enum violation in the query.
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'sdk-proto-2', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: echoZip() } }));
      const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 1 }));
      expect(first.Functions?.map((f) => f.FunctionName)).toEqual(['sdk-proto']);
      const second = await lambda.send(new ListFunctionsCommand({ MaxItems: 1, Marker: first.NextMarker }));
      expect(second.Functions?.map((f) => f.FunctionName)).toEqual(['sdk-proto-2']);
      const badVersion = await lambda.send(new ListFunctionsCommand({ FunctionVersion: 'invalid' as 'ALL' })).catch((error: unknown) => error);
      expect(badVersion).toMatchObject({ name: 'ValidationException', message: BAD_FUNCTION_VERSION, $metadata: { httpStatusCode: 400 } });

      // A map member's values and keys, checked for the map as a whole.
      const alias = (weights: Record<string, number>) =>
        lambda.send(new CreateAliasCommand({ FunctionName: 'sdk-proto', Name: 'live', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: weights } })).catch((error: unknown) => error);
      expect(await alias({ '2': 2 })).toMatchObject({ name: 'ValidationException', message: WEIGHT_TOO_HIGH });
      expect(await alias({ $LATEST: 0.5 })).toMatchObject({ name: 'ValidationException', message: WEIGHT_KEY_LATEST });

      // A timestamp member written as epoch seconds, read back as a Date; the `?List=ALL` route.
      const config = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'sdk-proto', MaximumRetryAttempts: 0 }));
      expect(config.LastModified).toBeInstanceOf(Date);
      expect(Math.abs(config.LastModified!.getTime() - Date.now())).toBeLessThan(60_000);
      const provisioned = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'sdk-proto' }));
      expect(provisioned.ProvisionedConcurrencyConfigs).toEqual([]);
    } finally {
      lambda.destroy();
    }
  });

  it("Debian's boto3", async () => {
    const script = `
import base64, json, sys
import boto3
from botocore.exceptions import ClientError
client = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
zip_bytes = open(sys.argv[2], 'rb').read()
def error(call):
    try:
        call()
    except ClientError as e:
        return {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
created = client.create_function(FunctionName='boto-proto', Runtime='nodejs20.x', Role='${ROLE}', Handler='index.handler', Code={'ZipFile': zip_bytes}, Environment={'Variables': {'MARKER': 'boto'}})
client.create_function(FunctionName='boto-proto-2', Runtime='nodejs20.x', Role='${ROLE}', Handler='index.handler', Code={'ZipFile': zip_bytes})
invoked = client.invoke(FunctionName='boto-proto', Qualifier='$LATEST', LogType='Tail', ClientContext=base64.b64encode(b'{"custom":{"from":"boto3"}}').decode(), Payload=b'{"hello":"boto3"}')
first = client.list_functions(MaxItems=1)
second = client.list_functions(MaxItems=1, Marker=first['NextMarker'])
config = client.put_function_event_invoke_config(FunctionName='boto-proto', MaximumRetryAttempts=0)
print(json.dumps({
    'created': {'status': created['ResponseMetadata']['HTTPStatusCode'], 'version': created['Version'], 'env': created['Environment']},
    'invoked': {'status': invoked['StatusCode'], 'version': invoked['ExecutedVersion'], 'error': invoked.get('FunctionError'), 'payload': json.loads(invoked['Payload'].read()), 'log': base64.b64decode(invoked['LogResult']).decode()},
    'pages': [[f['FunctionName'] for f in first['Functions']], [f['FunctionName'] for f in second['Functions']], 'NextMarker' in second],
    'lastModified': config['LastModified'].timestamp(),
    'badCreate': error(lambda: client.create_function(FunctionName='boto-bad', Runtime='nodejs20.x', Role='r1', Handler='index.handler', Code={'ZipFile': zip_bytes}, Architectures=['X86_64'])),
    'badLog': error(lambda: client.invoke(FunctionName='boto-proto', LogType='All')),
    'badVersion': error(lambda: client.list_functions(FunctionVersion='invalid')),
}))
`;
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, test.node.url, zipPath], { env: { PATH: '/usr/bin:/bin', HOME: home } });
    const result = JSON.parse(stdout) as Record<string, unknown> & { invoked: { log: string }; lastModified: number };
    expect(result).toMatchObject({
      created: { status: 201, version: '$LATEST', env: { Variables: { MARKER: 'boto' } } },
      invoked: { status: 200, version: '$LATEST', error: null, payload: { event: { hello: 'boto3' }, clientContext: { custom: { from: 'boto3' } } } },
      pages: [['boto-proto'], ['boto-proto-2'], true],
      badCreate: { code: 'ValidationException', message: TWO_VIOLATIONS, status: 400 },
      badLog: { code: 'ValidationException', message: BAD_LOG_TYPE, status: 400 },
      badVersion: { code: 'ValidationException', message: BAD_FUNCTION_VERSION, status: 400 },
    });
    expect(result.invoked.log).toContain('handling {"hello":"boto3"}');
    expect(Math.abs(result.lastModified * 1000 - Date.now())).toBeLessThan(60_000);
  });

  it("Debian's AWS CLI", async () => {
    const aws = async (...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
      const env = { PATH: '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
      try {
        const { stdout, stderr } = await execFileAsync(AWS_CLI, ['lambda', ...args, '--endpoint-url', test.node.url], { env, cwd: home });
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const failed = error as { stdout: string; stderr: string; code: number };
        return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
      }
    };
    const cliError = (operation: string, message: string): string => `An error occurred (ValidationException) when calling the ${operation} operation: ${message}`;

    const created = await aws('create-function', '--function-name', 'cli-proto', '--runtime', 'nodejs20.x', '--role', ROLE, '--handler', 'index.handler', '--zip-file', `fileb://${zipPath}`, '--environment', 'Variables={MARKER=cli}');
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({ FunctionName: 'cli-proto', Version: '$LATEST', Environment: { Variables: { MARKER: 'cli' } } });
    // The rest is independent: the CLI starts slowly, so the calls run side by side.
    const out = join(home, 'out.json');
    const [badCreate, invoked, badLog, listed, badVersion, provisioned] = await Promise.all([
      aws('create-function', '--function-name', 'cli-bad', '--runtime', 'nodejs20.x', '--role', 'r1', '--handler', 'index.handler', '--zip-file', `fileb://${zipPath}`, '--architectures', 'X86_64'),
      aws('invoke', '--function-name', 'cli-proto', '--qualifier', '$LATEST', '--log-type', 'Tail', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"hello":"cli"}', out),
      aws('invoke', '--function-name', 'cli-proto', '--log-type', 'All', join(home, 'unused.json')),
      // The CLI sends "/2015-03-31/functions/" with a trailing slash, and pages with MaxItems and Marker itself.
      aws('list-functions', '--page-size', '1'),
      aws('list-functions', '--function-version', 'invalid'),
      aws('list-provisioned-concurrency-configs', '--function-name', 'cli-proto'),
    ]);
    expect(badCreate.stderr.trim()).toBe(cliError('CreateFunction', TWO_VIOLATIONS));
    const meta = JSON.parse(invoked.stdout) as { StatusCode: number; ExecutedVersion: string; LogResult: string };
    expect(meta).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(Buffer.from(meta.LogResult, 'base64').toString()).toContain('handling {"hello":"cli"}');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ label: 'proto', event: { hello: 'cli' }, marker: 'cli' });
    expect(badLog.stderr.trim()).toBe(cliError('Invoke', BAD_LOG_TYPE));
    expect((JSON.parse(listed.stdout) as { Functions: { FunctionName: string }[] }).Functions.map((f) => f.FunctionName)).toContain('cli-proto');
    expect(badVersion.stderr.trim()).toBe(cliError('ListFunctions', BAD_FUNCTION_VERSION));
    expect(JSON.parse(provisioned.stdout)).toEqual({ ProvisionedConcurrencyConfigs: [] });
    // Each `aws` process takes seconds to start on a loaded machine.
  }, 120_000);
});
