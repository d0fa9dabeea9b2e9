import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { echoZip } from '../../services/lambda/harness.js';
import { ACCOUNT, as, document, refusal, userWith, type Keys } from './helpers.js';

/**
 * With enforcement on, an IAM user's calls get what its policy allows and AWS's AccessDenied for the rest, in each
 * service's protocol. Wording: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 * ("User: <arn> is not authorized to perform: <action> on resource: <arn> because no identity-based policy allows the
 * <action> action"); S3 quotes the resource (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html).
 */
describe('IAM enforcement per service', () => {
  let t: TestNode;
  let alice: Keys;
  const user = `arn:aws:iam::${ACCOUNT}:user/alice`;
  const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;

  beforeAll(async () => {
    t = await startTestNode({ authorization: 'enforce' });
    const root = { ...t.config, forcePathStyle: true };
    await new DynamoDBClient(root).send(
      new CreateTableCommand({ TableName: 'orders', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    await new S3Client(root).send(new CreateBucketCommand({ Bucket: 'docs' }));
    await new S3Client(root).send(new PutObjectCommand({ Bucket: 'docs', Key: 'alice/a.txt', Body: 'a' }));
    await new SQSClient(root).send(new CreateQueueCommand({ QueueName: 'jobs' }));
    await new SNSClient(root).send(new CreateTopicCommand({ Name: 'news' }));
    const lambda = new LambdaClient(root);
    for (const name of ['open', 'closed']) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: `arn:aws:iam::${ACCOUNT}:role/r`, Code: { ZipFile: echoZip() } }));
    }
    alice = await userWith(
      t,
      'alice',
      document(
        { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem'], Resource: table },
        { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::docs/*' },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::docs', Condition: { StringLike: { 's3:prefix': '${aws:username}/*' } } },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs` },
        { Effect: 'Allow', Action: 'sns:Publish', Resource: `arn:aws:sns:us-east-1:${ACCOUNT}:news` },
        { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:open` },
      ),
    );
  }, 60_000);
  afterAll(() => t.close());

  it('DynamoDB: allows PutItem, refuses what no statement allows, and an explicit deny beats an allow', async () => {
    const db = new DynamoDBClient(as(t, alice));
    await db.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: '1' } } }));
    expect((await db.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } }))).Item).toEqual({ id: { S: '1' } });
    const create = await refusal(db.send(new CreateTableCommand({ TableName: 'x', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' })));
    expect(create).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: ${user} is not authorized to perform: dynamodb:CreateTable on resource: arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/x because no identity-based policy allows the dynamodb:CreateTable action`,
    });
    const denied = await refusal(db.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } })));
    expect(denied.message).toBe(`User: ${user} is not authorized to perform: dynamodb:DeleteItem on resource: ${table} with an explicit deny in an identity-based policy`);
  });

  it('S3: allows GetObject, refuses PutObject with 403 AccessDenied, and tests s3:prefix', async () => {
    const s3 = new S3Client(as(t, alice));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'alice/a.txt' }));
    expect(await got.Body!.transformToString()).toBe('a');
    const put = await refusal(s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'b.txt', Body: 'b' })));
    expect(put).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${user} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::docs/b.txt" because no identity-based policy allows the s3:PutObject action`,
    });
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'docs', Prefix: 'alice/' }))).KeyCount).toBe(1);
    expect((await refusal(s3.send(new ListObjectsV2Command({ Bucket: 'docs', Prefix: 'bob/' })))).status).toBe(403);
    expect((await refusal(s3.send(new ListObjectsV2Command({ Bucket: 'docs' })))).name).toBe('AccessDenied');
  });

  it('SQS: allows SendMessage, refuses ReceiveMessage', async () => {
    const sqs = new SQSClient(as(t, alice));
    const url = `${t.node.url}/${ACCOUNT}/jobs`;
    expect((await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hi' }))).MessageId).toBeTruthy();
    const denied = await refusal(sqs.send(new ReceiveMessageCommand({ QueueUrl: url })));
    expect(denied.status).toBe(403);
    expect(denied.message).toBe(
      `User: ${user} is not authorized to perform: sqs:receivemessage on resource: arn:aws:sqs:us-east-1:${ACCOUNT}:jobs because no identity-based policy allows the sqs:receivemessage action`,
    );
  });

  it('SNS: allows Publish, refuses CreateTopic with AuthorizationError', async () => {
    const sns = new SNSClient(as(t, alice));
    expect((await sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:news`, Message: 'hi' }))).MessageId).toBeTruthy();
    const denied = await refusal(sns.send(new CreateTopicCommand({ Name: 'other' })));
    expect(denied).toMatchObject({ name: 'AuthorizationErrorException', status: 403 });
    expect(denied.message).toBe(`User: ${user} is not authorized to perform: SNS:CreateTopic on resource: arn:aws:sns:us-east-1:${ACCOUNT}:other because no identity-based policy allows the SNS:CreateTopic action`);
  });

  it('Lambda: invokes the function the policy names, refuses another', async () => {
    const lambda = new LambdaClient(as(t, alice));
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'open', Payload: Buffer.from('{"n":1}') }));
    expect(JSON.parse(Buffer.from(ok.Payload!).toString()).event).toEqual({ n: 1 });
    const denied = await refusal(lambda.send(new InvokeCommand({ FunctionName: 'closed' })));
    expect(denied).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${user} is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:${ACCOUNT}:function:closed because no identity-based policy allows the lambda:InvokeFunction action`,
    });
  }, 30_000);

  it('lets the root and the default local credentials do anything', async () => {
    await new DynamoDBClient(t.config).send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } }));
    const other = as(t, { accessKeyId: ACCOUNT, secretAccessKey: 'x' });
    await new S3Client(other).send(new PutObjectCommand({ Bucket: 'docs', Key: 'root.txt', Body: 'r' }));
  });
});

describe('IAM enforcement off (the default in local mode)', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(() => t.close());

  it('lets an IAM user without permissions do anything', async () => {
    const nobody = await userWith(t, 'nobody', document({ Effect: 'Deny', Action: '*', Resource: '*' }));
    await new S3Client(as(t, nobody)).send(new CreateBucketCommand({ Bucket: 'anything' }));
    await new SQSClient(as(t, nobody)).send(new CreateQueueCommand({ QueueName: 'q' }));
  });
});
