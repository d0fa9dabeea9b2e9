import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, refusal, startLogsNode, type LogsNode } from './harness.js';

const arnOf = (group: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}`;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('CloudWatch Logs: custom groups with the SDK v3', () => {
  let node: LogsNode;

  beforeAll(async () => {
    node = await startLogsNode();
  });
  afterAll(async () => {
    await node?.close();
  });

  it('creates, describes, pages and deletes groups', async () => {
    for (const name of ['app/a', 'app/b', 'app/c', 'other/Mixed']) await node.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    // Recorded: test_create_log_group_duplicate_error.
    expect(await refusal(node.logs.send(new CreateLogGroupCommand({ logGroupName: 'app/a' })))).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log group already exists',
      status: 400,
    });
    const first = await node.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'app/', limit: 2 }));
    expect(first.logGroups!.map((g) => g.logGroupName)).toEqual(['app/a', 'app/b']);
    expect(first.logGroups![0]).toEqual({
      logGroupName: 'app/a',
      creationTime: expect.any(Number),
      metricFilterCount: 0,
      arn: `${arnOf('app/a')}:*`,
      storedBytes: 0,
      logGroupClass: 'STANDARD',
      logGroupArn: arnOf('app/a'),
      deletionProtectionEnabled: false,
    });
    const second = await node.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'app/', limit: 2, nextToken: first.nextToken }));
    expect(second.logGroups!.map((g) => g.logGroupName)).toEqual(['app/c']);
    expect(second.nextToken).toBeUndefined();
    // The pattern is matched case-insensitively anywhere in the name (recorded: test_describe_log_groups_with_pattern).
    const pattern = await node.logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'mixed' }));
    expect(pattern.logGroups!.map((g) => g.logGroupName)).toEqual(['other/Mixed']);
    expect(pattern.logGroups![0]!.storedBytes).toBeUndefined();
    // Recorded: test_describe_log_groups_prefix_and_pattern_error.
    expect(await refusal(node.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'a', logGroupNamePattern: 'b' })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    });
    await node.logs.send(new DeleteLogGroupCommand({ logGroupName: 'app/c' }));
    expect(await refusal(node.logs.send(new DeleteLogGroupCommand({ logGroupName: 'app/c' })))).toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
  });

  it('puts events and reads them back, in timestamp order across batches', async () => {
    await node.logs.send(new CreateLogGroupCommand({ logGroupName: 'orders' }));
    await node.logs.send(new CreateLogStreamCommand({ logGroupName: 'orders', logStreamName: 'web-1' }));
    await node.logs.send(new CreateLogStreamCommand({ logGroupName: 'orders', logStreamName: 'web-2' }));
    const now = Date.now();
    const put = await node.logs.send(
      new PutLogEventsCommand({
        logGroupName: 'orders',
        logStreamName: 'web-1',
        logEvents: [
          { timestamp: now - 3000, message: 'order 1 placed' },
          { timestamp: now - 1000, message: '{"order":1,"total":25.5,"status":"paid"}' },
        ],
      }),
    );
    expect(put.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(put.rejectedLogEventsInfo).toBeUndefined();
    // A later batch may hold older events; reads are by timestamp.
    await node.logs.send(new PutLogEventsCommand({ logGroupName: 'orders', logStreamName: 'web-1', logEvents: [{ timestamp: now - 2000, message: 'order 2 placed' }] }));
    await node.logs.send(new PutLogEventsCommand({ logGroupName: 'orders', logStreamName: 'web-2', logEvents: [{ timestamp: now - 1500, message: '{"order":2,"total":99,"status":"failed"}' }] }));

    const stream = await node.logs.send(new GetLogEventsCommand({ logGroupName: 'orders', logStreamName: 'web-1', startFromHead: true }));
    expect(stream.events).toEqual([
      { timestamp: now - 3000, message: 'order 1 placed', ingestionTime: expect.any(Number) },
      { timestamp: now - 2000, message: 'order 2 placed', ingestionTime: expect.any(Number) },
      { timestamp: now - 1000, message: '{"order":1,"total":25.5,"status":"paid"}', ingestionTime: expect.any(Number) },
    ]);
    const byIdentifier = await node.logs.send(new GetLogEventsCommand({ logGroupIdentifier: arnOf('orders'), logStreamName: 'web-1', limit: 1 }));
    expect(byIdentifier.events!.map((e) => e.message)).toEqual(['{"order":1,"total":25.5,"status":"paid"}']);

    const all = await node.logs.send(new FilterLogEventsCommand({ logGroupName: 'orders' }));
    expect(all.events!.map((e) => [e.logStreamName, e.message])).toEqual([
      ['web-1', 'order 1 placed'],
      ['web-1', 'order 2 placed'],
      ['web-2', '{"order":2,"total":99,"status":"failed"}'],
      ['web-1', '{"order":1,"total":25.5,"status":"paid"}'],
    ]);
    const failed = await node.logs.send(new FilterLogEventsCommand({ logGroupName: 'orders', filterPattern: '{ $.status = "failed" || $.total < 10 }' }));
    expect(failed.events!.map((e) => e.logStreamName)).toEqual(['web-2']);
    const placed = await node.logs.send(new FilterLogEventsCommand({ logGroupName: 'orders', filterPattern: 'placed -"order 2"', logStreamNamePrefix: 'web' }));
    expect(placed.events!.map((e) => e.message)).toEqual(['order 1 placed']);
    const windowed = await node.logs.send(new FilterLogEventsCommand({ logGroupName: 'orders', logStreamNames: ['web-1'], startTime: now - 2000, endTime: now - 1000 }));
    expect(windowed.events!.map((e) => e.timestamp)).toEqual([now - 2000, now - 1000]);

    const { logStreams } = await node.logs.send(new DescribeLogStreamsCommand({ logGroupName: 'orders', orderBy: 'LastEventTime', descending: true }));
    expect(logStreams!.map((s) => [s.logStreamName, s.firstEventTimestamp, s.lastEventTimestamp])).toEqual([
      ['web-1', now - 3000, now - 1000],
      ['web-2', now - 1500, now - 1500],
    ]);
    const { logGroups } = await node.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'orders' }));
    expect(logGroups![0]!.storedBytes).toBe(['order 1 placed', 'order 2 placed', '{"order":1,"total":25.5,"status":"paid"}', '{"order":2,"total":99,"status":"failed"}'].join('').length);
  });

  it('refuses what PutLogEvents refuses, and leaves out events too old or too new', async () => {
    await node.logs.send(new CreateLogGroupCommand({ logGroupName: 'rules' }));
    await node.logs.send(new CreateLogStreamCommand({ logGroupName: 'rules', logStreamName: 's' }));
    const now = Date.now();
    // Recorded: test_put_log_events_to_invalid_stream, test_put_log_events_wrong_order, test_resource_does_not_exist.
    expect(await refusal(node.logs.send(new PutLogEventsCommand({ logGroupName: 'rules', logStreamName: 'nope', logEvents: [{ timestamp: now, message: 'x' }] })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
      status: 400,
    });
    expect(await refusal(node.logs.send(new PutLogEventsCommand({ logGroupName: 'nope', logStreamName: 's', logEvents: [{ timestamp: now, message: 'x' }] })))).toMatchObject({
      message: 'The specified log group does not exist.',
    });
    const wrongOrder = node.logs.send(new PutLogEventsCommand({ logGroupName: 'rules', logStreamName: 's', logEvents: [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }] }));
    expect(await refusal(wrongOrder)).toMatchObject({ name: 'InvalidParameterException', message: 'Log events in a single PutLogEvents request must be in chronological order.' });
    // RejectedLogEventsInfo: tooOldLogEventEndIndex is exclusive, tooNewLogEventStartIndex inclusive (API reference).
    const old = await node.logs.send(
      new PutLogEventsCommand({
        logGroupName: 'rules',
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 14 * DAY - 120 * MINUTE, message: 'too old' },
          { timestamp: now - 14 * DAY - 60 * MINUTE, message: 'too old too' },
          { timestamp: now - 14 * DAY + 60 * MINUTE, message: 'old but kept' },
        ],
      }),
    );
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    const ahead = await node.logs.send(new PutLogEventsCommand({ logGroupName: 'rules', logStreamName: 's', logEvents: [{ timestamp: now, message: 'kept' }, { timestamp: now + 180 * MINUTE, message: 'too new' }] }));
    expect(ahead.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    const longBatch = node.logs.send(new PutLogEventsCommand({ logGroupName: 'rules', logStreamName: 's', logEvents: [{ timestamp: now - 2 * DAY, message: 'a' }, { timestamp: now, message: 'b' }] }));
    expect(await refusal(longBatch)).toMatchObject({ name: 'InvalidParameterException', message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.' });
    const stored = await node.logs.send(new GetLogEventsCommand({ logGroupName: 'rules', logStreamName: 's' }));
    expect(stored.events!.map((e) => e.message)).toEqual(['old but kept', 'kept']);
    // Recorded: test_get_log_events_invalid_token, test_get_log_events_limit_validation.
    expect(await refusal(node.logs.send(new GetLogEventsCommand({ logGroupName: 'rules', logStreamName: 's', nextToken: 'invalid' })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'The specified nextToken is invalid.',
    });
    expect(await refusal(node.logs.send(new GetLogEventsCommand({ logGroupName: 'rules', logStreamName: 's', limit: 10001 })))).toMatchObject({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    });
    // Recorded: test_create_log_group_invalid_name_length, test_create_log_stream_duplicate_error.
    expect(await refusal(node.logs.send(new CreateLogGroupCommand({ logGroupName: 'x'.repeat(513) })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid LogGroup or LogStream, both must have length less than or equal to 512.',
    });
    expect(await refusal(node.logs.send(new CreateLogStreamCommand({ logGroupName: 'rules', logStreamName: 's' })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log stream already exists',
    });
    await node.logs.send(new DeleteLogStreamCommand({ logGroupName: 'rules', logStreamName: 's' }));
    expect(await refusal(node.logs.send(new GetLogEventsCommand({ logGroupName: 'rules', logStreamName: 's' })))).toMatchObject({ message: 'The specified log stream does not exist.' });
  });

  it('keeps retention policies and refuses periods AWS does not offer', async () => {
    await node.logs.send(new CreateLogGroupCommand({ logGroupName: 'kept' }));
    await node.logs.send(new PutRetentionPolicyCommand({ logGroupName: 'kept', retentionInDays: 14 }));
    expect((await node.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'kept' }))).logGroups![0]!.retentionInDays).toBe(14);
    expect(await refusal(node.logs.send(new PutRetentionPolicyCommand({ logGroupName: 'kept', retentionInDays: 2 })))).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/^1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: \[1, 3, 5, 7, 14, /),
    });
    await node.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'kept' }));
    expect((await node.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'kept' }))).logGroups![0]!.retentionInDays).toBeUndefined();
  });

  it('tags groups by name and by ARN (recorded: test_tag_resource_api)', async () => {
    await node.logs.send(new CreateLogGroupCommand({ logGroupName: 'tagged', tags: { env: 'testing1' } }));
    const arn = arnOf('tagged');
    await node.logs.send(new TagResourceCommand({ resourceArn: arn, tags: { test1: 'val1', test2: 'val2' } }));
    expect((await node.logs.send(new ListTagsLogGroupCommand({ logGroupName: 'tagged' }))).tags).toEqual({ env: 'testing1', test1: 'val1', test2: 'val2' });
    await node.logs.send(new TagLogGroupCommand({ logGroupName: 'tagged', tags: { test3: 'val3' } }));
    expect((await node.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ env: 'testing1', test1: 'val1', test2: 'val2', test3: 'val3' });
    await node.logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env', 'test1'] }));
    await node.logs.send(new UntagLogGroupCommand({ logGroupName: 'tagged', tags: ['test3'] }));
    expect((await node.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ test2: 'val2' });
  });
});
