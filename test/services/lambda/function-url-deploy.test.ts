import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionUrlConfigCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlint } from '../../helpers/cli.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

const HANDLER = `
exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  stream = awslambda.HttpResponseStream.from(stream, { statusCode: 200, headers: { 'content-type': 'text/plain' } });
  stream.write('hello ');
  stream.end(event.rawPath);
});
`;

/** flint.yaml's `url:` as a user deploys it with the CLI: created at deploy, printed, changed and removed by redeploys. */
describe('flint.yaml function url', () => {
  let t: TestNode;
  let lambda: LambdaClient;
  let dir: string;
  const deploy = async (url: string | undefined): Promise<string> => {
    const yaml = `app: url-app\nfunctions:\n  web:\n    runtime: nodejs20.x\n    handler: index.handler\n${url ? `    url: ${url}\n` : ''}`;
    writeFileSync(join(dir, 'flint.yaml'), yaml);
    const result = await runFlint(['deploy', dir, '--endpoint', t.node.url]);
    expect(result.code, result.stderr).toBe(0);
    return result.stderr;
  };

  beforeAll(async () => {
    t = await startTestNode();
    lambda = new LambdaClient(t.config);
    dir = mkdtempSync(join(tmpdir(), 'flint-url-app-'));
    writeFileSync(join(dir, 'index.js'), HANDLER);
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
  });
  afterAll(async () => {
    lambda.destroy();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the URL at deploy, prints where to reach it, and keeps it across redeploys until url is removed', async () => {
    const printed = await deploy('{ authType: NONE, invokeMode: RESPONSE_STREAM, cors: { allowOrigins: ["*"] } }');
    const port = new URL(t.node.url).port;
    const match = new RegExp(`URL of web at http://([a-z0-9]{32})\\.lambda-url\\.us-east-1\\.localhost:${port}/ \\(also (\\S+); public, streamed; on Lambda (https://\\S+)\\)`).exec(printed);
    expect(match, printed).not.toBeNull();
    const [, urlId, pathUrl, lambdaUrl] = match!;
    expect(lambdaUrl).toBe(`https://${urlId}.lambda-url.us-east-1.on.aws/`);
    const config = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }));
    expect(config).toMatchObject({ FunctionUrl: lambdaUrl, AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM', Cors: { AllowOrigins: ['*'] } });
    // NONE is public only with the permission Lambda checks, which deploy adds.
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'web' }))).Policy!) as { Statement: unknown[] };
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Action: 'lambda:InvokeFunctionUrl', Principal: '*', Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } }));
    const response = await fetch(`${pathUrl}there`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello /there');

    await deploy('{ authType: AWS_IAM }');
    const changed = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }));
    expect(changed).toMatchObject({ FunctionUrl: lambdaUrl, AuthType: 'AWS_IAM', InvokeMode: 'BUFFERED' });
    expect((await fetch(pathUrl!)).status).toBe(403);

    await deploy(undefined);
    await expect(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses an unknown authType with a message that says what to write', async () => {
    writeFileSync(join(dir, 'flint.yaml'), 'app: url-app\nfunctions:\n  web:\n    runtime: nodejs20.x\n    handler: index.handler\n    url: { authType: PUBLIC }\n');
    const result = await runFlint(['deploy', dir, '--endpoint', t.node.url]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('expected NONE (public) or AWS_IAM (SigV4-signed callers only)');
  });
});
