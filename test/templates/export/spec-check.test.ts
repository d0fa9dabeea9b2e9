/**
 * `flint export sam` writes templates CloudFormation and the SAM transform accept (issue 13): every example app,
 * exported through the `flint export sam` command, checks clean against AWS's published resource specification
 * (@aws-cdk/aws-service-spec) with spec-check/; and the checker is shown to catch each kind of mistake, so a clean
 * result means something. The SAM CLI itself is not run here (it cannot be installed on this machine).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../../src/cli/commands/export.js';
import type { Output } from '../../../src/cli/output.js';
import { checkTemplate, flintLocalValues, type Finding } from './spec-check/index.js';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples');
const work = mkdtempSync(join(tmpdir(), 'flint-spec-check-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const quiet: Output = { result: () => {}, step: () => {}, success: () => {}, warn: () => {}, error: () => {}, dim: (t) => t, bold: (t) => t };

/** `flint export sam <dir> -o <file>`, run in-process: the command's own parsing, loading and writing. */
async function exportExample(example: string): Promise<unknown> {
  const file = join(work, `${example}.yaml`);
  expect(await exportCommand.run(['sam', join(EXAMPLES, example), '-o', file], quiet)).toBe(0);
  return parse(readFileSync(file, 'utf8'));
}

const readable = (findings: Finding[]): string[] => findings.map((f) => `${f.path}: ${f.message}`);

describe('exported example apps pass the spec check, with nothing of the Flint node in them', () => {
  const examples = ['custom-runtime', 'http-api', 'idempotency', 'image-pipeline', 'layers', 'python-function', 'sam-orders', 'sam-toolbox', 'sls-notes', 'user-fanout', 'users-api', 'ws-chat'];
  it.each(examples)('%s', async (example) => {
    const template = await exportExample(example);
    expect(readable(checkTemplate(template, { dir: join(EXAMPLES, example) }))).toEqual([]);
    // And nothing in it points at the Flint node: queue URLs and ARNs resolved on Flint are written for AWS.
    expect(readable(flintLocalValues(template))).toEqual([]);
  });
});

/** A small valid template each negative test breaks in one way. */
function baseTemplate(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests reach into the template freely
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Parameters: { Stage: { Type: 'String', Default: 'dev' } },
    Resources: {
      Jobs: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } },
      Notes: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
      },
      Api: { Type: 'AWS::Serverless::HttpApi', Properties: { Name: 'api' } },
      Worker: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'python3.12',
          Handler: 'app.handler',
          CodeUri: '.',
          MemorySize: 256,
          Environment: { Variables: { QUEUE_URL: { Ref: 'Jobs' }, TABLE_ARN: { 'Fn::GetAtt': ['Notes', 'Arn'] }, STAGE: { 'Fn::Sub': '${Stage}-${AWS::Region}' } } },
          Policies: [{ SQSPollerPolicy: { QueueName: { 'Fn::GetAtt': ['Jobs', 'QueueName'] } } }],
          Events: {
            Jobs: { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['Jobs', 'Arn'] }, BatchSize: 5 } },
            Get: { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Api' }, Method: 'GET', Path: '/notes' } },
          },
        },
      },
    },
    Outputs: { Role: { Value: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] } }, Root: { Value: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/' } } },
  };
}

const check = (template: unknown): string[] => readable(checkTemplate(template, { dir: EXAMPLES }));

describe('the spec check catches each kind of mistake', () => {
  it('passes the base template the cases below break', () => {
    expect(check(baseTemplate())).toEqual([]);
  });

  it('an unknown property, with the right spelling when only the case is wrong', () => {
    const t = baseTemplate();
    t.Resources.Worker.Properties.Memorysize = 128;
    t.Resources.Notes.Properties.AttributeDefinitions[0].attributeType = 'S';
    expect(check(t)).toEqual([
      "Resources.Notes.Properties.AttributeDefinitions[0].attributeType: unknown property 'attributeType' of AttributeDefinition (did you mean 'AttributeType'?)",
      "Resources.Worker.Properties.Memorysize: unknown property 'Memorysize' of AWS::Serverless::Function (did you mean 'MemorySize'?)",
    ]);
  });

  it('a value of the wrong type, at any depth and in union types', () => {
    const t = baseTemplate();
    t.Resources.Worker.Properties.Timeout = 'thirty';
    t.Resources.Worker.Properties.Environment.Variables = ['A=1'];
    t.Resources.Jobs.Properties.VisibilityTimeout = 1.5;
    t.Resources.Worker.Properties.Events.Jobs.Properties.Enabled = 'yes';
    expect(check(t)).toEqual([
      'Resources.Jobs.Properties.VisibilityTimeout: expected an integer, got number 1.5',
      'Resources.Worker.Properties.Environment.Variables: expected a map of string, got a list',
      'Resources.Worker.Properties.Timeout: expected number or integer, got string "thirty"',
      'Resources.Worker.Properties.Events.Jobs.Properties.Enabled: expected a boolean, got string "yes"',
    ]);
  });

  it('a missing required property, in a resource and in a nested type', () => {
    const t = baseTemplate();
    delete t.Resources.Notes.Properties.KeySchema;
    delete t.Resources.Worker.Properties.Events.Jobs.Properties.Queue;
    delete t.Resources.Worker.Properties.Handler;
    expect(check(t)).toEqual([
      "Resources.Notes.Properties: AWS::DynamoDB::Table is missing required property 'KeySchema'",
      "Resources.Worker.Properties.Events.Jobs.Properties: SQSEvent is missing required property 'Queue'",
      'Resources.Worker.Properties: a zip function needs Handler',
    ]);
  });

  it('a Fn::GetAtt of an attribute the type does not have, or of no resource', () => {
    const t = baseTemplate();
    t.Resources.Worker.Properties.Environment.Variables.QUEUE_URL = { 'Fn::GetAtt': ['Jobs', 'Url'] };
    t.Outputs.Root.Value = { 'Fn::Sub': '${Notes.StreamArn}/${Api.RootResourceId}' };
    t.Outputs.Role.Value = { 'Fn::GetAtt': 'Missing.Arn' };
    expect(check(t)).toEqual([
      'Resources.Worker.Properties.Environment.Variables.QUEUE_URL.Fn::GetAtt: Fn::GetAtt Jobs.Url: AWS::SQS::Queue has no attribute Url (it has: Arn, QueueName, QueueUrl)',
      'Outputs.Role.Value.Fn::GetAtt: Fn::GetAtt Missing.Arn: no resource named Missing',
      'Outputs.Root.Value.Fn::Sub: Fn::GetAtt Api.RootResourceId: AWS::ApiGatewayV2::Api has no attribute RootResourceId (it has: ApiEndpoint, ApiId, ExecuteApiArn)',
    ]);
  });

  it('a Ref to nothing, a role SAM does not generate, an unknown function', () => {
    const t = baseTemplate();
    t.Resources.Worker.Properties.Environment.Variables.STAGE = { 'Fn::Sub': '${Stg}' };
    t.Resources.Worker.Properties.Role = 'arn:aws:iam::123456789012:role/worker';
    t.Resources.Worker.Properties.Layers = [{ Ref: 'SharedLayer' }];
    t.Resources.Jobs.Properties.QueueName = { 'Fn::Concat': ['a', 'b'] };
    expect(check(t)).toEqual([
      'Resources.Jobs.Properties.QueueName.Fn::Concat: unknown intrinsic function Fn::Concat',
      'Resources.Worker.Properties.Environment.Variables.STAGE.Fn::Sub: Ref Stg: no parameter, resource or pseudo parameter has that name',
      'Resources.Worker.Properties.Layers[0].Ref: Ref SharedLayer: no parameter, resource or pseudo parameter has that name',
      'Outputs.Role.Value.Fn::GetAtt: Fn::GetAtt WorkerRole.Arn: no resource named WorkerRole',
    ]);
  });

  it('an unknown event type, event properties of another type, and an API event off its API', () => {
    const t = baseTemplate();
    t.Resources.Worker.Properties.Events.Jobs.Type = 'Sqs';
    t.Resources.Worker.Properties.Events.Nightly = { Type: 'Schedule', Properties: { ScheduleExpression: 'rate(1 day)' } };
    t.Resources.Worker.Properties.Events.Get.Properties.ApiId = 'abc123';
    t.Resources.Worker.Properties.Events.Get.Properties.Auth = { Authorizer: 'AWS_IAM' };
    expect(check(t)).toEqual([
      "Resources.Worker.Properties.Events.Jobs.Type: unknown event type 'Sqs' (AWS::Serverless::Function takes S3, SNS, SQS, Kinesis, DynamoDB, Api, HttpApi, Schedule, CloudWatchEvent, EventBridgeRule, CloudWatchLogs, IoTRule, AlexaSkill, Cognito)",
      "Resources.Worker.Properties.Events.Get.Properties.ApiId: HttpApi event's ApiId must be a Ref to an AWS::Serverless::HttpApi of this template",
      'Resources.Worker.Properties.Events.Get.Properties.Auth.Authorizer: AWS_IAM on an HTTP API route needs the API’s Auth.EnableIamAuthorizer: true',
      'Resources.Worker.Properties.Events.Nightly.Properties.ScheduleExpression: unknown property \'ScheduleExpression\' of ScheduleEvent',
      "Resources.Worker.Properties.Events.Nightly.Properties: ScheduleEvent is missing required property 'Schedule'",
    ]);
  });

  it('an HTTP API Lambda authorizer the API may not invoke, and values of the Flint node', () => {
    const t = baseTemplate();
    t.Resources.Authorize = { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', CodeUri: '.' } };
    t.Resources.Api.Properties.Auth = { Authorizers: { gate: { FunctionArn: { 'Fn::GetAtt': ['Authorize', 'Arn'] }, AuthorizerPayloadFormatVersion: '2.0' } } };
    t.Resources.Worker.Properties.Environment.Variables.QUEUE_URL = 'http://127.0.0.1:4566/000000000000/jobs';
    expect(check(t)).toEqual([
      'Resources.Api.Properties.Auth.Authorizers.gate: a Lambda authorizer without EnableFunctionDefaultPermissions: true cannot be invoked by the API (SAM grants no permission by default)',
    ]);
    expect(readable(flintLocalValues(t))).toEqual([
      'Resources.Worker.Properties.Environment.Variables.QUEUE_URL: a value from the Flint node, meaningless on AWS: http://127.0.0.1:4566/000000000000/jobs',
    ]);
  });

  it('anatomy: a missing transform, an unknown section or resource type, Globals SAM does not read, code that is not there', () => {
    const t = baseTemplate();
    delete t.Transform;
    t.Output = {};
    t.AWSTemplateFormatVersion = new Date('2010-09-09');
    t.Globals = { Queue: { VisibilityTimeout: 5 }, Function: { Timeout: 10, Name: 'x' } };
    t.Resources.Bus = { Type: 'AWS::Events::Bus', Properties: {} };
    t.Resources.Worker.Properties.CodeUri = 'no-such-folder';
    expect(check(t)).toEqual([
      "Output: unknown template section 'Output'",
      'AWSTemplateFormatVersion: the only template format version is "2010-09-09" (a string), got "2010-09-09T00:00:00.000Z"',
      'Transform: SAM resources and Globals need Transform: AWS::Serverless-2016-10-31',
      `Resources.Worker.Properties.CodeUri: no-such-folder does not exist beside the template (sam deploy packages it from ${EXAMPLES})`,
      'Resources.Bus.Type: unknown resource type AWS::Events::Bus',
      'Globals.Queue: Globals has no section \'Queue\' (SAM reads Function, Api, HttpApi, SimpleTable, StateMachine, LayerVersion, CapacityProvider)',
      "Globals.Function.Name: unknown property 'Name' of Globals.Function",
    ]);
  });
});
