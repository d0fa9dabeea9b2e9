import { describe, expect, it } from 'vitest';
import { translate } from './helpers.js';

// Globals: scalars are replaced by the resource's, maps merged, lists added to
// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html).
const TEMPLATE = `
Globals:
  Function:
    Runtime: nodejs22.x
    Timeout: 20
    MemorySize: 512
    Layers: [arn:aws:lambda:us-east-1:123456789012:layer:shared:3]
    Environment:
      Variables: { TABLE: orders, LEVEL: info }
  HttpApi:
    CorsConfiguration: { AllowOrigins: [https://shop.example], AllowMethods: [GET] }
  SimpleTable:
    PrimaryKey: { Name: pk, Type: String }
Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties: { Handler: plain.handler, Events: { Get: { Type: HttpApi, Properties: { Path: /plain, Method: get } } } }
  Tuned:
    Type: AWS::Serverless::Function
    Properties:
      Handler: tuned.handler
      Runtime: python3.12
      Timeout: 3
      Layers: [!Ref Helpers]
      Environment:
        Variables: { LEVEL: debug, EXTRA: "1" }
  Helpers: { Type: AWS::Serverless::LayerVersion, Properties: { ContentUri: layers/helpers, CompatibleRuntimes: [python3.12] } }
  Items: { Type: AWS::Serverless::SimpleTable }
`;

describe('SAM Globals', () => {
  const { document } = translate(TEMPLATE);

  it('gives every function the global settings it does not set itself', () => {
    expect(document.functions.Plain).toMatchObject({ runtime: 'nodejs22.x', timeout: 20, memory: 512, environment: { TABLE: 'orders', LEVEL: 'info' } });
  });

  it('lets a function replace scalars, merges Environment variables and adds its Layers after the global ones', () => {
    expect(document.functions.Tuned).toMatchObject({
      runtime: 'python3.12',
      timeout: 3,
      memory: 512,
      environment: { TABLE: 'orders', LEVEL: 'debug', EXTRA: '1' },
      layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared:3', 'Helpers'],
    });
  });

  it('applies HttpApi globals to the implicit API and SimpleTable globals to tables', () => {
    expect(document.apis?.ServerlessHttpApi).toEqual({ payload: '2.0', cors: { allowOrigins: ['https://shop.example'], allowMethods: ['GET'] } });
    expect(document.resources?.tables).toEqual({ 'shop-Items': { hashKey: { name: 'pk', type: 'S' } } });
  });

  it('maps a LayerVersion to the layers helper’s field (layers: { <name>: { path, runtimes } })', () => {
    expect(document.layers).toEqual({ Helpers: { path: 'layers/helpers', runtimes: ['python3.12'] } });
  });
});

describe('template sections Flint does not run', () => {
  it('names another Transform and a Globals section it does not read', () => {
    const { unsupported } = translate(`Transform: [AWS::Serverless-2016-10-31, AWS::LanguageExtensions]
Globals:
  StateMachine: { Tracing: { Enabled: true } }
${TEMPLATE.slice(TEMPLATE.indexOf('Resources:'))}`);
    expect(unsupported).toEqual([
      'template Transform: "AWS::LanguageExtensions" is not run; Flint runs AWS::Serverless-2016-10-31',
      'template Globals.StateMachine: Flint reads Globals for Function, Api, HttpApi, SimpleTable, LayerVersion',
    ]);
  });
});
