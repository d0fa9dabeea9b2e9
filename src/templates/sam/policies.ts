/**
 * A SAM function's Policies: AWS managed policy names and ARNs, inline policy documents, and SAM policy templates
 * expanded into the statements SAM gives them
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html).
 * Flint's IAM stores these on the function's role; it does not evaluate them.
 */
import { intrinsicName } from '../cloudformation/intrinsics.js';

export type PolicyEntry = string | Record<string, unknown>;

export interface PolicyTarget {
  region: string;
  accountId: string;
}

type Params = Record<string, string>;
type Template = { params: string[]; statements: (p: Params, t: PolicyTarget) => Record<string, unknown>[] };

const allow = (Action: string[], Resource: string | string[]): Record<string, unknown> => ({ Effect: 'Allow', Action, Resource });

const table = (p: Params, t: PolicyTarget): string => `arn:aws:dynamodb:${t.region}:${t.accountId}:table/${p.TableName}`;
const bucket = (p: Params): string => `arn:aws:s3:::${p.BucketName}`;
const queue = (p: Params, t: PolicyTarget): string => `arn:aws:sqs:${t.region}:${t.accountId}:${p.QueueName}`;
const topic = (p: Params, t: PolicyTarget): string => `arn:aws:sns:${t.region}:${t.accountId}:${p.TopicName}`;

const DYNAMODB_READ = ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'];
const DYNAMODB_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'];
const S3_READ = ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion', 's3:GetLifecycleConfiguration'];
const S3_WRITE = ['s3:PutObject', 's3:PutObjectAcl', 's3:PutLifecycleConfiguration'];
const SQS_POLL = ['sqs:ChangeMessageVisibility', 'sqs:ChangeMessageVisibilityBatch', 'sqs:DeleteMessage', 'sqs:DeleteMessageBatch', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'];
const SSM_READ = ['ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParametersByPath'];

/** The templates SAM apps use most; others are reported as not honoured. */
const TEMPLATES: Record<string, Template> = {
  DynamoDBCrudPolicy: {
    params: ['TableName'],
    statements: (p, t) => [allow([...DYNAMODB_READ, 'dynamodb:DeleteItem', ...DYNAMODB_WRITE, 'dynamodb:ConditionCheckItem'], [table(p, t), `${table(p, t)}/index/*`])],
  },
  DynamoDBReadPolicy: { params: ['TableName'], statements: (p, t) => [allow(DYNAMODB_READ, [table(p, t), `${table(p, t)}/index/*`])] },
  DynamoDBWritePolicy: { params: ['TableName'], statements: (p, t) => [allow(DYNAMODB_WRITE, [table(p, t), `${table(p, t)}/index/*`])] },
  DynamoDBStreamReadPolicy: {
    params: ['TableName', 'StreamName'],
    statements: (p, t) => [
      allow(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], `${table(p, t)}/stream/${p.StreamName}`),
      allow(['dynamodb:ListStreams'], `${table(p, t)}/stream/*`),
    ],
  },
  S3ReadPolicy: { params: ['BucketName'], statements: (p) => [allow(S3_READ, [bucket(p), `${bucket(p)}/*`])] },
  S3WritePolicy: { params: ['BucketName'], statements: (p) => [allow(S3_WRITE, [bucket(p), `${bucket(p)}/*`])] },
  S3CrudPolicy: {
    params: ['BucketName'],
    statements: (p) => [allow([...S3_READ, ...S3_WRITE, 's3:DeleteObject'], [bucket(p), `${bucket(p)}/*`])],
  },
  S3FullAccessPolicy: {
    params: ['BucketName'],
    statements: (p) => [
      allow(['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl', 's3:DeleteObject', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'], `${bucket(p)}/*`),
      allow(['s3:ListBucket', 's3:GetBucketLocation', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'], bucket(p)),
    ],
  },
  SQSSendMessagePolicy: { params: ['QueueName'], statements: (p, t) => [allow(['sqs:SendMessage*'], queue(p, t))] },
  SQSPollerPolicy: { params: ['QueueName'], statements: (p, t) => [allow(SQS_POLL, queue(p, t))] },
  SNSPublishMessagePolicy: { params: ['TopicName'], statements: (p, t) => [allow(['sns:Publish'], topic(p, t))] },
  SNSCrudPolicy: {
    params: ['TopicName'],
    statements: (p, t) => [allow(['sns:ListSubscriptionsByTopic', 'sns:CreateTopic', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:Publish'], `${topic(p, t)}*`)],
  },
  LambdaInvokePolicy: { params: ['FunctionName'], statements: (p, t) => [allow(['lambda:InvokeFunction'], `arn:aws:lambda:${t.region}:${t.accountId}:function:${p.FunctionName}*`)] },
  EventBridgePutEventsPolicy: { params: ['EventBusName'], statements: (p, t) => [allow(['events:PutEvents'], `arn:aws:events:${t.region}:${t.accountId}:event-bus/${p.EventBusName}`)] },
  SSMParameterReadPolicy: {
    params: ['ParameterName'],
    statements: (p, t) => [allow(['ssm:DescribeParameters'], '*'), allow(SSM_READ, `arn:aws:ssm:${t.region}:${t.accountId}:parameter/${p.ParameterName}`)],
  },
  SSMParameterWithSlashPrefixReadPolicy: {
    params: ['ParameterName'],
    statements: (p, t) => [allow(['ssm:DescribeParameters'], '*'), allow(SSM_READ, `arn:aws:ssm:${t.region}:${t.accountId}:parameter${p.ParameterName}`)],
  },
  AWSSecretsManagerGetSecretValuePolicy: { params: ['SecretArn'], statements: (p) => [allow(['secretsmanager:GetSecretValue'], p.SecretArn!)] },
  CloudWatchPutMetricPolicy: { params: [], statements: () => [allow(['cloudwatch:PutMetricData'], '*')] },
  KMSDecryptPolicy: { params: ['KeyId'], statements: (p, t) => [allow(['kms:Decrypt'], `arn:aws:kms:${t.region}:${t.accountId}:key/${p.KeyId}`)] },
  StepFunctionsExecutionPolicy: { params: ['StateMachineName'], statements: (p, t) => [allow(['states:StartExecution'], `arn:aws:states:${t.region}:${t.accountId}:stateMachine:${p.StateMachineName}`)] },
  VPCAccessPolicy: { params: [], statements: () => [allow(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DetachNetworkInterface'], '*')] },
};

/** AWS managed policies SAM users name bare that live under /service-role/. */
const SERVICE_ROLE_POLICIES = new Set([
  'AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole', 'AWSLambdaSQSQueueExecutionRole', 'AWSLambdaDynamoDBExecutionRole',
  'AWSLambdaKinesisExecutionRole', 'AWSLambdaRole',
]);

/** What every SAM function's role gets. */
export const BASIC_EXECUTION_ROLE = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

export interface ExpandedPolicies {
  /** Managed policy ARNs and statements, in the order written. */
  policies: PolicyEntry[];
  /** Entries Flint cannot turn into statements, as "what: why". */
  unsupported: string[];
}

/** Expands an evaluated Policies property: a name, an ARN, a document, a template, or a list of those. */
export function expandPolicies(value: unknown, target: PolicyTarget): ExpandedPolicies {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const out: ExpandedPolicies = { policies: [], unsupported: [] };
  for (const item of items) {
    if (typeof item === 'string') out.policies.push(managedPolicyArn(item));
    else if (isMap(item) && Array.isArray(item.Statement)) out.policies.push(...item.Statement.filter(isMap));
    else if (isMap(item) && isMap(item.Statement)) out.policies.push(item.Statement);
    else if (isMap(item) && Object.keys(item).length === 1) expandTemplate(Object.keys(item)[0]!, Object.values(item)[0], target, out);
    else out.unsupported.push(`a policy entry Flint does not read: ${JSON.stringify(item)}`);
  }
  return out;
}

function expandTemplate(name: string, params: unknown, target: PolicyTarget, out: ExpandedPolicies): void {
  const template = TEMPLATES[name];
  if (template === undefined) {
    out.unsupported.push(`policy template ${name} is not one Flint expands (it expands ${Object.keys(TEMPLATES).join(', ')})`);
    return;
  }
  const given = isMap(params) ? params : {};
  const missing = template.params.filter((p) => typeof given[p] !== 'string' && typeof given[p] !== 'number');
  if (missing.length > 0) {
    out.unsupported.push(`policy template ${name} needs ${missing.join(', ')}`);
    return;
  }
  const values = Object.fromEntries(template.params.map((p) => [p, String(given[p])]));
  out.policies.push(...template.statements(values, target));
}

export function managedPolicyArn(name: string): string {
  if (name.startsWith('arn:')) return name;
  return `arn:aws:iam::aws:policy/${SERVICE_ROLE_POLICIES.has(name) ? 'service-role/' : ''}${name}`;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && intrinsicName(value) === undefined;
}
