import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, type RunningFlint } from '../../test/helpers/cli.js';

describe('example: user-fanout (UserCreated → email and analytics functions)', () => {
  let flint: RunningFlint;
  let db: DynamoDBClient;
  let sns: SNSClient;
  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
    const config = { endpoint: flint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    db = new DynamoDBClient(config);
    sns = new SNSClient(config);
  });
  afterAll(async () => {
    await flint?.stop();
  });

  it('runs both subscribers for one published event', async () => {
    const message = JSON.stringify({ type: 'UserCreated', userId: 'u-42', email: 'grace@example.com', plan: 'pro' });
    await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:user-events', Message: message }));
    const item = (table: string) => async () => (await db.send(new GetItemCommand({ TableName: table, Key: { userId: { S: 'u-42' } } }))).Item;
    await expect.poll(item('Emails'), { timeout: 20_000 }).toMatchObject({ to: { S: 'grace@example.com' }, subject: { S: 'Welcome!' } });
    await expect.poll(item('Signups'), { timeout: 20_000 }).toMatchObject({ plan: { S: 'pro' } });
  });
});
