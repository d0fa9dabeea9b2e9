import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadManifest, parseManifest, type AppSpec } from '../../../src/manifest/index.js';
import { appSpecToSam, samTemplateYaml, type SamExport } from '../../../src/templates/index.js';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples');

/** Exports the spec and reads the YAML back, as `sam` would read the file. */
function exported(spec: AppSpec): SamExport {
  const text = samTemplateYaml(appSpecToSam(spec), spec.file);
  return parse(text) as SamExport;
}

function appFrom(yaml: string, files: Record<string, string> = {}): AppSpec {
  const dir = mkdtempSync(join(tmpdir(), 'flint-export-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return parseManifest(yaml, join(dir, 'flint.yaml'));
}

type Fn = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };
const events = (template: SamExport, id: string): unknown[] => Object.values(((template.Resources[id] as Fn).Properties.Events ?? {}) as object);

// What `sam deploy` accepts: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy.html
describe('flint export sam: an AppSpec as a SAM template', () => {
  it.each(['http-api', 'image-pipeline', 'user-fanout', 'users-api', 'python-function', 'custom-runtime', 'idempotency'])(
    'writes examples/%s as YAML holding every function, route, trigger and resource of the app',
    async (example) => {
      const spec = await loadManifest(join(EXAMPLES, example));
      const template = exported(spec);
      expect(template).toEqual(JSON.parse(JSON.stringify(appSpecToSam(spec))));
      expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
      expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
      const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Serverless::Function');
      expect(functions.map((f) => f.Properties.FunctionName)).toEqual(spec.functions.map((f) => f.name));
      for (const fn of spec.functions) {
        const resource = functions.find((f) => f.Properties.FunctionName === fn.name)!;
        expect(resource.Properties).toMatchObject({ Runtime: fn.runtime, MemorySize: fn.memorySize, Timeout: fn.timeout });
        const triggers =
          spec.apis.flatMap((a) => a.routes).filter((r) => r.functionName === fn.name).length +
          spec.schedules.filter((s) => s.functionName === fn.name).length +
          (spec.eventSources ?? []).filter((s) => s.functionName === fn.name).length;
        expect(Object.keys((resource.Properties.Events ?? {}) as object)).toHaveLength(triggers);
      }
      const named = (type: string, key: string): unknown[] => Object.values(template.Resources).filter((r) => r.Type === type).map((r) => r.Properties[key]);
      expect(named('AWS::DynamoDB::Table', 'TableName')).toEqual(spec.resources.tables.map((t) => t.name));
      expect(named('AWS::S3::Bucket', 'BucketName')).toEqual(spec.resources.buckets.map((b) => b.name));
      expect(named('AWS::SNS::Topic', 'TopicName')).toEqual(spec.resources.topics.map((t) => t.name));
      expect(named('AWS::SQS::Queue', 'QueueName')).toEqual(spec.resources.queues.map((q) => q.name));
    },
  );

  it('quotes what YAML 1.1 (CloudFormation’s reader) would take for a date or a number', async () => {
    const text = samTemplateYaml(appSpecToSam(await loadManifest(join(EXAMPLES, 'http-api'))));
    expect(text).toContain('AWSTemplateFormatVersion: "2010-09-09"');
    expect(text).toContain('PayloadFormatVersion: "2.0"');
    expect(text).toMatch(/^# SAM template written by `flint export sam`/);
  });

  it('bundles TypeScript with SAM’s esbuild build, the handler naming the bundle as SAM’s templates do', async () => {
    const template = exported(await loadManifest(join(EXAMPLES, 'http-api')));
    expect(template.Resources.HelloFunction).toMatchObject({
      Properties: { Handler: 'hello.handler', CodeUri: '.', Environment: { Variables: { GREETING: 'Hello' } } },
      Metadata: { BuildMethod: 'esbuild', BuildProperties: { EntryPoints: ['src/hello.ts'] } },
    });
    expect(template.Resources.DefaultHttpApi).toEqual({
      Type: 'AWS::Serverless::HttpApi',
      Properties: { Name: 'default', CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['*'], AllowHeaders: ['*'] } },
    });
    expect(events(template, 'HelloFunction')).toEqual([
      { Type: 'HttpApi', Properties: { ApiId: { Ref: 'DefaultHttpApi' }, PayloadFormatVersion: '2.0', Method: 'GET', Path: '/hello' } },
      { Type: 'HttpApi', Properties: { ApiId: { Ref: 'DefaultHttpApi' }, PayloadFormatVersion: '2.0', Method: 'GET', Path: '/hello/{name}' } },
    ]);
    expect(template.Outputs?.DefaultHttpApiUrl?.Value).toEqual({ 'Fn::Sub': 'https://${DefaultHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/' });
  });

  it('writes each trigger kind as its SAM event and each destination as EventInvokeConfig', () => {
    const spec = appFrom(
      `app: triggers
functions:
  worker:
    runtime: python3.12
    handler: app.handler
    code: ./worker
    memory: 256
    async:
      maximumRetryAttempts: 1
      onSuccess: topic:done
      onFailure: queue:failed
    events:
      - sqs: { queue: jobs, batchSize: 5, batchingWindow: 2, reportBatchItemFailures: true }
      - sns: alerts
      - s3: { bucket: uploads, events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"], prefix: in/, suffix: .csv }
      - dynamodb: { table: Notes, startingPosition: TRIM_HORIZON, batchSize: 25 }
      - schedule: rate(5 minutes)
      - http: { path: $default }
  other:
    runtime: python3.12
    handler: app.handler
    code: ./worker
    async:
      deadLetter: queue:failed
resources:
  tables:
    Notes: { hashKey: { name: id, type: S }, rangeKey: { name: at, type: N } }
  buckets:
    uploads: {}
  queues:
    jobs: { visibilityTimeout: 60, deadLetter: { queue: failed, maxReceiveCount: 3 } }
    failed: {}
    orders.fifo: {}
  topics:
    alerts: {}
    done: {}
apis:
  default:
    payload: '1.0'
`,
      { 'worker/app.py': 'def handler(event, context):\n    return event\n' },
    );
    const template = exported(spec);
    expect(events(template, 'WorkerFunction')).toEqual([
      { Type: 'HttpApi', Properties: { ApiId: { Ref: 'DefaultHttpApi' }, PayloadFormatVersion: '1.0' } },
      { Type: 'Schedule', Properties: { Schedule: 'rate(5 minutes)' } },
      {
        Type: 'SQS',
        Properties: { Queue: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] }, BatchSize: 5, MaximumBatchingWindowInSeconds: 2, FunctionResponseTypes: ['ReportBatchItemFailures'] },
      },
      { Type: 'SNS', Properties: { Topic: { Ref: 'AlertsTopic' } } },
      {
        Type: 'S3',
        Properties: {
          Bucket: { Ref: 'UploadsBucket' },
          Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } },
        },
      },
      { Type: 'DynamoDB', Properties: { Stream: { 'Fn::GetAtt': ['NotesTable', 'StreamArn'] }, StartingPosition: 'TRIM_HORIZON', BatchSize: 25 } },
    ]);
    const worker = (template.Resources.WorkerFunction as Fn).Properties;
    expect(worker).toMatchObject({ CodeUri: 'worker', Handler: 'app.handler', MemorySize: 256 });
    expect(worker.EventInvokeConfig).toEqual({
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnSuccess: { Type: 'SNS', Destination: { Ref: 'DoneTopic' } }, OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': ['FailedQueue', 'Arn'] } } },
    });
    expect((template.Resources.OtherFunction as Fn).Properties.DeadLetterQueue).toEqual({ Type: 'SQS', TargetArn: { 'Fn::GetAtt': ['FailedQueue', 'Arn'] } });
    expect(worker.Policies).toEqual([
      { DynamoDBCrudPolicy: { TableName: 'Notes' } },
      { S3CrudPolicy: { BucketName: 'uploads' } },
      { SQSSendMessagePolicy: { QueueName: 'jobs' } },
      { SQSPollerPolicy: { QueueName: 'jobs' } },
      { SQSSendMessagePolicy: { QueueName: 'failed' } },
      { SQSPollerPolicy: { QueueName: 'failed' } },
      { SQSSendMessagePolicy: { QueueName: 'orders.fifo' } },
      { SQSPollerPolicy: { QueueName: 'orders.fifo' } },
      { SNSPublishMessagePolicy: { TopicName: 'alerts' } },
      { SNSPublishMessagePolicy: { TopicName: 'done' } },
    ]);
    expect(template.Resources.NotesTable).toEqual({
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'Notes',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      },
    });
    expect(template.Resources.JobsQueue).toEqual({
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: 'jobs', VisibilityTimeout: 60, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['FailedQueue', 'Arn'] }, maxReceiveCount: 3 } },
    });
    expect(template.Resources.OrdersFifoQueue?.Properties).toMatchObject({ QueueName: 'orders.fifo', FifoQueue: true });
  });

  it('writes a staged payload-1.0 API as a REST API with its Lambda authorizers and each route’s auth', () => {
    const template = exported(
      appFrom(
        `app: guarded
functions:
  api:
    runtime: python3.12
    handler: a.h
    events:
      - http: { api: shop, method: GET, path: /orders, auth: checker }
      - http: { api: shop, method: POST, path: /orders, auth: iam }
      - http: { api: shop, method: GET, path: /health, auth: none }
      - http: { api: open, method: GET, path: /me, auth: iam }
  check:
    runtime: python3.12
    handler: a.h
apis:
  shop:
    stage: prod
    payload: '1.0'
    authorizers:
      checker: { function: check, type: token, ttl: 60, validationExpression: '^Bearer .+$' }
  open: {}
`,
        { 'a.py': 'def h(e, c):\n    return 1\n' },
      ),
    );
    expect(template.Resources.ShopHttpApi).toEqual({
      Type: 'AWS::Serverless::Api',
      Properties: {
        Name: 'shop',
        StageName: 'prod',
        Auth: {
          Authorizers: {
            checker: {
              FunctionArn: { 'Fn::GetAtt': ['CheckFunction', 'Arn'] },
              FunctionPayloadType: 'TOKEN',
              Identity: { ReauthorizeEvery: 60, Header: 'Authorization', ValidationExpression: '^Bearer .+$' },
            },
          },
        },
      },
    });
    expect(template.Resources.OpenHttpApi).toEqual({ Type: 'AWS::Serverless::HttpApi', Properties: { Name: 'open', Auth: { EnableIamAuthorizer: true } } });
    expect(events(template, 'ApiFunction')).toEqual([
      { Type: 'Api', Properties: { RestApiId: { Ref: 'ShopHttpApi' }, Path: '/orders', Method: 'get', Auth: { Authorizer: 'checker' } } },
      { Type: 'Api', Properties: { RestApiId: { Ref: 'ShopHttpApi' }, Path: '/orders', Method: 'post', Auth: { Authorizer: 'AWS_IAM', InvokeRole: 'NONE' } } },
      // auth: none is how a route is without auth: nothing to write.
      { Type: 'Api', Properties: { RestApiId: { Ref: 'ShopHttpApi' }, Path: '/health', Method: 'get' } },
      { Type: 'HttpApi', Properties: { ApiId: { Ref: 'OpenHttpApi' }, PayloadFormatVersion: '2.0', Method: 'GET', Path: '/me', Auth: { Authorizer: 'AWS_IAM' } } },
    ]);
    expect(template.Outputs?.ShopHttpApiUrl?.Value).toEqual({ 'Fn::Sub': 'https://${ShopHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod/' });
  });

  it('gives names that clash after clean-up distinct logical ids', () => {
    const spec = appFrom(
      'app: clash\nfunctions:\n  get-user:\n    runtime: python3.12\n    handler: a.h\n  get_user:\n    runtime: python3.12\n    handler: a.h\n',
      { 'a.py': 'def h(e, c):\n    return 1\n' },
    );
    expect(Object.keys(exported(spec).Resources)).toEqual(['GetUserFunction', 'GetUserFunction2']);
  });
});
