import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AddPermissionCommand,
  CheckIfPhoneNumberIsOptedOutCommand,
  ConfirmSubscriptionCommand,
  CreatePlatformApplicationCommand,
  CreatePlatformEndpointCommand,
  CreateTopicCommand,
  DeleteEndpointCommand,
  DeletePlatformApplicationCommand,
  EndpointDisabledException,
  GetDataProtectionPolicyCommand,
  GetEndpointAttributesCommand,
  GetPlatformApplicationAttributesCommand,
  GetSMSAttributesCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListEndpointsByPlatformApplicationCommand,
  ListPhoneNumbersOptedOutCommand,
  ListPlatformApplicationsCommand,
  OptInPhoneNumberCommand,
  PublishCommand,
  PutDataProtectionPolicyCommand,
  RemovePermissionCommand,
  SetEndpointAttributesCommand,
  SetSMSAttributesCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * SNS's permissions, SMS, email and mobile push, data protection policies and `FilterPolicy: {}` through the node
 * the product assembles, with the SDK v3, Debian's boto3 and AWS CLI. Deliveries that would leave the machine
 * are recorded and read back from GET /_flint/sns/deliveries. Expected shapes and messages are AWS's, from
 * LocalStack's tests/aws/services/sns/test_sns.snapshot.json (test names at each assertion).
 */
const execFileAsync = promisify(execFile);
const ACCOUNT = '000000000000';

interface Delivery {
  protocol: string;
  endpoint: string;
  type: string;
  message: string;
  subject?: string;
  topicArn?: string;
  subscriptionArn?: string;
  attributes?: Record<string, string>;
}

let testNode: TestNode;
let sns: SNSClient;
let home: string;

beforeAll(async () => {
  testNode = await startTestNode();
  sns = new SNSClient({ ...testNode.config, maxAttempts: 1 });
  home = mkdtempSync(join(tmpdir(), 'flint-sns-recorded-'));
});
afterAll(async () => {
  sns?.destroy();
  await testNode?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Record<string, unknown>,
  );

async function deliveries(query: Record<string, string>): Promise<Delivery[]> {
  const response = await fetch(`${testNode.node.url}/_flint/sns/deliveries?${new URLSearchParams(query).toString()}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { deliveries: Delivery[] }).deliveries;
}

async function topic(name: string, attributes?: Record<string, string>): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }))).TopicArn!;
}

describe('AddPermission and RemovePermission', () => {
  it("adds statements to the topic's policy as SNS writes it, and removes them (test_topic_add_multiple_permissions)", async () => {
    const arn = await topic('permissions');
    await sns.send(new AddPermissionCommand({ TopicArn: arn, Label: 'test', AWSAccountId: [ACCOUNT], ActionName: ['Publish', 'Subscribe'] }));
    const policy = JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!.Policy!) as { Statement: Record<string, unknown>[] };
    expect(Object.keys(policy)).toEqual(['Id', 'Statement', 'Version']);
    expect(policy.Statement[0]).toMatchObject({ Sid: '__default_statement_ID' });
    expect(policy.Statement[1]).toEqual({ Action: ['SNS:Publish', 'SNS:Subscribe'], Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Resource: arn, Sid: 'test' });
    expect(Object.keys(policy.Statement[1]!)).toEqual(['Action', 'Effect', 'Principal', 'Resource', 'Sid']);

    // test_add_permission_errors
    const duplicate = await failure(sns.send(new AddPermissionCommand({ TopicArn: arn, Label: 'test', AWSAccountId: [ACCOUNT], ActionName: ['AddPermission'] })));
    expect(duplicate).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Statement already exists' });
    const invalid = await failure(sns.send(new AddPermissionCommand({ TopicArn: arn, Label: 'test-2', AWSAccountId: [ACCOUNT], ActionName: ['InvalidAction'] })));
    expect(invalid).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Policy statement action out of service scope!' });
    const missing = await failure(sns.send(new AddPermissionCommand({ TopicArn: `${arn}-not-existing`, Label: 'test-2', AWSAccountId: [ACCOUNT], ActionName: ['Publish'] })));
    expect(missing).toMatchObject({ name: 'NotFoundException', message: 'Topic does not exist' });

    // test_topic_remove_permission: the default statement stays.
    await sns.send(new RemovePermissionCommand({ TopicArn: arn, Label: 'test' }));
    const after = JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!.Policy!) as { Statement: { Sid: string }[] };
    expect(after.Statement.map((statement) => statement.Sid)).toEqual(['__default_statement_ID']);
  });
});

describe('SMS', () => {
  it('records texts published to phone numbers and to sms subscriptions, and honours opt-outs', async () => {
    await sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSenderID: 'Flint', DefaultSMSType: 'Transactional' } }));
    const direct = await sns.send(new PublishCommand({ PhoneNumber: '+15550001111', Message: 'Your code is 1234' }));
    const arn = await topic('texts');
    const subscription = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+15550002222' }));
    // test_subscribe_sms_endpoint: confirmed at once.
    const attributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription.SubscriptionArn }))).Attributes;
    expect(attributes).toMatchObject({ Protocol: 'sms', Endpoint: '+15550002222', PendingConfirmation: 'false' });
    await sns.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify({ default: 'long text', sms: 'short' }), MessageStructure: 'json' }));

    await expect.poll(async () => (await deliveries({ protocol: 'sms' })).length).toBe(2);
    const [first, second] = await deliveries({ protocol: 'sms' });
    expect(first).toMatchObject({ endpoint: '+15550001111', type: 'Notification', message: 'Your code is 1234', messageId: direct.MessageId, attributes: { 'AWS.SNS.SMS.SenderID': 'Flint', 'AWS.SNS.SMS.SMSType': 'Transactional' } });
    expect(second).toMatchObject({ endpoint: '+15550002222', message: 'short', topicArn: arn, subscriptionArn: subscription.SubscriptionArn });

    // test_publish_wrong_phone_format and test_subscribe_invalid_sms
    const wrong = await failure(sns.send(new PublishCommand({ PhoneNumber: '+1a234', Message: 'x' })));
    expect(wrong).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to' });
    const badEndpoint = await failure(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+15--551234567' })));
    expect(badEndpoint).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid SMS endpoint: +15--551234567' });

    // A number opted out (as a STOP reply does) gets nothing until it opts in again.
    const optOut = await fetch(`${testNode.node.url}/_flint/sns/opted-out`, { method: 'POST', body: JSON.stringify({ phoneNumber: '+15550001111' }) });
    expect(optOut.status).toBe(200);
    expect((await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15550001111' }))).isOptedOut).toBe(true);
    expect((await sns.send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toEqual(['+15550001111']);
    await sns.send(new PublishCommand({ PhoneNumber: '+15550001111', Message: 'not delivered' }));
    await sns.send(new OptInPhoneNumberCommand({ phoneNumber: '+15550001111' }));
    await sns.send(new PublishCommand({ PhoneNumber: '+15550001111', Message: 'delivered again' }));
    await expect.poll(async () => (await deliveries({ protocol: 'sms', endpoint: '+15550001111' })).map((d) => d.message)).toEqual(['Your code is 1234', 'delivered again']);
    // test_opt_in_invalid_number
    const invalidNumber = await failure(sns.send(new OptInPhoneNumberCommand({ phoneNumber: 'invalid' })));
    expect(invalidNumber).toMatchObject({ message: 'Invalid parameter: PhoneNumber Reason: input incorrectly formatted' });
  });

  it('stores the SMS attributes, with AWS defaults and its wording for bad ones (test_set_invalid_sms_attributes)', async () => {
    const all = (await sns.send(new GetSMSAttributesCommand({}))).attributes;
    expect(all).toMatchObject({ MonthlySpendLimit: '1', DefaultSenderID: 'Flint' });
    expect((await sns.send(new GetSMSAttributesCommand({ attributes: ['DefaultSMSType'] }))).attributes).toEqual({ DefaultSMSType: 'Transactional' });
    const unknown = await failure(sns.send(new SetSMSAttributesCommand({ attributes: { InvalidAttribute: 'x' } })));
    expect(unknown).toMatchObject({ name: 'InvalidParameterException', message: 'InvalidAttribute is not a valid attribute' });
    const type = await failure(sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'invalid' } })));
    expect(type).toMatchObject({ message: 'DefaultSMSType is invalid' });
  });
});

describe('email and email-json', () => {
  it('stays PendingConfirmation until confirmed with the token of the recorded confirmation email', async () => {
    const arn = await topic('mail', { DisplayName: 'Flint News' });
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'dev@example.com' }));
    const json = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email-json', Endpoint: 'json@example.com', ReturnSubscriptionArn: true }));
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: json.SubscriptionArn }))).Attributes?.PendingConfirmation).toBe('true');

    await expect.poll(async () => (await deliveries({ topicArn: arn })).length).toBe(2);
    const [mail, jsonMail] = await deliveries({ topicArn: arn });
    expect(mail).toMatchObject({ protocol: 'email', endpoint: 'dev@example.com', type: 'SubscriptionConfirmation', subject: 'Flint News - Subscription Confirmation' });
    const link = /Confirm subscription: (\S+)/.exec(mail!.message)![1]!;
    const envelope = JSON.parse(jsonMail!.message) as Record<string, string>;
    expect(envelope).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: arn, SignatureVersion: '1' });

    // Published before confirming: nobody gets it.
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'too early' }));
    expect((await fetch(link)).status).toBe(200);
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn: arn, Token: envelope.Token! }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'hello', Subject: 'News' }));
    await expect.poll(async () => (await deliveries({ topicArn: arn })).filter((d) => d.type === 'Notification').length).toBe(2);
    const notifications = (await deliveries({ topicArn: arn })).filter((d) => d.type === 'Notification');
    const plain = notifications.find((d) => d.protocol === 'email')!;
    expect(plain.subject).toBe('News');
    expect(plain.message).toMatch(/^hello\n\n--\nIf you wish to stop receiving notifications from this topic/);
    const asJson = JSON.parse(notifications.find((d) => d.protocol === 'email-json')!.message) as Record<string, string>;
    expect(asJson).toMatchObject({ Type: 'Notification', Message: 'hello', Subject: 'News', TopicArn: arn });
    expect(notifications.some((d) => d.message.includes('too early'))).toBe(false);
  });
});

describe('mobile push', () => {
  it('stores platform applications and endpoints, and records what is published to an endpoint', async () => {
    const { PlatformApplicationArn: app } = await sns.send(new CreatePlatformApplicationCommand({ Name: 'app', Platform: 'GCM', Attributes: { PlatformCredential: 'key', PlatformPrincipal: 'id' } }));
    expect(app).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:app/GCM/app`);
    // test_get_platform_application_attributes: credentials are not shown.
    expect((await sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: app }))).Attributes).toEqual({ Enabled: 'true' });
    expect((await sns.send(new ListPlatformApplicationsCommand({}))).PlatformApplications).toEqual([{ PlatformApplicationArn: app, Attributes: { Enabled: 'true' } }]);

    const { EndpointArn: endpoint } = await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: 'token_1', CustomUserData: 'bar' }));
    expect(endpoint).toMatch(new RegExp(`^arn:aws:sns:us-east-1:${ACCOUNT}:endpoint/GCM/app/[0-9a-f-]{36}$`));
    // test_create_platform_endpoint_idempotency
    expect((await sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: 'token_1' }))).EndpointArn).toBe(endpoint);
    const clash = await failure(sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: 'token_1', Attributes: { Enabled: 'false' } })));
    expect(clash).toMatchObject({ message: `Invalid parameter: Token Reason: Endpoint ${endpoint} already exists with the same Token, but different attributes.` });
    expect((await sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpoint }))).Attributes).toEqual({ CustomUserData: 'bar', Enabled: 'true', Token: 'token_1' });
    expect((await sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app }))).Endpoints).toEqual([{ EndpointArn: endpoint, Attributes: { CustomUserData: 'bar', Enabled: 'true', Token: 'token_1' } }]);

    const direct = await sns.send(new PublishCommand({ TargetArn: endpoint, Message: JSON.stringify({ default: 'plain', GCM: '{"notification":{"title":"hi"}}' }), MessageStructure: 'json' }));
    const arn = await topic('pushes');
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'application', Endpoint: endpoint }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'to every device' }));
    await expect.poll(async () => (await deliveries({ protocol: 'application' })).map((d) => d.message)).toEqual(['{"notification":{"title":"hi"}}', 'to every device']);
    expect((await deliveries({ messageId: direct.MessageId! }))[0]).toMatchObject({ endpoint, type: 'Notification' });

    await sns.send(new SetEndpointAttributesCommand({ EndpointArn: endpoint, Attributes: { Enabled: 'false' } }));
    const disabled = await failure(sns.send(new PublishCommand({ TargetArn: endpoint, Message: 'x' })));
    expect(disabled).toBeInstanceOf(EndpointDisabledException);
    const badAttribute = await failure(sns.send(new SetEndpointAttributesCommand({ EndpointArn: endpoint, Attributes: { PlatformPrincipal: 'x' } })));
    expect(badAttribute).toMatchObject({ message: 'Invalid parameter: Attributes Reason: Invalid attribute name: PlatformPrincipal' });

    await sns.send(new DeleteEndpointCommand({ EndpointArn: endpoint }));
    const gone = await failure(sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpoint })));
    expect(gone).toMatchObject({ name: 'NotFoundException', message: 'Endpoint does not exist' });
    await sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: app }));
    const noApp = await failure(sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app })));
    expect(noApp).toMatchObject({ name: 'NotFoundException', message: 'PlatformApplication does not exist' });
    // test_create_platform_application_invalid_platform
    const platform = await failure(sns.send(new CreatePlatformApplicationCommand({ Name: 'x', Platform: 'AAA', Attributes: { PlatformCredential: 'c', PlatformPrincipal: 'p' } })));
    expect(platform).toMatchObject({ message: 'Invalid parameter: Platform Reason: AAA is not supported' });
    // test_create_platform_application_invalid_attributes[no-args]: an empty map is no map to the query protocol.
    const empty = await failure(sns.send(new CreatePlatformApplicationCommand({ Name: 'x', Platform: 'GCM', Attributes: {} })));
    expect(empty).toMatchObject({ message: "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null" });
  });
});

describe('data protection policies', () => {
  it('stores a validated policy apart from the topic attributes (test_data_protection_policy_crud)', async () => {
    const arn = await topic('protected');
    const policy = JSON.stringify({
      Name: 'data_protection_policy',
      Description: 'Test Policy',
      Version: '2021-06-01',
      Statement: [{ Sid: 'test-statement', DataDirection: 'Inbound', Principal: ['*'], DataIdentifier: ['arn:aws:dataprotection::aws:data-identifier/EmailAddress'], Operation: { Deny: {} } }],
    });
    await sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: policy }));
    expect((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }))).DataProtectionPolicy).toBe(policy);
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes).not.toHaveProperty('DataProtectionPolicy');
    const invalid = await failure(sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: '{not json' })));
    expect(invalid).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('FilterPolicy {}', () => {
  it('is accepted and lets every message through', async () => {
    const sqs = new SQSClient({ ...testNode.config, maxAttempts: 1 });
    const arn = await topic('unfiltered');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'unfiltered' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:unfiltered`, Attributes: { FilterPolicy: '{}', RawMessageDelivery: 'true' } }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{}' }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'no attributes at all' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    expect(Messages?.map((m) => m.Body)).toEqual(['no attributes at all']);
    sqs.destroy();
  });
});

describe("Debian's boto3 and AWS CLI", () => {
  it('drive permissions, SMS and platform applications over the query protocol', async () => {
    const script = `
import json, sys, boto3
sns = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1').client('sns', endpoint_url=sys.argv[1])
arn = sns.create_topic(Name='boto-permissions')['TopicArn']
sns.add_permission(TopicArn=arn, Label='boto', AWSAccountId=['${ACCOUNT}'], ActionName=['Publish'])
policy = json.loads(sns.get_topic_attributes(TopicArn=arn)['Attributes']['Policy'])
app = sns.create_platform_application(Name='boto-app', Platform='APNS', Attributes={'PlatformCredential': 'c', 'PlatformPrincipal': 'p'})['PlatformApplicationArn']
endpoint = sns.create_platform_endpoint(PlatformApplicationArn=app, Token='device')['EndpointArn']
sns.publish(PhoneNumber='+15550003333', Message='from boto3')
print(json.dumps({'statement': policy['Statement'][1], 'endpoint': endpoint, 'opted': sns.check_if_phone_number_is_opted_out(phoneNumber='+15550003333')['isOptedOut']}))
`;
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, testNode.node.url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
    const out = JSON.parse(stdout) as { statement: unknown; endpoint: string; opted: boolean };
    const arn = `arn:aws:sns:us-east-1:${ACCOUNT}:boto-permissions`;
    expect(out.statement).toEqual({ Action: 'SNS:Publish', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Resource: arn, Sid: 'boto' });
    expect(out.endpoint).toMatch(/:endpoint\/APNS\/boto-app\//);
    expect(out.opted).toBe(false);
    await expect.poll(async () => (await deliveries({ endpoint: '+15550003333' })).map((d) => d.message)).toEqual(['from boto3']);

    const cli = (...args: string[]) => execFileAsync(AWS_CLI, ['--endpoint-url', testNode.node.url, 'sns', ...args], { env: { ...clientEnv(testNode.node), HOME: home } });
    await cli('remove-permission', '--topic-arn', arn, '--label', 'boto');
    const { stdout: attributes } = await cli('get-topic-attributes', '--topic-arn', arn);
    const statements = (JSON.parse((JSON.parse(attributes) as { Attributes: { Policy: string } }).Attributes.Policy) as { Statement: { Sid: string }[] }).Statement;
    expect(statements.map((statement) => statement.Sid)).toEqual(['__default_statement_ID']);
    const { stdout: sms } = await cli('get-sms-attributes');
    expect(JSON.parse(sms)).toMatchObject({ attributes: { MonthlySpendLimit: '1' } });
  });
});
