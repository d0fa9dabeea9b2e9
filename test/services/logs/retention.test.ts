import { DescribeLogGroupsCommand, FilterLogEventsCommand, PutRetentionPolicyCommand, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/index.js';
import { startLogsNode, type LogsNode } from './harness.js';

const DAY = 24 * 3600_000;

/**
 * A log group's retention policy replaces the node's default age (7 days) for that group: a function's records go
 * sooner or stay longer, by its group's policy, and custom groups' events go by theirs. The node prunes once a
 * minute on its clock, driven here.
 */
describe('CloudWatch Logs: retention policies on the node', () => {
  let node: LogsNode;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 5, 1));
    node = await startLogsNode({ clock });
  });
  afterEach(async () => {
    await node?.close();
  });

  /** Records as a function's instance writes them (no function runs on a fake clock). */
  const logged = (functionName: string, ageDays: number, message: string) =>
    node.test.node.storage.logs.append([{ time: clock.now() - ageDays * DAY, functionName, version: '$LATEST', instanceId: 'a'.repeat(32), message }]);
  const messages = async (group: string) => ((await node.logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []).map((e) => e.message);

  it("prunes a function's records by its group's policy instead of the node's default", async () => {
    // In the order a node writes them: oldest first.
    await logged('long', 10, 'long: ten days old');
    await logged('plain', 10, 'plain: ten days old');
    await logged('short', 3, 'short: three days old');
    await logged('plain', 3, 'plain: three days old');
    await logged('short', 0, 'short: new');
    await node.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/short', retentionInDays: 1 }));
    await node.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/long', retentionInDays: 30 }));
    const { logGroups } = await node.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
    expect(logGroups!.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([
      ['/aws/lambda/long', 30],
      ['/aws/lambda/plain', undefined],
      ['/aws/lambda/short', 1],
    ]);

    await clock.advance(60_000);
    await expect.poll(() => messages('/aws/lambda/short')).toEqual(['short: new\n']);
    await expect.poll(() => messages('/aws/lambda/plain')).toEqual(['plain: three days old\n']);
    expect(await messages('/aws/lambda/long')).toEqual(['long: ten days old\n']);
  });

  it("prunes a custom group's events by its policy, and keeps them forever without one", async () => {
    for (const group of ['kept', 'trimmed']) {
      await node.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
      await node.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
      await node.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: clock.now() - 4 * DAY, message: 'old' }, { timestamp: clock.now() - 4 * DAY + 1, message: 'old too' }] }));
      await node.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: clock.now(), message: 'new' }] }));
    }
    await node.logs.send(new PutRetentionPolicyCommand({ logGroupName: 'trimmed', retentionInDays: 3 }));
    await clock.advance(60_000);
    await expect.poll(() => messages('trimmed')).toEqual(['new']);
    expect(await messages('kept')).toEqual(['old', 'old too', 'new']);
  });
});
