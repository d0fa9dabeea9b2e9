import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFromTemplate, outputsOnFlint, parseTemplateText } from '../../src/templates/index.js';
import { translate } from './helpers.js';

/**
 * Plain CloudFormation resources and SAM event types → flint.yaml, at the document level. Several map to fields other
 * parts of issue #13 add to the manifest (table indexes/ttl/stream, queue retention, topic subscriptions, eventBridge
 * events, resources.parameters, function url): the document carries them in the contract's names.
 */
const TEMPLATE = `
Conditions:
  Never: !Equals [a, b]
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }, { AttributeName: sk, AttributeType: N }, { AttributeName: email, AttributeType: S }]
      KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: sk, KeyType: RANGE }]
      GlobalSecondaryIndexes:
        - IndexName: byEmail
          KeySchema: [{ AttributeName: email, KeyType: HASH }]
          Projection: { ProjectionType: INCLUDE, NonKeyAttributes: [status] }
      TimeToLiveSpecification: { AttributeName: expiresAt, Enabled: true }
      StreamSpecification: { StreamViewType: NEW_AND_OLD_IMAGES }
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }
  Jobs:
    Type: AWS::SQS::Queue
    Properties: { QueueName: jobs, MessageRetentionPeriod: 3600, DelaySeconds: 5 }
  Audit: { Type: AWS::SQS::Queue }
  Events: { Type: AWS::SNS::Topic, Properties: { TopicName: events } }
  AuditSubscription:
    Type: AWS::SNS::Subscription
    Properties: { TopicArn: !Ref Events, Protocol: sqs, Endpoint: !GetAtt Audit.Arn, FilterPolicy: { kind: [order] }, RawMessageDelivery: true }
  Config:
    Type: AWS::SSM::Parameter
    Properties: { Name: /shop/config, Type: String, Value: '{"currency":"EUR"}' }
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: cron(0 3 * * ? *)
      Targets: [{ Arn: !GetAtt Worker.Arn, Id: worker }]
  OnOrder:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [shop.orders] }
      Targets: [{ Arn: !GetAtt Worker.Arn, Id: worker }]
  WorkerPermission:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, FunctionName: !Ref Worker, Principal: events.amazonaws.com }
  JobsMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: { FunctionName: !Ref Worker, EventSourceArn: !GetAtt Jobs.Arn, BatchSize: 2 }
  WorkerInvoke:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Worker
      Qualifier: $LATEST
      MaximumRetryAttempts: 1
      DestinationConfig: { OnFailure: { Destination: !Ref Events } }
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: worker.handler
      Tracing: Active
      FunctionUrlConfig: { AuthType: AWS_IAM, Cors: { AllowOrigins: ['*'] } }
      Events:
        Stream:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Orders.StreamArn
            StartingPosition: TRIM_HORIZON
            MaximumRetryAttempts: 3
            BisectBatchOnFunctionError: true
            FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] }
            DestinationConfig: { OnFailure: { Destination: !GetAtt Audit.Arn } }
        Bus:
          Type: EventBridgeRule
          Properties: { Pattern: { source: [shop.payments] } }
        Kinesis:
          Type: Kinesis
          Properties: { Stream: arn:aws:kinesis:us-east-1:000000000000:stream/x, StartingPosition: LATEST }
  Skipped:
    Type: AWS::SQS::Queue
    Condition: Never
  Machine: { Type: AWS::StepFunctions::StateMachine, Properties: { Definition: {} } }
  Group: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: /aws/lambda/Worker, RetentionInDays: 14 } }
`;

describe('CloudFormation resources and SAM events → flint.yaml', () => {
  const translation = translate(TEMPLATE);
  const { document } = translation;

  it('maps a DynamoDB table with its index, TTL and stream (manifest helper’s fields)', () => {
    expect(document.resources?.tables).toEqual({
      'shop-Orders': {
        hashKey: { name: 'pk', type: 'S' },
        rangeKey: { name: 'sk', type: 'N' },
        indexes: { byEmail: { hashKey: { name: 'email', type: 'S' }, projection: ['status'] } },
        ttl: 'expiresAt',
        stream: 'NEW_AND_OLD_IMAGES',
      },
    });
  });

  it('maps queues, topics with queue subscriptions and SSM parameters, and leaves out resources whose condition is false', () => {
    expect(document.resources?.queues).toEqual({ jobs: { retention: 3600, delay: 5 }, 'shop-Audit': null });
    expect(document.resources?.topics).toEqual({ events: { subscriptions: [{ queue: 'shop-Audit', filterPolicy: { kind: ['order'] }, rawMessageDelivery: true }] } });
    expect(document.resources?.parameters).toEqual({ '/shop/config': { type: 'String', value: '{"currency":"EUR"}' } });
  });

  it('turns rules, event source mappings, invoke configs and SAM events into the function’s events and settings', () => {
    expect(document.functions.Worker).toMatchObject({
      url: { authType: 'AWS_IAM', cors: { allowOrigins: ['*'] } },
      async: { maximumRetryAttempts: 1, onFailure: 'topic:events' },
      events: [
        {
          dynamodb: {
            table: 'shop-Orders',
            startingPosition: 'TRIM_HORIZON',
            maximumRetryAttempts: 3,
            bisectOnError: true,
            filters: [{ eventName: ['INSERT'] }],
            onFailure: 'queue:shop-Audit',
          },
        },
        { eventBridge: { pattern: { source: ['shop.payments'] } } },
        { schedule: 'cron(0 3 * * ? *)' },
        { eventBridge: { pattern: { source: ['shop.orders'] } } },
        { sqs: { queue: 'jobs', batchSize: 2 } },
      ],
    });
  });

  it('lists, one line each, what Flint cannot honour', () => {
    expect([...translation.unsupported].sort()).toEqual([
      'Worker (AWS::Serverless::Function) Tracing: X-Ray traces are not recorded',
      'Worker (AWS::Serverless::Function) Events.Kinesis: event type Kinesis is not one Flint runs (it runs Api, HttpApi, S3, SQS, SNS, Schedule, ScheduleV2, EventBridgeRule, CloudWatchEvent, DynamoDB)',
      'Orders (AWS::DynamoDB::Table) PointInTimeRecoverySpecification: no equivalent in Flint',
      'Group (AWS::Logs::LogGroup) RetentionInDays: Flint\'s own log retention applies (7 days by default)',
      'Machine (AWS::StepFunctions::StateMachine) resource: AWS::StepFunctions::StateMachine is not a resource type Flint creates',
    ].sort());
    expect(translation.unsupported).toHaveLength(5);
  });
});

describe('Outputs on Flint', () => {
  it('points API URLs written for AWS at the node, without a REST API’s stage', () => {
    const apis = [
      { name: 'ServerlessRestApi', id: 'abcdefghij', url: 'http://127.0.0.1:4566' },
      { name: 'ServerlessHttpApi', id: 'klmnopqrst', url: 'http://127.0.0.1:4566' },
    ];
    const outputs = outputsOnFlint(
      [
        { key: 'Rest', value: 'https://abcdefghij.execute-api.us-east-1.amazonaws.com/Prod/hello/' },
        { key: 'Http', value: 'https://klmnopqrst.execute-api.us-east-1.amazonaws.com' },
        { key: 'Other', value: 'arn:aws:sqs:us-east-1:000000000000:jobs' },
      ],
      { ServerlessRestApi: 'Prod' },
      apis,
    );
    expect(outputs.map((o) => o.value)).toEqual(['http://127.0.0.1:4566/hello/', 'http://127.0.0.1:4566/', 'arn:aws:sqs:us-east-1:000000000000:jobs']);
  });
});

describe('the same template, validated as flint up deploys it', () => {
  it('passes flint.yaml schema now that every contract field exists, and normalises each of them', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'flint-resources-')), 'shop');
    mkdirSync(dir);
    try {
      writeFileSync(join(dir, 'worker.js'), 'exports.handler = async () => ({});\n');
      const file = join(dir, 'template.yaml');
      const parsed = parseTemplateText(TEMPLATE, file);
      const { spec } = appFromTemplate(parsed.value as object, { file, folder: dir, locate: parsed.locate });
      expect(spec.resources.tables[0]).toMatchObject({ ttl: 'expiresAt', stream: 'NEW_AND_OLD_IMAGES', indexes: [{ name: 'byEmail', projection: ['status'] }] });
      expect(spec.resources.parameters).toEqual([{ name: '/shop/config', type: 'String', value: '{"currency":"EUR"}' }]);
      expect(spec.resources.topics).toContainEqual(expect.objectContaining({ name: 'events', subscriptions: [expect.objectContaining({ queue: 'shop-Audit', rawMessageDelivery: true })] }));
      const worker = spec.functions.find((f) => f.name === 'Worker');
      expect(worker?.url).toMatchObject({ authType: 'AWS_IAM', invokeMode: 'BUFFERED' });
      expect(spec.eventSources).toContainEqual(expect.objectContaining({ type: 'eventBridge', functionName: 'Worker', pattern: { source: ['shop.payments'] } }));
      expect(spec.eventSources).toContainEqual(expect.objectContaining({ type: 'dynamodb', functionName: 'Worker', bisectOnError: true, filters: [{ eventName: ['INSERT'] }] }));
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
