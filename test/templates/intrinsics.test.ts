import { describe, expect, it } from 'vitest';
import { problemOf, translate, variablesOf, withVariables } from './helpers.js';

// Intrinsic functions as CloudFormation evaluates them:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
const HEAD = `
Parameters:
  Stage: { Type: String, Default: dev }
  Sizes: { Type: CommaDelimitedList, Default: "small,medium,large" }
Mappings:
  Regions:
    us-east-1: { Short: use1 }
Conditions:
  IsDev: !Equals [!Ref Stage, dev]
  IsProd: !Not [!Condition IsDev]
  DevInUsEast: !And [!Condition IsDev, !Equals [!Ref "AWS::Region", us-east-1]]
  AnyOf: !Or [!Condition IsProd, !Equals [a, b]]`;

describe('intrinsic functions', () => {
  it('evaluates short and long forms of Ref, Sub, Join, Select, Split, FindInMap, Base64 and GetAZs', () => {
    const vars = variablesOf(translate(withVariables(`
REF: !Ref Stage
SUB: !Sub "\${AWS::StackName}-\${Stage}-\${AWS::Region}"
SUB_VARS: !Sub ["\${Name}.\${Stage}", { Name: !Join ["", [a, b]] }]
SUB_LITERAL: !Sub "\${!NotAVariable}-\${Stage}"
JOIN: { "Fn::Join": [",", [x, !Ref Stage]] }
SELECT: !Select [1, !Ref Sizes]
SPLIT_SELECT: !Select [2, !Split ["/", "a/b/c"]]
MAP: !FindInMap [Regions, !Ref "AWS::Region", Short]
BASE64: !Base64 hello
AZ: !Select [0, !GetAZs ""]
PSEUDO: !Sub "\${AWS::AccountId}:\${AWS::Partition}:\${AWS::URLSuffix}"`, HEAD)));
    expect(vars).toEqual({
      REF: 'dev',
      SUB: 'shop-dev-us-east-1',
      SUB_VARS: 'ab.dev',
      SUB_LITERAL: '${NotAVariable}-dev',
      JOIN: 'x,dev',
      SELECT: 'medium',
      SPLIT_SELECT: 'c',
      MAP: 'use1',
      BASE64: 'aGVsbG8=',
      AZ: 'us-east-1a',
      PSEUDO: '000000000000:aws:amazonaws.com',
    });
  });

  it('evaluates conditions (Equals, Not, And, Or, Condition) and If, and AWS::NoValue leaves a value out', () => {
    const vars = variablesOf(translate(withVariables(`
DEV: !If [IsDev, yes, no]
PROD: !If [IsProd, yes, no]
BOTH: !If [DevInUsEast, yes, no]
ANY: !If [AnyOf, yes, no]
GONE: !If [IsProd, here, !Ref AWS::NoValue]`, HEAD)));
    expect(vars).toEqual({ DEV: 'yes', PROD: 'no', BOTH: 'yes', ANY: 'no' });
    const prod = variablesOf(translate(withVariables('GONE: !If [IsProd, here, !Ref AWS::NoValue]', HEAD), ['Stage=prod']));
    expect(prod).toEqual({ GONE: 'here' });
  });

  it('gives Ref and GetAtt of resources the names and ARNs Flint creates', () => {
    const vars = variablesOf(translate(`
Resources:
  Orders: { Type: AWS::Serverless::SimpleTable }
  Named: { Type: AWS::DynamoDB::Table, Properties: { TableName: !Sub "\${AWS::StackName}-named", KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] } }
  Jobs: { Type: AWS::SQS::Queue }
  Alerts: { Type: AWS::SNS::Topic }
  Uploads: { Type: AWS::S3::Bucket }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Environment:
        Variables:
          TABLE: !Ref Orders
          NAMED: !Ref Named
          TABLE_ARN: !GetAtt Orders.Arn
          QUEUE_URL: !Ref Jobs
          QUEUE_ARN: !GetAtt [Jobs, Arn]
          QUEUE_NAME: !GetAtt Jobs.QueueName
          TOPIC: !Ref Alerts
          BUCKET: !Ref Uploads
          BUCKET_ARN: !GetAtt Uploads.Arn
          SELF: !GetAtt Fn.Arn
          ROLE: !GetAtt FnRole.Arn
`));
    expect(vars).toEqual({
      TABLE: 'shop-Orders',
      NAMED: 'shop-named',
      TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/shop-Orders',
      QUEUE_URL: 'http://127.0.0.1:4566/000000000000/shop-Jobs',
      QUEUE_ARN: 'arn:aws:sqs:us-east-1:000000000000:shop-Jobs',
      QUEUE_NAME: 'shop-Jobs',
      TOPIC: 'arn:aws:sns:us-east-1:000000000000:shop-Alerts',
      BUCKET: 'shop-uploads',
      BUCKET_ARN: 'arn:aws:s3:::shop-uploads',
      SELF: 'arn:aws:lambda:us-east-1:000000000000:function:Fn',
      ROLE: 'arn:aws:iam::000000000000:role/shop-Fn-role',
    });
  });

  it('imports a value its own Outputs export (Fn::ImportValue within the app)', () => {
    const translation = translate(`${withVariables('IMPORTED: !ImportValue shop-table-name')}
  Orders: { Type: AWS::Serverless::SimpleTable }
Outputs:
  TableName:
    Value: !Ref Orders
    Export: { Name: !Sub "\${AWS::StackName}-table-name" }
`);
    expect(variablesOf(translation)).toEqual({ IMPORTED: 'shop-Orders' });
    expect(translation.outputs).toEqual([{ key: 'TableName', value: 'shop-Orders', exportName: 'shop-table-name' }]);
  });

  it('names the line and field of a Ref to nothing, a GetAtt of an unknown attribute and an unknown condition', () => {
    const message = problemOf(() => translate(withVariables(`A: !Ref Missing
B: !GetAtt Fn.Colour
C: !If [NoSuchCondition, x, y]`)));
    expect(message).toContain('template.yaml:10:11: Resources.Fn.Properties.Environment.Variables.A.Ref: Ref Missing: no parameter, pseudo parameter or resource of that name in the template');
    expect(message).toContain('template.yaml:11:11: Resources.Fn.Properties.Environment.Variables.B.Fn::GetAtt: Fn::GetAtt Fn.Colour: AWS::Serverless::Function Fn has no attribute Colour here (it has Arn)');
    expect(message).toContain('template.yaml:12:11: Resources.Fn.Properties.Environment.Variables.C.Fn::If: condition NoSuchCondition is not declared under Conditions (declared: none)');
  });

  it('says that a resource whose condition is false is not there when something refers to it', () => {
    const message = problemOf(() => translate(`${withVariables('QUEUE: !Ref Extra', 'Conditions:\n  Never: !Equals [a, b]')}
  Extra: { Type: AWS::SQS::Queue, Condition: Never }
`));
    expect(message).toContain('Ref Extra: resource Extra is not created: its Condition Never is false (use Fn::If with that condition to refer to it)');
  });

  it('refuses an unknown tag and an intrinsic function Flint does not evaluate, with their lines', () => {
    expect(problemOf(() => translate(withVariables('A: !Reff Stage')))).toMatch(/template\.yaml:10:20: unknown tag !Reff/);
    expect(problemOf(() => translate(withVariables('A: { "Fn::Cidr": [10.0.0.0/16, 2, 8] }')))).toContain(
      'template.yaml:10:11: Resources.Fn.Properties.Environment.Variables.A: Fn::Cidr is not an intrinsic function Flint evaluates',
    );
  });
});
