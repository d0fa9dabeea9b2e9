import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AddPermissionCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  OverLimit,
  RemovePermissionCommand,
  SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { clientEnv, startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * AddPermission/RemovePermission and tag validation, with the SDK v3 (JSON), Debian's boto3 and AWS CLI (query).
 * The permission lifecycle and its errors are AWS's as recorded in LocalStack's
 * tests/aws/services/sqs/test_sqs.snapshot.json, test_sqs_permission_lifecycle[sqs] and [sqs_query]: the Policy
 * attribute with Id "<queue ARN>/SQSDefaultPolicy", one statement per label, "Value <label> for parameter Label is
 * invalid. Reason: Already exists." and "… Reason: can't find label.", and no Policy once the last label is removed.
 */
const execFileAsync = promisify(execFile);
const ACCOUNT = '000000000000';

let testNode: TestNode;
let sqs: SQSClient;
let home: string;

beforeAll(async () => {
  testNode = await startTestNode();
  sqs = new SQSClient({ ...testNode.config, maxAttempts: 1 });
  home = mkdtempSync(join(tmpdir(), 'flint-sqs-permissions-'));
});
afterAll(async () => {
  sqs?.destroy();
  await testNode?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Record<string, unknown>,
  );

async function policyOf(queueUrl: string): Promise<unknown> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['Policy'] }));
  return Attributes?.Policy === undefined ? undefined : JSON.parse(Attributes.Policy);
}

describe('AddPermission and RemovePermission', () => {
  it('keeps the permissions in the Policy attribute as SQS writes it (SDK v3)', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'permissions' }));
    const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:permissions`;
    await sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'crossaccountpermission', AWSAccountIds: [ACCOUNT, '668614515564'], Actions: ['ReceiveMessage'] }));
    expect(await policyOf(QueueUrl!)).toEqual({
      Version: '2008-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: 'crossaccountpermission',
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, 'arn:aws:iam::668614515564:root'] },
          Action: 'SQS:ReceiveMessage',
          Resource: arn,
        },
      ],
    });
    await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'crossaccountpermission' }));
    expect(await policyOf(QueueUrl!)).toBeUndefined();

    await sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'crossaccountpermission', AWSAccountIds: [ACCOUNT], Actions: ['ReceiveMessage'] }));
    const duplicate = await failure(sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'crossaccountpermission', AWSAccountIds: ['668614515564'], Actions: ['ReceiveMessage'] })));
    expect(duplicate).toMatchObject({ name: 'InvalidParameterValue', message: 'Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.', $metadata: { httpStatusCode: 400 } });
    await sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'crossaccountpermission2', AWSAccountIds: [ACCOUNT], Actions: ['SendMessage', 'DeleteMessage'] }));
    const policy = (await policyOf(QueueUrl!)) as { Statement: { Sid: string; Principal: unknown; Action: unknown }[] };
    expect(policy.Statement.map((s) => [s.Sid, s.Principal, s.Action])).toEqual([
      ['crossaccountpermission', { AWS: `arn:aws:iam::${ACCOUNT}:root` }, 'SQS:ReceiveMessage'],
      ['crossaccountpermission2', { AWS: `arn:aws:iam::${ACCOUNT}:root` }, ['SQS:SendMessage', 'SQS:DeleteMessage']],
    ]);
    await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'crossaccountpermission' }));
    await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'crossaccountpermission2' }));
    const unknown = await failure(sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'crossaccountpermission2' })));
    expect(unknown).toMatchObject({ name: 'InvalidParameterValue', message: "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label." });
  });

  it('refuses unknown actions and more actions than a statement may hold', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'permissions-limits' }));
    const invalid = await failure(sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'x', AWSAccountIds: [ACCOUNT], Actions: ['FlyAway'] })));
    expect(invalid).toMatchObject({ name: 'InvalidParameterValue', message: 'Value FlyAway for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.' });
    const actions = ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl', 'PurgeQueue', 'ListQueueTags'];
    const tooMany = await failure(sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'x', AWSAccountIds: [ACCOUNT], Actions: actions })));
    expect(tooMany).toBeInstanceOf(OverLimit);
    expect(tooMany).toMatchObject({ $metadata: { httpStatusCode: 403 } });
    const badLabel = await failure(sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'has space', AWSAccountIds: [ACCOUNT], Actions: ['*'] })));
    expect(badLabel).toMatchObject({ name: 'InvalidParameterValue' });
    expect(await policyOf(QueueUrl!)).toBeUndefined();
  });

  it("answers the query protocol's clients in the same words (boto3 and the AWS CLI)", async () => {
    const script = `
import json, sys, boto3, botocore.exceptions
client = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1').client('sqs', endpoint_url=sys.argv[1])
url = client.create_queue(QueueName='permissions-boto')['QueueUrl']
client.add_permission(QueueUrl=url, Label='boto', AWSAccountIds=['${ACCOUNT}'], Actions=['SendMessage'])
policy = json.loads(client.get_queue_attributes(QueueUrl=url, AttributeNames=['Policy'])['Attributes']['Policy'])
try:
    client.add_permission(QueueUrl=url, Label='boto', AWSAccountIds=['${ACCOUNT}'], Actions=['SendMessage'])
    duplicate = None
except botocore.exceptions.ClientError as e:
    duplicate = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps({'policy': policy, 'duplicate': duplicate}))
`;
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, testNode.node.url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
    const out = JSON.parse(stdout) as { policy: { Statement: unknown[] }; duplicate: string[] };
    expect(out.policy.Statement).toEqual([{ Sid: 'boto', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'SQS:SendMessage', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:permissions-boto` }]);
    expect(out.duplicate).toEqual(['InvalidParameterValue', 'Value boto for parameter Label is invalid. Reason: Already exists.']);

    const cli = (...args: string[]) => execFileAsync(AWS_CLI, ['--endpoint-url', testNode.node.url, 'sqs', ...args], { env: { ...clientEnv(testNode.node), HOME: home } });
    const url = `${testNode.node.url}/${ACCOUNT}/permissions-boto`;
    await cli('remove-permission', '--queue-url', url, '--label', 'boto');
    const missing = await cli('remove-permission', '--queue-url', url, '--label', 'boto').then(
      () => '',
      (error: { stderr: string }) => error.stderr,
    );
    expect(missing).toContain("(InvalidParameterValue) when calling the RemovePermission operation: Value boto for parameter Label is invalid. Reason: can't find label.");
  });
});

describe('queue tags', () => {
  it('tags, lists and untags, and refuses empty requests, reserved keys, bad characters and lengths', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'a' } }));
    // LocalStack's test_tag_untag_queue (recorded from AWS): an empty value is a tag like any other.
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { tag1: 'value1', tag3: '' } }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'a', tag1: 'value1', tag3: '' });
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['tag1', 'tag3', 'absent'] }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'a' });

    const refused = async (call: Promise<unknown>): Promise<unknown> => {
      const error = await failure(call);
      return error && [error.name, (error.$metadata as { httpStatusCode: number }).httpStatusCode];
    };
    expect(await refused(sqs.send(new TagQueueCommand({ QueueUrl, Tags: {} })))).toEqual(['MissingParameter', 400]);
    expect(await refused(sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: [] })))).toEqual(['MissingParameter', 400]);
    expect(await refused(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { 'aws:reserved': 'x' } })))).toEqual(['InvalidParameterValue', 400]);
    expect(await refused(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { ['k'.repeat(129)]: 'x' } })))).toEqual(['InvalidParameterValue', 400]);
    expect(await refused(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { key: 'v'.repeat(257) } })))).toEqual(['InvalidParameterValue', 400]);
    expect(await refused(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { 'semi;colon': 'x' } })))).toEqual(['InvalidParameterValue', 400]);
    expect(await refused(sqs.send(new CreateQueueCommand({ QueueName: 'tagged-badly', tags: { 'aws:x': 'y' } })))).toEqual(['InvalidParameterValue', 400]);
    // Unicode letters, digits, spaces and _ . : / = + - @ are allowed, up to the limits.
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { 'Ünïcode key_.:/=+-@ 1': 'v'.repeat(256), ['k'.repeat(128)]: 'x' } }));

    const fifty = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, 'v']));
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: fifty }));
    expect(Object.keys((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags ?? {})).toHaveLength(50);
    expect(await refused(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { oneTooMany: 'v' } })))).toEqual(['InvalidParameterValue', 400]);
    // Replacing an existing tag's value stays within the limit.
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { t0: 'changed' } }));
  });

  it("refuses an empty tag map over the query protocol too (Debian's AWS CLI)", async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'tagged-cli' }));
    const url = `${testNode.node.url}/${ACCOUNT}/tagged-cli`;
    const cli = (...args: string[]) =>
      execFileAsync(AWS_CLI, ['--endpoint-url', testNode.node.url, 'sqs', ...args], { env: { ...clientEnv(testNode.node), HOME: home } }).then(
        ({ stdout }) => stdout,
        (error: { stderr: string }) => error.stderr,
      );
    await cli('tag-queue', '--queue-url', url, '--tags', 'env=dev');
    expect(JSON.parse(await cli('list-queue-tags', '--queue-url', url))).toEqual({ Tags: { env: 'dev' } });
    expect(await cli('tag-queue', '--queue-url', url, '--tags', '{}')).toContain('(MissingParameter) when calling the TagQueue operation: The request must contain the parameter Tags.');
    expect(await cli('tag-queue', '--queue-url', url, '--tags', 'aws:env=dev')).toContain('(InvalidParameterValue) when calling the TagQueue operation');
  });
});
