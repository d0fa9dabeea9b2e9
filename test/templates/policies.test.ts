import { describe, expect, it } from 'vitest';
import { translate } from './helpers.js';

// SAM policy templates as SAM expands them
// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html).
const fn = (policies: string, extra = '') => `
Resources:
  Orders: { Type: AWS::Serverless::SimpleTable }
  Jobs: { Type: AWS::SQS::Queue }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
${extra}      Policies:
${policies.split('\n').map((l) => `        ${l}`).join('\n')}
`;

const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

describe('function policies', () => {
  it('expands policy templates into statements on the resources they name', () => {
    const { document } = translate(fn(`- DynamoDBReadPolicy: { TableName: !Ref Orders }
- SQSSendMessagePolicy: { QueueName: !GetAtt Jobs.QueueName }
- S3CrudPolicy: { BucketName: uploads }
- SSMParameterReadPolicy: { ParameterName: shop/config }
- CloudWatchPutMetricPolicy: {}`));
    expect(document.functions.Fn!.policies).toEqual([
      BASIC,
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'],
        Resource: ['arn:aws:dynamodb:us-east-1:000000000000:table/shop-Orders', 'arn:aws:dynamodb:us-east-1:000000000000:table/shop-Orders/index/*'],
      },
      { Effect: 'Allow', Action: ['sqs:SendMessage*'], Resource: 'arn:aws:sqs:us-east-1:000000000000:shop-Jobs' },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion', 's3:GetLifecycleConfiguration', 's3:PutObject', 's3:PutObjectAcl', 's3:PutLifecycleConfiguration', 's3:DeleteObject'],
        Resource: ['arn:aws:s3:::uploads', 'arn:aws:s3:::uploads/*'],
      },
      { Effect: 'Allow', Action: ['ssm:DescribeParameters'], Resource: '*' },
      { Effect: 'Allow', Action: ['ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParametersByPath'], Resource: 'arn:aws:ssm:us-east-1:000000000000:parameter/shop/config' },
      { Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: '*' },
    ]);
  });

  it('takes managed policy names and ARNs and inline documents, and lists templates it does not know', () => {
    const translation = translate(fn(`- AmazonS3ReadOnlyAccess
- AWSLambdaSQSQueueExecutionRole
- arn:aws:iam::123456789012:policy/custom
- Statement:
    - Effect: Allow
      Action: events:PutEvents
      Resource: "*"
- RekognitionLabelsPolicy: {}`));
    expect(translation.document.functions.Fn!.policies).toEqual([
      BASIC,
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
      'arn:aws:iam::123456789012:policy/custom',
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' },
    ]);
    expect(translation.unsupported).toEqual([expect.stringMatching(/^Fn \(AWS::Serverless::Function\) Policies: policy template RekognitionLabelsPolicy is not one Flint expands/)]);
  });

  it('gives a function whose Role is an IAM::Role of the template that role’s policies, and keeps an outside role ARN', () => {
    const translation = translate(`
Resources:
  Shared:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
      Policies:
        - PolicyName: read
          PolicyDocument: { Statement: [{ Effect: Allow, Action: s3:GetObject, Resource: "*" }] }
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref Shared]
      PolicyDocument: { Statement: { Effect: Allow, Action: sns:Publish, Resource: "*" } }
  WithRole: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: a.handler, Role: !GetAtt Shared.Arn } }
  Outside: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: a.handler, Role: "arn:aws:iam::123456789012:role/ops" } }
`);
    expect(translation.document.functions.WithRole!.policies).toEqual([
      BASIC,
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
    ]);
    expect(translation.document.functions.Outside).toMatchObject({ role: 'arn:aws:iam::123456789012:role/ops' });
    expect(translation.document.functions.Outside!.policies).toBeUndefined();
    expect(translation.unsupported).toEqual([]);
  });
});
