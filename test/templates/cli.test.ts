import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, runFlint } from '../helpers/cli.js';
import { startTestNode, type TestNode } from '../helpers/node.js';

/** A SAM app as `sam init` writes one, with a parameter and a construct Flint has no equivalent for. */
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Greeting: { Type: String, Default: Hello }
Globals:
  Function: { Timeout: 3, Tracing: Active }
Resources:
  HelloWorldFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello-world/
      Handler: app.lambdaHandler
      Runtime: nodejs20.x
      Environment: { Variables: { GREETING: !Ref Greeting } }
      Events:
        HelloWorld:
          Type: Api
          Properties: { Path: /hello, Method: get }
Outputs:
  HelloWorldApi:
    Description: API Gateway endpoint URL for Prod stage for Hello World function
    Value: !Sub "https://\${ServerlessRestApi}.execute-api.\${AWS::Region}.amazonaws.com/Prod/hello/"
  HelloWorldFunctionIamRole:
    Value: !GetAtt HelloWorldFunctionRole.Arn
`;

describe('flint deploy of a SAM template to a running node', () => {
  let test: TestNode;
  let dir: string;
  beforeAll(async () => {
    test = await startTestNode();
    dir = join(mkdtempSync(join(tmpdir(), 'flint-sam-')), 'sam-app');
    mkdirSync(join(dir, 'hello-world'), { recursive: true });
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'hello-world/app.mjs'), 'export const lambdaHandler = async () => ({ statusCode: 200, body: JSON.stringify({ message: `${process.env.GREETING} world` }) });\n');
  });
  afterAll(async () => {
    await test?.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('deploys with --parameter-overrides, prints the Outputs on the node and what it does not honour', async () => {
    const result = await runFlint(['deploy', dir, '--endpoint', test.node.url, '--parameter-overrides', 'Greeting=Howdy']);
    const printed = result.stdout + result.stderr;
    expect(result.code, printed).toBe(0);
    const url = `${test.node.url}/hello/`;
    expect(printed).toContain(`HelloWorldApi            ${url}`);
    expect(printed).toContain('arn:aws:iam::000000000000:role/sam-app-HelloWorldFunction-role');
    expect(printed).toContain('HelloWorldFunction (AWS::Serverless::Function) Tracing: X-Ray traces are not recorded');
    // REST APIs on AWS also answer /hello/ for the /hello resource; Flint's routing of trailing slashes is another
    // part of issue #13, so this asks for /hello.
    const answer = await fetch(`${test.node.url}/hello`);
    expect(await answer.json()).toEqual({ message: 'Howdy world' });
  });

  it('refuses a parameter value the template does not allow, naming the template', async () => {
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE.replace('Default: Hello }', 'Default: Hello, AllowedValues: [Hello, Hi] }'));
    const result = await runFlint(['deploy', dir, '--endpoint', test.node.url, '--parameter-overrides', 'Greeting=Yo']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/template\.yaml:4:3: Parameters\.Greeting: parameter Greeting is "Yo", not one of its AllowedValues: Hello, Hi/);
  });
});

describe('flint up on a folder with a SAM template', () => {
  it('deploys it and redeploys when the template changes', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'flint-sam-')), 'watched');
    mkdirSync(join(dir, 'hello-world'), { recursive: true });
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'hello-world/app.mjs'), 'export const lambdaHandler = async () => ({ statusCode: 200, body: JSON.stringify({ message: `${process.env.GREETING} world` }) });\n');
    const flint = await flintUp(dir);
    try {
      expect(await (await fetch(`${flint.url}/hello`)).json()).toEqual({ message: 'Hello world' });
      writeFileSync(join(dir, 'template.yaml'), TEMPLATE.replace('Default: Hello', 'Default: Bonjour'));
      await flint.waitFor('change detected in template.yaml, redeploying');
      await expect.poll(async () => ((await (await fetch(`${flint.url}/hello`)).json()) as { message: string }).message, { timeout: 30_000 }).toBe('Bonjour world');
    } finally {
      await flint.stop();
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
