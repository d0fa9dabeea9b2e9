/**
 * `flint export sam` carries the settings an app declares into the template, in the form CloudFormation and SAM
 * accept, and nothing of the Flint node (issue 13). One app (fixtures/everything.yaml) sets everything the
 * exporter writes; its template passes the spec check (spec-check/) and each setting is asserted where a mistake
 * would change what runs on AWS. Each case is a bug the checker or a reading of SAM's documentation found.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../../src/cli/commands/export.js';
import { loadApp } from '../../../src/templates/index.js';
import type { Output } from '../../../src/cli/output.js';
import { checkTemplate, flintLocalValues } from './spec-check/index.js';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions reach into the template freely
type Template = { Metadata?: Record<string, string[]>; Resources: Record<string, Resource> };

const dir = mkdtempSync(join(tmpdir(), 'flint-export-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let template: Template;
const warnings: string[] = [];

beforeAll(async () => {
  copyFileSync(join(import.meta.dirname, 'fixtures/everything.yaml'), join(dir, 'flint.yaml'));
  mkdirSync(join(dir, 'worker'));
  writeFileSync(join(dir, 'worker/app.py'), 'def handler(event, context):\n    return event\n');
  const out: Output = { result: () => {}, step: () => {}, success: () => {}, warn: (t) => warnings.push(t), error: () => {}, dim: (t) => t, bold: (t) => t };
  expect(await exportCommand.run(['sam', dir, '-o', join(dir, 'template.yaml')], out)).toBe(0);
  template = parse(readFileSync(join(dir, 'template.yaml'), 'utf8')) as Template;
});

const props = (id: string): Record<string, any> => template.Resources[id]!.Properties; // eslint-disable-line @typescript-eslint/no-explicit-any -- as above
const event = (fn: string, name: string): Record<string, unknown> => props(fn).Events[name].Properties;

describe('flint export sam writes every declared setting as CloudFormation and SAM take it', () => {
  it('passes the spec check with nothing of the Flint node in it', () => {
    expect(checkTemplate(template, { dir })).toEqual([]);
    expect(flintLocalValues(template)).toEqual([]);
  });

  it('writes queue URLs and ARNs resolved on Flint as the stack’s own (a Ref, or Fn::Sub over partition, region, account)', () => {
    expect(props('WorkerFunction').Environment.Variables).toEqual({
      JOBS_URL: { Ref: 'JobsQueue' },
      OTHER_URL: { 'Fn::Sub': 'https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/elsewhere' },
      NOTES_ARN: { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Notes' },
      // A literal ${ is escaped for Fn::Sub; another account's ARN stays as written.
      TEMPLATE: { 'Fn::Sub': '${!name} at arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:alerts' },
      FOREIGN: 'arn:aws:sqs:eu-west-1:123456789012:theirs',
    });
  });

  it('lets the HTTP API invoke its Lambda authorizer, and a REST route’s AWS_IAM invoke the function as API Gateway', () => {
    expect(props('OpenHttpApi').Auth.Authorizers.gate).toMatchObject({ EnableFunctionDefaultPermissions: true, EnableSimpleResponses: true });
    expect(event('WorkerFunction', 'Api2')).toMatchObject({ Auth: { Authorizer: 'AWS_IAM', InvokeRole: 'NONE' } });
  });

  it('creates the app’s EventBridge bus and puts its rule on it by Ref', () => {
    expect(template.Resources.OrdersBus).toEqual({ Type: 'AWS::Events::EventBus', Properties: { Name: 'orders' } });
    expect(event('WorkerFunction', 'EventBridgeRule11')).toEqual({ Pattern: { source: ['shop'] }, EventBusName: { Ref: 'OrdersBus' } });
  });

  it('subscribes queues to topics, with the queue policy SNS needs to deliver', () => {
    expect(props('AlertsJobsSubscription')).toEqual({
      TopicArn: { Ref: 'AlertsTopic' },
      Protocol: 'sqs',
      Endpoint: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] },
      FilterPolicy: { kind: ['a'] },
      RawMessageDelivery: true,
    });
    expect(props('JobsQueuePolicy').PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'AlertsTopic' } } },
      },
    ]);
  });

  it('keeps a table’s indexes, TTL and stream view, and a queue’s retention', () => {
    expect(props('NotesTable')).toMatchObject({
      AttributeDefinitions: [{ AttributeName: 'id' }, { AttributeName: 'at' }, { AttributeName: 'owner', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
    });
    expect(props('JobsQueue').MessageRetentionPeriod).toBe(86400);
  });

  it('keeps stream and queue event options: error handling, scaling, filters', () => {
    expect(event('WorkerFunction', 'DynamoDB10')).toEqual({
      Stream: { 'Fn::GetAtt': ['NotesTable', 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 25,
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRecordAgeInSeconds: 3600,
      MaximumBatchingWindowInSeconds: 5,
      ParallelizationFactor: 2,
      DestinationConfig: { OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': ['FailedQueue', 'Arn'] } } },
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
    });
    expect(event('WorkerFunction', 'SQS7')).toMatchObject({ ScalingConfig: { MaximumConcurrency: 4 }, FilterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["a"]}}' }] } });
  });

  it('writes the function URL with its auth, streaming mode and CORS', () => {
    expect(props('WorkerFunction').FunctionUrlConfig).toEqual({
      AuthType: 'AWS_IAM',
      InvokeMode: 'RESPONSE_STREAM',
      Cors: { AllowOrigins: ['https://example.com'], AllowMethods: ['GET'], MaxAge: 60 },
    });
  });

  it('writes SSM parameters and secrets, and says what it cannot write (a SecureString, a WebSocket API)', () => {
    expect(template.Resources.EverythingModeParameter).toEqual({ Type: 'AWS::SSM::Parameter', Properties: { Name: '/everything/mode', Type: 'String', Value: 'fast' } });
    expect(template.Resources.EverythingKeySecret).toEqual({ Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'everything/key', GenerateSecretString: { PasswordLength: 32 } } });
    expect(JSON.stringify(template)).not.toContain('hidden');
    const notes = [
      'SSM parameter /everything/token: CloudFormation cannot create a SecureString; create it with aws ssm put-parameter --type SecureString',
      'WebSocket API chat: SAM has no WebSocket resource; its routes ($connect, $default) are not in the template',
    ];
    expect(template.Metadata?.['Flint::NotExported']).toEqual(notes);
    expect(warnings).toEqual(notes.map((n) => `not exported: ${n}`));
  });

  it('reads back through Flint’s SAM translator as the same resources, function URL, triggers and environment', async () => {
    const original = (await loadApp(dir)).spec;
    const back = (await loadApp(dir, { template: join(dir, 'template.yaml') })).spec;
    // All but the SecureString parameter, which the template cannot carry.
    expect(back.resources).toEqual({ ...original.resources, parameters: original.resources.parameters.filter((p) => p.type !== 'SecureString') });
    const worker = (spec: typeof original) => spec.functions.find((f) => f.name === 'worker')!;
    expect(worker(back).url).toEqual(worker(original).url);
    // A queue outside the app keeps its AWS URL; the rest resolve on Flint as they did.
    expect(worker(back).environment).toEqual({ ...worker(original).environment, OTHER_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/elsewhere' });
    const sources = (spec: typeof original) => (spec.eventSources ?? []).map(({ functionName: _, ...source }) => source);
    // An eventBridge schedule is written as SAM's Schedule event, which reads back as a schedule.
    const isSchedule = (s: { type: string; schedule?: string }): boolean => s.type === 'eventBridge' && s.schedule !== undefined;
    expect(sources(back)).toEqual(sources(original).filter((s) => !isSchedule(s)));
    expect(back.schedules.map((s) => s.expression)).toContain('cron(0 12 * * ? *)');
  });
});
