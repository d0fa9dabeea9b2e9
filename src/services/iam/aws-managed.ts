import { stableId } from './ids.js';

/**
 * AWS managed policies (arn:aws:iam::aws:policy/…) that templates, tutorials and deploy tools attach to Lambda
 * execution roles and users, with their documents as AWS publishes them in the AWS Managed Policy Reference
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/). The broad read-only and full-access
 * policies are abridged to the statements that matter for the services Flint emulates; their ids and dates are
 * Flint's (stable across nodes), not AWS's.
 */
export interface AwsManagedPolicy {
  name: string;
  path: string;
  arn: string;
  id: string;
  description: string;
  defaultVersionId: string;
  document: string;
  /** Epoch ms. */
  createDate: number;
  updateDate: number;
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

interface Definition {
  name: string;
  path?: string;
  description: string;
  version?: string;
  statements: Statement[];
}

const LOGS_WRITE = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
const allow = (action: string | string[], resource: string | string[] = '*'): Statement => ({ Effect: 'Allow', Action: action, Resource: resource });

const DEFINITIONS: readonly Definition[] = [
  { name: 'AdministratorAccess', description: 'Provides full access to AWS services and resources.', statements: [allow('*')] },
  {
    name: 'PowerUserAccess',
    description: 'Provides full access to AWS services and resources, but does not allow management of Users and groups.',
    version: 'v5',
    statements: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      allow(['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions', 'account:GetAccountInformation']),
    ],
  },
  {
    name: 'ReadOnlyAccess',
    description: 'Provides read-only access to AWS services and resources.',
    statements: [
      allow([
        'cloudformation:Describe*', 'cloudformation:Get*', 'cloudformation:List*', 'cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*',
        'dynamodb:BatchGet*', 'dynamodb:Describe*', 'dynamodb:Get*', 'dynamodb:List*', 'dynamodb:Query', 'dynamodb:Scan',
        'events:Describe*', 'events:List*', 'events:Test*', 'iam:Generate*', 'iam:Get*', 'iam:List*', 'iam:Simulate*',
        'lambda:Get*', 'lambda:List*', 'logs:Describe*', 'logs:FilterLogEvents', 'logs:Get*', 'logs:ListTagsLogGroup', 'logs:StartQuery', 'logs:TestMetricFilter',
        's3:Get*', 's3:List*', 'scheduler:Get*', 'scheduler:List*', 'sns:Check*', 'sns:Get*', 'sns:List*', 'sqs:Get*', 'sqs:List*', 'sqs:Receive*', 'sts:GetCallerIdentity',
      ]),
    ],
  },
  { name: 'IAMFullAccess', description: 'Provides full access to IAM via the AWS Management Console.', statements: [allow(['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit', 'organizations:DescribePolicy', 'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget', 'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy'])] },
  { name: 'IAMReadOnlyAccess', description: 'Provides read only access to IAM via the AWS Management Console.', statements: [allow(['iam:GenerateCredentialReport', 'iam:GenerateServiceLastAccessedDetails', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy', 'iam:SimulatePrincipalPolicy'])] },
  { name: 'AWSLambdaBasicExecutionRole', path: '/service-role/', description: 'Provides write permissions to CloudWatch Logs.', statements: [allow(LOGS_WRITE)] },
  {
    name: 'AWSLambdaVPCAccessExecutionRole',
    path: '/service-role/',
    description: 'Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC - create, describe, delete network interfaces and write permissions to CloudWatch Logs. ',
    statements: [allow([...LOGS_WRITE, 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'])],
  },
  {
    name: 'AWSLambdaSQSQueueExecutionRole',
    path: '/service-role/',
    description: 'Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.',
    statements: [allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS_WRITE])],
  },
  {
    name: 'AWSLambdaDynamoDBExecutionRole',
    path: '/service-role/',
    description: 'Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs.',
    statements: [allow(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', ...LOGS_WRITE])],
  },
  {
    name: 'AWSLambdaKinesisExecutionRole',
    path: '/service-role/',
    description: 'Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.',
    statements: [allow(['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:ListStreams', 'kinesis:SubscribeToShard', ...LOGS_WRITE])],
  },
  { name: 'AWSLambdaRole', path: '/service-role/', description: 'Default policy for AWS Lambda service role.', statements: [allow('lambda:InvokeFunction')] },
  { name: 'AWSLambdaExecute', description: 'Provides Put, Get access to S3 and full access to CloudWatch Logs.', statements: [allow('logs:*', 'arn:aws:logs:*:*:*'), allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::*')] },
  {
    name: 'AWSLambda_FullAccess',
    description: 'Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.',
    statements: [
      allow([
        'cloudformation:DescribeStacks', 'cloudformation:ListStackResources', 'cloudwatch:ListMetrics', 'cloudwatch:GetMetricData', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs',
        'kms:ListAliases', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:ListRoles',
        'lambda:*', 'logs:DescribeLogGroups', 'states:DescribeStateMachine', 'states:ListStateMachines', 'tag:GetResources', 'xray:GetTraceSummaries', 'xray:BatchGetTraces',
      ]),
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
      allow(['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartLiveTail', 'logs:StopLiveTail'], 'arn:aws:logs:*:*:log-group:/aws/lambda/*'),
    ],
  },
  { name: 'AWSLambda_ReadOnlyAccess', description: 'Grants read-only access to AWS Lambda service, AWS Lambda console features, and other related AWS services.', statements: [allow(['cloudformation:DescribeStacks', 'cloudformation:ListStackResources', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:ListRoles', 'lambda:Get*', 'lambda:List*', 'logs:DescribeLogGroups', 'tag:GetResources'])] },
  { name: 'AmazonS3FullAccess', description: 'Provides full access to all buckets via the AWS Management Console.', statements: [allow(['s3:*', 's3-object-lambda:*'])] },
  { name: 'AmazonS3ReadOnlyAccess', description: 'Provides read only access to all buckets via the AWS Management Console.', statements: [allow(['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'])] },
  {
    name: 'AmazonDynamoDBFullAccess',
    description: 'Provides full access to Amazon DynamoDB via the AWS Management Console.',
    statements: [
      allow(['dynamodb:*', 'dax:*', 'application-autoscaling:DeleteScalingPolicy', 'application-autoscaling:DeregisterScalableTarget', 'application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingActivities', 'application-autoscaling:DescribeScalingPolicies', 'application-autoscaling:PutScalingPolicy', 'application-autoscaling:RegisterScalableTarget', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmsForMetric', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics', 'cloudwatch:PutMetricAlarm', 'cloudwatch:GetMetricData', 'kinesis:ListStreams', 'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kms:DescribeKey', 'kms:ListAliases', 'sns:CreateTopic', 'sns:DeleteTopic', 'sns:ListSubscriptions', 'sns:ListSubscriptionsByTopic', 'sns:ListTopics', 'sns:Subscribe', 'sns:Unsubscribe', 'sns:SetTopicAttributes', 'lambda:CreateFunction', 'lambda:ListFunctions', 'lambda:ListEventSourceMappings', 'lambda:CreateEventSourceMapping', 'lambda:DeleteEventSourceMapping', 'lambda:GetFunctionConfiguration', 'lambda:DeleteFunction', 'resource-groups:ListGroups', 'resource-groups:ListGroupResources', 'resource-groups:GetGroup', 'resource-groups:GetGroupQuery', 'resource-groups:DeleteGroup', 'resource-groups:CreateGroup', 'tag:GetResources']),
      { Effect: 'Allow', Action: 'cloudwatch:GetInsightRuleReport', Resource: 'arn:aws:cloudwatch:*:*:insight-rule/DynamoDBContributorInsights*' },
      { Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*', Condition: { StringLike: { 'iam:PassedToService': ['application-autoscaling.amazonaws.com', 'application-autoscaling.amazonaws.com.cn', 'dax.amazonaws.com'] } } },
      { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole'], Resource: '*', Condition: { StringEquals: { 'iam:AWSServiceName': ['replication.dynamodb.amazonaws.com', 'dax.amazonaws.com', 'dynamodb.application-autoscaling.amazonaws.com', 'contributorinsights.dynamodb.amazonaws.com', 'kinesisreplication.dynamodb.amazonaws.com'] } } },
    ],
  },
  { name: 'AmazonDynamoDBReadOnlyAccess', description: 'Provides read only access to Amazon DynamoDB via the AWS Management Console.', statements: [allow(['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingActivities', 'application-autoscaling:DescribeScalingPolicies', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmsForMetric', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics', 'cloudwatch:GetMetricData', 'dynamodb:BatchGetItem', 'dynamodb:Describe*', 'dynamodb:GetItem', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:List*', 'dynamodb:PartiQLSelect', 'dynamodb:Query', 'dynamodb:Scan', 'tag:GetResources'])] },
  { name: 'AmazonSQSFullAccess', description: 'Provides full access to Amazon SQS via the AWS Management Console.', statements: [allow('sqs:*')] },
  { name: 'AmazonSQSReadOnlyAccess', description: 'Provides read only access to Amazon SQS via the AWS Management Console.', statements: [allow(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ListDeadLetterSourceQueues', 'sqs:ListQueues', 'sqs:ListMessageMoveTasks', 'sqs:ListQueueTags'])] },
  { name: 'AmazonSNSFullAccess', description: 'Provides full access to Amazon SNS via the AWS Management Console.', statements: [allow(['sns:*'])] },
  { name: 'AmazonSNSReadOnlyAccess', description: 'Provides read only access to Amazon SNS via the AWS Management Console.', statements: [allow(['sns:GetTopicAttributes', 'sns:List*', 'sns:CheckIfPhoneNumberIsOptedOut', 'sns:GetEndpointAttributes', 'sns:GetDataProtectionPolicy', 'sns:GetPlatformApplicationAttributes', 'sns:GetSMSAttributes', 'sns:GetSMSSandboxAccountStatus', 'sns:GetSubscriptionAttributes'])] },
  { name: 'CloudWatchLogsFullAccess', description: 'Provides full access to CloudWatch Logs', statements: [allow(['logs:*', 'cloudwatch:GenerateQuery'])] },
  { name: 'CloudWatchLogsReadOnlyAccess', description: 'Provides read only access to CloudWatch Logs', statements: [allow(['logs:Describe*', 'logs:Get*', 'logs:List*', 'logs:StartQuery', 'logs:StopQuery', 'logs:TestMetricFilter', 'logs:FilterLogEvents', 'logs:StartLiveTail', 'logs:StopLiveTail', 'cloudwatch:GenerateQuery'])] },
  { name: 'AmazonEventBridgeFullAccess', description: 'Provides full access to Amazon EventBridge.', statements: [allow(['events:*', 'schemas:*', 'scheduler:*', 'pipes:*']), { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/*', Condition: { StringLike: { 'iam:PassedToService': 'events.amazonaws.com' } } }] },
  { name: 'AmazonEventBridgeSchedulerFullAccess', description: 'Provides full access to Amazon EventBridge Scheduler using the AWS Management Console, AWS CLI, or SDK.', statements: [allow('scheduler:*'), { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/*', Condition: { StringLike: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } }] },
  { name: 'AWSXRayDaemonWriteAccess', description: 'Allow the AWS X-Ray Daemon to relay raw trace segments data to the service\'s API and retrieve sampling data (rules, targets, etc.) to be used by the X-Ray SDK.', statements: [allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'])] },
  { name: 'AmazonAPIGatewayInvokeFullAccess', description: 'Provides full access to invoke APIs in Amazon API Gateway.', statements: [allow(['execute-api:Invoke', 'execute-api:ManageConnections'], 'arn:aws:execute-api:*:*:*')] },
];

/** The first of these dates any managed policy carries (Flint's, fixed, so answers are the same on every node). */
const CREATED = Date.UTC(2015, 1, 6, 18, 40, 0);

/** The AWS managed policies by ARN, for a partition. */
export function awsManagedPolicies(partition: string): ReadonlyMap<string, AwsManagedPolicy> {
  const policies = new Map<string, AwsManagedPolicy>();
  for (const definition of DEFINITIONS) {
    const path = definition.path ?? '/';
    const arn = `arn:${partition}:iam::aws:policy${path}${definition.name}`;
    const document = JSON.stringify({ Version: '2012-10-17', Statement: definition.statements }, null, 4).replaceAll('arn:aws:', `arn:${partition}:`);
    policies.set(arn, {
      name: definition.name,
      path,
      arn,
      id: stableId('ANPA', definition.name),
      description: definition.description,
      defaultVersionId: definition.version ?? 'v1',
      document,
      createDate: CREATED,
      updateDate: CREATED,
    });
  }
  return policies;
}
