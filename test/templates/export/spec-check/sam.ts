/**
 * What the SAM transform knows beyond the resource spec: which event `Type` takes which property type, what CloudFormation type
 * each SAM type becomes (for Fn::GetAtt), the resources SAM generates that a template may reference, the Globals
 * sections, and properties SAM documents that the spec's (older) SAM part does not list yet.
 */
import type { SpecProperty } from './database.js';

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/**
 * Event `Type` → the spec's property type of its `Properties`, per resource type
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventsource.html,
 * .../sam-property-statemachine-statemachineeventsource.html).
 */
export const EVENT_PROPERTY_TYPES: Record<string, Record<string, string>> = {
  'AWS::Serverless::Function': {
    S3: 'S3Event',
    SNS: 'SNSEvent',
    SQS: 'SQSEvent',
    Kinesis: 'KinesisEvent',
    DynamoDB: 'DynamoDBEvent',
    Api: 'ApiEvent',
    HttpApi: 'HttpApiEvent',
    Schedule: 'ScheduleEvent',
    CloudWatchEvent: 'CloudWatchEventEvent',
    EventBridgeRule: 'EventBridgeRuleEvent',
    CloudWatchLogs: 'CloudWatchLogsEvent',
    IoTRule: 'IoTRuleEvent',
    AlexaSkill: 'AlexaSkillEvent',
    Cognito: 'CognitoEvent',
  },
  'AWS::Serverless::StateMachine': { CloudWatchEvent: 'CloudWatchEventEvent', EventBridgeRule: 'EventBridgeRuleEvent', Schedule: 'ScheduleEvent', Api: 'ApiEvent' },
};

/** Event types SAM accepts whose properties the spec does not describe: reported, since nothing can check them. */
export const EVENT_TYPES_NOT_IN_SPEC = ['ScheduleV2', 'MSK', 'MQ', 'SelfManagedKafka', 'DocumentDB'];

/**
 * The CloudFormation type a SAM resource becomes under the same logical id, whose attributes Fn::GetAtt reads
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html).
 */
export const BECOMES: Record<string, string> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
  'AWS::Serverless::LayerVersion': 'AWS::Lambda::LayerVersion',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::Application': 'AWS::CloudFormation::Stack',
};

/** Globals sections SAM reads (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html). */
export const GLOBALS_SECTIONS = ['Function', 'Api', 'HttpApi', 'SimpleTable', 'StateMachine', 'LayerVersion', 'CapacityProvider'];

type Resources = Record<string, { Type?: unknown; Properties?: Record<string, unknown> }>;

/**
 * Logical ids SAM generates that a template may Ref or GetAtt, with the type each is: `<Function>Role` when the
 * function has no Role, `<Function>.Alias`/`.Version` with AutoPublishAlias, `<Function>Url` with a function URL,
 * `<Api>.Stage`/`.Deployment`, and the implicit ServerlessRestApi/ServerlessHttpApi an event without an API makes
 * (same page as BECOMES).
 */
export function generatedResources(resources: Resources): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::Serverless::Function') {
      if (props.Role === undefined) out.set(`${id}Role`, 'AWS::IAM::Role');
      if (props.AutoPublishAlias !== undefined) {
        out.set(`${id}.Alias`, 'AWS::Lambda::Alias');
        out.set(`${id}.Version`, 'AWS::Lambda::Version');
      }
      if (props.FunctionUrlConfig !== undefined) out.set(`${id}Url`, 'AWS::Lambda::Url');
      for (const event of Object.values((props.Events ?? {}) as Record<string, { Type?: unknown; Properties?: Record<string, unknown> }>)) {
        if (event.Type === 'Api' && event.Properties?.RestApiId === undefined) addApi(out, 'ServerlessRestApi', 'AWS::ApiGateway::RestApi');
        if (event.Type === 'HttpApi' && event.Properties?.ApiId === undefined) addApi(out, 'ServerlessHttpApi', 'AWS::ApiGatewayV2::Api');
      }
    }
    if (resource.Type === 'AWS::Serverless::Api') addApi(out, id, undefined);
    if (resource.Type === 'AWS::Serverless::HttpApi') addApi(out, id, undefined);
  }
  return out;
}

function addApi(out: Map<string, string>, id: string, type: string | undefined): void {
  if (type) out.set(id, type);
  out.set(`${id}.Stage`, 'AWS::ApiGateway::Stage');
  out.set(`${id}.Deployment`, 'AWS::ApiGateway::Deployment');
}

const string: SpecProperty = { type: { type: 'string' } };
const number: SpecProperty = { type: { type: 'number' } };
const boolean: SpecProperty = { type: { type: 'boolean' } };
const json: SpecProperty = { type: { type: 'json' } };
const strings: SpecProperty = { type: { type: 'array', element: { type: 'string' } } };

/**
 * Properties SAM documents and accepts that the spec's SAM part (an older hand-kept spec) does not list, keyed by
 * resource type or `<resource type>/<property type name>`. Each is cited; nothing is added that SAM does not
 * document. SAM's own generated schema (schema_source/sam.schema.json in aws/serverless-application-model) lists
 * the same names.
 */
export const SAM_ADDITIONS: Record<string, Record<string, SpecProperty>> = {
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-httpapi.html
  'AWS::Serverless::HttpApi': { Name: string, AccessLogSettings: json, PropagateTags: boolean },
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-httpapiauth.html
  'AWS::Serverless::HttpApi/HttpApiAuth': { EnableIamAuthorizer: boolean },
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html
  'AWS::Serverless::Function': { PropagateTags: boolean, RuntimeManagementConfig: json, SnapStart: json, LoggingConfig: json, RecursiveLoop: string, RolePath: string },
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-apifunctionauth.html
  'AWS::Serverless::Function/Auth': { InvokeRole: string, OverrideApiAuth: boolean },
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-sqs.html
  'AWS::Serverless::Function/SQSEvent': { MaximumBatchingWindowInSeconds: number, FunctionResponseTypes: strings, ScalingConfig: json, FilterCriteria: json },
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-dynamodb.html
  'AWS::Serverless::Function/DynamoDBEvent': { FunctionResponseTypes: strings, FilterCriteria: json, TumblingWindowInSeconds: number },
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventbridgerule.html
  'AWS::Serverless::Function/EventBridgeRuleEvent': { RuleName: string, Target: json, DeadLetterConfig: json, RetryPolicy: json, InputTransformer: json },
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-schedule.html
  'AWS::Serverless::Function/ScheduleEvent': { State: string, DeadLetterConfig: json, RetryPolicy: json },
};

/**
 * Properties the spec's SAM part marks required that SAM documents as optional, keyed as SAM_ADDITIONS:
 * a function's OnSuccess and OnFailure destinations are each optional
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventinvokedestinationconfiguration.html).
 */
export const SAM_OPTIONAL: Record<string, string[]> = {
  'AWS::Serverless::Function/EventInvokeDestinationConfig': ['OnSuccess', 'OnFailure'],
};

/**
 * Properties SAM passes through to a CloudFormation type, which the spec's SAM part describes wrongly: a function
 * URL's Cors is AWS::Lambda::Url's Cors (lists of origins, methods, headers), not an Api's quoted strings
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-functionurlconfig.html).
 * Keyed as SAM_ADDITIONS; the value names the CloudFormation resource type and its property type.
 */
export const SAM_PASS_THROUGH: Record<string, Record<string, [resourceType: string, typeName: string]>> = {
  'AWS::Serverless::Function/FunctionUrlConfig': { Cors: ['AWS::Lambda::Url', 'Cors'] },
};
