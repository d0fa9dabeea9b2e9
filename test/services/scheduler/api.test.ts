import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ConflictException,
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  SchedulerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * The Scheduler API through the node the product assembles, with the AWS SDK for JavaScript v3, Debian's AWS CLI 2.9
 * and boto3 1.26. AWS's words, where a recording shows them:
 * - "Invalid Schedule Expression <expr>." (ValidationException, 400): LocalStack's
 *   tests/aws/services/scheduler/test_scheduler.snapshot.json, tests_create_schedule_with_invalid_schedule_expression;
 * - tags on a group, and `[]` once untagged: same file, test_tag_resource and test_untag_resource;
 * - GetSchedule's defaults (ScheduleExpressionTimezone UTC, ActionAfterCompletion NONE, RetryPolicy 86400 s / 185):
 *   tests/aws/services/cloudformation/resource_providers/scheduler/test_scheduler.snapshot.json, test_schedule_and_group;
 * - "Schedule <name> does not exist." (ResourceNotFoundException, 404): as AWS answered in aws/aws-sdk-js-v3 issue 5720.
 */

const execFileAsync = promisify(execFile);
const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/scheduler`;
const FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:dummy`;

let testNode: TestNode;
let scheduler: SchedulerClient;
let url: string;
let home: string;

beforeAll(async () => {
  testNode = await startTestNode();
  url = testNode.node.url;
  scheduler = new SchedulerClient({ ...testNode.config, maxAttempts: 1 });
  home = mkdtempSync(join(tmpdir(), 'flint-scheduler-clients-'));
});
afterAll(async () => {
  scheduler?.destroy();
  await testNode?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

function schedule(name: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return { Name: name, ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: FUNCTION, RoleArn: ROLE }, ...extra };
}

describe('schedule groups', () => {
  it('has the default group from the start, lists groups by prefix and pages them', async () => {
    const group = await scheduler.send(new GetScheduleGroupCommand({ Name: 'default' }));
    expect(group).toMatchObject({ Name: 'default', State: 'ACTIVE', Arn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/default` });
    expect(group.CreationDate).toBeInstanceOf(Date);
    for (const name of ['team-a', 'team-b', 'team-c']) await scheduler.send(new CreateScheduleGroupCommand({ Name: name }));
    const first = await scheduler.send(new ListScheduleGroupsCommand({ NamePrefix: 'team-', MaxResults: 2 }));
    expect(first.ScheduleGroups?.map((g) => g.Name)).toEqual(['team-a', 'team-b']);
    const second = await scheduler.send(new ListScheduleGroupsCommand({ NamePrefix: 'team-', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.ScheduleGroups?.map((g) => g.Name)).toEqual(['team-c']);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses a second group of a name and answers ResourceNotFoundException for a missing one', async () => {
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'twice' }));
    const clash = await scheduler.send(new CreateScheduleGroupCommand({ Name: 'twice' })).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(ConflictException);
    expect((clash as ConflictException).$metadata.httpStatusCode).toBe(409);
    const missing = await scheduler.send(new GetScheduleGroupCommand({ Name: 'nowhere' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Schedule group nowhere does not exist.');
  });

  it('tags a group by ARN and untags it', async () => {
    const { ScheduleGroupArn } = await scheduler.send(new CreateScheduleGroupCommand({ Name: 'tagged', Tags: [{ Key: 'team', Value: 'ops' }] }));
    await scheduler.send(new TagResourceCommand({ ResourceArn: ScheduleGroupArn, Tags: [{ Key: 'TagKey', Value: 'TagValue' }, { Key: 'team', Value: 'dev' }] }));
    expect((await scheduler.send(new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }))).Tags).toEqual([
      { Key: 'team', Value: 'dev' },
      { Key: 'TagKey', Value: 'TagValue' },
    ]);
    await scheduler.send(new UntagResourceCommand({ ResourceArn: ScheduleGroupArn, TagKeys: ['team', 'TagKey'] }));
    expect((await scheduler.send(new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }))).Tags).toEqual([]);
  });

  it('deletes a group with its schedules, and keeps the default group', async () => {
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'doomed' }));
    await scheduler.send(new CreateScheduleCommand(schedule('inside', { GroupName: 'doomed' })));
    await scheduler.send(new DeleteScheduleGroupCommand({ Name: 'doomed' }));
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'inside', GroupName: 'doomed' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(scheduler.send(new GetScheduleGroupCommand({ Name: 'doomed' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(scheduler.send(new DeleteScheduleGroupCommand({ Name: 'default' }))).rejects.toBeInstanceOf(ValidationException);
  });
});

describe('schedules', () => {
  it('creates a schedule and reads it back with AWS defaults filled in', async () => {
    const { ScheduleArn } = await scheduler.send(new CreateScheduleCommand(schedule('nightly', { ScheduleExpression: 'cron(0 0 * * ? *)', Description: 'clean up' })));
    expect(ScheduleArn).toBe(`arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/nightly`);
    const got = await scheduler.send(new GetScheduleCommand({ Name: 'nightly' }));
    expect(got).toMatchObject({
      Arn: ScheduleArn,
      Name: 'nightly',
      GroupName: 'default',
      Description: 'clean up',
      ScheduleExpression: 'cron(0 0 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: FUNCTION, RoleArn: ROLE, RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } },
    });
    expect(got.CreationDate).toBeInstanceOf(Date);
  });

  it('replaces every member on UpdateSchedule', async () => {
    await scheduler.send(new CreateScheduleCommand(schedule('updated', { Description: 'first', ScheduleExpressionTimezone: 'Europe/Paris' })));
    await scheduler.send(
      new UpdateScheduleCommand({
        Name: 'updated',
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 },
        State: 'DISABLED',
        Target: { Arn: FUNCTION, RoleArn: ROLE, Input: '{"hello":"world"}', RetryPolicy: { MaximumRetryAttempts: 3 } },
      }),
    );
    const got = await scheduler.send(new GetScheduleCommand({ Name: 'updated' }));
    expect(got).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', ScheduleExpressionTimezone: 'UTC', State: 'DISABLED', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 } });
    expect(got.Description).toBeUndefined();
    expect(got.Target).toMatchObject({ Input: '{"hello":"world"}', RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 86400 } });
    await expect(scheduler.send(new UpdateScheduleCommand({ ...schedule('never-made') }))).rejects.toThrow('Schedule never-made does not exist.');
  });

  it('lists schedules by group, name prefix and state, a page at a time', async () => {
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'listing' }));
    for (const name of ['job-1', 'job-2', 'job-3', 'other']) await scheduler.send(new CreateScheduleCommand(schedule(name, { GroupName: 'listing', State: name === 'job-2' ? 'DISABLED' : 'ENABLED' })));
    const jobs = await scheduler.send(new ListSchedulesCommand({ GroupName: 'listing', NamePrefix: 'job-', MaxResults: 2 }));
    expect(jobs.Schedules?.map((s) => s.Name)).toEqual(['job-1', 'job-2']);
    expect(jobs.Schedules?.[0]).toMatchObject({ GroupName: 'listing', State: 'ENABLED', Target: { Arn: FUNCTION } });
    const rest = await scheduler.send(new ListSchedulesCommand({ GroupName: 'listing', NamePrefix: 'job-', MaxResults: 2, NextToken: jobs.NextToken }));
    expect(rest.Schedules?.map((s) => s.Name)).toEqual(['job-3']);
    const disabled = await scheduler.send(new ListSchedulesCommand({ GroupName: 'listing', State: 'DISABLED' }));
    expect(disabled.Schedules?.map((s) => s.Name)).toEqual(['job-2']);
    await expect(scheduler.send(new ListSchedulesCommand({ GroupName: 'no-such-group' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers Scheduler errors for a clash, a missing schedule, a missing group and a bad expression', async () => {
    await scheduler.send(new CreateScheduleCommand(schedule('only-once')));
    const clash = await scheduler.send(new CreateScheduleCommand(schedule('only-once'))).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(ConflictException);
    const missing = await scheduler.send(new GetScheduleCommand({ Name: 'ghost' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as ResourceNotFoundException).message).toBe('Schedule ghost does not exist.');
    expect((missing as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    await expect(scheduler.send(new DeleteScheduleCommand({ Name: 'ghost' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(scheduler.send(new CreateScheduleCommand(schedule('lost', { GroupName: 'no-such-group' })))).rejects.toThrow('Schedule group no-such-group does not exist.');
    const bad = await scheduler.send(new CreateScheduleCommand(schedule('bad', { ScheduleExpression: 'rate(10 seconds)' }))).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationException);
    expect((bad as ValidationException).message).toBe('Invalid Schedule Expression rate(10 seconds).');
    await expect(scheduler.send(new CreateScheduleCommand(schedule('zone', { ScheduleExpressionTimezone: 'Mars/Base' })))).rejects.toBeInstanceOf(ValidationException);
    await expect(scheduler.send(new CreateScheduleCommand(schedule('window', { FlexibleTimeWindow: { Mode: 'FLEXIBLE' } })))).rejects.toBeInstanceOf(ValidationException);
  });

  it("checks the model's constraints first, in AWS's validator wording", async () => {
    const error = await scheduler.send(new CreateScheduleCommand(schedule('roles', { Target: { Arn: FUNCTION, RoleArn: 'not-a-role' } }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe(
      "1 validation error detected: Value 'not-a-role' at 'target.roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws(-[a-z]+)?:iam::\\d{12}:role\\/[\\w+=,.@\\/-]+$",
    );
  });

  it('returns the same schedule to a retried create with the same client token', async () => {
    const first = await scheduler.send(new CreateScheduleCommand(schedule('retried', { ClientToken: 'token-1' })));
    const again = await scheduler.send(new CreateScheduleCommand(schedule('retried', { ClientToken: 'token-1' })));
    expect(again.ScheduleArn).toBe(first.ScheduleArn);
  });
});

describe("Debian's AWS CLI and boto3", () => {
  const env = () => ({ PATH: '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' });
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await execFileAsync(AWS_CLI, ['scheduler', ...args, '--endpoint-url', url, '--output', 'json'], { env: env(), cwd: home });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  };

  it('creates, reads and deletes a schedule with `aws scheduler`', async () => {
    const created = await aws(
      'create-schedule',
      '--name',
      'cli-nightly',
      '--schedule-expression',
      'cron(0 9 ? * MON-FRI *)',
      '--schedule-expression-timezone',
      'America/New_York',
      '--flexible-time-window',
      'Mode=FLEXIBLE,MaximumWindowInMinutes=15',
      '--target',
      JSON.stringify({ Arn: FUNCTION, RoleArn: ROLE, Input: '{"from":"cli"}' }),
    );
    expect(created).toEqual({ ScheduleArn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/cli-nightly` });
    expect(await aws('get-schedule', '--name', 'cli-nightly')).toMatchObject({
      GroupName: 'default',
      ScheduleExpressionTimezone: 'America/New_York',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      Target: { Arn: FUNCTION, Input: '{"from":"cli"}' },
    });
    await aws('delete-schedule', '--name', 'cli-nightly');
    const refused = await execFileAsync(AWS_CLI, ['scheduler', 'get-schedule', '--name', 'cli-nightly', '--endpoint-url', url], { env: env(), cwd: home }).then(
      () => 'accepted',
      (error: { stderr: string }) => error.stderr.trim(),
    );
    expect(refused).toBe('An error occurred (ResourceNotFoundException) when calling the GetSchedule operation: Schedule cli-nightly does not exist.');
  });

  it('works with boto3: a schedule, its group tags and an invalid expression', async () => {
    const script = `
import json, sys, boto3, botocore.exceptions
client = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1').client('scheduler', endpoint_url=sys.argv[1])
arn = client.create_schedule_group(Name='py-group', Tags=[{'Key': 'k', 'Value': 'v'}])['ScheduleGroupArn']
client.create_schedule(Name='py', GroupName='py-group', ScheduleExpression='at(2030-01-01T00:00:00)', FlexibleTimeWindow={'Mode': 'OFF'},
    Target={'Arn': '${FUNCTION}', 'RoleArn': '${ROLE}'})
got = client.get_schedule(Name='py', GroupName='py-group')
try:
    client.create_schedule(Name='py2', ScheduleExpression='cron(0 1 * * * *)', FlexibleTimeWindow={'Mode': 'OFF'}, Target={'Arn': '${FUNCTION}', 'RoleArn': '${ROLE}'})
    bad = None
except botocore.exceptions.ClientError as e:
    bad = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({'expression': got['ScheduleExpression'], 'tags': client.list_tags_for_resource(ResourceArn=arn)['Tags'], 'bad': bad}))
`;
    const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
    expect(JSON.parse(stdout.trim())).toEqual({
      expression: 'at(2030-01-01T00:00:00)',
      tags: [{ Key: 'k', Value: 'v' }],
      bad: ['ValidationException', 'Invalid Schedule Expression cron(0 1 * * * *).', 400],
    });
  });
});

describe('POST /_flint/reset', () => {
  it('wipes groups and schedules; the default group is there again', async () => {
    const own = await startTestNode();
    const client = new SchedulerClient({ ...own.config, maxAttempts: 1 });
    try {
      await client.send(new CreateScheduleGroupCommand({ Name: 'wiped' }));
      await client.send(new CreateScheduleCommand(schedule('wiped', { GroupName: 'wiped' })));
      expect((await fetch(`${own.node.url}/_flint/reset`, { method: 'POST' })).status).toBe(200);
      expect((await client.send(new ListScheduleGroupsCommand({}))).ScheduleGroups?.map((g) => g.Name)).toEqual(['default']);
      expect((await client.send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
    } finally {
      client.destroy();
      await own.close();
    }
  });
});
