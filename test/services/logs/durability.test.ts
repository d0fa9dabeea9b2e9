import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, GetLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { startNode, type FlintNode } from '../../../src/platform/index.js';

/** Custom groups, their settings and their events are stored, so a node started on the same data has them. */
describe('CloudWatch Logs: custom groups survive a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-logs-durable-'));
  let node: FlintNode | undefined;

  afterEach(async () => {
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (): Promise<{ node: FlintNode; logs: CloudWatchLogsClient }> => {
    node = await startNode({ dataDir: join(dir, 'data'), port: 0, logger: silentLogger, sandbox: 'process', stemCells: false });
    return { node, logs: new CloudWatchLogsClient({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }) };
  };

  it('has the group, its retention policy and its events after a restart', async () => {
    const first = await start();
    await first.logs.send(new CreateLogGroupCommand({ logGroupName: 'durable', tags: { keep: 'yes' } }));
    await first.logs.send(new CreateLogStreamCommand({ logGroupName: 'durable', logStreamName: 's' }));
    await first.logs.send(new PutRetentionPolicyCommand({ logGroupName: 'durable', retentionInDays: 30 }));
    await first.logs.send(new PutLogEventsCommand({ logGroupName: 'durable', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'still here' }] }));
    first.logs.destroy();
    await first.node.close();

    const second = await start();
    const { logGroups } = await second.logs.send(new DescribeLogGroupsCommand({}));
    expect(logGroups!.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([['durable', 30]]);
    const { events } = await second.logs.send(new GetLogEventsCommand({ logGroupName: 'durable', logStreamName: 's' }));
    expect(events!.map((e) => e.message)).toEqual(['still here']);
    second.logs.destroy();
  });
});
