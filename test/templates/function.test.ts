import { describe, expect, it } from 'vitest';
import { takeTemplateArgs } from '../../src/cli/template-args.js';
import { translate } from './helpers.js';

describe('AWS::Serverless::Function', () => {
  it('honours Metadata BuildMethod esbuild: bundles from the BuildProperties entry point with its externals', () => {
    const { document } = translate(`
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: app/, Handler: index.handler, Runtime: nodejs22.x }
    Metadata:
      BuildMethod: esbuild
      BuildProperties: { Minify: true, Target: es2022, EntryPoints: [src/handlers/index.ts], External: [sharp] }
`);
    expect(document.functions.Api).toMatchObject({ code: 'app/', handler: 'src/handlers/index.handler', bundle: true, external: ['sharp'] });
  });

  it('maps settings, async invocation config and a dead-letter queue, and lists what it does not run', () => {
    const translation = translate(`
Resources:
  Dlq: { Type: AWS::SQS::Queue }
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: worker/
      Handler: app.lambda_handler
      Runtime: python3.12
      Timeout: "45"
      EphemeralStorage: { Size: 1024 }
      ReservedConcurrentExecutions: 4
      AutoPublishAlias: live
      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }
      DeadLetterQueue: { Type: SQS, TargetArn: !GetAtt Dlq.Arn }
      EventInvokeConfig:
        MaximumEventAgeInSeconds: 300
        DestinationConfig: { OnSuccess: { Type: EventBridge, Destination: arn:aws:events:us-east-1:000000000000:event-bus/default } }
      Tags: { team: orders }
`);
    expect(translation.document.functions.Worker).toMatchObject({
      code: 'worker/',
      handler: 'app.lambda_handler',
      runtime: 'python3.12',
      timeout: 45,
      ephemeralStorage: 1024,
      reservedConcurrency: 4,
      async: { maximumEventAge: 300, deadLetter: 'queue:shop-Dlq' },
    });
    expect(translation.unsupported.sort()).toEqual([
      'Worker (AWS::Serverless::Function) AutoPublishAlias: no version or alias is published; events and routes call $LATEST',
      'Worker (AWS::Serverless::Function) EventInvokeConfig.DestinationConfig.OnSuccess: EventBridge arn:aws:events:us-east-1:000000000000:event-bus/default is not a queue, topic or function Flint can send to',
      "Worker (AWS::Serverless::Function) VpcConfig: functions reach this machine's network; there is no VPC",
    ]);
  });

  it('puts Api events on the implicit REST API (payload 1.0) and HttpApi events without a path on $default', () => {
    const { document } = translate(`
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Events:
        Rest: { Type: Api, Properties: { Path: "/items/{id}", Method: any } }
        Catch: { Type: HttpApi }
`);
    expect(document.apis).toEqual({ ServerlessRestApi: { payload: '1.0' }, ServerlessHttpApi: { payload: '2.0' } });
    expect(document.functions.Fn!.events).toEqual([
      { http: { method: 'ANY', path: '/items/{id}', api: 'ServerlessRestApi' } },
      { http: { path: '$default', api: 'ServerlessHttpApi' } },
    ]);
  });
});

describe('explicit AWS::Serverless::Api and HttpApi resources', () => {
  it('put routes on the API their events name, with its CORS settings and stage', () => {
    const translation = translate(`
Resources:
  PublicApi:
    Type: AWS::Serverless::HttpApi
    Properties: { StageName: v1, CorsConfiguration: { AllowOrigins: [https://shop.example], MaxAge: 600 } }
  LegacyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      Cors: { AllowOrigin: "'https://old.example'", AllowMethods: "'GET,POST'" }
      Auth: { DefaultAuthorizer: Cognito }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Events:
        New: { Type: HttpApi, Properties: { ApiId: !Ref PublicApi, Path: /items, Method: GET, PayloadFormatVersion: "1.0" } }
        Old: { Type: Api, Properties: { RestApiId: !Ref LegacyApi, Path: /items, Method: POST } }
`);
    expect(translation.document.apis).toEqual({
      PublicApi: { payload: '1.0', stage: 'v1', cors: { allowOrigins: ['https://shop.example'], maxAge: 600 } },
      LegacyApi: { payload: '1.0', stage: 'live', cors: { allowOrigins: ['https://old.example'], allowMethods: ['GET', 'POST'] } },
    });
    expect(translation.document.functions.Fn!.events).toEqual([
      { http: { method: 'GET', path: '/items', api: 'PublicApi' } },
      { http: { method: 'POST', path: '/items', api: 'LegacyApi' } },
    ]);
    expect(translation.apiStages).toMatchObject({ PublicApi: 'v1', LegacyApi: 'live' });
    expect(translation.unsupported).toEqual(['LegacyApi (AWS::Serverless::Api) Auth.DefaultAuthorizer: Cognito is not a Lambda authorizer of this API: its routes are open']);
  });
});

describe('flint up/deploy template options', () => {
  it('takes --template and --parameter-overrides as sam deploy does, leaving the rest to the command', () => {
    expect(takeTemplateArgs(['app', '--template', 'infra/template.yaml', '--parameter-overrides', 'Stage=prod', 'Size=2', '--no-watch'])).toEqual({
      rest: ['app', '--no-watch'],
      template: 'infra/template.yaml',
      parameterOverrides: ['Stage=prod', 'Size=2'],
    });
  });
});
