import { describe, expect, it } from 'vitest';
import { eventsOf, resource, SERVICE, translate } from './helpers.js';

/** A service whose one function `f` has the given `events:` lines (indented as list items under events). */
function withEvents(events: string, rest = ''): string {
  return `${SERVICE}functions:\n  f:\n    handler: index.handler\n    events:\n${events}\n${rest}`;
}

// Each event kind as the Framework documents it (https://www.serverless.com/framework/docs/providers/aws/events)
// and as SAM writes the same source (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventsource.html).
describe('serverless.yml events → SAM events', () => {
  it('http: routes of the REST API ApiGatewayRestApi, with path parameters and the stage as StageName', () => {
    const result = translate(withEvents('      - http: GET users/{id}\n      - http:\n          path: /users\n          method: post\n      - http: ANY proxy/{proxy+}'));
    expect(eventsOf(result, 'f')).toEqual([
      { Type: 'Api', Properties: { RestApiId: { Ref: 'ApiGatewayRestApi' }, Path: '/users/{id}', Method: 'get' } },
      { Type: 'Api', Properties: { RestApiId: { Ref: 'ApiGatewayRestApi' }, Path: '/users', Method: 'post' } },
      { Type: 'Api', Properties: { RestApiId: { Ref: 'ApiGatewayRestApi' }, Path: '/proxy/{proxy+}', Method: 'any' } },
    ]);
    expect(resource(result, 'ApiGatewayRestApi')).toEqual({ Type: 'AWS::Serverless::Api', Properties: { Name: 'dev-notes', StageName: 'dev' } });
  });

  it('http cors: true gives the REST API the Framework default CORS headers and the routes methods', () => {
    const result = translate(withEvents('      - http:\n          path: users\n          method: get\n          cors: true\n      - http:\n          path: users\n          method: post\n          cors:\n            origin: https://app.example.com'));
    expect(resource(result, 'ApiGatewayRestApi').Properties.Cors).toEqual({
      AllowOrigin: "'*,https://app.example.com'",
      AllowHeaders: "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id'",
      AllowMethods: "'OPTIONS,GET,POST'",
    });
  });

  it('httpApi: routes of the HTTP API HttpApi; "*" is the $default route; provider.httpApi cors and payload apply', () => {
    const text = withEvents("      - httpApi: GET /notes/{id}\n      - httpApi:\n          method: delete\n          path: /notes/{id}\n      - httpApi: '*'").replace(
      '  runtime: nodejs22.x',
      "  runtime: nodejs22.x\n  httpApi:\n    payload: '1.0'\n    cors: true",
    );
    const result = translate(text);
    expect(eventsOf(result, 'f')).toEqual([
      { Type: 'HttpApi', Properties: { ApiId: { Ref: 'HttpApi' }, Method: 'GET', Path: '/notes/{id}', PayloadFormatVersion: '1.0' } },
      { Type: 'HttpApi', Properties: { ApiId: { Ref: 'HttpApi' }, Method: 'DELETE', Path: '/notes/{id}', PayloadFormatVersion: '1.0' } },
      { Type: 'HttpApi', Properties: { ApiId: { Ref: 'HttpApi' }, PayloadFormatVersion: '1.0' } },
    ]);
    expect(resource(result, 'HttpApi').Properties).toMatchObject({ Name: 'dev-notes', CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['OPTIONS', 'GET', 'DELETE'] } });
  });

  it('s3: creates the bucket as S3Bucket<Name>, with the event and prefix/suffix rules', () => {
    const result = translate(withEvents('      - s3: my-photos\n      - s3:\n          bucket: my-photos\n          event: s3:ObjectRemoved:*\n          rules:\n            - prefix: uploads/\n            - suffix: .jpg'));
    expect(resource(result, 'S3BucketMyphotos')).toEqual({ Type: 'AWS::S3::Bucket', Properties: { BucketName: 'my-photos' } });
    expect(eventsOf(result, 'f')).toEqual([
      { Type: 'S3', Properties: { Bucket: { Ref: 'S3BucketMyphotos' }, Events: 's3:ObjectCreated:*' } },
      {
        Type: 'S3',
        Properties: {
          Bucket: { Ref: 'S3BucketMyphotos' },
          Events: 's3:ObjectRemoved:*',
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'uploads/' }, { Name: 'suffix', Value: '.jpg' }] } },
        },
      },
    ]);
  });

  it('s3 existing: true refers to the bucket of resources: with that name, or creates it and says so', () => {
    const resources = 'resources:\n  Resources:\n    Uploads:\n      Type: AWS::S3::Bucket\n      Properties:\n        BucketName: uploads-bucket';
    const inApp = translate(withEvents('      - s3:\n          bucket: uploads-bucket\n          existing: true', resources));
    expect(eventsOf(inApp, 'f')[0]?.Properties.Bucket).toEqual({ Ref: 'Uploads' });
    expect(inApp.template.Resources.S3BucketUploadsbucket).toBeUndefined();
    expect(inApp.unsupported).toEqual([]);
    const elsewhere = translate(withEvents('      - s3:\n          bucket: shared-bucket\n          existing: true'));
    expect(eventsOf(elsewhere, 'f')[0]?.Properties.Bucket).toEqual({ Ref: 'S3BucketSharedbucket' });
    expect(elsewhere.unsupported).toEqual([expect.stringContaining("functions.f.events[0].s3: bucket 'shared-bucket' is marked existing but is not in this app")]);
  });

  it('sqs: the queue ARN with batchSize, maximumBatchingWindow, functionResponseType, filters and maximumConcurrency', () => {
    const result = translate(
      withEvents(
        '      - sqs: arn:aws:sqs:us-east-1:000000000000:jobs\n      - sqs:\n          arn: !GetAtt Jobs.Arn\n          batchSize: 5\n          maximumBatchingWindow: 2\n          functionResponseType: ReportBatchItemFailures\n          maximumConcurrency: 4\n          filterPatterns:\n            - body: { kind: [urgent] }',
      ),
    );
    expect(eventsOf(result, 'f')).toEqual([
      { Type: 'SQS', Properties: { Queue: 'arn:aws:sqs:us-east-1:000000000000:jobs', BatchSize: 10 } },
      {
        Type: 'SQS',
        Properties: {
          Queue: { 'Fn::GetAtt': ['Jobs', 'Arn'] },
          BatchSize: 5,
          MaximumBatchingWindowInSeconds: 2,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          FilterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["urgent"]}}' }] },
          ScalingConfig: { MaximumConcurrency: 4 },
        },
      },
    ]);
  });

  it('sns: a topic name creates SNSTopic<Name>; an ARN subscribes to it; filterPolicy and its scope carry over', () => {
    const result = translate(
      withEvents(
        '      - sns: user-events\n      - sns: arn:aws:sns:us-east-1:000000000000:audit\n      - sns:\n          arn: !Ref Orders\n          filterPolicy:\n            kind: [created]\n          filterPolicyScope: MessageAttributes\n      - sns:\n          topicName: alerts\n          displayName: Alerts',
      ),
    );
    expect(resource(result, 'SNSTopicUserevents')).toEqual({ Type: 'AWS::SNS::Topic', Properties: { TopicName: 'user-events' } });
    expect(resource(result, 'SNSTopicAlerts')).toEqual({ Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts', DisplayName: 'Alerts' } });
    expect(eventsOf(result, 'f')).toEqual([
      { Type: 'SNS', Properties: { Topic: { Ref: 'SNSTopicUserevents' } } },
      { Type: 'SNS', Properties: { Topic: 'arn:aws:sns:us-east-1:000000000000:audit' } },
      { Type: 'SNS', Properties: { Topic: { Ref: 'Orders' }, FilterPolicy: { kind: ['created'] }, FilterPolicyScope: 'MessageAttributes' } },
      { Type: 'SNS', Properties: { Topic: { Ref: 'SNSTopicAlerts' } } },
    ]);
  });

  it('schedule: rate and cron expressions, enabled, input as JSON text, a list of rates; method scheduler is ScheduleV2', () => {
    const result = translate(
      withEvents(
        "      - schedule: rate(10 minutes)\n      - schedule:\n          rate: cron(0 12 * * ? *)\n          enabled: false\n          input:\n            report: daily\n      - schedule:\n          rate: [rate(1 hour), rate(2 hours)]\n      - schedule:\n          method: scheduler\n          rate: rate(5 minutes)\n          timezone: Europe/Paris\n          input: '{\"a\":1}'",
      ),
    );
    expect(eventsOf(result, 'f')).toEqual([
      { Type: 'Schedule', Properties: { Schedule: 'rate(10 minutes)', Enabled: true } },
      { Type: 'Schedule', Properties: { Schedule: 'cron(0 12 * * ? *)', Enabled: false, Input: '{"report":"daily"}' } },
      { Type: 'Schedule', Properties: { Schedule: 'rate(1 hour)', Enabled: true } },
      { Type: 'Schedule', Properties: { Schedule: 'rate(2 hours)', Enabled: true } },
      { Type: 'ScheduleV2', Properties: { ScheduleExpression: 'rate(5 minutes)', ScheduleExpressionTimezone: 'Europe/Paris', Input: '{"a":1}', State: 'ENABLED' } },
    ]);
  });

  it('stream: a DynamoDB stream from !GetAtt Table.StreamArn, TRIM_HORIZON by default, with filters and an on-failure destination', () => {
    const result = translate(
      withEvents(
        '      - stream: !GetAtt Notes.StreamArn\n      - stream:\n          type: dynamodb\n          arn: arn:aws:dynamodb:us-east-1:000000000000:table/Notes/stream/2024\n          batchSize: 50\n          startingPosition: LATEST\n          maximumRetryAttempts: 2\n          bisectBatchOnFunctionError: true\n          filterPatterns:\n            - eventName: [INSERT]\n          destinations:\n            onFailure: arn:aws:sqs:us-east-1:000000000000:failed\n      - stream: arn:aws:kinesis:us-east-1:000000000000:stream/clicks',
      ),
    );
    expect(eventsOf(result, 'f')).toEqual([
      { Type: 'DynamoDB', Properties: { Stream: { 'Fn::GetAtt': ['Notes', 'StreamArn'] }, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 } },
      {
        Type: 'DynamoDB',
        Properties: {
          Stream: 'arn:aws:dynamodb:us-east-1:000000000000:table/Notes/stream/2024',
          StartingPosition: 'LATEST',
          BatchSize: 50,
          MaximumRetryAttempts: 2,
          BisectBatchOnFunctionError: true,
          FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
          DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:failed' } },
        },
      },
    ]);
    expect(result.unsupported).toEqual([expect.stringMatching(/^functions\.f\.events\[2\]\.stream: Kinesis streams are not supported by Flint/)]);
  });

  it('eventBridge: a pattern on a named bus (created as the Framework does), input, and schedules on the default bus', () => {
    const result = translate(
      withEvents(
        '      - eventBridge:\n          eventBus: orders-bus\n          pattern:\n            source: [shop.orders]\n            detail-type: [OrderPlaced]\n      - eventBridge:\n          pattern:\n            source: [aws.s3]\n          input: { hello: world }\n      - eventBridge:\n          schedule: rate(1 day)',
      ),
    );
    expect(resource(result, 'EventBridgeEventBusOrdersbus')).toEqual({ Type: 'AWS::Events::EventBus', Properties: { Name: 'orders-bus' } });
    expect(eventsOf(result, 'f')).toEqual([
      { Type: 'EventBridgeRule', Properties: { EventBusName: 'orders-bus', Pattern: { source: ['shop.orders'], 'detail-type': ['OrderPlaced'] } } },
      { Type: 'EventBridgeRule', Properties: { Pattern: { source: ['aws.s3'] }, Input: '{"hello":"world"}' } },
      { Type: 'Schedule', Properties: { Schedule: 'rate(1 day)', Enabled: true } },
    ]);
  });

  it('lists events Flint lacks and route settings it cannot honour, one line each, and keeps the rest', () => {
    const result = translate(withEvents('      - websocket: $connect\n      - alb:\n          listenerArn: arn:x\n      - http:\n          path: admin\n          method: get\n          private: true\n      - httpApi: GET /ok'));
    expect(result.unsupported).toEqual([
      'functions.f.events[0]: the websocket event is not supported by Flint; the function is deployed without it',
      'functions.f.events[1]: the alb event is not supported by Flint; the function is deployed without it',
      'functions.f.events[2].http.private: not supported by Flint; the route is served without it',
    ]);
    expect(eventsOf(result, 'f').map((e) => e.Type)).toEqual(['Api', 'HttpApi']);
  });

  it('http authorizers: aws_iam, a function of the service (TOKEN, 300 s, as the Framework defaults) and a request authorizer', () => {
    const result = translate(
      withEvents(
        "      - http:\n          path: me\n          method: get\n          authorizer: aws_iam\n      - http:\n          path: orders\n          method: get\n          authorizer: auth\n      - http:\n          path: admin\n          method: get\n          authorizer:\n            name: auth\n            type: request\n            identitySource: method.request.header.X-Key, method.request.querystring.key\n            resultTtlInSeconds: 0\n      - http:\n          path: pool\n          method: get\n          authorizer:\n            arn: arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x",
        '  auth:\n    handler: auth.handler',
      ),
    );
    expect(eventsOf(result, 'f').map((e) => e.Properties.Auth)).toEqual([{ Authorizer: 'AWS_IAM' }, { Authorizer: 'auth' }, { Authorizer: 'auth' }, undefined]);
    // The later definition of the same authorizer name wins, as one API has one authorizer of a name.
    expect(resource(result, 'ApiGatewayRestApi').Properties.Auth).toEqual({
      Authorizers: {
        auth: {
          FunctionArn: { 'Fn::GetAtt': ['AuthLambdaFunction', 'Arn'] },
          FunctionPayloadType: 'REQUEST',
          Identity: { Headers: ['X-Key'], QueryStrings: ['key'], ReauthorizeEvery: 0 },
        },
      },
    });
    expect(result.unsupported).toEqual(['functions.f.events[3].http.authorizer: Cognito user pool authorizers are not supported by Flint; the route is served without it']);
  });

  it('httpApi authorizers: { type: aws_iam } and Lambda request authorizers of provider.httpApi.authorizers; JWT is reported', () => {
    const text = withEvents(
      '      - httpApi:\n          method: GET\n          path: /me\n          authorizer:\n            type: aws_iam\n      - httpApi:\n          method: GET\n          path: /orders\n          authorizer:\n            name: keyCheck\n      - httpApi:\n          method: GET\n          path: /jwt\n          authorizer:\n            name: cognito',
      '  auth:\n    handler: auth.handler',
    ).replace(
      '  runtime: nodejs22.x',
      "  runtime: nodejs22.x\n  httpApi:\n    authorizers:\n      keyCheck:\n        type: request\n        functionName: auth\n        identitySource: $request.header.X-Key\n        enableSimpleResponses: true\n      cognito:\n        type: jwt\n        issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/x\n        audience: [abc]",
    );
    const result = translate(text);
    expect(eventsOf(result, 'f').map((e) => e.Properties.Auth)).toEqual([{ Authorizer: 'AWS_IAM' }, { Authorizer: 'keyCheck' }, undefined]);
    expect(resource(result, 'HttpApi').Properties.Auth).toEqual({
      Authorizers: {
        keyCheck: {
          FunctionArn: { 'Fn::GetAtt': ['AuthLambdaFunction', 'Arn'] },
          AuthorizerPayloadFormatVersion: '2.0',
          EnableSimpleResponses: true,
          Identity: { Headers: ['X-Key'], ReauthorizeEvery: 300 },
        },
      },
      EnableIamAuthorizer: true,
    });
    expect(result.unsupported).toEqual([expect.stringMatching(/^functions\.f\.events\[2\]\.httpApi\.authorizer: JWT authorizers are not supported by Flint/)]);
  });
});
