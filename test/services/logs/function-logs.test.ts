import { DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, deployFunction, invoke, REGION, startLogsNode, type LogsNode } from './harness.js';

const GROUP = '/aws/lambda/greeter';
/** Lambda's stream names: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html */
const STREAM = /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe("CloudWatch Logs: a function's logs, as Lambda writes them", () => {
  let node: LogsNode;
  let stream: string;

  beforeAll(async () => {
    node = await startLogsNode();
    await deployFunction(node, 'greeter');
    await invoke(node, 'greeter', { name: 'ana' });
    await invoke(node, 'greeter', { name: 'bo', level: 'error', latency: 700 });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('has the group /aws/lambda/<function>, described as AWS describes groups', async () => {
    const { logGroups } = await node.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
    expect(logGroups).toEqual([
      {
        logGroupName: GROUP,
        creationTime: expect.any(Number),
        metricFilterCount: 0,
        arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}:*`,
        storedBytes: expect.any(Number),
        logGroupClass: 'STANDARD',
        logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}`,
        deletionProtectionEnabled: false,
      },
    ]);
    expect(logGroups![0]!.storedBytes).toBeGreaterThan(100);
  });

  it('has one stream per instance, named as Lambda names it and as the function saw it', async () => {
    const { logStreams } = await node.logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    expect(logStreams).toHaveLength(1);
    const [only] = logStreams!;
    expect(only).toEqual({
      logStreamName: expect.stringMatching(STREAM),
      creationTime: expect.any(Number),
      firstEventTimestamp: expect.any(Number),
      lastEventTimestamp: expect.any(Number),
      lastIngestionTime: expect.any(Number),
      arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}:log-stream:${only!.logStreamName}`,
      storedBytes: 0,
    });
    expect(only!.lastEventTimestamp).toBeGreaterThanOrEqual(only!.firstEventTimestamp!);
    stream = only!.logStreamName!;
    expect(stream.slice(0, 10)).toBe(new Date(only!.firstEventTimestamp!).toISOString().slice(0, 10).replaceAll('-', '/'));
  });

  it('serves the lines with GetLogEvents: START, the output, END and REPORT, each ending in a newline', async () => {
    const answer = await node.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, startFromHead: true }));
    const messages = answer.events!.map((e) => e.message!);
    expect(messages.every((m) => m.endsWith('\n'))).toBe(true);
    const invocation = (name: string) => [
      expect.stringMatching(new RegExp(`^START RequestId: ${UUID} Version: \\$LATEST\\n$`)),
      expect.stringMatching(new RegExp(`^\\S+\\t${UUID}\\tINFO\\thello ${name}\\n$`)),
      expect.stringMatching(new RegExp(`^\\{"level":"\\w+","user":"${name}","latency":\\d+\\}\\n$`)),
      expect.stringMatching(new RegExp(`^END RequestId: ${UUID}\\n$`)),
      expect.stringMatching(new RegExp(`^REPORT RequestId: ${UUID}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t`)),
    ];
    expect(messages.filter((m) => !m.startsWith('INIT_START'))).toEqual([...invocation('ana'), ...invocation('bo')]);
    for (const e of answer.events!) expect(e.ingestionTime).toBe(e.timestamp);
  });

  it('pages with f/ and b/ tokens and gives the same token back at either end', async () => {
    const all = (await node.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, startFromHead: true }))).events!;
    const seen: OutputLogEvent[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await node.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, startFromHead: true, limit: 3, nextToken: token }));
      expect(page.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
      expect(page.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
      seen.push(...page.events!);
      if (page.nextForwardToken === token) {
        expect(page.events).toEqual([]);
        break;
      }
      token = page.nextForwardToken;
    }
    expect(seen).toEqual(all);

    // Without startFromHead: the latest events, then backwards.
    const latest = await node.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, limit: 4 }));
    expect(latest.events).toEqual(all.slice(-4));
    const before = await node.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, limit: 4, nextToken: latest.nextBackwardToken }));
    expect(before.events).toEqual(all.slice(-8, -4));
    const beginning = await node.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, nextToken: `b/${'0'.repeat(56)}/s` }));
    expect(beginning).toMatchObject({ events: [], nextBackwardToken: `b/${'0'.repeat(56)}/s` });
  });

  it('finds lines with FilterLogEvents and a filter pattern', async () => {
    const hello = await node.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"hello bo"' }));
    expect(hello.events).toEqual([
      { logStreamName: stream, timestamp: expect.any(Number), message: expect.stringContaining('INFO\thello bo\n'), ingestionTime: expect.any(Number), eventId: expect.stringMatching(/^\d{56}$/) },
    ]);
    expect(hello.nextToken).toBeUndefined();
    expect(hello.searchedLogStreams).toEqual([{ logStreamName: stream, searchedCompletely: true }]);

    const reports = await node.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'REPORT' }));
    expect(reports.events!.map((e) => e.message!.slice(0, 6))).toEqual(['REPORT', 'REPORT']);
    const warm = await node.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'REPORT -"Init Duration"' }));
    expect(warm.events).toHaveLength(1);
    const slowErrors = await node.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.level = "error" && $.latency > 500 }' }));
    expect(slowErrors.events!.map((e) => e.message)).toEqual(['{"level":"error","user":"bo","latency":700}\n']);
    const either = await node.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '?"hello ana" ?"hello bo"', logStreamNames: [stream] }));
    expect(either.events).toHaveLength(2);
  });

  it('pages FilterLogEvents with nextToken, in timestamp order', async () => {
    const all = (await node.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).events!;
    const timestamps = all.map((e) => e.timestamp!);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await node.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 4, nextToken }));
      seen.push(...page.events!.map((e) => e.eventId!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(all.map((e) => e.eventId));
    const later = await node.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, startTime: all.at(-1)!.timestamp, endTime: all.at(-1)!.timestamp }));
    expect(later.events!.at(-1)).toEqual(all.at(-1));
  });
});
