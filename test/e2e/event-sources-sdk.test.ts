import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionEventInvokeConfigCommand,
  ResourceNotFoundException,
  UpdateEventSourceMappingCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../src/functions/index.js';
import { startEventSourcesNode, type EventSourcesNode } from './event-sources-node.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const HANDLER = `
exports.handler = async (event) => {
  console.log('EVENT ' + JSON.stringify(event));
  if (event.fail) throw new Error('failing on purpose');
  return {};
};
`;
const zip = () => createZip([{ path: 'index.js', data: Buffer.from(HANDLER), mode: 0o644 }]);

describe('event sources, destinations and dead-letter queues with the AWS SDK for JavaScript v3', () => {
  let node: EventSourcesNode;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    node = await startEventSourcesNode();
    const config = { endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
    lambda = new LambdaClient(config);
    sqs = new SQSClient(config);
    dynamodb = new DynamoDBClient(config);
  });
  afterAll(async () => {
    lambda?.destroy();
    sqs?.destroy();
    dynamodb?.destroy();
    await node?.close();
  });

  const queue = async (name: string): Promise<{ url: string; arn: string }> => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  };
  const logged = (text: string) => node.logs.messages().some((m) => m.includes(text));

  it('maps a queue to a function with CreateEventSourceMapping and manages the mapping', async () => {
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'sdk-worker', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip() } }));
    const jobs = await queue('sdk-jobs');
    const created = await lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: jobs.arn, FunctionName: 'sdk-worker', BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] }));
    expect(created.$metadata.httpStatusCode).toBe(202);
    expect(created).toMatchObject({ State: 'Creating', BatchSize: 5, EventSourceArn: jobs.arn, FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:sdk-worker', FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(created.LastModified).toBeInstanceOf(Date);

    await sqs.send(new SendMessageCommand({ QueueUrl: jobs.url, MessageBody: 'hello from the sdk' }));
    await expect.poll(() => logged('hello from the sdk')).toBe(true);
    await expect
      .poll(async () => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: jobs.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes)
      .toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });

    const uuid = created.UUID!;
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Enabled');
    expect((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'sdk-worker' }))).EventSourceMappings?.map((m) => m.UUID)).toEqual([uuid]);
    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }))).State).toBe('Disabling');
    expect((await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Deleting');
    await expect(lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('reads a DynamoDB stream into a function', async () => {
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'sdk-stream', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip() } }));
    const table = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'sdk-orders',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const streamArn = table.TableDescription!.LatestStreamArn!;
    const created = await lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: streamArn, FunctionName: 'sdk-stream', StartingPosition: 'TRIM_HORIZON' }));
    expect(created).toMatchObject({ StartingPosition: 'TRIM_HORIZON', BatchSize: 100, MaximumRetryAttempts: -1, LastProcessingResult: 'No records processed' });
    await dynamodb.send(new PutItemCommand({ TableName: 'sdk-orders', Item: { id: { S: 'order-from-sdk' } } }));
    await expect.poll(() => logged('order-from-sdk')).toBe(true);
    await expect.poll(async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).LastProcessingResult).toBe('OK');
  });

  it('sends a failed Event invocation to the OnFailure queue configured with PutFunctionEventInvokeConfig', async () => {
    await lambda.send(
      new CreateFunctionCommand({ FunctionName: 'sdk-async', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip() }, DeadLetterConfig: { TargetArn: (await queue('sdk-dlq')).arn } }),
    );
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-async' }))).DeadLetterConfig?.TargetArn).toBe('arn:aws:sqs:us-east-1:000000000000:sdk-dlq');
    const failures = await queue('sdk-failures');
    const put = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'sdk-async', MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: failures.arn } } }),
    );
    expect(put).toMatchObject({ FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:sdk-async:$LATEST', MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: failures.arn } } });
    expect(put.LastModified).toBeInstanceOf(Date);

    const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-async', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ fail: true, order: 1 })) }));
    expect(invoked.StatusCode).toBe(202);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: failures.url, WaitTimeSeconds: 20 }));
    expect(JSON.parse(Messages![0]!.Body!)).toMatchObject({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1, functionArn: put.FunctionArn },
      requestPayload: { fail: true, order: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'failing on purpose' },
    });

    const updated = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'sdk-async', MaximumEventAgeInSeconds: 600 }));
    expect(updated).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 600 });
    expect((await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'sdk-async' }))).MaximumEventAgeInSeconds).toBe(600);
    expect((await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'sdk-async' }))).FunctionEventInvokeConfigs).toHaveLength(1);
    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'sdk-async' }));
    await expect(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'sdk-async' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
