import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/templates/index.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      MemorySize: 99999
      Events:
        Get:
          Type: HttpApi
          Properties: { Path: hello, Method: get }
`;

describe('loading an app folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'flint-templates-')), 'greeter');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src/app.mjs'), 'export const handler = async () => ({ statusCode: 200, body: "hi" });\n');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('reads template.yaml when there is no flint.yaml, naming the app after the folder', async () => {
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE.replace('MemorySize: 99999', 'MemorySize: 128').replace('Path: hello', 'Path: /hello'));
    const { spec, template } = await loadApp(dir);
    expect(spec).toMatchObject({ name: 'greeter', file: join(dir, 'template.yaml'), functions: [{ name: 'Hello', memorySize: 128, codeDir: join(dir, 'src') }] });
    expect(spec.apis).toEqual([expect.objectContaining({ name: 'ServerlessHttpApi', payloadVersion: '2.0', routes: [expect.objectContaining({ routeKey: 'GET /hello' })] })]);
    expect(template?.unsupported).toEqual([]);
  });

  it('prefers flint.yaml when both are there, and reads the template --template names', async () => {
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'flint.yaml'), 'app: native\nfunctions:\n  hi:\n    runtime: nodejs20.x\n    handler: src/app.handler\n');
    expect((await loadApp(dir)).spec.name).toBe('native');
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ Resources: { Hi: { Type: 'AWS::Serverless::Function', Properties: { CodeUri: 'src', Handler: 'app.handler', Runtime: 'nodejs20.x' } } } }));
    const fromJson = await loadApp(dir, { template: join(dir, 'other.json') });
    expect(fromJson.spec.functions.map((f) => f.name)).toEqual(['Hi']);
  });

  it('reports what the manifest refuses at the template’s line, by the template’s property', async () => {
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    const error = await loadApp(dir).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toContain('template.yaml:10:7: Resources.Hello.Properties.MemorySize: expected an integer from 128 to 10240, got 99999');
    expect(error?.message).toMatch(/template\.yaml:12:9: Resources\.Hello\.Properties\.Events\.Get \(flint\.yaml's functions\.Hello\.events\[0\]\.http\.path\): .*"\/"/);
  });
});
