import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, StartLiveTailCommand, type LiveTailSessionLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, deployFunction, invoke, REGION, startLogsNode, type LogsNode } from './harness.js';

/**
 * StartLiveTail answers with an event stream: sessionStart, then sessionUpdate frames carrying new events. The SDK
 * prefixes the host with `streaming-` for this operation (the model's hostPrefix); against a local endpoint a client
 * turns that off with disableHostPrefix, as it would for any endpoint whose name it cannot prefix.
 */
describe('CloudWatch Logs: StartLiveTail with the SDK v3', () => {
  let node: LogsNode;
  let client: CloudWatchLogsClient;

  beforeAll(async () => {
    node = await startLogsNode();
    client = new CloudWatchLogsClient({ ...node.test.config, maxAttempts: 1, disableHostPrefix: true });
    await deployFunction(node, 'live');
    await invoke(node, 'live', { name: 'before' });
    await client.send(new CreateLogGroupCommand({ logGroupName: 'live/custom' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: 'live/custom', logStreamName: 'worker-1' }));
  });
  afterAll(async () => {
    client?.destroy();
    await node?.close();
  });

  it("streams a function's new lines and a custom group's new events that match the pattern", async () => {
    const functionArn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/live`;
    const abort = new AbortController();
    const answer = await client.send(
      new StartLiveTailCommand({ logGroupIdentifiers: [functionArn, 'live/custom'], logEventFilterPattern: '?hello ?custom' }),
      { abortSignal: abort.signal },
    );
    const seen: LiveTailSessionLogEvent[] = [];
    const frames = answer.responseStream![Symbol.asyncIterator]();
    const first = await frames.next();
    expect(first.value).toEqual({
      sessionStart: {
        requestId: expect.any(String),
        sessionId: expect.any(String),
        logGroupIdentifiers: [functionArn, 'live/custom'],
        logEventFilterPattern: '?hello ?custom',
      },
    });

    await invoke(node, 'live', { name: 'during' });
    await client.send(new PutLogEventsCommand({ logGroupName: 'live/custom', logStreamName: 'worker-1', logEvents: [{ timestamp: Date.now(), message: 'custom event' }, { timestamp: Date.now(), message: 'ignored' }] }));
    while (seen.length < 2) {
      const frame = await frames.next();
      expect(frame.done).toBe(false);
      seen.push(...(frame.value.sessionUpdate?.sessionResults ?? []));
    }
    abort.abort();
    expect(seen).toEqual([
      {
        logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
        logGroupIdentifier: functionArn,
        message: expect.stringMatching(/\tINFO\thello during\n$/),
        timestamp: expect.any(Number),
        ingestionTime: expect.any(Number),
      },
      { logStreamName: 'worker-1', logGroupIdentifier: 'live/custom', message: 'custom event', timestamp: expect.any(Number), ingestionTime: expect.any(Number) },
    ]);
  });
});
