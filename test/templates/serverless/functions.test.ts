import { describe, expect, it } from 'vitest';
import { isFlintError } from '../../../src/core/index.js';
import { fn, resource, translate } from './helpers.js';

// Function and provider settings as the Framework documents them
// (https://www.serverless.com/framework/docs/providers/aws/guide/functions, .../guide/iam, .../guide/layers).
describe('serverless.yml functions and provider settings → AWS::Serverless::Function', () => {
  const service = `service: shop
frameworkVersion: '4'
provider:
  name: aws
  runtime: nodejs22.x
  stage: prod
  region: eu-west-1
  memorySize: 512
  timeout: 20
  logRetentionInDays: 7
  environment:
    TABLE: orders
    LEVEL: info
  layers:
    - arn:aws:lambda:eu-west-1:000000000000:layer:shared:3
  tags:
    team: checkout
  iam:
    role:
      statements:
        - Effect: Allow
          Action: dynamodb:PutItem
          Resource: !GetAtt Orders.Arn
      managedPolicies:
        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
functions:
  place:
    handler: src/place.handler
    environment:
      LEVEL: debug
    reservedConcurrency: 5
    tags:
      tier: web
    destinations:
      onSuccess: notify
      onFailure: arn:aws:sqs:eu-west-1:000000000000:failed-orders
    maximumRetryAttempts: 1
  notify:
    handler: notify.main
    runtime: python3.13
    memorySize: 128
    timeout: 3
    layers:
      - !Ref CommonLambdaLayer
    destinations:
      onFailure:
        type: sns
        arn: !Ref Alerts
  plain:
    handler: plain.handler
    name: custom-plain-name
layers:
  common:
    path: layers/common
    compatibleRuntimes: [python3.13]
    description: shared code
`;

  it('names the stack <service>-<stage> and each function <service>-<stage>-<key> under <Key>LambdaFunction', () => {
    const result = translate(service);
    expect(result.stackName).toBe('shop-prod');
    expect(result.stage).toBe('prod');
    expect(result.region).toBe('eu-west-1');
    expect(result.template).toMatchObject({ AWSTemplateFormatVersion: '2010-09-09', Transform: 'AWS::Serverless-2016-10-31' });
    expect(fn(result, 'place').FunctionName).toBe('shop-prod-place');
    expect(fn(result, 'plain').FunctionName).toBe('custom-plain-name');
  });

  it('applies provider settings under function settings, environments merged', () => {
    const result = translate(service);
    expect(fn(result, 'place')).toMatchObject({
      Handler: 'src/place.handler',
      Runtime: 'nodejs22.x',
      CodeUri: '.',
      MemorySize: 512,
      Timeout: 20,
      Environment: { Variables: { TABLE: 'orders', LEVEL: 'debug' } },
      Layers: ['arn:aws:lambda:eu-west-1:000000000000:layer:shared:3'],
      ReservedConcurrentExecutions: 5,
      Tags: { team: 'checkout', tier: 'web' },
    });
    expect(fn(result, 'notify')).toMatchObject({ Runtime: 'python3.13', MemorySize: 128, Timeout: 3, Layers: [{ Ref: 'CommonLambdaLayer' }] });
  });

  it("gives the Framework's defaults (1024 MB, 6 s) where SAM's would differ", () => {
    const result = translate('service: tiny\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  f:\n    handler: app.handler\n');
    expect(fn(result, 'f')).toMatchObject({ MemorySize: 1024, Timeout: 6 });
    expect(result.stackName).toBe('tiny-dev');
  });

  it('turns iam.role.statements and managed policies into every function’s Policies; iamRoleStatements (v2) too', () => {
    const result = translate(service);
    expect(fn(result, 'notify').Policies).toEqual([
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['Orders', 'Arn'] } }] },
    ]);
    const v2 = translate('service: old\nprovider:\n  name: aws\n  iamRoleStatements:\n    - Effect: Allow\n      Action: s3:GetObject\n      Resource: "*"\nfunctions:\n  f:\n    handler: a.b\n');
    expect(fn(v2, 'f').Policies).toEqual([{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }]);
    const role = translate('service: r\nprovider:\n  name: aws\n  iam:\n    role: arn:aws:iam::000000000000:role/given\nfunctions:\n  f:\n    handler: a.b\n  g:\n    handler: a.b\n    role: MyRole\n');
    expect(fn(role, 'f').Role).toBe('arn:aws:iam::000000000000:role/given');
    expect(fn(role, 'g').Role).toEqual({ 'Fn::GetAtt': ['MyRole', 'Arn'] });
  });

  it('turns destinations into EventInvokeConfig: a function of the service, an ARN by its service, {type, arn}', () => {
    const result = translate(service);
    expect(fn(result, 'place').EventInvokeConfig).toEqual({
      MaximumRetryAttempts: 1,
      DestinationConfig: {
        OnSuccess: { Type: 'Lambda', Destination: { 'Fn::GetAtt': ['NotifyLambdaFunction', 'Arn'] } },
        OnFailure: { Type: 'SQS', Destination: 'arn:aws:sqs:eu-west-1:000000000000:failed-orders' },
      },
    });
    expect(fn(result, 'notify').EventInvokeConfig).toEqual({ DestinationConfig: { OnFailure: { Type: 'SNS', Destination: { Ref: 'Alerts' } } } });
  });

  it('creates a log group with logRetentionInDays for each function, as the Framework does', () => {
    expect(resource(translate(service), 'PlaceLogGroup')).toEqual({
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: '/aws/lambda/shop-prod-place', RetentionInDays: 7 },
    });
  });

  it('turns top-level layers into AWS::Serverless::LayerVersion <Name>LambdaLayer', () => {
    expect(resource(translate(service), 'CommonLambdaLayer')).toEqual({
      Type: 'AWS::Serverless::LayerVersion',
      Properties: { LayerName: 'common', Description: 'shared code', ContentUri: 'layers/common', CompatibleRuntimes: ['python3.13'] },
    });
  });

  it('makes a folder the code when package.patterns exclude everything but it, the handler relative to it', () => {
    const result = translate("service: p\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: src/api/index.handler\n    package:\n      patterns: ['!**', 'src/api/**']\n  g:\n    handler: g.handler\n    package:\n      artifact: build/g.zip\n");
    expect(fn(result, 'f')).toMatchObject({ CodeUri: 'src/api', Handler: 'index.handler' });
    expect(fn(result, 'g')).toMatchObject({ CodeUri: 'build/g.zip', Handler: 'g.handler' });
  });

  it('merges resources: over what the Framework generates (same logical id extends it) and keeps Outputs and Conditions', () => {
    const result = translate(`service: m
provider:
  name: aws
functions:
  f:
    handler: a.b
    events:
      - s3: photos
resources:
  Conditions:
    IsProd: !Equals ['\${sls:stage}', prod]
  Resources:
    S3BucketPhotos:
      Properties:
        VersioningConfiguration: { Status: Enabled }
    Extra:
      Type: AWS::SQS::Queue
  Outputs:
    FunctionArn:
      Value: !GetAtt FLambdaFunction.Arn
`);
    expect(resource(result, 'S3BucketPhotos')).toEqual({
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: 'photos', VersioningConfiguration: { Status: 'Enabled' } },
    });
    expect(result.template.Resources.Extra).toEqual({ Type: 'AWS::SQS::Queue' });
    expect(result.template.Outputs).toEqual({ FunctionArn: { Value: { 'Fn::GetAtt': ['FLambdaFunction', 'Arn'] } } });
    expect(result.template.Conditions).toEqual({ IsProd: { 'Fn::Equals': ['dev', 'prod'] } });
  });

  it('lists plugins, unknown provider settings and image functions as unsupported, one line each', () => {
    const result = translate(`service: u
plugins:
  - serverless-offline
  - serverless-python-requirements
provider:
  name: aws
  vpc: { securityGroupIds: [sg-1] }
functions:
  img:
    image: 000000000000.dkr.ecr.us-east-1.amazonaws.com/app:latest
  f:
    handler: a.b
    tracing: Active
`);
    expect(result.unsupported).toEqual([
      'provider.vpc: not supported by Flint; ignored',
      'plugins: serverless-offline is a Framework plugin, which Flint does not run',
      'plugins: serverless-python-requirements is a Framework plugin, which Flint does not run',
      'functions.img.image: container image functions are not supported by Flint; the function is left out',
      'functions.f.tracing: not supported by Flint; the function is deployed without it',
    ]);
    expect(result.template.Resources.ImgLambdaFunction).toBeUndefined();
  });

  it('refuses a file without service: or for another provider, saying what is expected', () => {
    expect(() => translate('provider:\n  name: aws\n')).toThrow(/service: is required/);
    try {
      translate('service: x\nprovider:\n  name: azure\n');
      expect.unreachable();
    } catch (error) {
      expect(isFlintError(error, 'MANIFEST_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(/provider\.name is 'azure'; Flint runs AWS Lambda apps/);
    }
  });
});
