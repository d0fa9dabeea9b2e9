import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

interface SnsEvent {
  Records: Array<{ Sns: { Message: string; MessageId: string } }>;
}

const db = new DynamoDBClient({});

/** "Sends" the welcome email: records it, keyed by user, so a redelivery does not send twice. */
export const handler = async (event: SnsEvent) => {
  for (const record of event.Records) {
    const user = JSON.parse(record.Sns.Message) as { type: string; userId: string; email: string };
    if (user.type !== 'UserCreated') continue;
    await db.send(
      new PutItemCommand({
        TableName: 'Emails',
        Item: { userId: { S: user.userId }, to: { S: user.email }, subject: { S: 'Welcome!' } },
        ConditionExpression: 'attribute_not_exists(userId)',
      }),
    ).catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
    console.log(`welcome email for ${user.email}`);
  }
};
